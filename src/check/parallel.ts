// The parallel breadth-first search: this thread coordinates N worker threads over a seen table
// in shared memory, one BFS level at a time, and reports exactly what the sequential search
// reports (ids, counts, discoveries, counterexamples). How that works and why: ADR 0003.
// Per level: the workers take the level's states in chunks (worker w starts with the w-th Nth
// of the level, then helps the others) and claim new fingerprints for their chunk (the
// lowest-numbered chunk that met a state owns it); each keeps what its chunks own, in the
// order met; ids follow chunk order, which is the sequential order. A level
// where something may stop or fail the run (an invariant, a deadlock, an error, --max-states)
// is replayed by this thread alone, in the sequential order, with the workers' results telling
// it which successors are new. Small levels, and the levels before the workers are up, are
// expanded by this thread alone over the same table. Only BFS; the engine (explore.ts) stays
// the reference.
import { Worker } from 'node:worker_threads';
import { SpecError, UsageError } from '../core/errors';
import type { Spec } from '../core/spec';
import { compileSpec, inputCheckOf, type CompiledSpec } from './compiled-spec';
import { Expander } from './expand';
import type { CheckOptions } from './explore';
import { Findings, failedBeforeSearch, planProperties, searchResult } from './findings';
import { collisionProbability } from './fingerprint';
import { memoryLimitReached } from './memory';
import { FRONT_STRIDE, levelViews, touched, type LevelBuffers, type LevelViews } from './parallel-level';
import type { FromWorker, SegmentUpdate, ToWorker, WorkerInit } from './parallel-worker';
import { ERROR, Pipeline, SEEN, STOP_AFTER_STATE, type Claim, type Sink } from './pipeline';
import { SEGMENTS } from './probe';
import { timeLimitDetail, type ActionPath, type CheckListener, type CheckResult, type LimitKind, type Stats } from './result';
import { CLAIM_NEW, CONTROL_FENCE, CONTROL_GROW, CONTROL_STOP, SharedTable, TAG_FIRST_LEVEL, TAG_OLD } from './shared-table';
import type { SpecSource } from './spec-source';
import { StateStore } from './store';
import { workerScript, TSX_ENTRY } from './worker-bundle';
import { copyWords } from './words';

export interface ParallelOptions extends CheckOptions {
  /** Worker threads (at least 1; the coordinating thread does not expand states). */
  readonly workers: number;
  /** Where the workers load the spec from, and its configuration: they build their own copy. */
  readonly source: SpecSource;
  readonly config: string;
  /**
   * Levels with fewer states than this are expanded by the coordinating thread alone, as are
   * all levels until the workers have started (default 256 per worker: one chunk each; 0 hands
   * every level to the workers).
   */
  readonly aloneBelow?: number;
  /**
   * The workers are started when a level has at least this many states (default 4 times
   * aloneBelow; 0 starts them with the run): a run whose levels all stay smaller never pays
   * for starting them (0.1-0.15 s of both cores here; v4.2 truncate-3t2i, 34,303 states:
   * 0.26-0.30 s with workers started at once, 0.15 s without, 0.11 s on one thread), at the
   * price of starting them a little later in bigger runs (1-2% on runs of one to four seconds).
   */
  readonly startAt?: number;
  /**
   * Whether the workers run one bundle of the worker and the spec's module, built with esbuild
   * as the run starts (worker-bundle.ts; default true), rather than loading the TypeScript
   * modules through tsx (the same code, ready some 0.3 s later).
   */
  readonly bundle?: boolean;
}

const MAX_LOAD = 0.75;
/** At a growth pause, segments past this load grow too, so pauses are rarer. */
const GROW_ALSO_AT = 0.6;
/** Segments are prepared for growth (prepare) when a level may take the table past this load. */
const PREPARE_AT = 0.72;
/** Segments double: rehashing is work every thread waits for, and memory is not the constraint here. */
const GROWTH = 2;
/** Slots per segment while this thread claims alone (it checks for growth after every claim). */
const SMALL_SEGMENT = 4096;

function now(): number {
  return performance.now();
}

interface Level extends LevelViews {
  readonly buffers: LevelBuffers;
  /** The states' memory as bytes (the states view's). */
  readonly bytes: Uint8Array;
  /** Id of its first state. */
  readonly start: number;
  readonly count: number;
  readonly depth: number;
}

type Expanded = Extract<FromWorker, { type: 'expanded' }>;
type Written = Extract<FromWorker, { type: 'written' }>;

/**
 * Why the parallel search cannot run with these options, or undefined. Each is a search that
 * needs one thread's order or memory: the ample-set proviso asks whether a successor has been
 * expanded, which a level's workers do not know until the level is written; a spilling table
 * and an exact one are one thread's structures (disk runs, an arena of states).
 */
