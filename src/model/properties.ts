// The property library: named claims any DAX spec can pick up, each a predicate over the packed
// world state (plus a few ghost flags the kernel operations set). Deadlocks (wait-for cycles,
// lost wake-ups) come from the engine's deadlock check and the world's diagnosis, not from here.
import type { Property, State } from '../core/spec';
import type { ModelProperty } from './reduction';
import type { FlatStep } from './paths';
import { BlockMap, BlockUse, ErrKind, PageState, Pte, Slot, Status, type Offsets, type World } from './world';

export interface PropCtx {
  readonly world: World;
  readonly off: Offsets;
  readonly programs: readonly (readonly FlatStep[])[];
}

export type PropertyMaker = (c: PropCtx) => Property;

/**
 * An invariant. `threadBytes` says what it reads of the threads' blocks (see ModelProperty):
 * 'none' or 'status'; leave it out when it reads pcs or locals.
 */
const always = (name: string, description: string, holds: (s: State) => boolean, threadBytes?: 'none' | 'status'): ModelProperty => ({
  name,
  kind: 'always',
  description,
  holds,
  ...(threadBytes ? { threadBytes } : {}),
});

function running(c: PropCtx, s: State, t: number): boolean {
  return s[c.off.thread + t * c.off.threadWidth + 1] === Status.code.running;
}

/** Thread t is inside a handler (a fault, mkwrite or truncate has started and not returned). */
/** Thread t is inside a handler working on index i (pc 0: the path has not started). */
function inHandlerAt(c: PropCtx, s: State, t: number, i: number): boolean {
  const b = c.off.thread + t * c.off.threadWidth;
  if (s[b + 1] !== Status.code.running || s[b] === 0) return false;
  const st = c.programs[t][s[b]];
  return st.inHandler && (st.wholeFile || c.world.threads[t].index === i);
}

export const noLockMisuse: PropertyMaker = (c) =>
  always('no lock misuse', 'no thread releases a lock it does not hold, or releases it in the wrong mode', (s) => s[c.off.err] !== ErrKind.code['lock misuse'], 'none');

export const noNullDereference: PropertyMaker = (c) =>
  always('no NULL dereference', 'no step dereferences a thread-local pointer that is unset', (s) => s[c.off.err] !== ErrKind.code['NULL dereference'], 'none');

export const noBug: PropertyMaker = (c) => always('no BUG', 'no step hits a BUG_ON', (s) => s[c.off.err] !== ErrKind.code.BUG, 'none');

/** A PTE to a freed block, or to a block now mapped at another index (reallocated). */
export const noPteToFreedBlock: PropertyMaker = (c) =>
  always('no PTE maps a freed block', 'every pfn PTE maps a block that is allocated to the index it maps', (s) => {
    const { off } = c;
    const N = c.world.opts.indices;
    const M = c.world.opts.processes.length;
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < N; i++) {
        const k = s[off.pte + m * N + i];
        if (k !== Pte.code['ro-pfn'] && k !== Pte.code['rw-pfn'] && k !== Pte.code['pmd-pfn']) continue;
        const b = s[off.pteRef + m * N + i];
        if (s[off.blockUse + b - 1] !== BlockUse.code.allocated || s[off.blk + i] !== b) return false;
      }
    }
    return true;
  }, 'none');

/**
 * A hole page mapped or cached at an index whose block is allocated, once every fault at that
 * index has returned: readers through it see zeroes where the block holds data.
 */
export const noStaleHolePage: PropertyMaker = (c) =>
  always(
    'no stale hole page',
    'once every fault at an index has returned, no hole page is cached or mapped there if a block is allocated',
    (s) => {
      const { off } = c;
      const N = c.world.opts.indices;
      const M = c.world.opts.processes.length;
      const T = c.world.threads.length;
      for (let i = 0; i < N; i++) {
        if (s[off.bm + i] === BlockMap.code.hole) continue;
        let busy = false;
        for (let t = 0; t < T; t++) if (inHandlerAt(c, s, t, i)) busy = true;
        if (busy) continue;
        if (s[off.slot + i] === Slot.code.page) return false;
        for (let m = 0; m < M; m++) {
          const k = s[off.pte + m * N + i];
          if (k === Pte.code['ro-hole'] || k === Pte.code['huge-zero']) return false;
        }
      }
      return true;
    },
  );

/** A user store that later reads back as something else (zeroed again: double zeroing). */
export const noLostStore: PropertyMaker = (c) =>
  always('no store is lost', 'the block mapped at an index holds the last value a user stored there', (s) => {
    const { off } = c;
    const N = c.world.opts.indices;
    for (let i = 0; i < N; i++) {
      const v = s[off.stored + i];
      if (v === 0) continue;
      const b = s[off.blk + i];
      if (b === 0 || s[off.blockData + b - 1] !== v) return false;
    }
    return true;
  }, 'none');

