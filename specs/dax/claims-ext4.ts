// Claims of the ext4 schemes, v4.2 (no fault exclusion, the jbd2 handle started inside get_block
// under the hole-page lock) and v4.5 (i_mmap_sem, the handle before __dax_fault, pre-zeroed
// blocks), settled by the checker and pinned. Items name the bug shapes of docs/kernel-facts.md
// (B1, B2/S1, B3, B10, B14). Page: docs/schemes/ext4.md.
import type { Claim } from '../../src/report/claim';

const s = 'ext4';

export const claims: readonly Claim[] = [
  {
    id: 'ext4/B3-v4.2', fix: 'ext4/v4.5', scheme: s, item: 'B3 (CVE-2015-8839)', grade: 'S', spec: 'ext4/v4.2', config: 'punch-vs-load', property: 'no PTE maps a freed block',
    expect: 'found', distinct: 415, length: 27, smaller: 'punch-only',
    note: 'Agrees (ea3d7209ca01): the punch unmaps the range between the fault\'s get_block and its vm_insert_mixed, then frees the block the fault has just mapped; the fault\'s i_size re-check passes because a punch keeps i_size.',
  },
  {
    id: 'ext4/B3-v4.5', about: ['i_mmap_sem'], scheme: s, item: 'B3 (fixed by ea3d7209ca01)', grade: 'S', spec: 'ext4/v4.5', config: 'punch-vs-load', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 219,
    note: 'Agrees: the fault holds i_mmap_sem shared, the punch exclusive from before truncate_pagecache_range until the blocks are freed.',
  },
  {
    id: 'ext4/B1-v4.2', fix: 'ext4/v4.5', scheme: s, item: 'B1', grade: 'D', spec: 'ext4/v4.2', config: 'two-writers', property: 'no store is lost',
    expect: 'found', distinct: 2048, length: 46, smaller: 'one-writer',
    note: 'ext4 at v4.2 allocates a written extent that is not zeroed and flagged new: the second fault maps it at once, not new, and stores; the first fault\'s dax_insert_mapping then zeroes it. The later-comer\'s store is lost (the first one\'s, in the unwritten-extent shape of B1).',
  },
  {
    id: 'ext4/B1-v4.5', scheme: s, item: 'B1 (fixed by ba5843f51d46, c86d8db33a92)', grade: 'S', spec: 'ext4/v4.5', config: 'two-writers', property: 'no store is lost',
    expect: 'holds', distinct: 2901,
    note: 'Agrees ("to avoid races with extent conversion and zeroing when two page faults to the same block happen"): the block is zeroed under i_data_sem before it is visible and buffer_new is cleared.',
  },
  {
    id: 'ext4/B10-cycle-v4.2', fix: 'ext4/v4.5', scheme: s, item: 'B10', grade: 'S', spec: 'ext4/v4.2', config: 'mkwrite-vs-punch-no-commit', property: 'lock order',
    expect: 'found', distinct: 4849, cycle: ['jbd2_handle', 'page lock'],
    note: 'Agrees (01a33b4ace68: "a lock inversion between the page lock and the journal lock"): page_mkwrite over a hole page starts the handle in ext4_get_block under the page lock; ext4_punch_hole locks hole pages again in its second truncate_pagecache_range under its handle. The commit names no counterpart; the search finds it: the punch (docs/kernel-facts.md §7.3).',
  },
  {
    id: 'ext4/B10-order-v4.2', fix: 'ext4/v4.5', scheme: s, item: 'B10', grade: 'S', spec: 'ext4/v4.2', config: 'mkwrite-vs-punch-no-commit', property: 'lock order',
    expect: 'found', distinct: 4849, inversion: ['page lock', 'jbd2_handle'],
    note: 'Agrees: the fault\'s page lock -> transaction start goes against ext4\'s "transaction start ranks above page lock".',
  },
  {
    id: 'ext4/B10-deadlock-v4.2', fix: 'ext4/v4.5', scheme: s, item: 'B10', grade: 'D', spec: 'ext4/v4.2', config: 'mkwrite-vs-punch', property: 'deadlock',
    expect: 'found', distinct: 5171, length: 42, diagnosis: 'deadlock', smaller: 'mkwrite-vs-punch-no-commit',
    note: 'Settles the item: with kjournald2 committing, the cycle is a reachable deadlock of three threads. The punch holds its handle and waits for the hole page\'s lock; the fault holds that lock and its handle start waits for the locked transaction; the commit waits for the punch\'s handle. Without the commit thread no handle start can wait.',
  },
  {
    id: 'ext4/B10-v4.5', scheme: s, item: 'B10 (fixed by 01a33b4ace68, 1e9d180ba39f)', grade: 'S', spec: 'ext4/v4.5', config: 'mkwrite-vs-punch', property: 'deadlock',
    expect: 'holds', distinct: 3539,
    note: 'Agrees: the fault and page_mkwrite start their handle before __dax_fault, and the punch no longer purges the page cache under its handle.',
  },
  {
    id: 'ext4/B10-order-v4.5', about: ['lock order'], scheme: s, item: 'B10 (fixed)', grade: 'S', spec: 'ext4/v4.5', config: 'mkwrite-vs-punch', property: 'lock order',
    expect: 'holds', distinct: 3539,
    note: 'Agrees with e74031fd7ed0\'s documented order: no cycle and no acquisition against it.',
  },
  {
    id: 'ext4/S1-v4.5', scheme: s, item: 'B2/S1', grade: 'D', spec: 'ext4/v4.5', config: 'read-vs-write', property: 'no stale hole page',
    expect: 'found', distinct: 789, length: 39, smaller: 'one-writer',
    note: 'i_mmap_sem is shared between faults: a read fault can still map its hole page after a write fault allocated (the entry lock of v4.7 closes it).',
  },
  {
    id: 'ext4/B14-v4.2', scheme: s, item: 'B14', grade: 'D', spec: 'ext4/v4.2', config: 'write-vs-load', property: 'no stale hole page',
    expect: 'found', distinct: 414, length: 30, smaller: 'load-only',
    note: 'As on ext2: the read fault maps its hole page after write(2)\'s last invalidation.',
  },
  {
    id: 'ext4/truncate-v4.5', about: ['i_mmap_sem'], scheme: s, item: 'C1-1', grade: 'S', spec: 'ext4/v4.5', config: 'truncate-3t2i', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 201594,
    note: 'Agrees: i_size first, then i_mmap_sem exclusive across the page cache and ext4_truncate. Flagged: with any one i_mmap_sem pair taken away it still holds at these bounds, since the v4.2 i_size re-checks of the DAX fault path also carry truncate safety (as ext4/truncate-v4.2 shows, where they are load-bearing).',
  },
  {
    id: 'ext4/truncate-v4.2', about: ['i_mmap_rwsem', 'i_size check'], scheme: s, item: 'C1-1', grade: 'S', spec: 'ext4/v4.2', config: 'truncate-3t2i', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 278623,
    note: 'Agrees: ext4_setattr sets i_size under a handle before truncate_pagecache; the fault re-checks it under i_mmap_rwsem or the page lock.',
  },
];
