// Scheme 3: ext2's dax_sem (5726b27b09cc "ext2: Add locking for DAX faults", v4.4; Ross Zwisler,
// Signed-off-by Jan Kara). Every DAX fault entry point (->fault, ->page_mkwrite, ->pfn_mkwrite)
// takes EXT2_I(inode)->dax_sem for read around the v4.2/final-v4.3 __dax_fault (the PTE path of
// v4.4 is the v4.2 one, §2.5); ext2_setsize takes it for write around truncate_setsize and
// __ext2_truncate_blocks, inside sb_start_write and i_mutex. do_cow_fault has 0df9d41ab5d4
// (i_mmap_unlock_read). ext2_get_block(create=1) allocates and zeroes the block under
// truncate_mutex and still reports it buffer_new (Jan Kara's "ext2: Avoid DAX zeroing to corrupt
// data", msgid <1461015341-20153-6-git-send-email-jack@suse.cz>, April 2016, stops that).
// Facts: docs/kernel-facts.md "ext2 dax_sem" (with the v1 posting and the first attempt). Built from
// daxmc/linux only.
//
// Variants (spec ids):
// - dax-sem: the merged order, mmap_sem -> sb_start_pagefault -> dax_sem -> (page lock | i_mmap_rwsem)
//   -> truncate_mutex, in ext2_dax_fault, ext2_dax_mkwrite and ext2_dax_pfn_mkwrite (which
//   re-checks i_size under dax_sem and returns NOPAGE or SIGBUS; v4.4 has no radix dirty tag).
// - dax-sem/v1-order: the 9 Oct 2015 v1 posting's order, dax_sem -> sb_start_pagefault. [U] The
//   v1 code was not found; its pfn_mkwrite is modelled as down_read(dax_sem) around a
//   dax_pfn_mkwrite that does the freeze protection, c/mtime and the i_size check (patch 1/2,
//   "dax: dax_pfn_mkwrite() truncate race check", touched fs/dax.c).
// - dax-sem/truncate-mutex-first: the first attempt the seed describes, [U] no source text: the
//   fault wrappers take truncate_mutex before entering the fault path (the order the seed gives:
//   mmap_sem -> truncate_mutex -> sb_start_pagefault -> i_mmap_rwsem or page lock); truncate
//   holds truncate_mutex across truncate_setsize and the block freeing. Two readings of the fault's
//   get_block: `retakes` (ext2_get_block(create) takes truncate_mutex itself, S2a) and
//   `assumes-held` (a get_block that assumes the caller holds it, as the seed says, S2b).
//
// Left out (as in v4-2.ts): mmap_sem and VM_FAULT_RETRY, partial pages (dax_truncate_page),
// inode_dio_wait, m/ctime of truncate, the PMD path (ext2_dax_pmd_fault), fsync (v4.5).
import { BlockMap, call, compile, fn, step, type FnDef, type Mutex, type RwSem, type SpecDefinition } from '../../src/index';
import {
  configOf,
  dax42,
  daxProperties,
  defineScheme,
  eachThreadCompletes,
  faultWrapper,
  getBlock,
  lockStep,
  pfnMkwrite,
  spawnThreads,
  truncate,
  truncateBlocks,
  truncateSetsize,
  unlockStep,
  worldOf,
  writeSyscall,
  type DaxWorld,
  type GetBlock,
  type HeldLock,
  type SchemeConfig,
  type ThreadSpec,
} from '../../src/linux/index';

export type DaxSemVariant = 'merged' | 'v1-order' | 'truncate-mutex-first';

export interface DaxSemOptions {
  readonly variant: DaxSemVariant;
  /** truncate-mutex-first only: does the fault's ext2_get_block(create) take truncate_mutex again? */
  readonly getBlock?: 'retakes' | 'assumes-held';
}

export interface DaxSemConfig extends SchemeConfig {
  readonly options: DaxSemOptions;
}

/** The first attempt's get_block for faults: allocates as ext2_get_block does, assuming truncate_mutex is held. */
function ext2GetBlockCreateHeld(d: DaxWorld, gb: GetBlock): GetBlock {
  const { L } = d;
  const create = fn('ext2_get_block(create, truncate_mutex held)', [
    step('allocate', (k) => {
      if (!k.holds(gb.lock)) return k.fail('BUG', 1, 'ext2_get_block (locked variant) called without truncate_mutex');
      const i = k.idx;
      if (k.mapState(i) === BlockMap.code.hole) {
        const b = k.allocBlock(i, 'zeroed');
        if (b === 0) return k.fail('BUG', 0, 'no free block (the configuration has too few blocks)');
        k.set(L.isNew, 1);
      } else k.set(L.isNew, 0);
      k.set(L.blk, k.blockAt(i));
      k.set(L.unwritten, 0);
    }),
  ]);
  return { ...gb, create };
}

