// The property library: named claims any DAX spec can pick up, each a predicate over the packed
// world state (plus a few ghost flags the kernel operations set), and each able to explain its
// violation from the path: the facts in kernel words and the step that caused it (the store that
// was lost and the zeroing that lost it; the PTE, the block and where it was freed). Deadlocks
// (wait-for cycles, lost wake-ups) come from the engine's deadlock check and the world's
// diagnosis, not from here.
import type { Explanation, PathStates, Property, State } from '../core/spec';
import type { ModelProperty } from './reduction';
import type { FlatStep } from './paths';
import { History, type StepOf } from './history';
import { dataWords, errorWords, heldWords, pteWords } from './present';
import { BlockMap, BlockUse, ErrKind, PageState, Pte, Slot, Status, type Offsets, type World } from './world';
import { StateView } from './state-view';
import { SpecError } from '../core/errors';

export interface PropCtx {
  readonly world: World;
  readonly off: Offsets;
  readonly programs: readonly (readonly FlatStep[])[];
  /** Which thread and step an action is, for explanations (compile gives it). */
  readonly stepOf?: StepOf;
  /**
   * A wait-for cycle of two or more threads in a state (each waits for a lock the next holds),
   * one line per thread, or undefined (compile gives it; it probes every blocked thread's step).
   */
  readonly waitFor?: (s: State) => readonly string[] | undefined;
}

export type PropertyMaker = (c: PropCtx) => Property;

type Explain = (h: History) => Explanation | undefined;

/**
 * An invariant. `threadBytes` says what it reads of the threads' blocks (see ModelProperty):
 * 'none' or 'status'; leave it out when it reads pcs or locals. `explain` reads the path.
 */
const always = (c: PropCtx, name: string, description: string, holds: (s: State) => boolean, threadBytes: 'none' | 'status' | undefined, explain?: Explain): ModelProperty => ({
  name,
  kind: 'always',
  description,
  holds,
  ...(threadBytes ? { threadBytes } : {}),
  ...(explain ? { explain: (path: PathStates) => explain(new History(c.world, c.off, path, c.stepOf)) } : {}),
});

/** The later of two steps (the one that made the state bad), ignoring unknown ones. */
function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

const PFN = new Set<number>([Pte.code['ro-pfn'], Pte.code['rw-pfn'], Pte.code['pmd-pfn']]);

function procName(c: PropCtx, m: number): string {
  return c.world.opts.processes[m];
}

/** `P1's PTE for index 0`, or `the PTE for index 0` with one process. */
function pteName(c: PropCtx, m: number, i: number): string {
  return c.world.opts.processes.length === 1 ? `the PTE for index ${i}` : `${procName(c, m)}'s PTE for index ${i}`;
}

/** A step, or the initial state, as the subject of a sentence. */
function byStep(h: History, k: number | undefined): string {
  return k === undefined ? 'an unknown step' : k === 0 ? 'the initial state' : h.step(k);
}

function errorExplain(c: PropCtx, kind: number): Explain {
  return (h) => {
    const k = h.since((s) => s[c.off.err] === kind);
    if (k === undefined) return undefined;
    const words = errorWords(c, h.last) ?? ErrKind.values[kind];
    const lines = [`${byStep(h, k)}: ${words}`];
    const t = h.last[c.off.errThread] - 1;
    if (k > 0 && t >= 0) {
      const held = heldWords(c, h.at(k - 1), t);
      lines.push(`before that step ${c.world.threads[t].name} held ${held.length ? held.join(', ') : 'nothing'}`);
    }
    return { lines, cause: k };
  };
}

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
  always(c, 'no lock misuse', 'no thread releases a lock it does not hold, or releases it in the wrong mode', (s) => s[c.off.err] !== ErrKind.code['lock misuse'], 'none', errorExplain(c, ErrKind.code['lock misuse']));

export const noNullDereference: PropertyMaker = (c) =>
  always(c, 'no NULL dereference', 'no step dereferences a thread-local pointer that is unset', (s) => s[c.off.err] !== ErrKind.code['NULL dereference'], 'none', errorExplain(c, ErrKind.code['NULL dereference']));

