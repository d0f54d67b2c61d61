// Scheme 4: Jan Kara's exceptional-entry lock bit, as merged for v4.7 ("dax-locking-for-4.7":
// ac401cc78242 "dax: New fault locking", bc2466e42573 COW faults under the entry lock,
// 4d9a2c874667 i_mmap_lock removed from DAX), with ext2 as the filesystem: dax_sem (5726b27b09cc)
// taken for read by faults and for write by truncate, and a get_block that allocates zeroed
// blocks under truncate_mutex (DAX itself no longer zeroes in the fault).
// Variants: `rfc` (RFC v1-v3: page_cache_tree_insert wakes nobody when a hole page replaces a
// locked empty entry, E1'), `v4.7` (wakes one, E1), `fix` (965d004af540 "dax: fix deadlock with
// DAX 4k holes": wakes all), `pmd` (v4.7 with FS_DAX_PMD enabled: the PMD fault takes no entry
// lock, E2 = B7). Without `pmd`, ->pmd_fault falls back to PTE faults (FS_DAX_PMD depends on BROKEN).
// Facts: docs/kernel-facts.md "v4.7: the entry lock". Built from daxmc/linux only (dax47 is the
// v4.7 fs/dax.c: the entry-lock API, __dax_fault, dax_pfn_mkwrite, the PMD fault).
// Each mapping->tree_lock section is one atomic step; wake-ups that run after spin_unlock are
// their own step. Left out: mmap_sem/VM_FAULT_RETRY, the DIRTY tag and fsync, i_mutex and
// sb_start_write around truncate (nothing else here takes them), ENOMEM/ENOSPC error paths,
// dax_map_atomic, and write(2). [D] A write fault's vm_insert_mixed maps the pfn read-only
// (write notification), so the store takes a second, pfn_mkwrite fault, as in v4-2.ts.
import { call, compile, fn, type LivenessMaker, type PropertyMaker, type SpecDefinition, P } from '../../src/index';
import {
  configOf,
  dax47,
  defineScheme,
  type SchemeConfigEntry,
  eachThreadCompletes,
  faultWrapper,
  getBlock,
  lockStep,
  pfnMkwrite,
  punchHole,
  spawnThreads,
  truncateBlocks,
  truncatePagecacheRange,
  truncateSetsize,
  unlockStep,
  worldOf,
  type PageInsertWake,
  type SchemeConfig,
  type ThreadSpec,
} from '../../src/linux/index';

export interface EntryLockOptions {
  /** page_cache_tree_insert's wake-up when a hole page replaces the locked empty entry. */
  readonly pageInsertWake: PageInsertWake;
  /** FS_DAX_PMD enabled (it depends on BROKEN in v4.7): the v4.6/4.7 __dax_pmd_fault runs. */
  readonly pmd: boolean;
}

export type EntryLockConfig = SchemeConfig;

/** The v4.7 scheme's properties: the library's, with per-index exclusion instead of the freeze pair. */
export const entryLockProperties: readonly PropertyMaker[] = [
  P.noLockMisuse,
  P.noNullDereference,
  P.noBug,
  P.entryExclusion,
  P.noPteToFreedBlock,
  P.noStaleHolePage,
  P.noLostStore,
  P.writableUpdatesTime,
  P.noBlockPastEof,
  P.noPteBeyondEof,
  P.noLockLeak,
];

const LOADS = new Set(['load', 'load+store', 'pmd load', 'pmd load+store', 'load loop']);

