// Claims for scheme 2, the reverted i_mmap scheme of v4.3-rc (specs/dax/i-mmap.ts): the domain
// file's R-items and section C, scheme 2, each as a check the report runs. Figures pinned from
// the checker; `note` says how each result compares with the published account (docs/kernel-facts.md).
import type { Claim } from '../../src/report/claim';

const s = 'i-mmap';
const only843 = 'i-mmap/843172978bb9';
const all = 'i-mmap/all';

export const claims: readonly Claim[] = [
  {
    id: 'i-mmap/R1', scheme: s, item: 'R1', grade: 'D', spec: only843, config: 'r1-two-readers', property: 'no lock misuse',
    expect: 'found', distinct: 276, length: 26, smaller: 'r1-one-reader',
    note: 'Agrees: the second read fault finds the first one\'s hole page, takes no i_mmap lock, and the read branch calls i_mmap_unlock_write anyway (2 processes, 1 page).',
  },
  {
    id: 'i-mmap/R1-all', scheme: s, item: 'R1', grade: 'D', spec: all, config: 'r1-two-readers', property: 'no lock misuse',
    expect: 'found', distinct: 276, length: 26, smaller: 'r1-one-reader',
    note: 'Agrees: 52a2b53ffde6 and 46c043ede471 leave the read branch as it was; R1 is in the code the revert removed.',
  },
  {
    id: 'i-mmap/R2', scheme: s, item: 'R2', grade: 'D', spec: only843, config: 'r2-read-vs-write', property: 'no lock is held after return',
    expect: 'found', distinct: 713, length: 50, smaller: 'one-writer',
    note: 'Agrees: the read fault inserts its hole page while the write fault holds i_mmap_rwsem(w); find_lock_page returns it, so "if (!page) i_mmap_unlock_write" is skipped and the writer returns holding the lock.',
  },
  {
    id: 'i-mmap/R2-deadlock', scheme: s, item: 'R2', grade: 'D', spec: only843, config: 'r2-reader-writes-after', property: 'deadlock',
    expect: 'found', distinct: 3536, length: 56, diagnosis: 'deadlock (lock leaked)', smaller: 'one-writer',
    note: 'Agrees, with 2 threads: the "later i_mmap user" is the reader itself, whose store faults again because the writer\'s unmap_mapping_range zapped its hole-page PTE, and blocks for ever on the leaked lock.',
  },
  {
    id: 'i-mmap/R2-all', scheme: s, item: 'R2', grade: 'D', spec: all, config: 'r2-read-vs-write', property: 'no lock is held after return',
    expect: 'holds', distinct: 699,
    note: 'With 46c043ede471 the leak cannot happen: the writer that found the hole page never reaches the skipped unlock, because it self-deadlocks first in unmap_mapping_range (R3).',
  },
  {
    id: 'i-mmap/R3', scheme: s, item: 'R3', grade: 'D', spec: all, config: 'r2-read-vs-write', property: 'deadlock',
    expect: 'found', distinct: 458, length: 32, diagnosis: 'self-deadlock', smaller: 'one-writer',
    note: 'Agrees: R2\'s interleaving up to find_lock_page, then unmap_mapping_range asks for i_mmap_rwsem(w) that the same fault holds (2 threads, 1 page).',
  },
  {
    id: 'i-mmap/R4', scheme: s, item: 'R4', grade: 'D', spec: all, config: 'r4-abba', property: 'no two threads wait for each other',
    expect: 'found', distinct: 1214, length: 42, smaller: 'load-then-store',
    note: 'Agrees: the ABBA itself. T1, a write fault on the hole, holds i_mmap_rwsem(w) and waits in find_lock_page for hole page H1; T2 holds H1 in page_mkwrite (its store after its read fault) and waits for i_mmap_rwsem(w) in unmap_mapping_range. The property is a wait-for cycle between two threads, so the search is not stopped first by R3\'s self-deadlock (i-mmap/R4-deadlock). The lock-order view shows the same cycle: W(i_mmap_rwsem) -> page lock -> W(i_mmap_rwsem). See docs/schemes/i-mmap.md.',
  },
  {
    id: 'i-mmap/R4-deadlock', scheme: s, item: 'R4', grade: 'D', spec: all, config: 'r4-abba', property: 'deadlock',
    expect: 'found', distinct: 941, length: 37, diagnosis: 'self-deadlock', smaller: 'load-then-store',
    note: 'A deadlock search at R4\'s configuration stops at R3 first: every ABBA run has a shorter run in which T1 reaches find_lock_page while H1 is unlocked and then blocks on the i_mmap_rwsem(w) it holds itself, so BFS reports that self-deadlock. i-mmap/R4 shows the ABBA.',
  },
  {
    id: 'i-mmap/R5', scheme: s, item: 'R5', grade: 'D', spec: all, config: 'r5-mkwrite-vs-truncate', property: 'no PTE maps a freed block',
    expect: 'found', distinct: 1981, length: 57, smaller: 'load-then-store',
    note: 'Agrees: page_mkwrite over a hole page takes no i_mmap lock, passes dax_insert_mapping\'s i_size check, and inserts the PTE after truncate has unmapped and freed the block (2 threads, 1 page).',
  },
  {
    id: 'i-mmap/R5-no-page', fix: 'i-mmap/all', scheme: s, item: 'R5', grade: 'D', spec: only843, config: 'r5-store-vs-truncate', property: 'no PTE maps a freed block',
    expect: 'found', distinct: 582, length: 31, smaller: 'one-writer',
    note: 'Wider than the published account: with 843172978bb9 alone truncate takes i_mmap_rwsem nowhere (unmap_mapping_range skips it for DAX), so the fault\'s write lock excludes nothing and even a page-less write fault inserts a PTE to a block truncate frees (no hole page needed).',
  },
  {
    id: 'i-mmap/R5-no-page-all', about: ['i_mmap_rwsem'], scheme: s, item: 'R5', grade: 'D', spec: all, config: 'r5-store-vs-truncate', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 969,
    note: 'Agrees: once unmap_mapping_range locks again, a page-less fault holds i_mmap_rwsem(w) across its i_size check and insert, so truncate\'s unmap waits for it; only the page-present path is open (R5).',
  },
  {
    id: 'i-mmap/R6', fix: 'i-mmap/all', scheme: s, item: 'R6', grade: 'S', spec: only843, config: 'r6-cow', property: 'no lock misuse',
    expect: 'found', distinct: 14, length: 13,
    note: 'Agrees: __dax_fault returns LOCKED holding i_mmap_rwsem(w); do_cow_fault calls i_mmap_unlock_read (1 thread).',
  },
  {
    id: 'i-mmap/R6-fixed', scheme: s, item: 'R6 (fixed by 52a2b53ffde6)', grade: 'S', spec: all, config: 'r6-cow', property: 'no lock misuse',
    expect: 'holds', distinct: 17,
    note: 'Agrees: with i_mmap_unlock_write in do_cow_fault the modes match.',
  },
  {
    id: 'i-mmap/R7', fix: 'i-mmap/pmd-null-fix', scheme: s, item: 'R7', grade: 'S', spec: 'i-mmap/pmd', config: 'r7-pmd-write', property: 'no NULL dereference',
    expect: 'found', distinct: 9, length: 8,
    note: 'Agrees: ext4 returns unwritten blocks, and 46c043ede471\'s zeroing loop runs before bdev_direct_access has set kaddr (1 thread, 1 PMD).',
  },
  {
    id: 'i-mmap/R7-fixed', scheme: s, item: 'R7 (fixed by 8346c416d17b)', grade: 'S', spec: 'i-mmap/pmd-null-fix', config: 'r7-pmd-write', property: 'no NULL dereference',
    expect: 'holds', distinct: 23,
    note: 'Agrees.',
  },
  {
    id: 'i-mmap/R8', fix: 'i-mmap/all', scheme: s, item: 'R8', grade: 'S', spec: only843, config: 'r8-truncate-vs-mmap', property: 'no i_mmap walk during a tree update',
    expect: 'found', distinct: 18, length: 5, smaller: 'truncate-only',
    note: 'Agrees, by program positions only (the model has no VMA tree contents): truncate\'s unmap_mapping_range is about to walk mapping->i_mmap with no lock while mmap() is half way through vma_interval_tree_insert under i_mmap_rwsem(w).',
  },
  {
    id: 'i-mmap/R8-fixed', about: ['unmap_mapping_range'], scheme: s, item: 'R8 (fixed by 46c043ede471)', grade: 'S', spec: all, config: 'r8-truncate-vs-mmap', property: 'no i_mmap walk during a tree update',
    expect: 'holds', distinct: 112,
    note: 'Agrees: with the lock back in unmap_mapping_range the walk and the insert exclude each other.',
  },
  {
    id: 'i-mmap/R9', scheme: s, item: 'R9', grade: 'D', spec: 'i-mmap/pmd-null-fix', config: 'r9-get-block-fails', property: 'no lock is held after return',
    expect: 'found', distinct: 9, length: 8,
    note: 'Agrees: get_block fails after i_mmap_lock_write and __dax_pmd_fault returns SIGBUS without unlocking (1 thread; the failure is the configuration\'s getBlockFails).',
  },
  {
    id: 'i-mmap/R9-deadlock', scheme: s, item: 'R9', grade: 'D', spec: 'i-mmap/pmd-null-fix', config: 'r9-leak-blocks-a-reader', property: 'deadlock',
    expect: 'found', distinct: 98, length: 14, diagnosis: 'deadlock (lock leaked)', smaller: 'r9-get-block-fails',
    note: 'Agrees: the next page-less fault (a read in another process) blocks for ever on the leaked write lock (1 failing thread plus 1 i_mmap user).',
  },
  {
    id: 'i-mmap/C2', about: ['i_mmap_rwsem'], scheme: s, item: 'C2', grade: 'S', spec: all, config: 'two-writers', property: 'no store is lost',
    expect: 'holds', distinct: 884,
    note: 'Agrees: two write faults on one hole with no hole page serialise on i_mmap_rwsem(w) from before get_block to after complete_unwritten, so the second sees a written block and does not zero it (v4.2 loses the store here: v4.2/B1).',
  },
  {
    id: 'i-mmap/C2-4t2i', scheme: s, item: 'C2', grade: 'S', spec: all, config: 'writers-4t2i', property: 'no store is lost',
    expect: 'holds', distinct: 947680, slow: true,
    note: 'Agrees (4 threads, 2 indices, about 3 s).',
  },
  {
    id: 'i-mmap/C2-5t2i', scheme: s, item: 'C2', grade: 'S', spec: all, config: 'writers-5t2i', property: 'no store is lost',
    expect: 'holds', distinct: 28728323, slow: true, heavy: true,
    note: 'Agrees at the largest bound that finished under 10 minutes (5 threads, 2 indices: about 2 minutes).',
  },
  {
    id: 'i-mmap/B1-hole-page', scheme: s, item: 'B1', grade: 'S', spec: all, config: 'r2-reader-writes-after', property: 'no store is lost',
    expect: 'found', distinct: 4017, length: 66, smaller: 'load-then-store',
    note: 'Outside what 843172978bb9 claimed, as the published account scopes it ("no hole page present"): a write through page_mkwrite over a hole page takes no i_mmap lock, allocates an unwritten block, and a page-less write fault that looks the block up before complete_unwritten zeroes it after the first store (B1 with 2 threads, 1 page).',
  },
  {
    id: 'i-mmap/B2', scheme: s, item: 'B2', grade: 'S', spec: all, config: 'r2-read-vs-write', property: 'no stale hole page',
    expect: 'found', distinct: 519, length: 36, smaller: 'one-writer',
    note: 'Preexisting and not fixed by this scheme: the read fault drops i_mmap_rwsem(w) before dax_load_hole, so the writer\'s find_lock_page (under the lock) can run before the hole page exists.',
  },
];