export const noBug: PropertyMaker = (c) => always(c, 'no BUG', 'no step hits a BUG_ON', (s) => s[c.off.err] !== ErrKind.code.BUG, 'none', errorExplain(c, ErrKind.code.BUG));

/** The first pfn PTE (process, index, block) that maps a freed block or one now at another index. */
function stalePfn(c: PropCtx, s: State): { m: number; i: number; b: number } | undefined {
  const { off } = c;
  const N = c.world.opts.indices;
  const M = c.world.opts.processes.length;
  for (let m = 0; m < M; m++) {
    for (let i = 0; i < N; i++) {
      if (!PFN.has(s[off.pte + m * N + i])) continue;
      const b = s[off.pteRef + m * N + i];
      if (s[off.blockUse + b - 1] !== BlockUse.code.allocated || s[off.blk + i] !== b) return { m, i, b };
    }
  }
  return undefined;
}

/** A PTE to a freed block, or to a block now mapped at another index (reallocated). */
export const noPteToFreedBlock: PropertyMaker = (c) =>
  always(c, 'no PTE maps a freed block', 'every pfn PTE maps a block that is allocated to the index it maps', (s) => stalePfn(c, s) === undefined, 'none', (h) => {
    const { off } = c;
    const N = c.world.opts.indices;
    const bad = stalePfn(c, h.last);
    if (!bad) return undefined;
    const { m, i, b } = bad;
    const kind = h.last[off.pte + m * N + i];
    const mapped = h.since((s) => s[off.pte + m * N + i] === kind && s[off.pteRef + m * N + i] === b);
    const how = Pte.values[kind] === 'rw-pfn' ? 'writable' : Pte.values[kind] === 'pmd-pfn' ? 'through a PMD' : 'read-only';
    const lines = [`${pteName(c, m, i)} maps B${b} ${how}, installed by ${byStep(h, mapped)}`];
    let gone: number | undefined;
    if (h.last[off.blockUse + b - 1] !== BlockUse.code.allocated) {
      gone = h.since((s) => s[off.blockUse + b - 1] !== BlockUse.code.allocated);
      const order = gone !== undefined && mapped !== undefined && gone < mapped ? 'before the PTE was installed' : 'after the PTE was installed, and the PTE was not zapped';
      lines.push(`B${b} was freed by ${byStep(h, gone)}, ${order}`);
    } else {
      gone = h.since((s) => s[off.blk + i] !== b);
      const now = h.last[off.blk + i];
      lines.push(`index ${i} ${now ? `has B${now}` : 'has no block'} since ${byStep(h, gone)}`);
    }
    lines.push(`so ${procName(c, m)} reaches a block the file no longer has at index ${i}`);
    const cause = later(mapped, gone);
    const related = [mapped, gone].filter((k): k is number => k !== undefined && k > 0 && k !== cause);
    return { lines, ...(cause ? { cause } : {}), related: related.map((k) => ({ step: k, role: k === mapped ? 'PTE installed' : 'block freed' })) };
  });

/** Thread t is inside a handler at index i, for every t: some fault at i has not returned. */
function busyAt(c: PropCtx, s: State, i: number): boolean {
  for (let t = 0; t < c.world.threads.length; t++) if (inHandlerAt(c, s, t, i)) return true;
  return false;
}

/** The first index with an allocated block, no fault in progress, and a hole page cached or mapped there. */
function staleHoleAt(c: PropCtx, s: State): number | undefined {
  const { off } = c;
  const N = c.world.opts.indices;
  const M = c.world.opts.processes.length;
  for (let i = 0; i < N; i++) {
    if (s[off.bm + i] === BlockMap.code.hole) continue;
    if (busyAt(c, s, i)) continue;
    if (s[off.slot + i] === Slot.code.page) return i;
    for (let m = 0; m < M; m++) {
      const k = s[off.pte + m * N + i];
      if (k === Pte.code['ro-hole'] || k === Pte.code['huge-zero']) return i;
    }
  }
  return undefined;
}

