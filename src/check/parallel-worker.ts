// One worker thread of the parallel breadth-first search (parallel.ts coordinates; ADR 0003).
// It rebuilds the spec from its source, then per level: takes chunks of the level's states in
// turn (a shared counter hands them out in order) and expands each chunk's states in id order,
// claiming new fingerprints for the chunk in the shared table; once every worker is done, keeps
// (and commits) the new states its chunks still own; writes them at the positions the
// coordinator assigned and checks their properties. It never decides what to report: it says
// whether the level needs the coordinator's one-thread replay (a failure, an error, a deadlock).
import { parentPort, workerData } from 'node:worker_threads';
import type { Spec } from '../core/spec';
import { Expander } from './expand';
import { representative } from './explore';
import { planProperties } from './findings';
import { SharedTable, TAG_OWNED, CONTROL_CHUNK, CONTROL_GROW, CONTROL_STOP, CONTROL_FENCE, type SegmentUpdate, type SharedTableBuffers } from './shared-table';
import { buildFromDefinition, loadDefinition, type SpecSource } from './spec-source';
import { mixOf } from './seen-table';
import { copyWords } from './words';

export interface WorkerInit {
  readonly source: SpecSource;
  readonly config: string;
  readonly worker: number;
  readonly table: SharedTableBuffers;
  readonly properties?: readonly string[];
  readonly deadlock: boolean;
  readonly canonical: boolean;
  readonly symmetry: boolean;
  readonly contractChecks: number;
  /** What the coordinator's spec looks like, to catch a worker that built another one. */
  readonly width: number;
  readonly actions: number;
}

/** A level's states: words per state in `states`; parent, action, hi, lo per state in `meta`. */
export interface LevelBuffers {
  readonly states: SharedArrayBuffer;
  readonly meta: SharedArrayBuffer;
}

export type ToWorker =
  | {
      readonly type: 'expand';
      readonly level: LevelBuffers;
      /** Id of the level's first state; states in the level; states per chunk; chunks. */
      readonly start: number;
      readonly count: number;
      readonly chunkSize: number;
      readonly chunks: number;
      readonly atDepthLimit: boolean;
      /** Whether a deadlock would still be news. */
      readonly deadlock: boolean;
    }
  | { readonly type: 'grow'; readonly updates: readonly SegmentUpdate[]; readonly mine: readonly number[] }
  | { readonly type: 'resume' }
  | { readonly type: 'continue' }
  | { readonly type: 'filter' }
  | {
      readonly type: 'write';
      readonly next: LevelBuffers;
      /** Where each chunk's kept states start in the next level. */
      readonly chunkOffsets: Int32Array;
      readonly idBase: number;
      readonly invariants: readonly number[];
      readonly witnesses: readonly number[];
    }
  | { readonly type: 'save' };

export type { SegmentUpdate };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'expanded'; readonly generated: number; readonly covGen: Uint32Array; readonly candidates: number; readonly special: boolean; readonly depthCut: boolean; readonly stopped: boolean }
  | { readonly type: 'paused' }
  | { readonly type: 'grown' }
  | { readonly type: 'resumed' }
  /** Per chunk this worker expanded: [chunk, states kept]. */
  | { readonly type: 'kept'; readonly kept: readonly (readonly [number, number])[] }
  | { readonly type: 'written'; readonly covNew: Uint32Array; readonly special: boolean; readonly witnesses: readonly (readonly [number, number])[] }
  | { readonly type: 'saved'; readonly data: unknown }
  | { readonly type: 'failed'; readonly message: string; readonly spec: boolean };

const RECENT_BITS = 15;

class LevelWorker {
  private readonly ex: Expander;
  private readonly table: SharedTable;
  private readonly W: number;
  private readonly cur: Uint8Array;
  private readonly curWords: Int32Array;
  private readonly before: Uint8Array;
  private readonly recent = new Int32Array(2 << RECENT_BITS);
  private readonly recentMask = (1 << RECENT_BITS) - 1;
  private readonly invariants;
  private readonly witnesses;