export function buildEntryLock(o: EntryLockOptions, c: EntryLockConfig, name: string, extra: readonly (PropertyMaker | LivenessMaker)[] = []) {
  // Each read fault creates at most one hole page.
  const d = worldOf({ ...c, pages: Math.max(1, c.threads.filter((t) => LOADS.has(t.role)).length) });
  // ext2 of v4.7: get_block allocates zeroed blocks under truncate_mutex (DAX no longer zeroes in
  // the fault); dax_sem (5726b27b09cc) is the fs fault lock: read in faults, write in truncate.
  const gb = getBlock(d, { name: 'ext2_get_block', lock: d.w.mutex('truncate_mutex'), allocate: 'zeroed', bufferNew: true });
  const tm = d.w.lockNamed('truncate_mutex') as Extract<typeof gb.lock, { kind: 'mutex' }>;
  const daxSem = d.w.rwsem('dax_sem');
  const faultLock = { lock: daxSem, mode: 'read' as const };
  const dax = dax47.daxFault(d, gb, o.pageInsertWake);
  spawnThreads(
    d,
    {
      fault: faultWrapper(d, 'ext2_dax_fault', dax, { lock: faultLock }),
      pageMkwrite: faultWrapper(d, 'ext2_dax_mkwrite', dax, { lock: faultLock }),
      pfnMkwrite: pfnMkwrite(d, 'ext2_dax_pfn_mkwrite', { lock: faultLock, recheck: true, inner: dax47.daxPfnMkwrite(d) }),
      pmdFault: faultWrapper(d, 'ext2_dax_pmd_fault', o.pmd ? dax47.daxPmdFault(d, tm) : dax47.daxPmdFallback(d), { lock: faultLock }),
      cowUnlock: { kind: 'dax_unlock_mapping_entry', unlockEntry: dax47.unlockMappingEntry(d, 'dax_unlock_mapping_entry') },
    },
    c.threads,
    {
      // ext2_setsize (shrink to `size` pages): dax_sem(write), truncate_setsize, free the blocks.
      // [D] i_mutex and sb_start_write around it are left out: nothing else here takes them.
      truncate: () =>
        fn(
          'truncate',
          [
            lockStep(daxSem, 'write'),
            call(truncateSetsize(d, { pages: dax47.truncateInodePagesRange(d, 'size') })),
            call(truncateBlocks(d, { name: '__ext2_truncate_blocks', lock: tm })),
            unlockStep(daxSem, 'write'),
          ],
          { wholeFile: true },
        ),
      // Hole punch at the thread's index, i_size unchanged, as XFS (MMAPLOCK) and ext4 (i_mmap_sem,
      // v4.5) do it: the fs fault lock exclusive, truncate_pagecache_range, free the block. ext2 has
      // no punch; dax_sem stands in for the fs fault lock. Used for E3.
      punch: () =>
        punchHole(d, {
          name: 'punch_hole',
          locks: [{ lock: daxSem, mode: 'write' }],
          pagecache: truncatePagecacheRange(d, { pages: dax47.truncateInodePagesRange(d, 'index') }),
          remove: { label: 'free_block', lock: tm },
        }),
    },
  );
  return compile(d.w, name, [...entryLockProperties, ...extra, ...eachThreadCompletes(c.threads)]);
}

const cfg = configOf<EntryLockConfig>;

const reads = (n: number): ThreadSpec[] => Array.from({ length: n }, (_, t) => ({ name: `T${t}`, role: 'load' as const, process: 'P1' }));