/**
 * truncate(2) shrinking to `size` pages: sb_start_write -> i_mutex -> ext2_setsize. Merged and
 * v1: dax_sem_down_write -> truncate_setsize (i_size, unmap, truncate_inode_pages, unmap) ->
 * __ext2_truncate_blocks (truncate_mutex; frees) -> dax_sem_up_write. First attempt: truncate_mutex
 * across truncate_setsize and the freeing (which then assumes it is held).
 */
function ext2Truncate(d: DaxWorld, tm: Mutex, daxSem: RwSem | null): FnDef {
  const body = daxSem
    ? [
        lockStep(daxSem, 'write', 'dax_sem_down_write'),
        call(truncateSetsize(d)),
        call(truncateBlocks(d, { name: '__ext2_truncate_blocks', lock: tm })),
        unlockStep(daxSem, 'write', 'dax_sem_up_write'),
      ]
    : [lockStep(tm), call(truncateSetsize(d)), call(truncateBlocks(d, { name: '__ext2_truncate_blocks', lock: tm, heldByCaller: true })), unlockStep(tm)];
  return truncate(d, [call(fn('ext2_setsize', body))]);
}

export function buildDaxSem(c: DaxSemConfig, name: string) {
  const d = worldOf(c);
  const variant = c.options.variant;
  const gb = getBlock(d, { name: 'ext2_get_block', lock: d.w.mutex('truncate_mutex'), allocate: 'zeroed', bufferNew: true });
  const tm = gb.lock as Mutex;
  const daxSem = variant === 'truncate-mutex-first' ? null : d.w.rwsem('dax_sem');
  // The outer fs lock of the fault wrappers: dax_sem (read) or, in the first attempt, truncate_mutex.
  const outer: HeldLock = daxSem ? { lock: daxSem, mode: 'read' } : { lock: tm, mode: 'write' };
  const lockFirst = variant !== 'merged';
  // The fault's get_block: the ordinary one, or the first attempt's "truncate_mutex held" version.
  const faultGb = variant === 'truncate-mutex-first' && c.options.getBlock === 'assumes-held' ? ext2GetBlockCreateHeld(d, gb) : gb;
  // ext2_dax_pfn_mkwrite: merged, the fault lock after the freeze protection and the i_size
  // re-check under it; v1 and the first attempt, [U] the lock around a dax_pfn_mkwrite() that does
  // the freeze protection, c/mtime and the check (patch 1/2 "dax: dax_pfn_mkwrite() truncate race
  // check" touched fs/dax.c).
  const pfn = lockFirst
    ? fn('ext2_dax_pfn_mkwrite', [lockStep(outer.lock, outer.mode), call(pfnMkwrite(d, 'dax_pfn_mkwrite', { recheck: true })), unlockStep(outer.lock, outer.mode)], { handler: true })
    : pfnMkwrite(d, 'ext2_dax_pfn_mkwrite', { lock: outer, recheck: true });
  spawnThreads(
    d,
    {
      fault: faultWrapper(d, 'ext2_dax_fault', dax42.daxFault(d, faultGb), { lock: outer, lockFirst }),
      pageMkwrite: faultWrapper(d, 'ext2_dax_mkwrite', dax42.daxFault(d, faultGb), { lock: outer, lockFirst }),
      pfnMkwrite: pfn,
      cowUnlock: { kind: 'i_mmap_unlock_read', lock: d.iMmap },
    },
    c.threads,
    {
      truncate: () => ext2Truncate(d, tm, daxSem),
      // write(2): i_mutex -> dax_do_io -> ext2_get_block (truncate_mutex to allocate); no dax_sem.
      'write(2)': () => writeSyscall(d, gb),
      // ext2_evict_inode of another, unlinked inode of the same filesystem (fs/ext2/inode.c, v4.4):
      // sb_start_intwrite (the FS freeze level), then ext2_truncate_blocks(inode, 0) takes that
      // inode's dax_sem for write and its truncate_mutex. Its locks are other instances of the
      // same lock classes: no fault can reach an inode being evicted, but lockdep orders classes.
      ...(daxSem
        ? {
            'evict (other inode)': () => {
              const otherSem = d.w.rwsem('dax_sem (evicted inode)', { lockClass: 'dax_sem' });
              const otherTm = d.w.mutex('truncate_mutex (evicted inode)', { lockClass: 'truncate_mutex' });
              return fn('ext2_evict_inode', [
                step('sb_start_intwrite', (k) => k.sbStartIntwrite()),
                call(
                  fn('ext2_truncate_blocks', [
                    lockStep(otherSem, 'write', 'dax_sem_down_write'),
                    call(fn('__ext2_truncate_blocks', [lockStep(otherTm), step("free the evicted inode's blocks", () => undefined), unlockStep(otherTm)])),
                    unlockStep(otherSem, 'write', 'dax_sem_up_write'),
                  ]),
                ),
                step('sb_end_intwrite', (k) => k.sbEndIntwrite()),
              ]);
            },
          }
        : {}),
    },
  );
  return compile(d.w, name, [...daxProperties, ...eachThreadCompletes(c.threads)]);
}

