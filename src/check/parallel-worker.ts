// One worker thread of the parallel breadth-first search (parallel.ts coordinates; ADR 0003).
// It rebuilds the spec from its source, then per level: takes chunks of the level's states
// (those of its own stream of chunks first, then of the streams after it, each from its front:
// levelChunks in parallel.ts) and expands each chunk's states in id order, claiming new
// fingerprints for the chunk in the shared table (noting the ones it took over from a higher
// chunk) and checking each new state's properties as it claims it; once every worker
// is done, drops the new states its chunks lost to lower ones and writes the rest at the
// positions the coordinator assigned. It never decides what to report: it says whether the
// level needs the coordinator's one-thread replay (a failure, an error, a deadlock).
import { parentPort, workerData } from 'node:worker_threads';
import type { Property, SpecDefinition, State } from '../core/spec';
import { compileSpec, inputCheckOf, type CompiledSpec } from './compiled-spec';
import { Expander } from './expand';
import { planProperties } from './findings';
import { ERROR, Pipeline, SEEN, type Claim, type Sink, type StateChecks } from './pipeline';
import { SlotTable, mixOf } from './probe';
import { SharedTable, CLAIM_DUPLICATE, CLAIM_NEW, CONTROL_GROW, CONTROL_STOP, CONTROL_FENCE, type SegmentUpdate, type SharedTableBuffers } from './shared-table';
import { buildFromDefinition, type SpecSource } from './spec-source';
import { FRONT_STRIDE, levelViews, type LevelBuffers, type LevelViews } from './parallel-level';
import { copyWords } from './words';

export type { LevelBuffers };

export interface WorkerInit {
  readonly source: SpecSource;
  readonly config: string;
  readonly worker: number;
  readonly table: SharedTableBuffers;
  /** Per stream of a level's chunks, the next one to hand out (FRONT_STRIDE words apart). */
  readonly fronts: SharedArrayBuffer;
  readonly properties?: readonly string[];
  readonly deadlock: boolean;
  readonly canonical: boolean;
  readonly symmetry: boolean;
  readonly contractChecks: number;
  readonly inputChecks: 'every' | 'sampled';
  /** What the coordinator's spec looks like, to catch a worker that built another one. */
  readonly width: number;
  readonly actions: number;
}

export type ToWorker =
  | {
      readonly type: 'expand';
      readonly level: LevelBuffers;
      /** Id of the level's first state; states in the level; where each chunk starts, and the end; chunks. */
      readonly start: number;
      /** Chunk c's tag in the shared table is levelBase + c (above every earlier level's tags). */
      readonly levelBase: number;
      readonly count: number;
      readonly bounds: Int32Array;
      /** Stream s of chunks is [streams[s], streams[s + 1]); worker w takes stream w first (levelChunks). */
      readonly streams: Int32Array;
      readonly chunks: number;
      readonly atDepthLimit: boolean;
      /** Whether a deadlock would still be news. */
      readonly deadlock: boolean;
      /** The invariants and witnesses not yet violated or found (indices into the plan's lists). */
      readonly invariants: readonly number[];
      readonly witnesses: readonly number[];
    }
  | { readonly type: 'grow'; readonly updates: readonly SegmentUpdate[]; readonly mine: readonly number[] }
  | { readonly type: 'resume' }
  | { readonly type: 'continue' }
  | {
      readonly type: 'write';
      readonly next: LevelBuffers;
      /** Where each chunk's kept states start in the next level, and how many it keeps. */
      readonly chunkOffsets: Int32Array;
      readonly kept: Int32Array;
      /** Every worker's takeovers: (chunk that lost the state, hi, lo) triples. */
      readonly lost: Int32Array;
      readonly idBase: number;
    }
  | { readonly type: 'save' };

export type { SegmentUpdate };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'expanded';
      readonly generated: number;
      readonly covGen: Uint32Array;
      /** (chunk, new states it claimed) pairs, for the chunks this worker expanded. */
      readonly claimed: Int32Array;
      /** Takeovers from higher chunks: (chunk that lost the state, hi, lo) triples. */
      readonly lost: Int32Array;
      readonly special: boolean;
      readonly depthCut: boolean;
      readonly stopped: boolean;
    }
  | { readonly type: 'paused' }
  | { readonly type: 'grown' }
  | { readonly type: 'resumed' }
  /** Per witness found: [witness index, id of the first new state here that satisfies it]. */
  | { readonly type: 'written'; readonly covNew: Uint32Array; readonly witnesses: readonly (readonly [number, number])[] }
  | { readonly type: 'saved'; readonly data: unknown }
  | { readonly type: 'failed'; readonly message: string; readonly spec: boolean };