/**
 * A hole page mapped or cached at an index whose block is allocated, once every fault at that
 * index has returned: readers through it see zeroes where the block holds data.
 */
export const noStaleHolePage: PropertyMaker = (c) =>
  always(
    c,
    'no stale hole page',
    'once every fault at an index has returned, no hole page is cached or mapped there if a block is allocated',
    (s) => staleHoleAt(c, s) === undefined,
    undefined,
    (h) => {
      const { off } = c;
      const N = c.world.opts.indices;
      const M = c.world.opts.processes.length;
      const i = staleHoleAt(c, h.last);
      if (i === undefined) return undefined;
      const b = h.last[off.blk + i];
      const alloc = h.since((s) => s[off.bm + i] !== BlockMap.code.hole && s[off.blk + i] === b);
      const lines = [`index ${i} has B${b} (${dataWords(c.world, h.last[off.blockData + b - 1])}), allocated by ${byStep(h, alloc)}`];
      const events: { step: number | undefined; role: string }[] = [{ step: alloc, role: 'block allocated' }];
      const after = (k: number | undefined): string => (k !== undefined && alloc !== undefined && k > alloc ? 'after the block was allocated' : 'and nothing removed it when the block was allocated');
      if (h.last[off.slot + i] === Slot.code.page) {
        const p = h.last[off.slotPage + i];
        const ins = h.since((s) => s[off.slot + i] === Slot.code.page && s[off.slotPage + i] === p);
        lines.push(`hole page H${p} is in the page cache at index ${i}: inserted by ${byStep(h, ins)}, ${after(ins)}`);
        events.push({ step: ins, role: 'hole page inserted' });
      }
      for (let m = 0; m < M; m++) {
        const k = h.last[off.pte + m * N + i];
        if (k !== Pte.code['ro-hole'] && k !== Pte.code['huge-zero']) continue;
        const what = k === Pte.code['huge-zero'] ? 'the huge zero page' : `hole page H${h.last[off.pteRef + m * N + i]}`;
        const ref = h.last[off.pteRef + m * N + i];
        const mapped = h.since((s) => s[off.pte + m * N + i] === k && s[off.pteRef + m * N + i] === ref);
        lines.push(`${pteName(c, m, i)} maps ${what} read-only: mapped by ${byStep(h, mapped)}, ${after(mapped)}`);
        events.push({ step: mapped, role: 'hole page mapped' });
      }
      const seen = h.since((s) => !busyAt(c, s, i));
      const zero = events.some((e) => e.role === 'hole page mapped') && lines.some((l) => l.includes('the huge zero page')) && !events.some((e) => e.role === 'hole page inserted');
      lines.push(`readers of index ${i} get ${zero ? 'the huge zero page' : 'the hole page'}, not B${b}, so they miss what is stored in B${b}; the check applies once every fault at index ${i} has returned (${seen ? `from step ${seen}` : 'from the start'})`);
      let cause: number | undefined;
      for (const e of events) cause = later(cause, e.step);
      const related = events.filter((e) => e.step !== undefined && e.step > 0 && e.step !== cause).map((e) => ({ step: e.step!, role: e.role }));
      return { lines, ...(cause ? { cause } : {}), related };
    },
  );

/** The first index whose last user store no longer reads back. */
function lostStoreAt(c: PropCtx, s: State): number | undefined {
  const { off } = c;
  for (let i = 0; i < c.world.opts.indices; i++) {
    const v = s[off.stored + i];
    if (v === 0) continue;
    const b = s[off.blk + i];
    if (b === 0 || s[off.blockData + b - 1] !== v) return i;
  }
  return undefined;
}