/** Configurations of the PTE-only variants (rfc, v4.7, fix). */
export const entryLockConfigs = {
  'one-read': cfg('one read fault on a hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(1) }),
  'two-reads': cfg("E1': two read faults on one hole", { indices: 1, blocks: 1, iSize: 1, threads: reads(2) }),
  'three-reads': cfg('E1: three read faults on one hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(3) }),
  'four-reads': cfg('four read faults on one hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(4) }),
  // Liveness (specs/dax/claims-liveness.ts): a reader that keeps running at index 1 beside the
  // faults at index 0, so that a sleeper left behind is starvation, not a deadlock.
  'two-reads+reader': cfg("E1' with a reader that keeps faulting index 1 and unmapping it", {
    indices: 2,
    blocks: 1,
    iSize: 2,
    threads: [...reads(2), { name: 'R', role: 'load loop', process: 'P2', index: 1 }],
  }),
  'three-reads+reader': cfg('E1 with a reader that keeps faulting index 1 and unmapping it', {
    indices: 2,
    blocks: 1,
    iSize: 2,
    threads: [...reads(3), { name: 'R', role: 'load loop', process: 'P2', index: 1 }],
  }),
  // Liveness: the store's retry loop (access -> fault -> retry) against unmaps that never stop.
  'store+unmapper': cfg('a store, and a thread that keeps unmapping its index', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T1', role: 'store', process: 'P1' },
      { name: 'U', role: 'unmap loop' },
    ],
  }),
  'read-vs-write': cfg('B2/S1 shape: a read fault and a write fault on one hole', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T1', role: 'store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
  'two-reads-one-write': cfg('two read faults and a write fault on one hole', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T0', role: 'load', process: 'P1' },
      { name: 'T1', role: 'load', process: 'P1' },
      { name: 'T2', role: 'store', process: 'P2' },
    ],
  }),
  'mix-3t2i': cfg('a store, a load and a truncate over two indices', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
  'cow-3t2i': cfg('a private store, a load and a truncate over two indices', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'cow', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
  'mix-5t2i': cfg('a load then store, a load and a store at index 1, a private store at index 0, a truncate to 0', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'cow', process: 'P3', index: 0 },
      { name: 'T4', role: 'store', process: 'P2', index: 1 },
      { name: 'T5', role: 'truncate', size: 0 },
    ],
  }),
  'mix-4t2i': cfg('mix-5t2i without the truncate', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'cow', process: 'P3', index: 0 },
      { name: 'T4', role: 'store', process: 'P2', index: 1 },
    ],
  }),
  'e3-truncate': cfg('E3: pfn_mkwrite against truncate and a read fault', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    initialMap: ['written'],
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1' },
      { name: 'T2', role: 'truncate', size: 0 },
      { name: 'T3', role: 'load', process: 'P2' },
    ],
  }),
  'e3-punch': cfg('E3: two pfn_mkwrite faults against a hole punch and a read fault', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    initialMap: ['written'],
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1' },
      { name: 'T2', role: 'punch' },
      { name: 'T3', role: 'load', process: 'P2' },
      { name: 'T4', role: 'load+store', process: 'P3' },
    ],
  }),
  'e2-pmd-vs-read': cfg('E2/B7 threads with PMD compiled out: a PMD write falls back to PTEs', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'pmd store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
};

export const pmdConfigs = {
  'e2-pmd-vs-read': cfg('E2/B7: a PMD write fault and a PTE read fault in the PMD range', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'pmd store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
  'e2-pmd-only': cfg('E2 with one thread fewer: the PMD write fault alone', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [{ name: 'T1', role: 'pmd store', process: 'P1' }],
  }),
};

function variant(
  id: string,
  title: string,
  description: string,
  o: EntryLockOptions,
  configs: Record<string, SchemeConfigEntry<EntryLockConfig>>,
  defaultConfig: string,
): SpecDefinition {
  return defineScheme<EntryLockConfig>({ id, title, description, configs, defaultConfig, build: (c, name) => buildEntryLock(o, c, name) });
}

export const entryLockRfc = variant(
  'entry-lock/rfc',
  "entry lock bit, RFC v1-v3: a hole page replaces the locked empty entry and wakes nobody (E1')",
  'Jan Kara\'s DAX page fault locking as reviewed in April-May 2016, before "fixed missed wakeups on exceptional entry locks (Ross)".',
  { pageInsertWake: 'none', pmd: false },
  entryLockConfigs,
  'two-reads',
);

export const entryLockV47 = variant(
  'entry-lock/v4.7',
  'entry lock bit as merged for v4.7: page_cache_tree_insert wakes one waiter (E1)',
  'fs/dax.c of v4.7 (ac401cc78242, bc2466e42573, 4d9a2c874667) with ext2 dax_sem; FS_DAX_PMD off.',
  { pageInsertWake: 'one', pmd: false },
  entryLockConfigs,
  'three-reads',
);

export const entryLockFix = variant(
  'entry-lock/fix',
  'v4.7 with 965d004af540 "dax: fix deadlock with DAX 4k holes": page_cache_tree_insert wakes all',
  'The v4.10-rc fix, backported to stable 4.7+: dax_wake_mapping_entry_waiter(..., wake_all = true).',
  { pageInsertWake: 'all', pmd: false },
  entryLockConfigs,
  'three-reads',
);

export const entryLockPmd = variant(
  'entry-lock/pmd',
  'v4.7 with FS_DAX_PMD enabled: the PMD fault takes no entry lock (E2 = B7)',
  'The v4.6/4.7 __dax_pmd_fault ("We should insert radix-tree entry and dirty it here. For now this is broken...").',
  { pageInsertWake: 'one', pmd: true },
  pmdConfigs,
  'e2-pmd-vs-read',
);

export const definitions: readonly SpecDefinition[] = [entryLockRfc, entryLockV47, entryLockFix, entryLockPmd];