export function parallelRefusal(options: CheckOptions): string | undefined {
  if ((options.strategy ?? 'bfs') !== 'bfs') return 'the parallel search is breadth-first: --workers cannot be combined with --dfs';
  if (options.por) return "--por needs to know, for each successor, whether it has been expanded already (the cycle proviso), which the parallel search's workers do not know while a level is being expanded: drop --workers or --por";
  if (options.spill) return '--spill-after (and --memory, which spills) keeps fingerprints in sorted runs on disk that one thread merges; the parallel search shares one table in memory between its workers: drop --workers or the spill';
  if (options.exact || options.fingerprintBits !== undefined) return '--exact stores whole states in an arena one thread owns; the parallel search stores fingerprints only: drop --workers or --exact';
  return undefined;
}

export async function checkParallel(spec: Spec, options: ParallelOptions, listener: CheckListener = {}): Promise<CheckResult> {
  const refused = parallelRefusal(options);
  if (refused !== undefined) throw new UsageError(refused);
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new UsageError(`workers must be a whole number of at least 1, got ${options.workers}`);
  let c: CompiledSpec;
  try {
    c = compileSpec(spec, options);
  } catch (e) {
    if (e instanceof SpecError) return failedBeforeSearch(spec, e.message, 'bfs');
    throw e;
  }
  const coordinator = new Coordinator(c, options, listener);
  try {
    return await coordinator.run();
  } finally {
    await coordinator.close();
  }
}

/**
 * The coordinating thread's claim and sink, for the levels it expands itself: alone (a new state
 * claims its fingerprint in the shared table and is written into the next level's buffers), or
 * replaying a level the workers expanded (a successor is new exactly when it is the next of the
 * states they wrote: same parent and action). Either way the new state is numbered in the store.
 */
class LevelClaim implements Claim, Sink {
  /** The level being built (alone) or replayed. */
  next!: Level;
  /** States of `next` claimed so far. */
  j = 0;
  replay = false;
  /** The shared table tag this thread claims with (a level's own, or TAG_OLD for the initial states). */
  tag = 0;

  constructor(private readonly co: Coordinator) {}

  claim(hi: number, lo: number, parent: number, action: number): number {
    const next = this.next;
    const j = this.j;
    if (this.replay) {
      if (j >= next.count || next.parent[j] !== parent || next.act[j] !== action) return SEEN;
    } else {
      const table = this.co.table;
      if (table.claim(hi, lo, this.tag) !== CLAIM_NEW) return SEEN;
      if (Atomics.load(table.control, CONTROL_GROW) !== 0) this.co.growAlone();
      if (j === next.buffers.capacity) this.next = this.co.enlarge(next, j);
      const n = this.next;
      n.parent[j] = parent;
      n.act[j] = action;
      n.hi[j] = hi;
      n.lo[j] = lo;
    }
    this.j = j + 1;
    return this.co.store.add(parent, action);
  }

  known(hi: number, lo: number): boolean {
    return this.co.table.has(hi, lo);
  }

  accept(ex: Expander, k: number): void {
    if (this.replay) return;
    ex.materializePacked(k, this.next.states, this.next.bytes, (this.j - 1) * ex.W);
  }
}

class Coordinator {
  private readonly started = now();
  private readonly spec: Spec;
  private readonly width: number;
  private readonly W: number;
  private readonly findings: Findings;
  /** Why the spec's liveness properties were left out (the parallel search keeps no state graph). */
  private readonly livenessSkipped: string | undefined;
  readonly store: StateStore;
  readonly table: SharedTable;
  private readonly ex: Expander;
  private readonly levelClaim: LevelClaim;
  /** The pipeline of the levels this thread expands (alone or replaying). */
  private readonly pipeline: Pipeline;
  /** Generated states and coverage of the levels the workers expanded. */
  private workersGenerated = 0;
  private readonly covGen: Uint32Array;
  private readonly covNew: Uint32Array;
  private readonly pathTo = (id: number): ActionPath => this.store.pathTo(id);
  private readonly workers: Worker[] = [];
  private readonly inbox: FromWorker[][] = [];
  private readonly waiting: ({ resolve(m: FromWorker): void; reject(e: Error): void } | undefined)[] = [];
  private crashed: Error | undefined;
  private closing = false;
  /** Whether the workers expanded any level (else their observers saw nothing). */
  private workersExpanded = false;
  /** Id ranges of the levels this thread expanded or replayed (its observer saw them, not the workers'). */
  private readonly replayed: [number, number][] = [];
  private initGenerated = 0;
  private maxLevel = 0;
  private queued = 0;
  private limit: { kind: LimitKind; detail: string } | undefined;
  private depthCut = false;
  private stopped = false;