const RECENT_BITS = 15;

/**
 * A worker runs the pipeline (pipeline.ts) with itself as the claim (the recent-duplicates cache,
 * then a claim in the shared table for the chunk being expanded), the sink (its own list of the
 * level's new states) and the checks (which never stop the run here: a failure, an error or a
 * deadlock makes the level "special", for the coordinator to replay).
 */
class LevelWorker implements Claim, Sink, StateChecks {
  private readonly c: CompiledSpec;
  private readonly ex: Expander;
  private readonly pipeline: Pipeline;
  private readonly table: SharedTable;
  private readonly W: number;
  /** The state being expanded, as the pipeline expands it (expansionState), and packed. */
  private readonly cur: State;
  private readonly curBytes: Uint8Array;
  private readonly curWords: Int32Array;
  private readonly load: () => void;
  private readonly recent = new Int32Array(2 << RECENT_BITS);
  private readonly recentMask = (1 << RECENT_BITS) - 1;
  private readonly fronts: Int32Array;
  private readonly invariants: readonly Property[];
  private readonly witnesses: readonly Property[];
  private readonly inputChecks: 'state' | 'none';

  // The level being expanded, and where in it this worker is.
  private job: Extract<ToWorker, { type: 'expand' }> | undefined;
  private level: LevelViews | undefined;
  /**
   * The open invariants, and per open witness (index into witnesses) the first new state here
   * that satisfies it, in the lowest chunk where this worker met one, and that chunk.
   */
  private openInv: readonly Property[] = [];
  private openWit: readonly number[] = [];
  private firstWit = new Int32Array(0);
  private firstWitChunk = new Int32Array(0);
  /** How many streams of the level this worker has finished (it works on stream worker + done). */
  private streamsDone = 0;
  /** The chunk this worker is expanding, -1 before its first of the level, and its tag in the table. */
  private chunk = -1;
  private myTag = 0;
  private pos = 0;
  private end = 0;
  private done = false;
  private special = false;

  // New states claimed in this level, in generation order, grouped by chunk.
  private n = 0;
  private cap = 0;
  private nHi = new Int32Array(0);
  private nLo = new Int32Array(0);
  private nParent = new Int32Array(0);
  private nAct = new Int32Array(0);
  private nStates = new Int32Array(0);
  private nBytes = new Uint8Array(0);
  /** The chunks this worker took, and where each one's new states start in the lists above. */
  private chunkIds: number[] = [];
  private chunkFirst: number[] = [];
  /** Fingerprints this worker took over from higher chunks: (losing chunk, hi, lo) triples. */
  private lost: number[] = [];
  private pendingGrow: readonly SegmentUpdate[] = [];

  constructor(
    c: CompiledSpec,
    private readonly init: WorkerInit,
  ) {
    this.c = c;
    this.ex = new Expander(c);
    this.pipeline = new Pipeline(c, this.ex, this, this, this);
    this.table = new SharedTable(init.table);
    this.fronts = new Int32Array(init.fronts);
    this.W = c.words;
    this.curWords = new Int32Array(c.words);
    this.curBytes = new Uint8Array(this.curWords.buffer);
    const st = c.expansionState(this.curBytes);
    this.cur = st.cur;
    this.load = st.load;
    this.inputChecks = inputCheckOf(c, init.inputChecks).check;
    const plan = planProperties(c.spec, { ...(init.properties ? { properties: init.properties } : {}), deadlock: init.deadlock });
    this.invariants = plan.invariants;
    this.witnesses = plan.witnesses;
    this.grow(1024);
    c.observer?.unordered?.();
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
    this.nStates = g(this.nStates, this.W);
    this.nBytes = new Uint8Array(this.nStates.buffer);
    this.cap = cap;
  }

