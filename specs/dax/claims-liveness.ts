// Liveness claims of every DAX scheme: "every fault and syscall returns" (src/model/liveness.ts:
// every thread that is not a background loop eventually returns, under weak fairness of runnable
// threads, the scheduler's guarantee). A fixed scheme gives it; a deadlock breaks it by stuttering
// (told apart from starvation in the diagnosis); entry-lock v4.7's lost wake-up with a thread
// that keeps running beside the sleeper is starvation, not a deadlock; and each retry loop is
// asked whether it can spin for ever. Figures pinned from the checker; `note` gives the reasoning
// where the kernel facts (docs/kernel-facts.md) have no answer. docs/liveness.md explains the fairness assumed.
import type { Claim } from '../../src/report/claim';

const returns = 'every fault and syscall returns';

export const claims: readonly Claim[] = [
  // ---- v4.2 ------------------------------------------------------------------------------
  {
    id: 'v4.2/L-truncate', scheme: 'v4.2', item: 'C1-1 (liveness)', grade: 'D', spec: 'v4.2', config: 'truncate-3t2i', property: returns,
    expect: 'holds', distinct: 31052,
    note: 'The store, the load and the truncate all return at every interleaving.',
  },
  {
    id: 'v4.2/L-cow-truncate', scheme: 'v4.2', item: 'C1-3 (liveness)', grade: 'D', spec: 'v4.2', config: 'cow-truncate-3t2i', property: returns,
    expect: 'holds', distinct: 10976,
    note: 'The private store, the load and the truncate all return.',
  },
  {
    id: 'v4.2/L-B4', scheme: 'v4.2', item: 'B4 (liveness)', grade: 'S', spec: 'v4.2/pmd', config: 'b4-zero-then-write', property: returns,
    expect: 'found', distinct: 23, length: 22, diagnosis: 'self-deadlock',
    note: 'The recursive i_mmap_rwsem of B4 also breaks "every fault returns": the lasso stutters in the self-deadlocked state, and the diagnosis says deadlock, not starvation (no thread can take a step).',
  },
  // ---- i-mmap ----------------------------------------------------------------------------
  {
    id: 'i-mmap/L-writers', scheme: 'i-mmap', item: 'C2 (liveness)', grade: 'D', spec: 'i-mmap/843172978bb9', config: 'writers-3t2i', property: returns,
    expect: 'holds', distinct: 29712,
    note: 'Three write faults over two holes all return under i_mmap_rwsem held for write.',
  },
  {
    id: 'i-mmap/L-R5', scheme: 'i-mmap', item: 'R5 (liveness)', grade: 'D', spec: 'i-mmap/all', config: 'r5-mkwrite-vs-truncate', property: returns,
    expect: 'holds', distinct: 2347,
    note: 'page_mkwrite over a hole page against a truncate to 0: both return at every interleaving.',
  },
  {
    id: 'i-mmap/L-R2', scheme: 'i-mmap', item: 'R2 (liveness)', grade: 'S', spec: 'i-mmap/all', config: 'r2-reader-writes-after', property: returns,
    expect: 'found', distinct: 5838, length: 37, diagnosis: 'self-deadlock',
    note: 'The leaked i_mmap_rwsem read hold of R2 makes the reader\'s later fault wait on itself: a deadlock, as the deadlock check finds it.',
  },
  // ---- dax-sem ---------------------------------------------------------------------------
  {
    id: 'dax-sem/L-truncate', scheme: 'dax-sem', item: 'C3-1 (liveness)', grade: 'D', spec: 'dax-sem', config: 'truncate-3t2i', property: returns,
    expect: 'holds', distinct: 78664,
    note: 'With dax_sem taken shared by faults and exclusively by truncate, the store, the load-then-store and the truncate all return.',
  },
  {
    id: 'dax-sem/L-cow-truncate', scheme: 'dax-sem', item: 'C3-1 (liveness)', grade: 'D', spec: 'dax-sem', config: 'cow-truncate-3t2i', property: returns,
    expect: 'holds', distinct: 7478,
    note: 'The private store, the load-then-store and the truncate all return.',
  },
  {
    id: 'dax-sem/L-all-paths', scheme: 'dax-sem', item: 'C3 (liveness)', grade: 'D', spec: 'dax-sem', config: 'all-paths-5t2i', property: returns,
    slow: true, expect: 'holds', distinct: 3295613,
    note: 'Fault, page_mkwrite, pfn_mkwrite, truncate, write(2) and a freeze that thaws: every one returns, over the largest exhaustive dax-sem configuration.',
  },
  {
    id: 'dax-sem/L-S2a', scheme: 'dax-sem', item: 'S2a (liveness)', grade: 'S', spec: 'dax-sem/truncate-mutex-first', config: 'a-one-writer', property: returns,
    expect: 'found', distinct: 9, length: 8, diagnosis: 'self-deadlock',
    note: "ext2's rejected first attempt: the write fault's get_block retakes truncate_mutex: a self-deadlock, told apart from starvation.",
  },
  // ---- entry-lock ------------------------------------------------------------------------
  {
    id: 'entry-lock/L-E1', scheme: 'entry-lock', item: 'E1 (liveness)', grade: 'S', spec: 'entry-lock/v4.7', config: 'three-reads', property: returns,
    expect: 'found', distinct: 2432, length: 35, diagnosis: 'lost wake-up',
    note: 'With nothing else running, the stranded waiter of E1 is a deadlock: the lasso stutters once every other thread has returned, and the diagnosis is the lost wake-up the deadlock check gives.',
  },
  {
    id: 'entry-lock/L-E1-starvation', scheme: 'entry-lock', item: 'E1 (starvation)', grade: 'D', spec: 'entry-lock/v4.7', config: 'three-reads+reader', property: returns,
    expect: 'found', distinct: 87296, length: 61, diagnosis: 'starvation', smaller: 'two-reads+reader',
    note: "E1 beside a reader that keeps faulting another index in and out: some thread can always move, so the deadlock check finds nothing (no stuck state), but T2 sleeps on the entry's wait queue for ever while the reader cycles: starvation under weak fairness. Strong fairness does not help: the sleeper is never enabled (test/model/liveness.test.ts).",
  },
  {
    id: 'entry-lock/L-E1-prime-starvation', scheme: 'entry-lock', item: "E1' (starvation)", grade: 'D', spec: 'entry-lock/rfc', config: 'two-reads+reader', property: returns,
    expect: 'found', distinct: 6176, length: 45, diagnosis: 'starvation',
    note: "E1' (no wake-up at all when the hole page replaces the locked empty entry) with the background reader: the one waiter starves.",
  },
  {
    id: 'entry-lock/L-E1-fixed', scheme: 'entry-lock', item: 'E1 (fixed by 965d004af540, liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'three-reads+reader', property: returns,
    expect: 'holds', distinct: 82886,
    note: 'With wake_all on the hole-page swap every fault returns, the background reader running beside them.',
  },
  {
    id: 'entry-lock/L-four-reads', scheme: 'entry-lock', item: 'C4-6 (liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'four-reads', property: returns,
    expect: 'holds', distinct: 28632,
    note: "get_unlocked_mapping_entry's sleep-and-look-again loop ends for four readers of one hole.",
  },
  {
    id: 'entry-lock/L-mix', scheme: 'entry-lock', item: 'C4-6 (liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'mix-5t2i', property: returns,
    slow: true, expect: 'holds', distinct: 4498061,
    note: 'The largest exhaustive entry-lock configuration: a load then store, a load, a store, a private store and a truncate to 0 all return.',
  },
  {
    id: 'entry-lock/L-store-retry-ends', scheme: 'entry-lock', item: 'store retry (liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'mix-3t2i', property: returns,
    expect: 'holds', distinct: 3714,
    note: "The kernel facts do not say whether the store's retry (access, fault, retry_after_fault, access) can spin for ever. The checker: against one truncate it cannot. The retry is reached here (the truncate zaps the PTE between the fault and the store: a witness in test/model/liveness.test.ts), and the retried fault returns, with SIGBUS once the index is beyond i_size.",
  },
  {
    id: 'entry-lock/L-store-retry-livelock', scheme: 'entry-lock', item: 'store retry (liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'store+unmapper', property: returns,
    expect: 'found', distinct: 236, length: 45, diagnosis: 'livelock',
    note: "It can spin for ever only while another thread unmaps the index for ever: every fault maps the PTE, the unmapper zaps it before the store lands, and the store retries; both threads take steps, so weak fairness allows it. A livelock of the model's retry loop, not a kernel bug: the kernel promises no progress against an unmap that never stops.",
  },
  {
    id: 'entry-lock/L-grab-restart', scheme: 'entry-lock', item: 'grab_mapping_entry restart (liveness)', grade: 'D', spec: 'entry-lock/fix', config: 'two-reads-one-write', property: returns,
    expect: 'holds', distinct: 9655,
    note: "grab_mapping_entry restarts when the hole page it locked has left the page cache meanwhile. Not by truncate here (dax_sem keeps truncate out while a fault runs: the restart is never reached at e3-truncate or mix-3t2i) but by the write fault's hole fill, which deletes the hole page a reader waits to lock (a witness in test/model/liveness.test.ts). The restart ends: every fault returns.",
  },
  // ---- xfs -------------------------------------------------------------------------------
  {
    id: 'xfs/L-truncate-v4.4', scheme: 'xfs', item: 'C1-1 (liveness)', grade: 'D', spec: 'xfs/v4.4', config: 'truncate-3t2i', property: returns,
    expect: 'holds', distinct: 86110,
    note: 'Under MMAPLOCK (shared in the faults, exclusive in truncate) the store, the load and the truncate all return.',
  },
  {
    id: 'xfs/L-all-paths-v4.4', scheme: 'xfs', item: 'C3-4 (liveness)', grade: 'D', spec: 'xfs/v4.4', config: 'all-paths-5t2i', property: returns,
    slow: true, expect: 'holds', distinct: 2772656,
    note: "Every fault, pfn_mkwrite, truncate, hole punch and write(2) of XFS v4.4's largest exhaustive configuration returns.",
  },
  // ---- ext4 ------------------------------------------------------------------------------
  {
    id: 'ext4/L-truncate-v4.5', scheme: 'ext4', item: 'C1-1 (liveness)', grade: 'D', spec: 'ext4/v4.5', config: 'truncate-3t2i', property: returns,
    expect: 'holds', distinct: 201594,
    note: 'Under i_mmap_sem the store, the load and the truncate (its handle, i_data_sem, the page lock) all return.',
  },
  {
    id: 'ext4/L-B10-v4.2', fix: 'ext4/v4.5', scheme: 'ext4', item: 'B10 (liveness)', grade: 'D', spec: 'ext4/v4.2', config: 'mkwrite-vs-punch', property: returns,
    expect: 'found', distinct: 15973, length: 42, diagnosis: 'deadlock',
    note: "The page lock / jbd2 handle cycle with kjournald2 committing breaks \"every fault returns\": the lasso stutters in the deadlocked state (no thread can take a step: the diagnosis says deadlock, not starvation). The stem is as long as the deadlock check's trace (ext4/B10-deadlock-v4.2); the liveness check searches the whole graph before it looks for fair cycles, so its state count is the configuration's.",
  },
  {
    id: 'ext4/L-B10-v4.5', scheme: 'ext4', item: 'B10 (fixed, liveness)', grade: 'D', spec: 'ext4/v4.5', config: 'mkwrite-vs-punch', property: returns,
    expect: 'holds', distinct: 3539,
    note: 'With i_mmap_sem taken before the handle on both sides, page_mkwrite, the punch and the commit all return.',
  },
];