const cfg = configOf<DaxSemConfig>;

// ---- configurations ---------------------------------------------------------------------------

const merged: DaxSemOptions = { variant: 'merged' };
const v1: DaxSemOptions = { variant: 'v1-order' };
const tmfRetakes: DaxSemOptions = { variant: 'truncate-mutex-first', getBlock: 'retakes' };
const tmfAssumes: DaxSemOptions = { variant: 'truncate-mutex-first', getBlock: 'assumes-held' };

/** The deadlock search: fault (load+store: read fault, page_mkwrite), store (write fault, pfn_mkwrite), truncate, write(2), freeze. */
const deadlockThreads: readonly ThreadSpec[] = [
  { name: 'T1', role: 'store', process: 'P1', index: 1 },
  { name: 'T2', role: 'load+store', process: 'P2', index: 1 },
  { name: 'T3', role: 'truncate', size: 1 },
  { name: 'T4', role: 'write(2)', index: 0 },
  { name: 'T5', role: 'freeze' },
];

function sharedConfigs(options: DaxSemOptions, prefix = '') {
  // The eviction of another inode takes that inode's dax_sem: only variants with a dax_sem have it.
  const evict = options.variant === 'truncate-mutex-first' ? {} : {
    [`${prefix}evict-freeze-3t`]: cfg('a store, a freeze, and the eviction of another inode (its dax_sem is another instance of the class)', {
      options, indices: 1, blocks: 1, iSize: 1,
      threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'freeze' }, { name: 'T3', role: 'evict (other inode)' }],
    }),
  };
  return {
    ...evict,
    [`${prefix}all-paths-5t2i`]: cfg('fault, page_mkwrite, pfn_mkwrite, truncate, write(2) and freeze over two indices', {
      options, indices: 2, blocks: 2, iSize: 2, threads: deadlockThreads,
    }),
    [`${prefix}write-hole-5t2i`]: cfg('all-paths-5t2i with the read-then-store thread on write(2)\'s index, so write(2) invalidates its hole page', {
      options, indices: 2, blocks: 2, iSize: 2,
      threads: deadlockThreads.map((t) => (t.name === 'T2' ? { ...t, index: 0 } : t)),
    }),
    [`${prefix}all-paths-6t2i`]: cfg('all-paths-5t2i plus a private (COW) store on the truncated index (over 10 minutes)', {
      options, indices: 2, blocks: 2, iSize: 2, threads: [...deadlockThreads, { name: 'T6', role: 'cow', process: 'P3', index: 1 }],
    }),
    [`${prefix}freeze-truncate-3t2i`]: cfg('a write fault and pfn_mkwrite, a truncate and a freeze over two indices', {
      options, indices: 2, blocks: 2, iSize: 2,
      threads: [
        { name: 'T1', role: 'store', process: 'P1', index: 1 },
        { name: 'T2', role: 'truncate', size: 1 },
        { name: 'T3', role: 'freeze' },
      ],
    }),
    [`${prefix}truncate-3t2i`]: cfg('truncate safety: a store, a load then store, and a truncate over two indices', {
      options, indices: 2, blocks: 2, iSize: 2,
      threads: [
        { name: 'T1', role: 'store', process: 'P1', index: 1 },
        { name: 'T2', role: 'load+store', process: 'P2', index: 1 },
        { name: 'T3', role: 'truncate', size: 1 },
      ],
    }),
  };
}