  // ---- the pipeline's claim, sink and checks ----------------------------------------------

  claim(hi: number, lo: number, parent: number, action: number): number {
    // (0, 0) is the cache's empty entry: the tables store that fingerprint as (0, 1).
    const rlo = (hi | lo) === 0 ? 1 : lo;
    const recent = this.recent;
    const r = (mixOf(hi, rlo) & this.recentMask) << 1;
    if (recent[r] === hi && recent[r + 1] === rlo) return SEEN;
    const claim = this.table.claim(hi, lo, this.myTag);
    // A duplicate here stays one while this worker's chunks go up (ownership only ever moves
    // to lower chunks); the cache is emptied when it moves to a lower chunk.
    recent[r] = hi;
    recent[r + 1] = rlo;
    if (claim === CLAIM_DUPLICATE) return SEEN;
    if (claim !== CLAIM_NEW) this.lost.push(claim - this.job!.levelBase, hi, lo);
    if (this.n === this.cap) this.grow(this.n + 1);
    const n = this.n++;
    this.nHi[n] = hi;
    this.nLo[n] = lo;
    this.nParent[n] = parent;
    this.nAct[n] = action;
    return n;
  }

  known(hi: number, lo: number): boolean {
    return this.table.has(hi, lo);
  }

  accept(ex: Expander, k: number, n: number): void {
    ex.materializePacked(k, this.nStates, this.nBytes, n * this.W);
  }

  /**
   * Checked here, while the state is in the cache. A state a lower chunk takes over later is
   * checked there too: it is the same state.
   */
  checkNew(succ: State, n: number): boolean {
    const openInv = this.openInv;
    for (let p = 0; p < openInv.length; p++) if (!openInv[p].holds(succ)) this.special = true;
    const openWit = this.openWit;
    const firstWit = this.firstWit;
    for (let w = 0; w < openWit.length; w++) {
      if ((firstWit[w] < 0 || this.chunk < this.firstWitChunk[w]) && this.witnesses[openWit[w]].holds(succ)) {
        firstWit[w] = n;
        this.firstWitChunk[w] = this.chunk;
      }
    }
    return false;
  }

  get deadlockOpen(): boolean {
    return this.job!.deadlock;
  }

  deadlock(): boolean {
    this.special = true;
    return false;
  }

  // ---- a level ------------------------------------------------------------------------------

  startLevel(job: Extract<ToWorker, { type: 'expand' }>): FromWorker {
    this.job = job;
    this.level = levelViews(job.level);
    this.openInv = job.invariants.map((i) => this.invariants[i]);
    this.openWit = job.witnesses;
    this.firstWit = new Int32Array(job.witnesses.length).fill(-1);
    this.firstWitChunk = new Int32Array(job.witnesses.length);
    this.streamsDone = 0;
    this.chunk = -1;
    this.pos = 0;
    this.end = 0;
    this.done = false;
    this.pipeline.generated = 0;
    this.pipeline.covGen.fill(0);
    this.pipeline.depthCut = false;
    this.special = false;
    this.n = 0;
    this.chunkIds = [];
    this.chunkFirst = [];
    this.lost = [];
    return this.expandSome();
  }