/** A user store that later reads back as something else (zeroed again: double zeroing). */
export const noLostStore: PropertyMaker = (c) =>
  always(c, 'no store is lost', 'the block mapped at an index holds the last value a user stored there', (s) => lostStoreAt(c, s) === undefined, 'none', (h) => {
    const { off, world } = c;
    const i = lostStoreAt(c, h.last);
    if (i === undefined) return undefined;
    const v = h.last[off.stored + i];
    const b = h.last[off.blk + i];
    const stored = h.since((s) => s[off.stored + i] === v);
    const into = stored !== undefined ? h.at(stored)[off.blk + i] : b;
    const who = h.actor(stored ?? 0) ?? dataWords(world, v).replace(/'s data$/, '');
    const lines = [`${byStep(h, stored)} stores ${dataWords(world, v)} at index ${i}, into B${into}`];
    let cause: number | undefined;
    if (into !== b) {
      cause = h.since((s) => s[off.blk + i] === b);
      lines.push(`index ${i} ${b ? `has B${b}` : 'has no block'} since ${byStep(h, cause)}, so the store went to a block the index no longer has`);
    } else {
      cause = h.since((s) => s[off.blockData + b - 1] !== v);
      const now = h.last[off.blockData + b - 1];
      const verb = now === 1 ? 'zeroed' : now === 0 ? 'handed out again with its old contents' : `overwrote with ${dataWords(world, now)}`;
      lines.push(`${now >= 2 ? `${byStep(h, cause)} ${verb} B${b}` : `then ${byStep(h, cause)} ${verb === 'zeroed' ? 'zeroes' : 'hands out'} B${b}${verb === 'zeroed' ? '' : ' again with its old contents'}`}`);
    }
    lines.push(`so index ${i} reads ${b ? dataWords(world, h.last[off.blockData + b - 1]) : 'nothing'} where ${who} stored ${dataWords(world, v)}: the store is lost`);
    return { lines, ...(cause ? { cause } : {}), related: stored && stored !== cause ? [{ step: stored, role: 'the lost store' }] : [] };
  });

/** Which PTE step k made writable (the first that became rw-pfn or pmd-pfn), in words. */
function madeWritable(c: PropCtx, h: History, k: number): string | undefined {
  const { off } = c;
  const N = c.world.opts.indices;
  const before = h.at(k - 1);
  const after = h.at(k);
  for (let m = 0; m < c.world.opts.processes.length; m++) {
    for (let i = 0; i < N; i++) {
      const x = off.pte + m * N + i;
      if (after[x] !== before[x] && (after[x] === Pte.code['rw-pfn'] || after[x] === Pte.code['pmd-pfn'])) return `${pteName(c, m, i)} (B${after[off.pteRef + m * N + i]})`;
    }
  }
  return undefined;
}

/** A ghost flag set by one step: which step, which PTE or store, and what else held then. */
function ghostExplain(c: PropCtx, flag: (o: Offsets) => number, what: string, frozen: boolean): Explain {
  return (h) => {
    const k = h.since((s) => s[flag(c.off)] !== 0);
    if (k === undefined || k === 0) return undefined;
    const pte = madeWritable(c, h, k);
    const lines = [`${h.step(k)} ${what}${pte ? `: ${pte}` : ''}`];
    const related: { step: number; role: string }[] = [];
    if (frozen) {
      const lv = c.world.freezeLocks?.pagefault;
      const owner = lv ? h.at(k)[c.off.lockOwner + lv.id] : 0;
      if (lv && owner) {
        const since = h.since((s) => s[c.off.lockOwner + lv.id] === owner);
        lines.push(`${c.world.threads[owner - 1].name} had frozen the filesystem at PAGEFAULT (it holds ${lv.name} for write) since ${byStep(h, since)}`);
        if (since) related.push({ step: since, role: 'frozen' });
      }
    } else {
      const t = c.stepOf ? c.stepOf(h.path.actions[k - 1]).thread : -1;
      if (t >= 0) lines.push(`${c.world.threads[t].name}'s fault had not called file_update_time, so c/mtime do not change for the writes that follow`);
    }
    return { lines, cause: k, related };
  };
}

export const writableUpdatesTime: PropertyMaker = (c) =>
  always(c, 'a PTE is made writable only after file_update_time', 'every read->write transition of a DAX PTE updates c/mtime', (s) => s[c.off.vNoTime] === 0, 'none', ghostExplain(c, (o) => o.vNoTime, 'makes a PTE writable before its fault has called file_update_time', false));

export const noWritableWhileFrozen: PropertyMaker = (c) =>
  always(c, 'no PTE is made writable while frozen', 'no PTE becomes writable while the filesystem is frozen at PAGEFAULT or above', (s) => s[c.off.vFrozenWritable] === 0, 'none', ghostExplain(c, (o) => o.vFrozenWritable, 'makes a PTE writable while the filesystem is frozen', true));

export const noStoreWhileFrozen: PropertyMaker = (c) =>
  always(c, 'no store while frozen', 'no data changes through a writable PTE while the filesystem is frozen at PAGEFAULT or above', (s) => s[c.off.vFrozenStore] === 0, 'none', ghostExplain(c, (o) => o.vFrozenStore, 'stores data through a writable PTE while the filesystem is frozen', true));

/** i_size in words, with the step that last set it. */
function sizeSince(c: PropCtx, h: History): string {
  const size = h.last[c.off.iSize];
  const k = h.since((s) => s[c.off.iSize] === size);
  return `i_size is ${size} page${size === 1 ? '' : 's'}${k ? ` (set by ${h.step(k)})` : ''}`;
}

/** Blocks allocated past EOF, checked once every thread has returned. */
export const noBlockPastEof: PropertyMaker = (c) =>
  always(c, 'no block is allocated past EOF', 'when every thread has returned, no index at or beyond i_size has a block', (s) => {
    const { off } = c;
    for (let t = 0; t < c.world.threads.length; t++) if (running(c, s, t)) return true;
    for (let i = s[off.iSize]; i < c.world.opts.indices; i++) if (s[off.bm + i] !== BlockMap.code.hole) return false;
    return true;
  }, 'status', (h) => {
    const { off } = c;
    for (let i = h.last[off.iSize]; i < c.world.opts.indices; i++) {
      const b = h.last[off.blk + i];
      if (h.last[off.bm + i] === BlockMap.code.hole) continue;
      const alloc = h.since((s) => s[off.blk + i] === b && s[off.bm + i] !== BlockMap.code.hole);
      const size = h.since((s) => s[off.iSize] === h.last[off.iSize]);
      const cause = later(alloc, size);
      return {
        lines: [`index ${i} has B${b}, allocated by ${byStep(h, alloc)}`, `but ${sizeSince(c, h)}, and every thread has returned: B${b} is leaked past EOF`],
        ...(cause ? { cause } : {}),
        related: [alloc, size].filter((k): k is number => k !== undefined && k > 0 && k !== cause).map((k) => ({ step: k, role: k === alloc ? 'block allocated' : 'i_size set' })),
      };
    }
    return undefined;
  });

/** The first PTE (process, index) at or beyond i_size once truncate_pagecache has run. */
function pteBeyondEof(c: PropCtx, s: State): { m: number; i: number } | undefined {
  const { off } = c;
  if (s[off.truncated] === 0) return undefined;
  const N = c.world.opts.indices;
  const M = c.world.opts.processes.length;
  for (let m = 0; m < M; m++) for (let i = s[off.iSize]; i < N; i++) if (s[off.pte + m * N + i] !== Pte.code.none) return { m, i };
  return undefined;
}

/** Truncate safety: once a truncate has truncated the page cache, nothing maps beyond EOF. */
export const noPteBeyondEof: PropertyMaker = (c) =>
  always(c, 'no PTE beyond EOF after truncate', 'after truncate_pagecache, no PTE (pfn, hole page or COW) maps an index at or beyond i_size', (s) => pteBeyondEof(c, s) === undefined, 'none', (h) => {
    const { off } = c;
    const N = c.world.opts.indices;
    const bad = pteBeyondEof(c, h.last);
    if (!bad) return undefined;
    const x = off.pte + bad.m * N + bad.i;
    const kind = h.last[x];
    const ref = h.last[off.pteRef + bad.m * N + bad.i];
    const mapped = h.since((s) => s[x] === kind && s[off.pteRef + bad.m * N + bad.i] === ref);
    const truncated = h.since((s) => s[off.truncated] !== 0);
    const size = h.since((s) => s[off.iSize] === h.last[off.iSize]);
    // A fault that maps the index after i_size shrank is the cause; otherwise the truncate that left it.
    const cause = mapped !== undefined && size !== undefined && mapped > size ? mapped : later(mapped, truncated);
    return {
      lines: [
        `${pteName(c, bad.m, bad.i)} maps ${pteWords(kind, ref)}, installed by ${byStep(h, mapped)}`,
        `but ${sizeSince(c, h)}, and truncate_pagecache ran at ${byStep(h, truncated)}${mapped !== undefined && truncated !== undefined && mapped > truncated ? ': the fault mapped it after the truncate had unmapped the range' : ''}`,
      ],
      ...(cause ? { cause } : {}),
      related: [mapped, truncated].filter((k): k is number => k !== undefined && k > 0 && k !== cause).map((k) => ({ step: k, role: k === mapped ? 'PTE installed' : 'page cache truncated' })),
    };
  });

/** The holders of index i's entry lock and of the page locks of hole pages cached at i. */
function exclusionHolders(c: PropCtx, s: State, i: number): { who: number; what: string; since: (x: State) => boolean }[] {
  const { off } = c;
  const out: { who: number; what: string; since: (x: State) => boolean }[] = [];
  if (s[off.entryLocked + i]) {
    const o = s[off.entryOwner + i];
    out.push({ who: o, what: `the entry lock of index ${i}`, since: (x) => x[off.entryLocked + i] !== 0 && x[off.entryOwner + i] === o });
  }
  for (let p = 1; p <= c.world.pageCount; p++) {
    const o = s[off.pageOwner + p - 1];
    if (o !== 0 && s[off.pageState + p - 1] === PageState.code.cached && s[off.pageIndex + p - 1] === i) {
      out.push({ who: o, what: `the page lock of hole page H${p}`, since: (x) => x[off.pageOwner + p - 1] === o && x[off.pageState + p - 1] === PageState.code.cached });
    }
  }
  return out;
}

/** Per-index exclusion: at most one thread holds the entry lock or the hole-page lock of an index. */
export const entryExclusion: PropertyMaker = (c) =>
  always(c, 'one fault at a time per index', 'at most one thread holds the entry lock or the hole-page lock of an index', (s) => {
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
  }, 'none', (h) => {
    for (let i = 0; i < c.world.opts.indices; i++) {
      const hs = exclusionHolders(c, h.last, i);
      if (hs.length < 2) continue;
      const steps = hs.map((x) => h.since(x.since));
      let cause: number | undefined;
      for (const k of steps) cause = later(cause, k);
      return {
        lines: [...hs.map((x, j) => `${c.world.threads[x.who - 1]?.name ?? '?'} holds ${x.what}, taken at ${byStep(h, steps[j])}`), `so two faults work on index ${i} at once`],
        ...(cause ? { cause } : {}),
        related: steps.filter((k): k is number => k !== undefined && k > 0 && k !== cause).map((k) => ({ step: k, role: 'first holder' })),
      };
    }
    return undefined;
  });

/** No thread returns while holding a lock (a leaked lock: everyone after it hangs). */
export const noLockLeak: PropertyMaker = (c) =>
  always(c, 'no lock is held after return', 'a thread that has returned holds no lock', (s) => {
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
  }, 'status', (h) => {
    const { off } = c;
    for (let t = 0; t < c.world.threads.length; t++) {
      const b = off.thread + t * off.threadWidth + 1;
      if (h.last[b] !== Status.code.returned) continue;
      const held = heldWords(c, h.last, t).filter((x) => !x.startsWith('entry lock'));
      if (held.length === 0) continue;
      const ret = h.since((s) => s[b] === Status.code.returned);
      const name = c.world.threads[t].name;
      const lines = [`${byStep(h, ret)} ends ${name}'s code path, still holding ${held.join(', ')}`];
      // Where each leaked lock was taken: the step after which the thread has held it ever since.
      const related: { step: number; role: string }[] = [];
      for (const l of c.world.locks) {
        const mine = (s: State): boolean => s[off.lockOwner + l.id] === t + 1 || (s[off.lockReaders + l.id] & (1 << t)) !== 0;
        if (!mine(h.last)) continue;
        const taken = h.since(mine);
        const mode = l.kind === 'rwsem' ? (h.last[off.lockOwner + l.id] === t + 1 ? ' (write)' : ' (read)') : '';
        lines.push(`${name} took ${l.name}${mode} at ${byStep(h, taken)}, and no step released it`);
        if (taken) related.push({ step: taken, role: `${l.name} taken` });
      }
      for (let p = 1; p <= c.world.pageCount; p++) {
        const mine = (s: State): boolean => s[off.pageOwner + p - 1] === t + 1;
        if (!mine(h.last)) continue;
        const taken = h.since(mine);
        lines.push(`${name} took the page lock of H${p} at ${byStep(h, taken)}, and no step released it`);
        if (taken) related.push({ step: taken, role: `page lock of H${p} taken` });
      }
      lines.push('every later taker of it waits for ever');
      return { lines, ...(ret ? { cause: ret } : {}), related };
    }
    return undefined;
  });

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

/**
 * A property of your own, over a `StateView` of each state (the page model in its own words:
 * `v.mapState(0) === 'written'`, `v.pte(0, 'P1')`, `v.owner(lock)`, `v.status('T1')`), with an
 * optional explanation of a violation read from the path (`History`: the step after which a fact
 * has held, each step in kernel words). It reads the threads' blocks, so `--por` leaves a run
 * that checks it unreduced; `threadBytes: 'none'` promises it does not (see ModelProperty).
 */
export function invariant(
  name: string,
  description: string,
  holds: (v: StateView) => boolean,
  o: { explain?: (h: History, v: StateView) => Explanation | undefined; threadBytes?: 'none' | 'status' } = {},
): PropertyMaker {
  return (c) => {
    const view = new StateView(c.world, c.off);
    const explainer = o.explain;
    return {
      name,
      kind: 'always',
      description,
      holds: (s) => ownCode(name, () => holds(view.of(s))),
      ...(o.threadBytes ? { threadBytes: o.threadBytes } : {}),
      ...(explainer ? { explain: (path: PathStates) => explainer(new History(c.world, c.off, path, c.stepOf), new StateView(c.world, c.off).of(path.states[path.states.length - 1])) } : {}),
    } satisfies ModelProperty;
  };
}

/** A `sometimes` witness of your own: some reachable state satisfies it (a check that the model is not vacuous). */
export function witness(name: string, description: string, holds: (v: StateView) => boolean, o: { threadBytes?: 'none' | 'status' } = {}): PropertyMaker {
  return (c) => {
    const view = new StateView(c.world, c.off);
    return { name, kind: 'sometimes', description, holds: (s) => ownCode(name, () => holds(view.of(s))), ...(o.threadBytes ? { threadBytes: o.threadBytes } : {}) } satisfies ModelProperty;
  };
}

/** A spec writer's predicate: a view asked for an index, block, process or thread that does not exist is their mistake. */
function ownCode(name: string, f: () => boolean): boolean {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new SpecError(`property '${name}': ${e.message}`);
    throw e;
  }
}

/**
 * No two threads wait for each other: no state has a wait-for cycle of two or more threads (an
 * ABBA), whether or not other threads can still run. A breadth-first search for a deadlock stops
 * at the shortest stuck state, which may be a thread waiting for a lock it holds itself; this
 * property finds the shortest cycle between threads instead. It probes every blocked thread's
 * step in every state: for small configurations.
 */
export const noWaitForCycle: PropertyMaker = (c) => {
  const cycleOf = (s: State): readonly string[] | undefined => c.waitFor?.(s);
  return {
    name: 'no two threads wait for each other',
    kind: 'always',
    description: 'no two threads each wait for a lock the other holds (a wait-for cycle between threads: ABBA)',
    holds: (s) => cycleOf(s) === undefined,
    explain: (path) => {
      const lines = cycleOf(path.states[path.states.length - 1]);
      return lines ? { lines: ['wait-for cycle between threads:', ...lines], cause: path.actions.length } : undefined;
    },
  };
};

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
