// Scheme 3: ext2's dax_sem (5726b27b09cc "ext2: Add locking for DAX faults", v4.4; Ross Zwisler,
// Signed-off-by Jan Kara). Every DAX fault entry point (->fault, ->page_mkwrite, ->pfn_mkwrite)
// takes EXT2_I(inode)->dax_sem for read around the v4.2/final-v4.3 __dax_fault (the PTE path of
// v4.4 is the v4.2 one, §2.5); ext2_setsize takes it for write around truncate_setsize and
// __ext2_truncate_blocks, inside sb_start_write and i_mutex. do_cow_fault has 0df9d41ab5d4
// (i_mmap_unlock_read). ext2_get_block(create=1) allocates and zeroes the block under
// truncate_mutex and still reports it buffer_new (Jan Kara's "ext2: Avoid DAX zeroing to corrupt
// data", msgid <1461015341-20153-6-git-send-email-jack@suse.cz>, April 2016, stops that).
// Source: ../shared/domain/dax-locking.md §3.1, B (S1-S4), C "Scheme 3"; seed 004 (the v1 posting).
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
import type { SpecDefinition } from '../../src/core/spec';
import { compile } from '../../src/model/compile';
import type { K } from '../../src/model/kernel';
import { NEXT, call, fn, step, type Control, type FnDef } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import { BlockMap, type LockDecl } from '../../src/model/world';
import { R, daxWorld, type DaxWorld, type Handlers } from './common';
import {
  daxFaultV42,
  describeThreads,
  fsPieces,
  processesOf,
  spawnThreads,
  truncateInodePages,
  unmapMappingRange,
  v42Properties,
  writeSyscall,
  type FsPieces,
  type ThreadSpec,
  type V42Options,
} from './v4-2';

export type DaxSemVariant = 'merged' | 'v1-order' | 'truncate-mutex-first';

export interface DaxSemOptions {
  readonly variant: DaxSemVariant;
  /** truncate-mutex-first only: does the fault's ext2_get_block(create) take truncate_mutex again? */
  readonly getBlock?: 'retakes' | 'assumes-held';
}

export interface DaxSemConfig {
  readonly options: DaxSemOptions;
  readonly indices: number;
  readonly blocks: number;
  readonly iSize: number;
  readonly initialMap?: readonly ('hole' | 'written' | 'unwritten')[];
  readonly threads: readonly ThreadSpec[];
}

/** The v4.4 PTE path: v4.2's __dax_fault on ext2, pfn_mkwrite present, 0df9d41ab5d4 in. */
const v44: V42Options = { fs: 'ext2', pfnMkwrite: true, cowUnlock: 'i_mmap_unlock_read', cowHold: true };

/** The outer fs lock a variant's fault wrappers take: dax_sem (read) or, in the first attempt, truncate_mutex. */
interface OuterLock {
  readonly takeLabel: string;
  readonly dropLabel: string;
  take(k: K): Control;
  drop(k: K): Control;
  /** Taken before sb_start_pagefault (v1 posting, first attempt) or after it (merged). */
  readonly beforeFreeze: boolean;
}

function outerLock(variant: DaxSemVariant, daxSem: LockDecl | null, f: FsPieces): OuterLock {
  if (variant === 'truncate-mutex-first') {
    return {
      takeLabel: 'mutex_lock(truncate_mutex)',
      dropLabel: 'mutex_unlock(truncate_mutex)',
      take: (k) => k.lock(f.allocLock),
      drop: (k) => k.unlock(f.allocLock),
      beforeFreeze: true,
    };
  }
  const sem = daxSem!;
  return {
    takeLabel: 'down_read(dax_sem)',
    dropLabel: 'up_read(dax_sem)',
    take: (k) => k.downRead(sem),
    drop: (k) => k.upRead(sem),
    beforeFreeze: variant === 'v1-order',
  };
}

/**
 * ext2_dax_fault / ext2_dax_mkwrite (§3.1): on a write, sb_start_pagefault and file_update_time;
 * the outer lock; __dax_fault(ext2_get_block); release in reverse.
 */
function ext2DaxFault(d: DaxWorld, name: string, o: OuterLock, dax: FnDef): FnDef {
  const { L } = d;
  const freezeIn = [
    step('sb_start_pagefault', (k) => (k.get(L.write) ? k.sbStartPagefault() : NEXT)),
    step('file_update_time', (k) => {
      if (k.get(L.write)) k.fileUpdateTime();
    }),
  ];
  const freezeOut = step('sb_end_pagefault', (k) => (k.get(L.write) ? k.sbEndPagefault() : NEXT));
  const take = step(o.takeLabel, (k) => o.take(k));
  const drop = step(o.dropLabel, (k) => o.drop(k));
  const body = o.beforeFreeze ? [take, ...freezeIn, call(dax), freezeOut, drop] : [...freezeIn, take, call(dax), drop, freezeOut];
  return fn(name, body, { handler: true });
}

