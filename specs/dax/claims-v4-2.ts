// Claims for scheme 1 (v4.2 and its variants): the published account's B-items and section C, scheme 1,
// each as a check the report runs. Figures pinned from the checker; `note` says how each result
// compares with the published account (docs/kernel-facts.md).
import type { Claim } from '../../src/report/claim';

const s = 'v4.2';

export const claims: readonly Claim[] = [
  {
    id: 'v4.2/B1', scheme: s, item: 'B1', grade: 'S', spec: 'v4.2', config: 'b1-two-writers', property: 'no store is lost',
    expect: 'found', distinct: 2406, length: 44, smaller: 'b1-one-writer',
    note: 'Agrees: the second write fault gets the same unwritten extent and zeroes it after the first stored.',
  },
  {
    id: 'v4.2/B1-ext2', scheme: s, item: 'B1', grade: 'D', spec: 'v4.2', config: 'b1-ext2', property: 'no store is lost',
    expect: 'found', distinct: 1857, length: 44, smaller: 'b2-one-writer',
    note: 'Differs from the published account ("ext2 is not affected"): ext2_get_block sets buffer_new on the block it allocated, and v4.2 dax_insert_mapping clears a buffer_new block without a lock against a second fault that found it mapped and already stored.',
  },
  {
    id: 'v4.2/B2', scheme: s, item: 'B2', grade: 'S', spec: 'v4.2', config: 'b2-read-vs-write', property: 'no stale hole page',
    expect: 'found', distinct: 594, length: 33, smaller: 'b2-one-writer',
    note: 'Agrees: the read fault inserts its hole page after the write fault\'s find_lock_page found none.',
  },
  {
    id: 'v4.2/B3', scheme: s, item: 'B3', grade: 'S', spec: 'v4.2', config: 'b3-punch', property: 'no PTE maps a freed block',
    expect: 'found', distinct: 278, length: 25, smaller: 'b3-punch-only',
    note: 'Agrees: ext4 hole punch frees the block between the fault\'s get_block and vm_insert_mixed; the i_size re-check passes.',
  },
  {
    id: 'v4.2/B8', scheme: s, item: 'B8', grade: 'S', spec: 'v4.2', config: 'b8-freeze', property: 'no store while frozen',
    expect: 'found', distinct: 177, length: 32, smaller: 'b2-one-writer',
    note: 'Agrees: nothing write-protects a writable DAX PTE at freeze.',
  },
  {
    id: 'v4.2/B9-mtime', fix: 'v4.2', scheme: s, item: 'B9', grade: 'S', spec: 'v4.2/pre-v4.1', config: 'b9-mtime', property: 'a PTE is made writable only after file_update_time',
    expect: 'found', distinct: 22, length: 21,
    note: 'Agrees: before v4.1 the MM makes the pfn PTE writable with no filesystem callback (1 thread).',
  },
  {
    id: 'v4.2/B9-freeze', scheme: s, item: 'B9', grade: 'S', spec: 'v4.2/pre-v4.1', config: 'b9-freeze', property: 'no PTE is made writable while frozen',
    expect: 'found', distinct: 144, length: 23, smaller: 'b9-mtime',
    note: 'Agrees (2 threads).',
  },
  {
    id: 'v4.2/B9-fixed-mtime', scheme: s, item: 'B9 (fixed by dd9061846a3b)', grade: 'S', spec: 'v4.2', config: 'b9-mtime', property: 'a PTE is made writable only after file_update_time',
    expect: 'holds', distinct: 27,
    note: 'Agrees: with pfn_mkwrite, file_update_time runs before the PTE becomes writable.',
  },
  {
    id: 'v4.2/B9-fixed-freeze', scheme: s, item: 'C1-4', grade: 'S', spec: 'v4.2', config: 'b9-freeze', property: 'no PTE is made writable while frozen',
    expect: 'found', distinct: 165, length: 26, smaller: 'b9-mtime',
    note: 'Differs in part from C.4: dax_pfn_mkwrite takes and drops sb_start_pagefault before wp_pfn_shared retakes the PTL and makes the PTE writable, so freeze_super can complete in between. "No new pfn_mkwrite completes while frozen" holds; "no PTE becomes writable while frozen" does not.',
  },
  {
    id: 'v4.2/B11', scheme: s, item: 'B11', grade: 'S', spec: 'v4.2', config: 'b11-truncate', property: 'no block is allocated past EOF',
    expect: 'found', distinct: 812, length: 39, smaller: 'b2-one-writer',
    note: 'Agrees: get_block allocates after truncate freed the blocks; the i_size re-check fails and the block stays.',
  },
  {
    id: 'v4.2/B14', scheme: s, item: 'B14', grade: 'U', spec: 'v4.2', config: 'b14-write-syscall', property: 'no stale hole page',
    expect: 'found', distinct: 368, length: 28, smaller: 'b14-load-only',
    note: 'Settles the [U] item for the modelled write path (generic_file_direct_write invalidating before and after dax_do_io): the read fault maps its hole page after write(2)\'s last invalidation.',
  },
  {
    id: 'v4.2/B4', scheme: s, item: 'B4', grade: 'S', spec: 'v4.2/pmd', config: 'b4-zero-then-write', property: 'deadlock',
    expect: 'found', distinct: 23, length: 22, diagnosis: 'self-deadlock',
    note: 'Agrees: one thread holds i_mmap_rwsem(read) and unmap_mapping_range asks for it in write mode.',
  },
  {
    id: 'v4.2/B5', scheme: s, item: 'B5', grade: 'S', spec: 'v4.2/pmd', config: 'b5-two-processes', property: 'no stale hole page',
    expect: 'found', distinct: 409, length: 25, smaller: 'b5-one-process',
    note: 'Agrees: is_huge_zero_pmd looks only at the faulting mm; P1 keeps the huge zero page over allocated blocks.',
  },
  {
    id: 'v4.2/B12', fix: 'v4.3/cow-fix', scheme: s, item: 'B12', grade: 'S', spec: 'v4.3', config: 'b12-cow', property: 'no lock misuse',
    expect: 'found', distinct: 14, length: 13,
    note: 'Agrees: __dax_fault returns holding i_mmap_rwsem(read); do_cow_fault calls i_mmap_unlock_write (1 thread).',
  },
  {
    id: 'v4.2/B12-fixed', scheme: s, item: 'B12 (fixed by 0df9d41ab5d4)', grade: 'S', spec: 'v4.3/cow-fix', config: 'b12-cow', property: 'no lock misuse',
    expect: 'holds', distinct: 17,
    note: 'Agrees.',
  },
  {
    id: 'v4.2/B13', fix: 'v4.2/cow', scheme: s, item: 'B13', grade: 'D', spec: 'v4.2/cow-no-hold', config: 'b13-cow-truncate', property: 'no PTE beyond EOF after truncate',
    expect: 'found', distinct: 459, length: 27,
    note: 'Agrees with the [D] expectation: without the hold, the COW PTE lands after truncate\'s unmap.',
  },
  {
    id: 'v4.2/C1-3', about: ['i_mmap_rwsem'], scheme: s, item: 'C1-3', grade: 'S', spec: 'v4.2/cow', config: 'b13-cow-truncate', property: 'no PTE beyond EOF after truncate',
    expect: 'holds', distinct: 455,
    note: 'Agrees: holding i_mmap_rwsem(read) until do_cow_fault installs the PTE keeps COW faults out of truncate\'s window.',
  },
  {
    id: 'v4.2/C1-1', about: ['i_size check'], scheme: s, item: 'C1-1', grade: 'S', spec: 'v4.2', config: 'truncate-3t2i', property: 'no PTE beyond EOF after truncate',
    expect: 'holds', distinct: 31052,
    note: 'Agrees (3 threads, 2 indices): faults re-check i_size under i_mmap_rwsem or the page lock; truncate sets i_size first.',
  },
  {
    id: 'v4.2/C1-1-freed', scheme: s, item: 'C1-1', grade: 'S', spec: 'v4.2', config: 'truncate-3t2i', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 31052,
    note: 'Agrees (3 threads, 2 indices).',
  },
  {
    id: 'v4.2/C1-3-3t', about: ['i_mmap_rwsem'], scheme: s, item: 'C1-3', grade: 'S', spec: 'v4.2', config: 'cow-truncate-3t2i', property: 'no PTE beyond EOF after truncate',
    expect: 'holds', distinct: 10976,
    note: 'Agrees (3 threads, 2 indices).',
  },
  {
    id: 'v4.2/C1-4', scheme: s, item: 'C1-4', grade: 'S', spec: 'v4.2', config: 'mkwrite-freeze-3t2i', property: 'a PTE is made writable only after file_update_time',
    expect: 'holds', distinct: 3361,
    note: 'Agrees (3 threads, 2 indices).',
  },
];
