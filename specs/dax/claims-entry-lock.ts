// Claims for scheme 4 (the v4.7 exceptional-entry lock bit and its variants): the published account's
// E-items and section C "Scheme 4", each as a check the report runs. Figures pinned from the
// checker; `note` says how each result compares with the published account (docs/kernel-facts.md).
import type { Claim } from '../../src/report/claim';

const s = 'entry-lock';

export const claims: readonly Claim[] = [
  // ---- E1 / E1': the lost wake-up when a hole page replaces the locked empty entry ----------
  {
    id: 'entry-lock/E1', fix: 'entry-lock/fix', scheme: s, item: 'E1', grade: 'S', spec: 'entry-lock/v4.7', config: 'three-reads', property: 'deadlock',
    expect: 'found', distinct: 2432, length: 35, diagnosis: 'lost wake-up', smaller: 'two-reads',
    note: 'Agrees, 3 threads and 1 page: T0 inserts the locked empty entry, T1 and T2 queue, page_cache_tree_insert wakes T1 only; T1 finds the hole page, locks it as a page and passes no wake-up on; T2 sleeps for ever (holding dax_sem for read, so a later truncate would hang too).',
  },
  {
    id: 'entry-lock/E1-writer', fix: 'entry-lock/fix', scheme: s, item: 'E1', grade: 'D', spec: 'entry-lock/v4.7', config: 'two-reads-one-write', property: 'deadlock',
    expect: 'found', distinct: 4419, length: 35, diagnosis: 'lost wake-up', smaller: 'two-reads',
    note: 'Beyond the published account: the stranded third waiter may be a write fault; the shape needs only two read faults (one to insert the page, one to be the woken waiter that drops the baton).',
  },
  {
    id: 'entry-lock/E1-fixed', about: ['dax_load_hole'], scheme: s, item: 'E1 (fixed by 965d004af540)', grade: 'S', spec: 'entry-lock/fix', config: 'three-reads', property: 'deadlock',
    expect: 'holds', distinct: 2327,
    note: 'Agrees: with wake_all on the hole-page swap every waiter re-looks, finds the page and takes the page lock in turn.',
  },
  {
    id: 'entry-lock/E1-prime', fix: 'entry-lock/v4.7', scheme: s, item: "E1'", grade: 'S', spec: 'entry-lock/rfc', config: 'two-reads', property: 'deadlock',
    expect: 'found', distinct: 173, length: 19, diagnosis: 'lost wake-up', smaller: 'one-read',
    note: 'Agrees, 2 threads: with no wake-up in page_cache_tree_insert (RFC v1-v3) the one waiter sleeps for ever.',
  },
  {
    id: 'entry-lock/E1-prime-fixed', about: ['dax_load_hole'], scheme: s, item: "E1' (fixed in v4 of the series)", grade: 'S', spec: 'entry-lock/v4.7', config: 'two-reads', property: 'deadlock',
    expect: 'holds', distinct: 184,
    note: "Agrees: the v4.7 wake-one cures E1' (2 threads) but, as E1 shows, not 3.",
  },
  // ---- E2: PMD enabled -------------------------------------------------------------------
  {
    id: 'entry-lock/E2', fix: 'entry-lock/v4.7', scheme: s, item: 'E2 (B7)', grade: 'S', spec: 'entry-lock/pmd', config: 'e2-pmd-vs-read', property: 'no stale hole page',
    expect: 'found', distinct: 460, length: 31, smaller: 'e2-pmd-only',
    note: "Agrees, 2 threads. The mechanism the model shows: the PMD write fault takes no entry lock; its truncate_pagecache_range meets the read fault's locked empty entry, and by the time dax_delete_mapping_entry looks, dax_load_hole has swapped in the hole page: WARN, return, and the hole page stays over the new block.",
  },
  {
    id: 'entry-lock/E2-pmd-off', scheme: s, item: 'E2 (PMD depends on BROKEN)', grade: 'S', spec: 'entry-lock/v4.7', config: 'e2-pmd-vs-read', property: 'no stale hole page',
    expect: 'holds', distinct: 413,
    note: "Agrees: with FS_DAX_PMD off the PMD write falls back to a PTE write fault, which serialises with the read fault on the entry lock.",
  },
  // ---- E3: the pfn_mkwrite baton drop -----------------------------------------------------
  {
    id: 'entry-lock/E3-punch', scheme: s, item: 'E3 (pfn_mkwrite)', grade: 'D', spec: 'entry-lock/v4.7', config: 'e3-punch', property: 'deadlock',
    slow: true, expect: 'holds', distinct: 325900,
    note: "Differs from the published account's expectation: the baton drop is reached (a woken dax_pfn_mkwrite finds the hole page and returns while another fault sleeps; step 'out: no wake-up passed on' is covered), but no deadlock follows: the dropped store is retried as a write fault, whose put_locked_mapping_entry wakes the next waiter. Needs a punch (i_size kept) so that pfn_mkwrite can wait on a locked empty entry at all.",
  },
  {
    id: 'entry-lock/E3-truncate', scheme: s, item: 'E3 (pfn_mkwrite)', grade: 'D', spec: 'entry-lock/v4.7', config: 'e3-truncate', property: 'deadlock',
    expect: 'holds', distinct: 3374,
    note: 'With truncate (ext2 has no punch) pfn_mkwrite never meets a non-DAX entry: dax_sem excludes truncate, and after it the i_size check fails first.',
  },
  {
    id: 'entry-lock/E3-fixed', scheme: s, item: 'E3 (pfn_mkwrite)', grade: 'D', spec: 'entry-lock/fix', config: 'e3-punch', property: 'deadlock',
    slow: true, expect: 'holds', distinct: 322495,
    note: 'With wake_all on the hole-page swap no waiter depends on the pfn_mkwrite passing the wake-up on.',
  },
  // ---- deadlock freedom with the fix at larger bounds (C.4-6) -----------------------------
  {
    id: 'entry-lock/C4-6-four-reads', scheme: s, item: 'C.4-6', grade: 'S', spec: 'entry-lock/fix', config: 'four-reads', property: 'deadlock',
    expect: 'holds', distinct: 28632,
    note: 'Agrees: 4 read faults on one hole, no deadlock with the fix.',
  },
  {
    id: 'entry-lock/C4-6-mix', scheme: s, item: 'C.4-6', grade: 'S', spec: 'entry-lock/fix', config: 'mix-5t2i', property: 'deadlock',
    slow: true, expect: 'holds', distinct: 4498061,
    note: 'Agrees: 5 threads over 2 indices (load then store, load, store, COW, truncate), no deadlock with the fix.',
  },
  {
    id: 'entry-lock/C4-6-v4.7-mix', scheme: s, item: 'C.4-6', grade: 'S', spec: 'entry-lock/v4.7', config: 'mix-5t2i', property: 'deadlock',
    slow: true, expect: 'found', distinct: 352629, length: 42, diagnosis: 'lost wake-up', smaller: 'mix-4t2i',
    note: "Agrees that deadlock freedom is not a v4.7 property, and adds a twist: E1 strands T4 (a write fault) holding dax_sem for read; T1's store would rescue it (its page_mkwrite hole fill wakes the next waiter), but the truncate has queued for dax_sem(write) and rwsem fairness blocks T1's down_read behind it. Without the truncate (mix-4t2i, one thread fewer) v4.7 always recovers.",
  },
  // ---- the unlock wake-ups: configurations that notice one taken away ----------------------
  {
    id: 'entry-lock/C4-6-unlock-wakeup', about: ['put_locked_mapping_entry'], scheme: s, item: 'C.4-6', grade: 'D', spec: 'entry-lock/fix', config: 'two-reads-one-write', property: 'deadlock',
    expect: 'holds', distinct: 9655,
    note: "Agrees, and unlike three-reads (E1-fixed, whose read faults never reach put_locked_mapping_entry) this configuration rests on the unlock wake-up: without the wake_up(1) after put_locked_mapping_entry unlocks the write fault's entry, a read fault that queued on it sleeps for ever (45 steps, a lost wake-up). It also rests on dax_load_hole's wake-all and on dax_pfn_mkwrite passing the wake-up on (`daxmc why entry-lock/C4-6-unlock-wakeup`).",
  },
  {
    id: 'entry-lock/C4-6-cow-unlock-wakeup', about: ['dax_unlock_mapping_entry'], scheme: s, item: 'C.4-6', grade: 'D', spec: 'entry-lock/fix', config: 'cow-3t2i', property: 'deadlock',
    expect: 'holds', distinct: 2029,
    note: "Agrees, and rests on the wake-up of dax_unlock_mapping_entry, which do_cow_fault calls after installing its PTE: without it a fault that queued on the COW fault's entry sleeps for ever (24 steps).",
  },
  // ---- properties that must hold (C.4-1..5), v4.7 and the fix -----------------------------
  {
    id: 'entry-lock/C4-2-read-vs-write', scheme: s, item: 'C.4-2 (B2/S1 fixed)', grade: 'S', spec: 'entry-lock/v4.7', config: 'read-vs-write', property: 'no stale hole page',
    expect: 'holds', distinct: 566,
    note: 'Agrees: the B2/S1 race (read fault vs write fault on one hole) is gone; the entry lock serialises them.',
  },
  ...(['v4.7', 'fix'] as const).flatMap((v): Claim[] => {
    const distinct = v === 'v4.7' ? 4508681 : 4498061; // mix-5t2i, exhaustive
    return [
      {
        id: `entry-lock/C4-1-${v}`, scheme: s, item: 'C.4-1', grade: 'S', spec: `entry-lock/${v}`, config: 'mix-5t2i', property: 'one fault at a time per index',
        slow: true, expect: 'holds', distinct,
        note: 'Agrees: at most one thread holds the entry lock or the hole-page lock of an index.',
      },
      {
        id: `entry-lock/C4-2-${v}`, scheme: s, item: 'C.4-2', grade: 'S', spec: `entry-lock/${v}`, config: 'mix-5t2i', property: 'no stale hole page',
        slow: true, expect: 'holds', distinct,
        note: 'Agrees: a hole fill unmaps the hole page while it is locked, then swaps it for the DAX entry under tree_lock.',
      },
      {
        id: `entry-lock/C4-3-freed-${v}`, scheme: s, item: 'C.4-3', grade: 'S', spec: `entry-lock/${v}`, config: 'mix-5t2i', property: 'no PTE maps a freed block',
        slow: true, expect: 'holds', distinct,
        note: 'Agrees: dax_sem excludes faults from truncate; the COW fault that outlives dax_sem holds the entry lock, and dax_delete_mapping_entry waits for it.',
      },
      {
        id: `entry-lock/C4-3-eof-${v}`, scheme: s, item: 'C.4-3, C.4-4', grade: 'S', spec: `entry-lock/${v}`, config: 'mix-5t2i', property: 'no PTE beyond EOF after truncate',
        slow: true, expect: 'holds', distinct,
        note: "Agrees, including the COW PTE (C.4-4): it is installed before do_cow_fault unlocks the entry, so before truncate's second unmap_mapping_range.",
      },
      {
        id: `entry-lock/C4-5-${v}`, scheme: s, item: 'C.4-5', grade: 'S', spec: `entry-lock/${v}`, config: 'mix-5t2i', property: 'no store is lost',
        slow: true, expect: 'holds', distinct,
        note: 'Agrees: ext2 zeroes in get_block under truncate_mutex, DAX no longer zeroes, and the entry lock serialises allocation per index.',
      },
    ];
  }),
];