export const daxSemConfigs = {
  ...sharedConfigs(merged),
  's1-read-vs-write': cfg('S1: a read fault and a write fault on one hole', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'load', process: 'P2' }],
  }),
  'one-writer': cfg('one write fault on a hole (one thread fewer)', {
    options: merged, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'store', process: 'P1' }],
  }),
  's3-freeze': cfg('S3: a store against freeze', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'freeze' }],
  }),
  'two-writers': cfg('two write faults on one hole (double zeroing)', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'store', process: 'P2' }],
  }),
  'fault-vs-write': cfg('a write fault and write(2) on one hole (double zeroing, the race Jan Kara names)', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'write(2)' }],
  }),
  'b14-read-vs-write': cfg('B14: a read fault and write(2) on one hole', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'load', process: 'P1' }, { name: 'T2', role: 'write(2)' }],
  }),
  'write-only': cfg('write(2) on a hole (one thread fewer)', {
    options: merged, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T2', role: 'write(2)' }],
  }),
  'b11-truncate': cfg('B11\'s configuration: a write fault vs truncate below the index', {
    options: merged, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'truncate', size: 0 }],
  }),
  'cow-truncate-3t2i': cfg('COW vs truncate: a private store, a load then store, and a truncate over two indices', {
    options: merged, indices: 2, blocks: 2, iSize: 2, initialMap: ['hole', 'written'],
    threads: [
      { name: 'T1', role: 'cow', process: 'P1', index: 1 },
      { name: 'T2', role: 'load+store', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
};

export const daxSem: SpecDefinition = defineScheme<DaxSemConfig>({
  id: 'dax-sem',
  title: 'ext2 dax_sem (v4.4, 5726b27b09cc): faults take dax_sem shared, truncate exclusive',
  description: 'The merged order: sb_start_pagefault, then down_read(dax_sem), in ext2_dax_fault, ext2_dax_mkwrite and ext2_dax_pfn_mkwrite (which re-checks i_size); ext2_setsize takes dax_sem for write around truncate_setsize and __ext2_truncate_blocks.',
  configs: daxSemConfigs,
  defaultConfig: 's1-read-vs-write',
  build: buildDaxSem,
});

export const daxSemV1Order: SpecDefinition = defineScheme<DaxSemConfig>({
  id: 'dax-sem/v1-order',
  title: 'ext2 dax_sem, the v1 posting\'s order (dax_sem, then sb_start_pagefault)',
  description: '[U] The 9 Oct 2015 v1 order from the v1 posting (msgid <1444428128-12200-1-git-send-email-ross.zwisler@linux.intel.com>, as docs/kernel-facts.md §3.1 tells it): mmap_sem -> dax_sem -> sb_start_pagefault -> (i_mmap_rwsem | page lock) -> truncate_mutex.',
  configs: sharedConfigs(v1),
  defaultConfig: 'all-paths-5t2i',
  build: buildDaxSem,
});

export const daxSemTruncateMutexFirst: SpecDefinition = defineScheme<DaxSemConfig>({
  id: 'dax-sem/truncate-mutex-first',
  title: 'ext2\'s rejected first attempt: truncate_mutex taken before the DAX fault path',
  description: '[U] From the v1 posting (msgid <1444428128-12200-1-git-send-email-ross.zwisler@linux.intel.com>): the fault wrappers take truncate_mutex before sb_start_pagefault and __dax_fault; truncate holds it across truncate_setsize and the block freeing. Configurations a-* let the fault\'s ext2_get_block(create) take truncate_mutex again (S2a); b-* use a get_block that assumes it is held (S2b).',
  configs: {
    'a-one-writer': cfg('S2a: one write fault on a hole, get_block retakes truncate_mutex', {
      options: tmfRetakes, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'store', process: 'P1' }],
    }),
    'a-one-reader': cfg('S2a: one read fault on a hole (no allocation)', {
      options: tmfRetakes, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'load', process: 'P1' }],
    }),
    ...sharedConfigs(tmfAssumes, 'b-'),
  },
  defaultConfig: 'a-one-writer',
  build: buildDaxSem,
});

export const definitions: readonly SpecDefinition[] = [daxSem, daxSemV1Order, daxSemTruncateMutexFirst];
