// Partial-order reduction for worlds: ample sets of one thread-local step.
//
// A thread's block in the state holds its pc, status, wait marker, time flag and locals. The
// wait marker is written by other threads (a wake-up clears it, a writer queued on an rwsem is
// seen by readers); the rest is written and read only by the thread itself: no kernel operation
// touches another thread's pc, status, time flag or locals. So a step that, run in a state,
// reads and writes only those private bytes of its own thread is independent of every step of
// every other thread, in that state and in every state that agrees with it on those bytes (the
// step is deterministic: a run that read only private bytes runs the same wherever they are
// the same). That is the whole dependency analysis, and it is exact rather than declared: each
// (step, private bytes) pair is run once while the kernel records every byte it reads and
// writes, and the answer is cached.
//
// Ample set at a state: the current step of the first running thread whose step is local, if
// it is also invisible (no checked property reads what it changes). Properties say what they
// read of the thread blocks (ModelProperty.threadBytes); one that does not say may read
// anything, and then nothing is reduced. The conditions, as the engine's contract asks:
// - C1: a local step's thread has no other step enabled at its pc, and no other thread's step
//   reads or writes its private bytes, so nothing dependent on it can run first. (The one
//   shared byte its guard reads is the world's error flag: a step that sets it ends the run in
//   a terminal error state whose properties do not depend on the postponed step.)
// - C2: invisibility, from the footprints above. A local step cannot change anything the
//   deadlock check depends on: the thread stays runnable until it takes the step.
// - C0 and C3 (an enabled step; the successor is a new state) are checked by the engine.
import type { AmpleSet, Property, State } from '../core/spec';
import type { FlatStep } from './paths';
import { Status, type Offsets } from './world';

/** A property that says what it reads of the threads' blocks (pc, status, locals). */
export interface ModelProperty extends Property {
  /**
   * 'none': no byte of any thread's block; 'status': only threads' status bytes (running,
   * returned, failed). Without it the property may read anything: no step is invisible to it.
   */
  readonly threadBytes?: 'none' | 'status';
}

/**
 * Runs one step of thread t into `next` (a copy of `cur`) in probe mode (no notes, no
 * lock-order edges), recording its footprint: whether the step's own code read or wrote any
 * byte of the state outside [lo, hi), or the byte `skip`. (The kernel records it as it reads
 * and writes; a Proxy around the state would do the same, but V8 would then keep every site
 * that saw it megamorphic for the rest of the run.)
 */
export type StepRunner = (t: number, st: FlatStep, cur: State, next: State, lo: number, hi: number, skip: number) => { enabled: boolean; outside: boolean };

const NOT_LOCAL = 0;
const LOCAL = 1;
const LOCAL_STATUS = 2;

export interface ReductionWorld {
  readonly off: Offsets;
  readonly programs: readonly (readonly FlatStep[])[];
  readonly actionBase: readonly number[];
  readonly properties: readonly Property[];
  readonly width: number;
  readonly runRecorded: StepRunner;
}