  /** Expands chunks until none is left; pauses at a state boundary when a segment must grow. */
  expandSome(): FromWorker {
    const job = this.job!;
    const c = this.c;
    const table = this.table;
    const control = table.control;
    const W = this.W;
    const cur = this.cur;
    const curBytes = this.curBytes;
    const curWords = this.curWords;
    const level = this.level!;
    const states = level.states;
    const levelHi = level.hi;
    const levelLo = level.lo;
    const observer = c.observer;
    const pipeline = this.pipeline;
    const load = this.load;
    const contractChecks = this.init.contractChecks;
    let stopped = false;
    while (!this.done) {
      if (this.pos >= this.end) {
        const ch = this.nextChunk(job);
        if (ch < 0) {
          this.done = true;
          break;
        }
        // Lower than the chunk before (a stream before this worker's own): the recent
        // duplicates may be owned by chunks above this one, which it must take over.
        if (ch < this.chunk) this.recent.fill(0);
        this.chunk = ch;
        this.myTag = job.levelBase + ch;
        this.pos = job.bounds[ch];
        this.end = job.bounds[ch + 1];
        this.chunkIds.push(ch);
        this.chunkFirst.push(this.n);
        continue;
      }
      // The control words, every 8 states (an atomic load of a line other threads write
      // was 5% of this loop when read at every state).
      if ((this.pos & 7) === 0) {
        if (Atomics.load(control, CONTROL_GROW) !== 0) {
          table.flush();
          return { type: 'paused' };
        }
        if (Atomics.load(control, CONTROL_STOP) !== 0) {
          stopped = true;
          break;
        }
      }
      const i = this.pos++;
      const id = job.start + i;
      copyWords(states, i * W, curWords, 0, W);
      load();
      observer?.beforeExpand(id);
      const r = pipeline.run(cur, curBytes, curWords, id, 0, levelHi[i], levelLo[i], id < contractChecks ? 'action' : this.inputChecks, job.atDepthLimit);
      if (r === ERROR) {
        // The coordinator replays the level and raises it where the order reaches it; the
        // rest of this chunk is not needed then.
        this.special = true;
        this.end = this.pos;
      }
    }
    table.flush();
    const claimed = new Int32Array(2 * this.chunkIds.length);
    for (let g = 0; g < this.chunkIds.length; g++) {
      claimed[2 * g] = this.chunkIds[g];
      claimed[2 * g + 1] = (g + 1 < this.chunkIds.length ? this.chunkFirst[g + 1] : this.n) - this.chunkFirst[g];
    }
    return {
      type: 'expanded',
      generated: pipeline.generated,
      covGen: pipeline.covGen,
      claimed,
      lost: Int32Array.from(this.lost),
      special: this.special,
      depthCut: pipeline.depthCut,
      stopped,
    };
  }

  /**
   * The next chunk for this worker: the front of its own stream, then of the streams after it;
   * -1 when every stream is taken. (A front passes its stream's end by one per worker that
   * finds it empty.)
   */
  private nextChunk(job: Extract<ToWorker, { type: 'expand' }>): number {
    const N = job.streams.length - 1;
    while (this.streamsDone < N) {
      const s = (this.init.worker + this.streamsDone) % N;
      const c = Atomics.add(this.fronts, s * FRONT_STRIDE, 1);
      if (c < job.streams[s + 1]) return c;
      this.streamsDone++;
    }
    return -1;
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
  }

  /**
   * Writes the new states its chunks still own at their ids (a chunk's states in the order met;
   * whole chunks as block copies) and reports the witnesses it found. Ownership no longer
   * changes: every worker has expanded.
   */
  write(msg: Extract<ToWorker, { type: 'write' }>): FromWorker {
    const W = this.W;
    const next = levelViews(msg.next);
    const covNew = new Uint32Array(this.c.actions.length);
    const lost = new LostSet(msg.lost, this.chunkIds);
    const found: [number, number][] = [];
    for (let g = 0; g < this.chunkIds.length; g++) {
      const from = this.chunkFirst[g];
      const to = g + 1 < this.chunkIds.length ? this.chunkFirst[g + 1] : this.n;
      const start = msg.chunkOffsets[this.chunkIds[g]];
      // Whether this chunk lost any of the states it claimed to a lower chunk.
      const chunk = this.chunkIds[g];
      const chunkLost = msg.kept[chunk] < to - from ? lost : undefined;
      // Where entry k of this chunk goes, or -1 if a lower chunk took it over.
      const place = (k: number): number => {
        if (chunkLost === undefined) return start + (k - from);
        let at = start;
        for (let j = from; j < k; j++) if (!lost.has(chunk, this.nHi[j], this.nLo[j])) at++;
        return lost.has(chunk, this.nHi[k], this.nLo[k]) ? -1 : at;
      };
      for (let w = 0; w < this.openWit.length; w++) {
        const k = this.firstWit[w];
        if (k < from || k >= to) continue;
        // Lost: the chunk that took it over found it (or one before it) too.
        const at = place(k);
        if (at >= 0) found.push([this.openWit[w], msg.idBase + at]);
      }
      if (chunkLost === undefined) {
        next.states.set(this.nStates.subarray(from * W, to * W), start * W);
        next.parent.set(this.nParent.subarray(from, to), start);
        next.act.set(this.nAct.subarray(from, to), start);
        next.hi.set(this.nHi.subarray(from, to), start);
        next.lo.set(this.nLo.subarray(from, to), start);
        for (let k = from; k < to; k++) covNew[this.nAct[k]]++;
        continue;
      }
      let at = start;
      for (let k = from; k < to; k++) {
        if (chunkLost.has(chunk, this.nHi[k], this.nLo[k])) continue;
        copyWords(this.nStates, k * W, next.states, at * W, W);
        next.parent[at] = this.nParent[k];
        next.act[at] = this.nAct[k];
        next.hi[at] = this.nHi[k];
        next.lo[at] = this.nLo[k];
        covNew[this.nAct[k]]++;
        at++;
      }
    }
    this.n = 0;
    return { type: 'written', covNew, witnesses: found };
  }