export const writableUpdatesTime: PropertyMaker = (c) =>
  always('a PTE is made writable only after file_update_time', 'every read->write transition of a DAX PTE updates c/mtime', (s) => s[c.off.vNoTime] === 0, 'none');

export const noWritableWhileFrozen: PropertyMaker = (c) =>
  always('no PTE is made writable while frozen', 'no PTE becomes writable while the filesystem is frozen at PAGEFAULT or above', (s) => s[c.off.vFrozenWritable] === 0, 'none');

export const noStoreWhileFrozen: PropertyMaker = (c) =>
  always('no store while frozen', 'no data changes through a writable PTE while the filesystem is frozen at PAGEFAULT or above', (s) => s[c.off.vFrozenStore] === 0, 'none');

/** Blocks allocated past EOF, checked once every thread has returned. */
export const noBlockPastEof: PropertyMaker = (c) =>
  always('no block is allocated past EOF', 'when every thread has returned, no index at or beyond i_size has a block', (s) => {
    const { off } = c;
    for (let t = 0; t < c.world.threads.length; t++) if (running(c, s, t)) return true;
    for (let i = s[off.iSize]; i < c.world.opts.indices; i++) if (s[off.bm + i] !== BlockMap.code.hole) return false;
    return true;
  }, 'status');

/** Truncate safety: once a truncate has truncated the page cache, nothing maps beyond EOF. */
export const noPteBeyondEof: PropertyMaker = (c) =>
  always('no PTE beyond EOF after truncate', 'after truncate_pagecache, no PTE (pfn, hole page or COW) maps an index at or beyond i_size', (s) => {
    const { off } = c;
    if (s[off.truncated] === 0) return true;
    const N = c.world.opts.indices;
    const M = c.world.opts.processes.length;
    for (let m = 0; m < M; m++) for (let i = s[off.iSize]; i < N; i++) if (s[off.pte + m * N + i] !== Pte.code.none) return false;
    return true;
  }, 'none');

/** Per-index exclusion: at most one thread holds the entry lock or the hole-page lock of an index. */
export const entryExclusion: PropertyMaker = (c) =>
  always('one fault at a time per index', 'at most one thread holds the entry lock or the hole-page lock of an index', (s) => {
    const { off } = c;
    const N = c.world.opts.indices;
    const P = c.world.pageCount;
    for (let i = 0; i < N; i++) {
      let holders = 0;
      if (s[off.entryLocked + i]) holders++;
      for (let p = 1; p <= P; p++) {
        if (s[off.pageOwner + p - 1] !== 0 && s[off.pageState + p - 1] === PageState.code.cached && s[off.pageIndex + p - 1] === i) holders++;
      }
      if (holders > 1) return false;
    }
    return true;
  }, 'none');

/** No thread returns while holding a lock (a leaked lock: everyone after it hangs). */
export const noLockLeak: PropertyMaker = (c) =>
  always('no lock is held after return', 'a thread that has returned holds no lock', (s) => {
    const { off } = c;
    const T = c.world.threads.length;
    for (let t = 0; t < T; t++) {
      if (s[off.thread + t * off.threadWidth + 1] !== Status.code.returned) continue;
      for (let l = 0; l < c.world.locks.length; l++) {
        if (s[off.lockOwner + l] === t + 1 || s[off.lockReaders + l] & (1 << t)) return false;
      }
      for (let p = 1; p <= c.world.pageCount; p++) if (s[off.pageOwner + p - 1] === t + 1) return false;
    }
    return true;
  }, 'status');

/** `sometimes` witnesses: each thread's code path can run to completion. */
export function completes(t: number): PropertyMaker {
  return (c) => ({
    name: `${c.world.threads[t].name} can return`,
    kind: 'sometimes',
    description: `${c.world.threads[t].name}'s code path runs to completion`,
    holds: (s) => s[c.off.thread + t * c.off.threadWidth + 1] === Status.code.returned,
    threadBytes: 'status',
  } satisfies ModelProperty);
}

export const safetyLibrary: readonly PropertyMaker[] = [
  noLockMisuse,
  noNullDereference,
  noPteToFreedBlock,
  noStaleHolePage,
  noLostStore,
  writableUpdatesTime,
  noWritableWhileFrozen,
  noStoreWhileFrozen,
  noBlockPastEof,
  noPteBeyondEof,
];