  constructor(
    private readonly c: CompiledSpec,
    private readonly options: ParallelOptions,
    private readonly listener: CheckListener,
  ) {
    const spec = (this.spec = c.spec);
    const observer = c.observer;
    if (observer && !(observer.save && observer.merge)) {
      throw new UsageError(`spec ${spec.name} observes the search but cannot merge what several threads observed (observer.save/merge): run it with one worker`);
    }
    this.width = c.width;
    this.W = c.words;
    let plan = planProperties(spec, options);
    // Liveness needs the state graph, which only the sequential search records (explore.ts):
    // refused when asked for, left out (and said so in the result) by default.
    if (plan.liveness.length > 0) {
      if (options.liveness === true || plan.liveness.some((p) => options.properties?.includes(p.name))) {
        throw new UsageError('liveness cannot be checked by the parallel search (it keeps no state graph): run it on one thread');
      }
      this.livenessSkipped = 'the parallel search keeps no state graph';
      plan = { ...plan, liveness: [] };
    }
    this.findings = new Findings(plan, listener, (options.stopAt ?? 'first') === 'first', this.pathTo);
    const nActions = spec.actions.length;
    this.store = new StateStore(Math.max(nActions, c.init.length));
    // Room for every worker to overshoot a segment's limit by a few states' successors, once
    // the workers run (ensureRoom); this thread alone overshoots by a batch of counts at most.
    this.workerSegment = Math.max(SMALL_SEGMENT, Math.ceil((16 * options.workers * Math.max(64, nActions)) / (1 - MAX_LOAD)));
    this.table = new SharedTable(SharedTable.allocate(SMALL_SEGMENT, MAX_LOAD));
    this.fronts = new Int32Array(new SharedArrayBuffer(options.workers * FRONT_STRIDE * 4));
    this.ex = new Expander(c);
    this.levelClaim = new LevelClaim(this);
    this.pipeline = new Pipeline(c, this.ex, this.levelClaim, this.levelClaim, this.findings);
    this.covGen = new Uint32Array(nActions);
    this.covNew = new Uint32Array(nActions);
  }

  private get generated(): number {
    return this.initGenerated + this.pipeline.generated + this.workersGenerated;
  }

  // ---- workers ----------------------------------------------------------------------------