/**
 * ext2_dax_pfn_mkwrite (v4.4): sb_start_pagefault, file_update_time, down_read(dax_sem), "check
 * that the faulting page hasn't raced with truncate" (SIGBUS past EOF, else NOPAGE), up_read,
 * sb_end_pagefault. The other variants take their outer lock first.
 */
function ext2DaxPfnMkwrite(d: DaxWorld, o: OuterLock, variant: DaxSemVariant): FnDef {
  const { L } = d;
  const checkSize = step('check_size', (k) => {
    k.set(L.ret, k.idx >= k.iSize() ? R.SIGBUS : R.NOPAGE);
  });
  const sbIn = step('sb_start_pagefault', (k) => k.sbStartPagefault());
  const time = step('file_update_time', (k) => k.fileUpdateTime());
  const sbOut = step('sb_end_pagefault', (k) => k.sbEndPagefault());
  const take = step(o.takeLabel, (k) => o.take(k));
  const drop = step(o.dropLabel, (k) => o.drop(k));
  if (variant === 'v1-order') {
    // [U] down_read(dax_sem) around a dax_pfn_mkwrite() that does freeze, c/mtime and the check.
    return fn('ext2_dax_pfn_mkwrite', [take, call(fn('dax_pfn_mkwrite', [sbIn, time, checkSize, sbOut])), drop], { handler: true });
  }
  const body = o.beforeFreeze ? [take, sbIn, time, checkSize, sbOut, drop] : [sbIn, time, take, checkSize, drop, sbOut];
  return fn('ext2_dax_pfn_mkwrite', body, { handler: true });
}