  save(): FromWorker {
    return { type: 'saved', data: this.c.observer?.save?.() };
  }
}

/**
 * The (chunk, fingerprint) pairs these chunks lost to lower chunks: a table of the probing core
 * (probe.ts) keyed by the fingerprint with the chunk mixed into its low half, behind a one-hash
 * Bloom filter that stays in the cache (about a tenth of a level's new states are lost, and
 * every new state of a chunk that lost one is looked up). Keyed by the chunk too: a worker that
 * moves to a lower chunk (a stream before its own) can claim a fingerprint again that one of its
 * higher chunks claimed, and take it over from that chunk. (Two different pairs could meet on
 * one key only as two fingerprints collide: with probability 2^-64.)
 */
class LostSet {
  private readonly table: SlotTable;
  private readonly bits: Int32Array;
  private readonly bitMask: number;
  readonly size: number;

  constructor(lost: Int32Array, chunks: readonly number[]) {
    const mine = new Set(chunks);
    let n = 0;
    for (let i = 0; i < lost.length; i += 3) if (mine.has(lost[i])) n++;
    this.size = n;
    this.table = new SlotTable({ initialCapacity: 2 * n, recent: 0 });
    let bits = 1 << 12;
    while (bits < 16 * n && bits < 1 << 21) bits *= 2;
    this.bitMask = bits - 1;
    this.bits = new Int32Array(bits >>> 5);
    for (let i = 0; i < lost.length; i += 3) {
      const chunk = lost[i];
      if (!mine.has(chunk)) continue;
      const hi = lost[i + 1];
      const lo = lost[i + 2];
      const b = LostSet.bit(chunk, hi, lo) & this.bitMask;
      this.bits[b >>> 5] |= 1 << (b & 31);
      this.table.insert(hi, lo ^ LostSet.mix(chunk));
    }
  }

  private static mix(chunk: number): number {
    return Math.imul(chunk + 1, 0x9e3779b1);
  }

  private static bit(chunk: number, hi: number, lo: number): number {
    return hi ^ lo ^ Math.imul(chunk, 0x9e3779b1);
  }

  has(chunk: number, hi: number, lo: number): boolean {
    const b = LostSet.bit(chunk, hi, lo) & this.bitMask;
    if ((this.bits[b >>> 5] & (1 << (b & 31))) === 0) return false;
    return this.table.has(hi, lo ^ LostSet.mix(chunk));
  }
}

/**
 * Runs this thread as a worker of the parallel search: builds the spec from the definition
 * `load` finds, answers the coordinator's messages. Called by the worker's entry: the bundle
 * worker-bundle.ts builds, or parallel-entry.mjs (through tsx) when there is no bundle.
 */
export async function runWorker(load: (source: SpecSource) => Promise<SpecDefinition> | SpecDefinition): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('parallel-worker runs as a worker thread');
  const init = workerData as WorkerInit;
  let w: LevelWorker;
  try {
    const def = await load(init.source);
    const spec = buildFromDefinition(def, init.config);
    if (spec.layout.width !== init.width || spec.actions.length !== init.actions) {
      throw new Error(`worker ${init.worker} built a different spec (${spec.layout.width} bytes, ${spec.actions.length} actions; the coordinator has ${init.width} and ${init.actions})`);
    }
    w = new LevelWorker(compileSpec(spec, { canonical: init.canonical, symmetry: init.symmetry }), init);
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

