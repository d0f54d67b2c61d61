// Claims of the XFS MMAPLOCK scheme, before v4.4 (unwritten extents, no pfn_mkwrite) and in v4.4
// (zeroing allocation, xfs_filemap_pfn_mkwrite), settled by the checker and pinned. Items name
// the bug shapes of docs/kernel-facts.md (B1, B2/S1, B3, B9, B14) and the property C.1-5 ("faults
// are mutually exclusive with truncate, punch and extent manipulation"); grades as there: S when
// a commit message or the code states it, D when it is read off the code. Page: docs/schemes/xfs.md.
import type { Claim } from '../../src/report/claim';

const s = 'xfs';

export const claims: readonly Claim[] = [
  {
    id: 'xfs/B1-v4.2', fix: 'xfs/v4.4', scheme: s, item: 'B1', grade: 'S', spec: 'xfs/v4.2', config: 'two-writers', property: 'no store is lost',
    expect: 'found', distinct: 1949, length: 56, smaller: 'one-writer',
    note: 'Agrees (1ca191576fc8: "The issues are to do with write faults"): the second fault\'s lookup sees the unwritten extent as a hole, its get_block(create) returns the same extent unwritten and new, and its dax_insert_mapping zeroes the block after the first fault\'s store.',
  },
  {
    id: 'xfs/B1-v4.4', scheme: s, item: 'B1 (fixed by 1ca191576fc8, 3fbbbea34bac)', grade: 'S', spec: 'xfs/v4.4', config: 'two-writers', property: 'no store is lost',
    expect: 'holds', distinct: 2847,
    note: 'Agrees: the block is zeroed inside the allocation transaction and buffer_new is not set for a fault, so nothing zeroes it a second time.',
  },
  {
    id: 'xfs/S1-v4.2', scheme: s, item: 'B2/S1', grade: 'D', spec: 'xfs/v4.2', config: 'read-vs-write', property: 'no stale hole page',
    expect: 'found', distinct: 650, length: 43, smaller: 'one-writer',
    note: 'Agrees: faults take the MMAPLOCK shared, so a read fault can map its hole page after a write fault on the same index allocated and checked for hole pages.',
  },
  {
    id: 'xfs/S1-v4.4', scheme: s, item: 'B2/S1', grade: 'D', spec: 'xfs/v4.4', config: 'read-vs-write', property: 'no stale hole page',
    expect: 'found', distinct: 729, length: 38, smaller: 'one-writer',
    note: 'Agrees: zeroing allocation does not serialise a read fault against a write fault; the entry lock of v4.7 does.',
  },
  {
    id: 'xfs/C1-5-punch-v4.2', about: ['MMAPLOCK'], scheme: s, item: 'C1-5', grade: 'S', spec: 'xfs/v4.2', config: 'punch-vs-load', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 212,
    note: 'Agrees: the punch holds MMAPLOCK_EXCL from before truncate_pagecache_range until the blocks are freed; a fault holds it shared for its whole length (B3 cannot happen on XFS).',
  },
  {
    id: 'xfs/C1-5-punch-v4.4', about: ['MMAPLOCK'], scheme: s, item: 'C1-5', grade: 'S', spec: 'xfs/v4.4', config: 'punch-vs-load', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 212,
    note: 'Agrees.',
  },
  {
    id: 'xfs/B9-v4.2', fix: 'xfs/v4.4', scheme: s, item: 'B9', grade: 'D', spec: 'xfs/v4.2', config: 'load-then-store', property: 'a PTE is made writable only after file_update_time',
    expect: 'found', distinct: 23, length: 22,
    note: 'XFS had no ->pfn_mkwrite before v4.4: wp_pfn_shared makes the read-only pfn PTE writable with no filesystem callback, so c/mtime is not updated (1 thread).',
  },
  {
    id: 'xfs/B9-v4.4', scheme: s, item: 'B9 (fixed in v4.4)', grade: 'D', spec: 'xfs/v4.4', config: 'load-then-store', property: 'a PTE is made writable only after file_update_time',
    expect: 'holds', distinct: 31,
    note: 'Agrees: xfs_filemap_pfn_mkwrite runs file_update_time before wp_pfn_shared makes the PTE writable.',
  },
  {
    id: 'xfs/C1-4-v4.4', scheme: s, item: 'C1-4', grade: 'D', spec: 'xfs/v4.4', config: 'load-then-store-freeze', property: 'no PTE is made writable while frozen',
    expect: 'found', distinct: 187, length: 30, smaller: 'load-then-store',
    note: 'As on ext2 and ext4 (v4.2/B9-fixed-freeze): xfs_filemap_pfn_mkwrite ends its freeze protection before wp_pfn_shared retakes the PTL and makes the PTE writable, so freeze_super can complete in between.',
  },
  {
    id: 'xfs/B14-v4.2', scheme: s, item: 'B14', grade: 'D', spec: 'xfs/v4.2', config: 'write-vs-load', property: 'no stale hole page',
    expect: 'found', distinct: 521, length: 37, smaller: 'load-only',
    note: 'write(2) takes the IOLOCK and faults the MMAPLOCK: the read fault maps its hole page after write(2)\'s last invalidation.',
  },
  {
    id: 'xfs/truncate-v4.4', about: ['MMAPLOCK'], scheme: s, item: 'C1-1', grade: 'S', spec: 'xfs/v4.4', config: 'truncate-3t2i', property: 'no PTE maps a freed block',
    expect: 'holds', distinct: 86110,
    note: 'Agrees: truncate holds MMAPLOCK_EXCL across the page cache and the freeing. Flagged: with any one MMAPLOCK pair taken away it still holds at these bounds, since the v4.2 i_size re-checks of the DAX fault path also carry truncate safety.',
  },
  {
    id: 'xfs/deadlock-v4.4', scheme: s, item: 'C3-4', grade: 'S', spec: 'xfs/v4.4', config: 'all-paths-5t2i', property: 'deadlock',
    expect: 'holds', distinct: 2772656, slow: true,
    note: 'Agrees with the documented order mmap_sem -> sb_start_pagefault -> MMAPLOCK -> page lock -> ILOCK: no deadlock among faults, page_mkwrite, truncate, punch and freeze.',
  },
  {
    id: 'xfs/lock-order-v4.4', scheme: s, item: 'C3-4', grade: 'S', spec: 'xfs/v4.4', config: 'all-paths-5t2i', property: 'lock order',
    expect: 'holds', distinct: 2772656, slow: true,
    note: 'Agrees: the lock-order view over every explored transition has no cycle.',
  },
];