/** The first attempt's get_block for faults: allocates as ext2_get_block does, assuming truncate_mutex is held. */
function ext2GetBlockCreateHeld(d: DaxWorld, f: FsPieces): FnDef {
  const { L } = d;
  return fn('ext2_get_block(create, truncate_mutex held)', [
    step('allocate', (k) => {
      if (!k.holds(f.allocLock)) return k.fail('BUG', 1, 'ext2_get_block (locked variant) called without truncate_mutex');
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
}

/**
 * truncate(2) shrinking to `size` pages: sb_start_write -> i_mutex -> ext2_setsize. Merged and
 * v1: dax_sem_down_write -> truncate_setsize (i_size, unmap, truncate_inode_pages, unmap) ->
 * __ext2_truncate_blocks (truncate_mutex; frees) -> dax_sem_up_write. First attempt: truncate_mutex
 * across truncate_setsize and the freeing (which then assumes it is held).
 */
function ext2Truncate(d: DaxWorld, f: FsPieces, daxSem: LockDecl | null): FnDef {
  const { iMutex } = d;
  const tm = f.allocLock;
  const setsize = fn('truncate_setsize', [
    step('i_size_write', (k) => k.setISize(k.arg('size'))),
    call(
      fn('truncate_pagecache', [
        call(unmapMappingRange(d, 'from-size')),
        call(truncateInodePages(d, 'size')),
        call(unmapMappingRange(d, 'from-size')),
        step('truncated', (k) => k.markTruncated()),
      ]),
    ),
  ]);
  const free = step('free_blocks', (k) => {
    if (!k.holds(tm)) return k.fail('BUG', 2, '__ext2_truncate_blocks without truncate_mutex');
    for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
  });
  const body = daxSem
    ? [
        step('dax_sem_down_write', (k) => k.downWrite(daxSem)),
        call(setsize),
        call(
          fn('__ext2_truncate_blocks', [
            step('mutex_lock(truncate_mutex)', (k) => k.lock(tm)),
            free,
            step('mutex_unlock(truncate_mutex)', (k) => k.unlock(tm)),
          ]),
        ),
        step('dax_sem_up_write', (k) => k.upWrite(daxSem)),
      ]
    : [
        step('mutex_lock(truncate_mutex)', (k) => k.lock(tm)),
        call(setsize),
        call(fn('__ext2_truncate_blocks', [free])),
        step('mutex_unlock(truncate_mutex)', (k) => k.unlock(tm)),
      ];
  return fn(
    'truncate',
    [
      step('sb_start_write', (k) => k.sbStartWrite()),
      step('mutex_lock(i_mutex)', (k) => k.lock(iMutex)),
      call(fn('ext2_setsize', body)),
      step('mutex_unlock(i_mutex)', (k) => k.unlock(iMutex)),
      step('sb_end_write', (k) => k.sbEndWrite()),
    ],
    { wholeFile: true },
  );
}

export function buildDaxSem(c: DaxSemConfig, name: string) {
  const d = daxWorld({ indices: c.indices, blocks: c.blocks, processes: processesOf(c.threads), iSize: c.iSize, ...(c.initialMap ? { initialMap: c.initialMap } : {}) });
  d.w.freeze();
  const f = fsPieces(d, 'ext2');
  const variant = c.options.variant;
  const daxSem = variant === 'truncate-mutex-first' ? null : d.w.rwsem('dax_sem');
  const o = outerLock(variant, daxSem, f);
  // The fault's get_block: the ordinary one (takes truncate_mutex to allocate), or the first
  // attempt's "truncate_mutex already held" version.
  const faultFs: FsPieces =
    variant === 'truncate-mutex-first' && c.options.getBlock === 'assumes-held' ? { ...f, getBlockCreate: ext2GetBlockCreateHeld(d, f) } : f;
  const h: Handlers = {
    fault: ext2DaxFault(d, 'ext2_dax_fault', o, daxFaultV42(d, faultFs, v44)),
    pageMkwrite: ext2DaxFault(d, 'ext2_dax_mkwrite', o, daxFaultV42(d, faultFs, v44)),
    pfnMkwrite: ext2DaxPfnMkwrite(d, o, variant),
    cowUnlock: 'i_mmap_unlock_read',
  };
  const fsPaths = {
    truncate: () => ext2Truncate(d, f, daxSem),
    // write(2): i_mutex -> dax_do_io -> ext2_get_block (truncate_mutex to allocate); no dax_sem.
    write: () => writeSyscall(d, f),
  };
  spawnThreads(d, h, c.threads, fsPaths);
  const props = [...v42Properties, ...c.threads.map((_, i) => P.completes(i))];
  return compile(d.w, name, props);
}

function cfg(description: string, c: DaxSemConfig): { description: string; params: Record<string, unknown> } {
  return { description: `${description} (${describeThreads(c.threads)})`, params: { config: c } };
}

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
  return {
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

export const daxSem: SpecDefinition = {
  id: 'dax-sem',
  title: 'ext2 dax_sem (v4.4, 5726b27b09cc): faults take dax_sem shared, truncate exclusive',
  description: 'The merged order: sb_start_pagefault, then down_read(dax_sem), in ext2_dax_fault, ext2_dax_mkwrite and ext2_dax_pfn_mkwrite (which re-checks i_size); ext2_setsize takes dax_sem for write around truncate_setsize and __ext2_truncate_blocks.',
  configs: daxSemConfigs,
  defaultConfig: 's1-read-vs-write',
  build(params, name) {
    return buildDaxSem(params.config as DaxSemConfig, `dax-sem/${name}`).spec;
  },
};

export const daxSemV1Order: SpecDefinition = {
  id: 'dax-sem/v1-order',
  title: 'ext2 dax_sem, the v1 posting\'s order (dax_sem, then sb_start_pagefault)',
  description: '[U] The 9 Oct 2015 v1 order from seed 004: mmap_sem -> dax_sem -> sb_start_pagefault -> (i_mmap_rwsem | page lock) -> truncate_mutex.',
  configs: sharedConfigs(v1),
  defaultConfig: 'all-paths-5t2i',
  build(params, name) {
    return buildDaxSem(params.config as DaxSemConfig, `dax-sem/v1-order/${name}`).spec;
  },
};

export const daxSemTruncateMutexFirst: SpecDefinition = {
  id: 'dax-sem/truncate-mutex-first',
  title: 'ext2\'s rejected first attempt: truncate_mutex taken before the DAX fault path',
  description: '[U] From seed 004: the fault wrappers take truncate_mutex before sb_start_pagefault and __dax_fault; truncate holds it across truncate_setsize and the block freeing. Configurations a-* let the fault\'s ext2_get_block(create) take truncate_mutex again (S2a); b-* use a get_block that assumes it is held (S2b).',
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
  build(params, name) {
    return buildDaxSem(params.config as DaxSemConfig, `dax-sem/truncate-mutex-first/${name}`).spec;
  },
};

export const definitions: readonly SpecDefinition[] = [daxSem, daxSemV1Order, daxSemTruncateMutexFirst];