  // The level being expanded, and where in it this worker is.
  private job: Extract<ToWorker, { type: 'expand' }> | undefined;
  private levelStates: Int32Array = new Int32Array(0);
  private levelMeta: Int32Array = new Int32Array(0);
  private pos = 0;
  private end = 0;
  private done = false;
  private generated = 0;
  private covGen: Uint32Array;
  private special = false;
  private depthCut = false;

  // New states claimed in this level, in generation order, grouped by chunk.
  private n = 0;
  private cap = 0;
  private nHi = new Int32Array(0);
  private nLo = new Int32Array(0);
  private nParent = new Int32Array(0);
  private nAct = new Int32Array(0);
  /** Each new state's slot; a growth step moves slots, so those claimed before it are looked up again. */
  private nRef = new Int32Array(0);
  private staleBefore = 0;
  private nStates = new Int32Array(0);
  /** The chunks this worker took, and where each one's new states start in the lists above. */
  private chunkIds: number[] = [];
  private chunkFirst: number[] = [];
  private pendingGrow: readonly SegmentUpdate[] = [];

  constructor(
    private readonly spec: Spec,
    private readonly init: WorkerInit,
  ) {
    this.ex = new Expander(spec, representative(spec, { canonical: init.canonical, symmetry: init.symmetry }));
    this.table = new SharedTable(init.table);
    this.W = spec.layout.width >> 2;
    this.cur = new Uint8Array(spec.layout.width);
    this.curWords = new Int32Array(this.cur.buffer);
    this.before = new Uint8Array(spec.layout.width);
    this.covGen = new Uint32Array(spec.actions.length);
    const plan = planProperties(spec, { ...(init.properties ? { properties: init.properties } : {}), deadlock: init.deadlock });
    this.invariants = plan.invariants;
    this.witnesses = plan.witnesses;
    this.grow(1024);
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(n, this.cap * 2);
    const g = (a: Int32Array, per = 1): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap * per);
      b.set(a.subarray(0, this.n * per));
      return b;
    };
    this.nHi = g(this.nHi);
    this.nLo = g(this.nLo);
    this.nParent = g(this.nParent);
    this.nAct = g(this.nAct);
    this.nRef = g(this.nRef);
    this.nStates = g(this.nStates, this.W);
    this.cap = cap;
  }

  startLevel(job: Extract<ToWorker, { type: 'expand' }>): FromWorker {
    this.job = job;
    this.levelStates = new Int32Array(job.level.states);
    this.levelMeta = new Int32Array(job.level.meta);
    this.pos = 0;
    this.end = 0;
    this.done = false;
    this.generated = 0;
    this.covGen = new Uint32Array(this.spec.actions.length);
    this.special = false;
    this.depthCut = false;
    this.n = 0;
    this.staleBefore = 0;
    this.chunkIds = [];
    this.chunkFirst = [];
    return this.expandSome();
  }

  /** Expands chunks until none is left; pauses at a state boundary when a segment must grow. */
  expandSome(): FromWorker {
    const job = this.job!;
    const spec = this.spec;
    const ex = this.ex;
    const table = this.table;
    const control = table.control;
    const W = this.W;
    const cur = this.cur;
    const curWords = this.curWords;
    const states = this.levelStates;
    const meta = this.levelMeta;
    const covGen = this.covGen;
    const recent = this.recent;
    const recentMask = this.recentMask;
    const observe = spec.observe;
    let generated = this.generated;
    let stopped = false;
    try {
      while (!this.done) {
        if (this.pos >= this.end) {
          const c = Atomics.add(control, CONTROL_CHUNK, 1);
          if (c >= job.chunks) {
            this.done = true;
            break;
          }
          this.pos = c * job.chunkSize;
          this.end = Math.min(job.count, this.pos + job.chunkSize);
          this.chunkIds.push(c);
          this.chunkFirst.push(this.n);
          continue;
        }
        if (Atomics.load(control, CONTROL_GROW) !== 0) return { type: 'paused' };
        if (Atomics.load(control, CONTROL_STOP) !== 0) {
          stopped = true;
          break;
        }
        const myTag = TAG_OWNED + this.chunkIds[this.chunkIds.length - 1];
        const i = this.pos++;
        const id = job.start + i;
        copyWords(states, i * W, curWords, 0, W);
        observe?.beforeExpand(id);
        let before: Uint8Array | null = null;
        if (id < this.init.contractChecks) {
          before = this.before;
          before.set(cur);
        }
        const nb = ex.expand(cur, curWords, meta[4 * i + 2], meta[4 * i + 3], before);
        const acts = ex.acts;
        const his = ex.hi;
        const los = ex.lo;
        const pruned = ex.pruned;
        for (let k = 0; k < nb; k++) {
          const a = acts[k];
          generated++;
          covGen[a]++;
          if (pruned[k] !== 0) continue;
          const hi = his[k];
          const lo = los[k];
          if (job.atDepthLimit) {
            if (!table.has(hi, lo)) this.depthCut = true;
            continue;
          }
          const r = (mixOf(hi, lo) & recentMask) << 1;
          if (recent[r] === hi && recent[r + 1] === lo) continue;
          const ref = table.claim(hi, lo, myTag);
          // A duplicate here stays one: this worker's chunks only go up, and ownership only
          // ever moves to lower chunks.
          recent[r] = hi;
          recent[r + 1] = lo;
          if (ref < 0) continue;
          if (this.n === this.cap) this.grow(this.n + 1);
          const n = this.n++;
          this.nHi[n] = hi;
          this.nLo[n] = lo;
          this.nParent[n] = id;
          this.nAct[n] = a;
          this.nRef[n] = ref;
          ex.materialize(k, this.nStates, n * W);
        }
        if (ex.error) {
          // The coordinator replays the level and raises it where the order reaches it; the
          // rest of this chunk is not needed then.
          this.special = true;
          this.end = this.pos;
          continue;
        }
        if (!ex.enabled && job.deadlock && !(spec.isTerminal?.(cur) ?? false)) this.special = true;
      }
    } finally {
      this.generated = generated;
    }
    return { type: 'expanded', generated, covGen: this.covGen, candidates: this.n, special: this.special, depthCut: this.depthCut, stopped };
  }

  /** Rehashes the segments this worker was given, from the mapping it still holds. */
  growSegments(updates: readonly SegmentUpdate[], mine: readonly number[]): FromWorker {
    this.pendingGrow = updates;
    for (const u of updates) {
      if (mine.includes(u.segment)) SharedTable.rehash(this.table.segment(u.segment), new Int32Array(u.slots));
    }
    Atomics.add(this.table.control, CONTROL_FENCE, 1); // publish the rehashed memory
    return { type: 'grown' };
  }

  /** Maps the grown segments. */
  resume(): void {
    Atomics.load(this.table.control, CONTROL_FENCE);
    this.table.remap(this.pendingGrow);
    this.pendingGrow = [];
    this.staleBefore = this.n;
  }

  /**
   * Keeps (and commits) the new states whose chunk still owns them, in generation order; every
   * worker does this at once, after all have expanded, so ownership no longer changes.
   */
  filter(): FromWorker {
    const W = this.W;
    const table = this.table;
    const kept: [number, number][] = [];
    let m = 0;
    for (let g = 0; g < this.chunkIds.length; g++) {
      const tag = TAG_OWNED + this.chunkIds[g];
      const from = this.chunkFirst[g];
      const to = g + 1 < this.chunkIds.length ? this.chunkFirst[g + 1] : this.n;
      const first = m;
      this.chunkFirst[g] = m;
      for (let k = from; k < to; k++) {
        const ref = k < this.staleBefore ? table.find(this.nHi[k], this.nLo[k]) : this.nRef[k];
        if (ref < 0 || table.tagOf(ref) !== tag) continue;
        table.commit(ref);
        if (m !== k) {
          this.nHi[m] = this.nHi[k];
          this.nLo[m] = this.nLo[k];
          this.nParent[m] = this.nParent[k];
          this.nAct[m] = this.nAct[k];
          copyWords(this.nStates, k * W, this.nStates, m * W, W);
        }
        m++;
      }
      kept.push([this.chunkIds[g], m - first]);
    }
    this.n = m;
    return { type: 'kept', kept };
  }

  /** Writes the kept states at their ids and checks their properties. */
  write(msg: Extract<ToWorker, { type: 'write' }>): FromWorker {
    const W = this.W;
    const states = new Int32Array(msg.next.states);
    const meta = new Int32Array(msg.next.meta);
    const covNew = new Uint32Array(this.spec.actions.length);
    const layout = this.spec.layout;
    const state = this.cur;
    const words = this.curWords;
    let special = false;
    const found = new Map<number, number>();
    const openInv = msg.invariants.map((i) => this.invariants[i]);
    const openWit = msg.witnesses;
    for (let g = 0; g < this.chunkIds.length; g++) {
      const from = this.chunkFirst[g];
      const to = g + 1 < this.chunkIds.length ? this.chunkFirst[g + 1] : this.n;
      const base = msg.chunkOffsets[this.chunkIds[g]] - from;
      for (let k = from; k < to; k++) {
        const at = base + k;
        copyWords(this.nStates, k * W, states, at * W, W);
        meta[4 * at] = this.nParent[k];
        meta[4 * at + 1] = this.nAct[k];
        meta[4 * at + 2] = this.nHi[k];
        meta[4 * at + 3] = this.nLo[k];
        covNew[this.nAct[k]]++;
        if (special) continue;
        copyWords(this.nStates, k * W, words, 0, W);
        if (layout.firstInvalidSlot(state) >= 0) special = true;
        for (const p of openInv) if (!p.holds(state)) special = true;
        for (const w of openWit) {
          const id = msg.idBase + at;
          if ((found.get(w) ?? Infinity) <= id || !this.witnesses[w].holds(state)) continue;
          found.set(w, id);
        }
      }
    }
    this.n = 0;
    return { type: 'written', covNew, special, witnesses: [...found.entries()] };
  }

  save(): FromWorker {
    return { type: 'saved', data: this.spec.observe?.save?.() };
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('parallel-worker runs as a worker thread');
  const init = workerData as WorkerInit;
  let w: LevelWorker;
  try {
    const def = await loadDefinition(init.source);
    const spec = buildFromDefinition(def, init.config);
    if (spec.layout.width !== init.width || spec.actions.length !== init.actions) {
      throw new Error(`worker ${init.worker} built a different spec (${spec.layout.width} bytes, ${spec.actions.length} actions; the coordinator has ${init.width} and ${init.actions})`);
    }
    w = new LevelWorker(spec, init);
  } catch (e) {
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e), spec: true } satisfies FromWorker);
    return;
  }
  port.on('message', (msg: ToWorker) => {
    let reply: FromWorker | undefined;
    try {
      switch (msg.type) {
        case 'expand':
          reply = w.startLevel(msg);
          break;
        case 'grow':
          reply = w.growSegments(msg.updates, msg.mine);
          break;
        case 'resume':
          w.resume();
          reply = { type: 'resumed' };
          break;
        case 'continue':
          reply = w.expandSome();
          break;
        case 'filter':
          reply = w.filter();
          break;
        case 'write':
          reply = w.write(msg);
          break;
        case 'save':
          reply = w.save();
          break;
      }
    } catch (e) {
      reply = { type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e), spec: false };
    }
    if (reply) port.postMessage(reply);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

void main();