/** The ample-set function for a run checking `checked`, or undefined if a property forbids it. */
export function threadLocalReduction(w: ReductionWorld, checked: ReadonlySet<string>): AmpleSet | undefined {
  let statusVisible = false;
  for (const p of w.properties) {
    if (!checked.has(p.name)) continue;
    const reads = (p as ModelProperty).threadBytes;
    if (reads === undefined) return undefined;
    if (reads === 'status') statusVisible = true;
  }
  const { off, programs, actionBase } = w;
  const T = programs.length;
  const tw = off.threadWidth;
  const cache: FootprintCache[] = programs.map(() => new FootprintCache(tw, off.tWait));
  // Per (thread, pc): how often the step was found not local, and whether it ever was local.
  // A step found not local four times and never local is not tried again (skipping an ample
  // set is always sound; it only forgoes a reduction), which spares most states the key.
  const misses: Uint8Array[] = programs.map((p) => new Uint8Array(p.length));
  const hits: Uint8Array[] = programs.map((p) => new Uint8Array(p.length));
  const scratch = new Float64Array(w.width);

  /** Classifies thread t's current step in s: NOT_LOCAL, LOCAL or LOCAL_STATUS. */
  const classify = (s: State, t: number): number => {
    const b = off.thread + t * tw;
    const pc = s[b];
    // A thread with its wait marker set is queued on an rwsem or asleep on a wait queue: other
    // threads read and clear that byte, so none of its steps is taken alone. (With the marker
    // clear, the engine's own bookkeeping after a step, such as clearing a returning thread's
    // block, leaves the marker clear.)
    if (s[b + off.tWait] !== 0) return NOT_LOCAL;
    if (hits[t][pc] === 0 && misses[t][pc] >= 4) return NOT_LOCAL;
    const map = cache[t];
    const known = map.get(s, b);
    if (known >= 0) return known;
    const kind = record(s, t, b);
    map.set(s, b, kind);
    if (kind === NOT_LOCAL) {
      if (misses[t][pc] < 255) misses[t][pc]++;
    } else hits[t][pc] = 1;
    return kind;
  };

  /** Runs thread t's step once, recording every byte it reads or writes. */
  const record = (s: State, t: number, b: number): number => {
    const st = programs[t][s[b]];
    scratch.set(s);
    let run: { enabled: boolean; outside: boolean };
    try {
      run = w.runRecorded(t, st, s, scratch, b, b + tw, b + off.tWait);
    } catch {
      return NOT_LOCAL;
    }
    if (run.outside || !run.enabled || scratch[b + off.tWait] !== 0) return NOT_LOCAL;
    return scratch[b + off.tStatus] !== s[b + off.tStatus] ? LOCAL_STATUS : LOCAL;
  };

  return (s, push) => {
    if (s[off.err] !== 0) return false;
    for (let t = 0; t < T; t++) {
      const b = off.thread + t * tw;
      if (s[b + off.tStatus] !== Status.code.running) continue;
      const kind = classify(s, t);
      if (kind === LOCAL || (kind === LOCAL_STATUS && !statusVisible)) {
        push(actionBase[t] + s[b]);
        return true;
      }
    }
    return false;
  };
}

/**
 * A thread's classified steps by its private bytes (its block without the wait marker): open
 * addressing over the keys' bytes in one array, no allocation per lookup. (A Map keyed by a
 * string of the bytes spent a fifth of a --por run building the strings.)
 */
export class FootprintCache {
  private keys: Uint8Array;
  /** The class of each slot, -1 where empty. */
  private vals: Int8Array;
  private mask: number;
  private count = 0;

  constructor(
    /** Bytes of a thread block, and the one left out of the key. */
    private readonly width: number,
    private readonly skip: number,
  ) {
    this.keys = new Uint8Array(64 * width);
    this.vals = new Int8Array(64).fill(-1);
    this.mask = 63;
  }

  private hash(s: State, b: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.width; i++) if (i !== this.skip) h = Math.imul(h ^ s[b + i], 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private find(s: State, b: number): number {
    const w = this.width;
    const keys = this.keys;
    for (let j = this.hash(s, b) & this.mask; ; j = (j + 1) & this.mask) {
      if (this.vals[j] < 0) return j;
      let same = true;
      for (let i = 0; i < w; i++) {
        if (i !== this.skip && keys[j * w + i] !== s[b + i]) {
          same = false;
          break;
        }
      }
      if (same) return j;
    }
  }

  /** The class of the block at s[b..], or -1 if not classified yet. */
  get(s: State, b: number): number {
    return this.vals[this.find(s, b)];
  }

  set(s: State, b: number, kind: number): void {
    const j = this.find(s, b);
    if (this.vals[j] < 0) this.count++;
    this.vals[j] = kind;
    this.keys.set(s.subarray(b, b + this.width), j * this.width);
    if (this.count * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const w = this.width;
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint8Array(cap * w);
    this.vals = new Int8Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < oldVals.length; j++) {
      if (oldVals[j] < 0) continue;
      const k = this.find(oldKeys, j * w);
      this.vals[k] = oldVals[j];
      this.keys.set(oldKeys.subarray(j * w, j * w + w), k * w);
    }
  }
}