  private async start(): Promise<void> {
    const o = this.options;
    const script = (o.bundle ?? true) ? await workerScript(o.source) : { url: TSX_ENTRY, bundled: false };
    if (this.closing) return;
    for (let w = 0; w < o.workers; w++) {
      const init: WorkerInit = {
        source: o.source,
        config: o.config,
        worker: w,
        table: this.table.buffers,
        fronts: this.fronts.buffer as SharedArrayBuffer,
        ...(o.properties ? { properties: o.properties } : {}),
        deadlock: o.deadlock ?? true,
        canonical: o.canonical ?? true,
        symmetry: o.symmetry ?? false,
        contractChecks: o.contractChecks ?? 2000,
        inputChecks: o.inputChecks ?? 'every',
        width: this.width,
        actions: this.spec.actions.length,
      };
      const worker = new Worker(script.url, { workerData: init });
      this.inbox.push([]);
      this.waiting.push(undefined);
      worker.on('message', (m: FromWorker) => this.deliver(w, m));
      worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`worker ${w} exited with code ${code}`));
      });
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((_, w) => this.expect(w, 'ready')));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private deliver(w: number, m: FromWorker): void {
    const waiter = this.waiting[w];
    if (waiter) {
      this.waiting[w] = undefined;
      waiter.resolve(m);
    } else this.inbox[w].push(m);
  }

  private fail(e: Error): void {
    if (this.crashed) return;
    this.crashed = e;
    this.waiting.forEach((waiter, w) => {
      this.waiting[w] = undefined;
      waiter?.reject(e);
    });
  }

  private recv(w: number): Promise<FromWorker> {
    const queued = this.inbox[w].shift();
    if (queued) return Promise.resolve(queued);
    if (this.crashed) return Promise.reject(this.crashed);
    return new Promise<FromWorker>((resolve, reject) => {
      this.waiting[w] = { resolve, reject };
    });
  }

  private async expect<T extends FromWorker['type']>(w: number, type: T): Promise<Extract<FromWorker, { type: T }>> {
    const m = await this.recv(w);
    if (m.type === 'failed') throw m.spec ? new SpecError(m.message) : new Error(`worker ${w}: ${m.message}`);
    if (m.type !== type) throw new Error(`worker ${w} answered ${m.type}, expected ${type}`);
    return m as Extract<FromWorker, { type: T }>;
  }

  private send(w: number, m: ToWorker): void {
    this.workers[w].postMessage(m);
  }

  private all<T extends FromWorker['type']>(m: ToWorker | ((w: number) => ToWorker), type: T): Promise<Extract<FromWorker, { type: T }>[]> {
    for (let w = 0; w < this.workers.length; w++) this.send(w, typeof m === 'function' ? m(w) : m);
    return Promise.all(this.workers.map((_, w) => this.expect(w, type)));
  }

  // ---- the run -------------------------------------------------------------------------------

  async run(): Promise<CheckResult> {
    const options = this.options;
    try {
      if (options.signal?.aborted) {
        this.limit = { kind: 'interrupted', detail: 'interrupted' };
        return this.finish();
      }
      let level = this.initial();
      this.table.flush();
      this.queued = level.count;
      // The workers start (each loads the spec) at the first level of startAt states, while this
      // thread goes on expanding levels. Settled: the workers are ready, or failed to start
      // (awaited below, where the failure ends the run: a run asked for workers does not go on
      // without them).
      const aloneBelow = options.aloneBelow ?? 256 * options.workers;
      const startAt = options.startAt ?? 4 * aloneBelow;
      let settled = false;
      let starting: Promise<void> | undefined;
      const deadline = options.timeoutMs !== undefined ? this.started + options.timeoutMs : Infinity;
      const maxMemory = options.maxMemoryBytes ?? Infinity;
      const maxStates = options.maxStates ?? Infinity;
      const maxDepth = options.maxDepth ?? Infinity;
      let lastProgress = now();
      const progressEvery = options.progressIntervalMs ?? 1000;
      const stopWorkers = (): void => {
        Atomics.store(this.table.control, CONTROL_STOP, 1);
      };
      const onAbort = (): void => stopWorkers();
      options.signal?.addEventListener('abort', onAbort);
      // Also without limits: the heap must never fill up (memory.ts).
      const timer = setInterval(() => {
        if (now() >= deadline || memoryLimitReached(maxMemory, options.maxHeapFraction)) stopWorkers();
      }, 20);
      try {
        // The workers' expansion of `level`, when it was started before the last level's
        // bookkeeping (accept below), so that the two overlap.
        let started: Promise<Expanded[]> | undefined;
        while (!this.stopped && level.count > 0) {
          this.queued = level.count;
          if (starting === undefined && level.count >= startAt) {
            starting = this.start();
            starting.then(
              () => (settled = true),
              () => (settled = true),
            );
          }
          const t = now();
          if (t - lastProgress >= progressEvery) {
            lastProgress = t;
            this.progress();
          }
          if (this.checkLimits(deadline, maxMemory)) {
            if (started) {
              stopWorkers();
              await started;
            }
            break;
          }
          const atDepthLimit = level.depth >= maxDepth;
          if (started === undefined && (starting === undefined || level.count < aloneBelow || (!settled && aloneBelow > 0))) {
            const next = this.expandAlone(level, atDepthLimit, maxStates, undefined, deadline, maxMemory);
            this.table.flush();
            this.replayed.push([level.start, level.start + level.count]);
            this.spareLevel = level.buffers;
            level = next;
            // Let the workers' messages in (their start-up, above all).
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          let expanded: Expanded[];
          if (started) expanded = await started;
          else {
            await starting;
            this.ensureRoom();
            await this.remapWorkers();
            this.workersExpanded = true;
            expanded = await this.expandLevel(level, atDepthLimit);
          }
          started = undefined;
          if (expanded.some((e) => e.stopped)) {
            this.checkLimits(deadline, maxMemory, true);
            break;
          }
          if (expanded.some((e) => e.depthCut)) this.depthCut = true;
          // What each chunk keeps: the new states it claimed, less those a lower chunk took over.
          const kept = new Int32Array(this.chunks);
          for (const e of expanded) for (let g = 0; g < e.claimed.length; g += 2) kept[e.claimed[g]] += e.claimed[g + 1];
          for (const e of expanded) for (let g = 0; g < e.lost.length; g += 3) kept[e.lost[g]]--;
          const lost = concat(expanded.map((e) => e.lost));
          const chunkOffsets = new Int32Array(this.chunks);
          let total = 0;
          for (let c = 0; c < this.chunks; c++) {
            chunkOffsets[c] = total;
            total += kept[c];
          }
          const next = this.allocateLevel(level.start + level.count, total, level.depth + 1);
          const written = await this.all({ type: 'write', next: next.buffers, chunkOffsets, kept, lost, idBase: next.start }, 'written');
          const special = expanded.some((e) => e.special) || this.store.size + total >= maxStates;
          if (special) {
            this.expandAlone(level, atDepthLimit, maxStates, next);
            this.replayed.push([level.start, level.start + level.count]);
          } else {
            // The next level goes to the workers too: start it, then do this level's bookkeeping.
            if (next.count >= aloneBelow && next.count > 0) started = this.expandLevel(next, next.depth >= maxDepth);
            this.accept(level, next, expanded, written);
          }
          this.spareLevel = level.buffers;
          if (started) this.prepare(next, level);
          level = next;
        }
      } finally {
        clearInterval(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (!this.stopped && level.count === 0) this.queued = 0;
      if (!this.limit && this.depthCut && !this.findings.failure) this.limit = { kind: 'depth', detail: `reached --max-depth ${maxDepth}` };
      await this.mergeObservations();
      this.progress();
      return this.finish();
    } catch (e) {
      if (e instanceof SpecError) return this.finish(e.message);
      throw e;
    }
  }

  /** Returns true (and sets the limit) when the time or memory limit passed or the run was interrupted. */
  private checkLimits(deadline: number, maxMemory: number, stoppedByWorkers = false): boolean {
    if (this.options.signal?.aborted) this.limit = { kind: 'interrupted', detail: 'interrupted' };
    else if (now() >= deadline) this.limit = { kind: 'time', detail: timeLimitDetail(this.options.timeoutMs) };
    else {
      const memory = memoryLimitReached(maxMemory, this.options.maxHeapFraction);
      if (memory) this.limit = memory;
      else if (stoppedByWorkers) this.limit = { kind: 'interrupted', detail: 'interrupted' };
    }
    return this.limit !== undefined;
  }

  /**
   * A level's buffers: the spare ones (a level before last) when they are big enough, else new
   * ones with room to spare, touched here. Two worker threads that fault in fresh pages at once
   * wait for each other (the kernel's, and on a virtual machine the hypervisor's, page-table
   * locks): at 10M states that cost a second per run, while one thread touching them costs tens
   * of milliseconds. Reusing two sets of buffers also faults each page once per run, not once per level.
   */
  private allocateLevel(start: number, count: number, depth: number, room = count, fresh = false): Level {
    let buffers = fresh ? undefined : this.spareLevel;
    if (!fresh) this.spareLevel = undefined;
    if (buffers === undefined || buffers.capacity < room) {
      const capacity = Math.max(1, Math.ceil(room * 1.25));
      buffers = { capacity, states: touched(new SharedArrayBuffer(capacity * this.width)), meta: touched(new SharedArrayBuffer(capacity * 16)) };
    }
    return { buffers, ...levelViews(buffers), bytes: new Uint8Array(buffers.states), start, count, depth };
  }

  /** The buffers of a level no thread reads any more, for allocateLevel to reuse. */
  private spareLevel: LevelBuffers | undefined;

  /** Initial states, as the sequential search takes them (the pipeline's claimInitial); returns level 1. */
  private initial(): Level {
    const c = this.c;
    const constraint = this.spec.constraint;
    const fp = new Int32Array(2);
    const claim = this.levelClaim;
    claim.replay = false;
    claim.tag = TAG_OLD;
    claim.j = 0;
    claim.next = this.allocateLevel(0, 0, 1, Math.max(1, c.init.length));
    for (let k = 0; k < c.init.length && !this.stopped; k++) {
      const s = c.init[k];
      this.initGenerated++;
      if (constraint && !constraint(s)) continue;
      this.ex.fingerprint(s, fp);
      const { handle, stop } = this.pipeline.claimInitial(s, k, fp[0], fp[1]);
      if (handle < 0) continue;
      this.maxLevel = 1;
      c.layout.pack(s, claim.next.bytes, (claim.j - 1) * this.width);
      if (stop) this.stopped = true;
    }
    return { ...claim.next, count: claim.j };
  }

  /** Chunks of the level being expanded (levelChunks). */
  private chunks = 0;
  /** Per stream of chunks, the next chunk to hand out (one 64-byte line each). */
  private readonly fronts: Int32Array;
  /** The tag of the next level's first chunk in the shared table (shared-table.ts). */
  private levelBase = TAG_FIRST_LEVEL;

  /** The workers expand the level's chunks; pauses for growth are handled here. */
  private async expandLevel(level: Level, atDepthLimit: boolean): Promise<Expanded[]> {
    const N = this.workers.length;
    const deadlock = this.findings.deadlockWanted && !this.findings.deadlockFound;
    const { bounds, streams } = levelChunks(level.count, N);
    this.chunks = bounds.length - 1;
    for (let s = 0; s < N; s++) Atomics.store(this.fronts, s * FRONT_STRIDE, streams[s]);
    const levelBase = this.levelBase;
    this.levelBase += this.chunks;
    const open = (done: boolean[]): number[] => done.flatMap((d, i) => (d ? [] : [i]));
    const invariants = open(this.findings.violated);
    const witnesses = open(this.findings.witnessed);
    for (let w = 0; w < N; w++) {
      this.send(w, { type: 'expand', level: level.buffers, start: level.start, count: level.count, levelBase, bounds, streams, chunks: this.chunks, atDepthLimit, deadlock, invariants, witnesses });
    }
    const done: (Expanded | undefined)[] = new Array(N).fill(undefined);
    for (;;) {
      const replies = await Promise.all(this.workers.map((_, w) => (done[w] ? Promise.resolve(undefined) : this.recv(w))));
      const paused: number[] = [];
      replies.forEach((m, w) => {
        if (m === undefined) return;
        if (m.type === 'failed') throw m.spec ? new SpecError(m.message) : new Error(`worker ${w}: ${m.message}`);
        if (m.type === 'expanded') done[w] = m;
        else if (m.type === 'paused') paused.push(w);
        else throw new Error(`worker ${w} answered ${m.type} while expanding`);
      });
      if (Atomics.load(this.table.control, CONTROL_GROW) !== 0) await this.grow();
      if (paused.length === 0) return done as Expanded[];
      for (const w of paused) this.send(w, { type: 'continue' });
    }
  }

  /** Grows the crowded segments while every worker waits: each worker rehashes some. */
  private async grow(): Promise<void> {
    const updates = this.newSegments();
    const N = this.workers.length;
    await this.all((w) => ({ type: 'grow', updates, mine: updates.flatMap((u, j) => (j % N === w ? [u.segment] : [])) }), 'grown');
    Atomics.load(this.table.control, CONTROL_FENCE);
    this.installSegments(updates);
    await this.all({ type: 'resume' }, 'resumed');
    if (Atomics.load(this.table.control, CONTROL_GROW) !== 0) await this.grow();
  }

  /** Bigger, empty segments for the crowded ones: the prepared ones, or new ones. */
  private newSegments(): SegmentUpdate[] {
    const t = this.table;
    t.flush();
    return t.crowded(GROW_ALSO_AT).map((segment) => {
      const bytes = t.grownBytes(segment, GROWTH);
      const ready = this.prepared[segment];
      this.prepared[segment] = undefined;
      // Touched here, by one thread, for the reason given at allocateLevel.
      return { segment, slots: ready?.byteLength === bytes ? ready : touched(new SharedArrayBuffer(bytes)) };
    });
  }

  /** Per segment, the touched memory it will grow into, allocated ahead (prepare). */
  private readonly prepared: (SharedArrayBuffer | undefined)[] = new Array(SEGMENTS).fill(undefined);

  /**
   * Allocates ahead, while the workers expand `level` (this thread is otherwise idle): the
   * memory the table's segments grow into, when this level's new states will likely pass the
   * growth limit, and the buffers of the level after it, when the spare ones are too small.
   * Done at the growth pause or between levels instead, the page faults of up to 200 MiB
   * (50-270 ms on this machine) would keep both workers waiting. The estimate: this level's
   * new states are its own count times the ratio of its count to the last one's, and a quarter.
   */
  private prepare(level: Level, previous: Level): void {
    const ratio = Math.min(4, Math.max(0.25, level.count / Math.max(1, previous.count)));
    const expected = Math.ceil(level.count * ratio);
    const estimate = Math.ceil(expected * 1.25);
    const t = this.table;
    let capacity = 0;
    for (let s = 0; s < SEGMENTS; s++) capacity += t.capacity(s);
    if (t.size + estimate > PREPARE_AT * capacity) {
      for (let s = 0; s < SEGMENTS; s++) {
        const bytes = t.grownBytes(s, GROWTH);
        if (this.prepared[s]?.byteLength !== bytes) this.prepared[s] = touched(new SharedArrayBuffer(bytes));
      }
    }
    // (allocateLevel gives a level's buffers a quarter more room than asked)
    if (this.spareLevel === undefined || this.spareLevel.capacity < expected) {
      this.spareLevel = this.allocateLevel(0, 0, 0, expected, true).buffers;
    }
  }

  /** Maps rehashed segments here and sets their limits; raises the growth flag again if a segment is still over. */
  private installSegments(updates: readonly SegmentUpdate[]): void {
    const t = this.table;
    t.remap(updates);
    for (const u of updates) t.limits[u.segment] = Math.floor(t.capacity(u.segment) * MAX_LOAD);
    Atomics.store(t.control, CONTROL_GROW, 0);
    // A segment may still be over its limit if the others were grown first: check again.
    for (let s = 0; s < SEGMENTS; s++) if (t.count(s) >= t.limits[s]) Atomics.store(t.control, CONTROL_GROW, 1);
  }

  /** A level with nothing to stop the run: take the workers' figures and witnesses. */
  private accept(level: Level, next: Level, expanded: readonly Expanded[], written: readonly Written[]): void {
    for (const e of expanded) {
      this.workersGenerated += e.generated;
      for (let a = 0; a < e.covGen.length; a++) this.covGen[a] += e.covGen[a];
    }
    for (const w of written) for (let a = 0; a < w.covNew.length; a++) this.covNew[a] += w.covNew[a];
    this.store.addMany(next.parent, next.act, 0, next.count);
    if (next.count > 0) this.maxLevel = Math.max(this.maxLevel, next.depth);
    else this.maxLevel = Math.max(this.maxLevel, level.depth);
    // Witnesses in the order the sequential search meets them: by id, then property order.
    const found = written.flatMap((w) => w.witnesses).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [i, id] of found) {
      if (this.findings.witnessed[i]) continue;
      this.findings.witnessed[i] = true;
      this.findings.record({ property: this.findings.witnesses[i].name, kind: 'witness', path: this.store.pathTo(id) });
    }
  }

  /**
   * Expands a level on this thread, in the sequential order, with the sequential search's checks:
   * properties, deadlocks, errors, --max-states and the observer behave exactly as there (the
   * same pipeline, pipeline.ts). With `replayOf` (the next level as the workers wrote it), a
   * successor is new exactly when it is the next of those states (same parent and action): the
   * replay of a level that may stop the run. Without it, new states are claimed in the shared
   * table and the next level is built here (small levels, and the levels before the workers are
   * up); time, memory and Ctrl-C are then checked every 1024 states, as the event loop does not
   * run meanwhile.
   */
  private expandAlone(level: Level, atDepthLimit: boolean, maxStates: number, replayOf?: Level, deadline = Infinity, maxMemory = Infinity): Level {
    const c = this.c;
    const W = this.W;
    const f = this.findings;
    const observer = c.observer;
    const pipeline = this.pipeline;
    const curWords = new Int32Array(W);
    const curBytes = new Uint8Array(curWords.buffer);
    const { cur, load } = c.expansionState(curBytes);
    const contractChecks = this.options.contractChecks ?? 2000;
    const inputChecks = inputCheckOf(c, this.options.inputChecks).check;
    const claim = this.levelClaim;
    claim.replay = replayOf !== undefined;
    claim.tag = this.levelBase++;
    claim.j = 0;
    claim.next = replayOf ?? this.allocateLevel(level.start + level.count, 0, level.depth + 1, Math.max(64, 2 * level.count));
    const done = (): Level => (replayOf ? claim.next : { ...claim.next, count: claim.j });
    for (let i = 0; i < level.count; i++) {
      if (replayOf === undefined && (i & 1023) === 1023 && this.checkLimits(deadline, maxMemory)) {
        this.stopped = true;
        this.queued = level.count - i + claim.j;
        return done();
      }
      const id = level.start + i;
      copyWords(level.states, i * W, curWords, 0, W);
      load();
      if (level.depth > this.maxLevel) this.maxLevel = level.depth;
      observer?.beforeExpand(id);
      const r = pipeline.run(cur, curBytes, curWords, id, level.depth, level.hi[i], level.lo[i], id < contractChecks ? 'action' : inputChecks, atDepthLimit);
      if (pipeline.deepest > this.maxLevel) this.maxLevel = pipeline.deepest;
      if (r === ERROR) throw this.ex.error!;
      if (r >= 0) {
        // Like the sequential search, the state that stops the run is not queued.
        this.stopAt(id, r, level.count - i - 1 + claim.j - 1);
        return done();
      }
      if (r === STOP_AFTER_STATE) {
        this.stopAt(id, Number.MAX_SAFE_INTEGER, level.count - i - 1 + claim.j);
        return done();
      }
      if (!f.stopAtFirst && f.allFailuresFound()) {
        this.stopAt(id, Number.MAX_SAFE_INTEGER, level.count - i - 1 + claim.j);
        return done();
      }
      if (this.store.size >= maxStates) {
        const queued = level.count - i - 1 + claim.j;
        if (queued > 0) this.limit = { kind: 'states', detail: `reached --max-states ${maxStates}` };
        this.stopAt(id, Number.MAX_SAFE_INTEGER, queued);
        return done();
      }
    }
    if (pipeline.depthCut) this.depthCut = true;
    if (replayOf !== undefined && claim.j !== replayOf.count) throw new Error(`replaying level ${level.depth} met ${claim.j} of its ${replayOf.count} new states`);
    return done();
  }

  /** A copy of a level being built with twice the room (its first `n` states). */
  enlarge(l: Level, n: number): Level {
    const bigger = this.allocateLevel(l.start, 0, l.depth, 2 * l.buffers.capacity, true);
    bigger.states.set(l.states.subarray(0, n * this.W));
    bigger.parent.set(l.parent.subarray(0, n));
    bigger.act.set(l.act.subarray(0, n));
    bigger.hi.set(l.hi.subarray(0, n));
    bigger.lo.set(l.lo.subarray(0, n));
    return bigger;
  }

  /**
   * Grows the crowded segments on this thread (while the workers do not run); the workers map
   * the new segments before their next level (remapWorkers).
   */
  growAlone(): void {
    this.rehashAlone(this.newSegments());
    if (Atomics.load(this.table.control, CONTROL_GROW) !== 0) this.growAlone();
  }

  /** Rehashes segments into their replacements on this thread; the workers map them later (remapWorkers). */
  private rehashAlone(updates: readonly SegmentUpdate[]): void {
    for (const u of updates) SharedTable.rehash(this.table.segment(u.segment), new Int32Array(u.slots));
    this.installSegments(updates);
    this.unmapped.push(...updates);
  }

  /** The least slots of a segment while the workers claim (constructor). */
  private readonly workerSegment: number;

  /**
   * Before the workers' first level: grows every segment smaller than workerSegment to that
   * size, on this thread. The table starts smaller: a run that never starts its workers (every
   * level under startAt) works in a table of its own size (v4.2 mkwrite-freeze-3t2i, 3,750
   * states and 208 actions: 0.078 s in the 20 MiB the workers need, 0.049 s in 3 MiB; 0.051 s
   * on one thread).
   */
  private ensureRoom(): void {
    const t = this.table;
    t.flush();
    const updates: SegmentUpdate[] = [];
    for (let s = 0; s < SEGMENTS; s++) {
      if (t.capacity(s) >= this.workerSegment) continue;
      // Touched here, by one thread, for the reason given at allocateLevel.
      updates.push({ segment: s, slots: touched(new SharedArrayBuffer(SharedTable.segmentBytes(this.workerSegment))) });
    }
    this.rehashAlone(updates);
  }

  /** Segments the workers have not mapped yet: grown while this thread expanded alone. */
  private readonly unmapped: SegmentUpdate[] = [];

  private async remapWorkers(): Promise<void> {
    if (this.unmapped.length === 0) return;
    const updates = this.unmapped.splice(0);
    await this.all({ type: 'grow', updates, mine: [] }, 'grown');
    await this.all({ type: 'resume' }, 'resumed');
  }

  private stopAt(id: number, action: number, queued: number): void {
    this.stopped = true;
    this.queued = queued;
    if (action !== Number.MAX_SAFE_INTEGER) this.c.observer?.rewind?.(id, action);
  }

  private async mergeObservations(): Promise<void> {
    const observe = this.c.observer;
    if (!observe?.merge || !this.workersExpanded) return;
    const saved = (await this.all({ type: 'save' }, 'saved')).map((s) => s.data);
    const replayed = this.replayed;
    observe.merge(saved, (id) => !replayed.some(([a, b]) => id >= a && id < b));
  }

  private stats(): Stats {
    return {
      distinct: this.store.size,
      generated: this.generated,
      depth: this.maxLevel,
      queued: this.queued,
      elapsedMs: now() - this.started,
      collisionProbability: collisionProbability(this.store.size, this.generated),
      storeBytes: this.table.bytes + this.prepared.reduce((n, b) => n + (b?.byteLength ?? 0), 0) + this.store.bytes,
    };
  }

  private progress(): void {
    this.listener.onProgress?.({ distinct: this.store.size, generated: this.generated, depth: this.maxLevel, queued: this.queued, elapsedMs: now() - this.started });
  }

  private finish(error?: string): CheckResult {
    return searchResult(this.spec, this.findings, {
      stats: this.stats(),
      coverage: { generated: sum(this.covGen, this.pipeline.covGen), distinct: sum(this.covNew, this.pipeline.covNew) },
      limit: this.limit,
      error,
      strategy: 'bfs',
      ...(this.livenessSkipped !== undefined ? { livenessSkipped: this.livenessSkipped } : {}),
      pathTo: (id) => this.store.pathTo(id),
      contract: { perAction: Math.min(this.store.size - this.queued, this.options.contractChecks ?? 2000), inputWrites: inputCheckOf(this.c, this.options.inputChecks).reported },
    });
  }
}

function sum(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}



/**
 * Where the chunks of `count` states (a stream of a level: levelChunks) start, and, last, where
 * they end: chunks of at least 256 states, at most a 32nd per worker of them, and smaller
 * toward the end (an eighth per worker of what is left), so that the workers run out of chunks
 * at nearly the same moment: with equal chunks one waited for the other a chunk's time at every
 * level (20-30 ms on TwoPhase's big levels, 0.15 s in an rm9 run). Few enough that a chunk is
 * worth taking from a shared counter.
 */
export function chunkBounds(count: number, workers: number): Int32Array {
  const most = Math.max(256, Math.ceil(count / (32 * workers)));
  const out = [0];
  let at = 0;
  while (at < count) {
    const size = Math.max(256, Math.min(most, Math.ceil((count - at) / (8 * workers))));
    at = Math.min(count, at + size);
    out.push(at);
  }
  return Int32Array.from(out);
}

/**
 * A level's chunks, in N streams (N = workers): stream s is the s-th Nth of the level's states,
 * cut by chunkBounds, and `streams[s]` is its first chunk (`streams[N]` is the chunk count).
 * Worker w takes the chunks of stream w in order, then helps the streams after it (w+1, ...,
 * wrapping), each taken from its front. The workers start far apart in the level: two workers
 * on neighbouring chunks meet the same fresh successors at the same moment, and each reads the
 * table lines the other has just written (on the DAX specs, whose neighbouring states share
 * most successors, a tenth of the workers' time). A worker that moves on to a stream before
 * its own takes lower chunks than it had (parallel-worker.ts handles that).
 */
export function levelChunks(count: number, workers: number): { bounds: Int32Array; streams: Int32Array } {
  const bounds = [0];
  const streams = new Int32Array(workers + 1);
  for (let s = 0; s < workers; s++) {
    streams[s] = bounds.length - 1;
    const from = Math.floor((count * s) / workers);
    const to = Math.floor((count * (s + 1)) / workers);
    const part = chunkBounds(to - from, workers);
    for (let c = 1; c < part.length; c++) bounds.push(from + part[c]);
  }
  streams[workers] = bounds.length - 1;
  return { bounds: Int32Array.from(bounds), streams };
}

function concat(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
