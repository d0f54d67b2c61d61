// The sequential search: BFS (a FIFO frontier, shortest counterexamples) and DFS (a LIFO
// frontier) over a seen set, each state taken through the per-successor pipeline (pipeline.ts)
// with a claim that inserts into the seen set and numbers new states in the store. The hot loop
// is synchronous and runs a few hundred expansions at a time; between slices the driver yields
// to the event loop so that Ctrl-C, timeouts and progress are seen promptly. With liveness
// properties the pipeline records the state graph (state-graph.ts) for the fair-cycle search.
import { SpecError, UsageError } from '../core/errors';
import { resolveFairness } from '../core/liveness';
import type { AmpleSet, Spec, State } from '../core/spec';
import { compileSpec, inputCheckOf, type CompiledSpec } from './compiled-spec';
import { Expander } from './expand';
import { collisionProbability } from './fingerprint';
import { Findings, failedBeforeSearch, planProperties, searchResult } from './findings';
import { IdTable } from './id-table';
import { allocationFailure, diskFailure, memoryLimitReached } from './memory';
import { CONTINUE, ERROR, Pipeline, SEEN, STOP_AFTER_STATE, type Claim, type Proviso, type Sink } from './pipeline';
import { timeLimitDetail, type ActionPath, type CheckListener, type CheckResult, type LimitKind, type Stats } from './result';
import { seenSetFor, type SeenSet } from './seen-set';
import { Frontier, StateStore } from './store';
import { StateGraph } from './state-graph';
import { findLasso } from './fair-cycles';

export interface CheckOptions {
  readonly strategy?: 'bfs' | 'dfs';
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
  /** Stop when the process's resident memory passes this many bytes. */
  readonly maxMemoryBytes?: number;
  /** Stop when V8's heap is this full, as a share of its room (default 0.85; see memory.ts). */
  readonly maxHeapFraction?: number;
  /** Report deadlocks (default true). */
  readonly deadlock?: boolean;
  /** Only these properties are checked (default: all). */
  readonly properties?: readonly string[];
  /** Stop at the first failing discovery (default) or keep going until every property has one. */
  readonly stopAt?: 'first' | 'all';
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Use the spec's canonical() (symmetry / view) when deduplicating (default true). */
  readonly canonical?: boolean;
  /** Deduplicate on the spec's symmetry() representative too (default false). */
  readonly symmetry?: boolean;
  /**
   * Partial-order reduction through the spec's reduction() (default false). Verdicts stay; a
   * BFS counterexample is then the shortest in the reduced graph, not necessarily overall.
   */
  readonly por?: boolean;
  /**
   * Keep at most `memoryEntries` fingerprints in memory and the rest in sorted runs on disk
   * (TLC's disk FPSet), in `dir` or a fresh temporary directory that is removed at the end.
   */
  readonly spill?: { readonly memoryEntries: number; readonly dir?: string };
  /**
   * The first expansions of a run check the action contract after every action, naming the
   * action that broke it (and check a spec's write log against the whole state): default 2000.
   */
  readonly contractChecks?: number;
  /**
   * After those: whether every expansion still checks that no action wrote its input state
   * (`every`, the default: once per state, a comparison of the state with its stored form), or
   * none does (`sampled`: only the first contractChecks expansions were checked).
   */
  readonly inputChecks?: 'every' | 'sampled';
  /**
   * Store whole states beside their fingerprints (exact-table.ts): different states with the same
   * fingerprint are both explored, and the collisions found are counted (stats.collisions).
   */
  readonly exact?: boolean;
  /** For tests: keep only the low N bits (1..64) of each fingerprint, to force collisions. */
  readonly fingerprintBits?: number;
  /**
   * The spec's liveness properties (they need the whole state graph): true checks them and
   * refuses options that cannot (a UsageError with the reason, as does naming one in
   * `properties`); false leaves them out; by default they are checked where the options allow,
   * and otherwise left out with the reason in CheckResult.livenessSkipped.
   */
  readonly liveness?: boolean;
}

/**
 * Why these options cannot check liveness soundly, or undefined when they can. A liveness check
 * needs every edge of the state graph between the states themselves, so a representative
 * (symmetry, a view), a reduced graph (--por), fingerprints on disk (--spill-after) or whole
 * states compared (--exact) are refused rather than giving a false or vacuous answer.
 */
export function livenessObstacle(spec: Spec, options: CheckOptions): string | undefined {
  if (options.symmetry && spec.symmetry) return 'symmetry reduction merges states whose cycles differ (a lasso would close on a permutation of its state, not the state)';
  if ((options.canonical ?? true) && spec.canonical) return "the spec's view (canonical()) merges states the liveness properties may tell apart";
  if (options.por) return 'partial-order reduction keeps safety verdicts only (it may cut the cycles a fair behaviour needs)';
  if (options.spill) return 'a spilled seen table keeps no state ids on disk, and the state graph needs them';
  if (options.exact) return 'the state graph is kept by fingerprint; whole-state storage (--exact) does not give it ids yet';
  if (options.fingerprintBits !== undefined && options.fingerprintBits !== 64) return 'narrowed fingerprints merge states';
  return undefined;
}

const SLICE_MS = 25;
/** Expansions per synchronous slice of the search. */
const SLICE_EXPANSIONS = 256;

function now(): number {
  return performance.now();
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export { planProperties, type PropertyPlan } from './findings';
export { representative } from './compiled-spec';

export async function check(spec: Spec, options: CheckOptions = {}, listener: CheckListener = {}): Promise<CheckResult> {
  const strategy = options.strategy ?? 'bfs';
  let c: CompiledSpec;
  try {
    c = compileSpec(spec, options);
  } catch (e) {
    if (e instanceof SpecError) return failedBeforeSearch(spec, e.message, strategy);
    throw e;
  }
  return new Search(c, options, listener).run();
}

/**
 * The claim of the sequential search: a state is new when the seen set takes it; it is then
 * numbered in the store (its parent and action) and, where the ids are kept beside the seen
 * set, given its id there.
 */
class StoreClaim implements Claim {
  constructor(
    private readonly seen: SeenSet,
    private readonly store: StateStore,
    /** Ids kept beside a seen set that does not number its states (--por over a narrowed or spilling set). */
    private readonly separateIds: IdTable | undefined,
    /** Whether a duplicate's id is wanted (the state graph is recorded). */
    private readonly seenIds: boolean,
  ) {}

  claim(hi: number, lo: number, parent: number, action: number, key: Uint8Array | undefined): number {
    if (!this.seen.insert(hi, lo, key)) {
      if (!this.seenIds) return SEEN;
      const id = this.separateIds !== undefined ? this.separateIds.get(hi, lo) : (this.seen.foundId?.() ?? -1);
      return id >= 0 ? -2 - id : SEEN;
    }
    const id = this.store.add(parent, action);
    this.separateIds?.set(hi, lo, id);
    return id;
  }

  known(hi: number, lo: number, key: Uint8Array | undefined): boolean {
    return this.seen.has(hi, lo, key);
  }
}

/** New states go to the frontier, packed, with their fingerprints. */
class FrontierSink implements Sink {
  constructor(private readonly frontier: Frontier) {}

  accept(ex: Expander, k: number, handle: number, depth: number): void {
    this.frontier.pushSuccessor(ex, k, handle, depth);
  }
}

class Search implements Proviso {
  private readonly started = now();
  private readonly spec: Spec;
  private readonly strategy: 'bfs' | 'dfs';
  private readonly stopAtFirst: boolean;
  private readonly maxStates: number;
  private readonly maxDepth: number;
  private readonly contractChecks: number;
  private readonly inputChecks: ReturnType<typeof inputCheckOf>;
  private readonly findings: Findings;
  private readonly seen: SeenSet;
  private readonly store: StateStore;
  private readonly frontier: Frontier;
  private readonly ex: Expander;
  private readonly pipeline: Pipeline;
  private readonly pathTo = (id: number): ActionPath => this.store.pathTo(id);
  /** The run's ample-set function (--por), if the spec offers one for the checked properties. */
  private readonly ample: AmpleSet | undefined;
  /** Fingerprint -> id and which states were expanded, for the cycle proviso (--por) and the state graph. */
  private readonly ids: IdTable | undefined;
  /** `ids` where it is not also the seen set (a spilling or narrowed table): ids set apart. */
  private readonly separateIds: IdTable | undefined;
  /** Liveness: the state graph the pipeline records as the search goes (the seen set gives ids). */
  private readonly graph: StateGraph | undefined;
  private livenessMs = 0;
  private livenessRan = false;
  /** Why the spec's liveness properties were left out of this run (by default, where the options cannot check them). */
  private livenessSkipped: string | undefined;

  /** The state being expanded, as the pipeline expands it (expansionState), and packed. */
  private readonly cur: State;
  private readonly curBytes: Uint8Array;
  private readonly curWords: Int32Array;
  private readonly meta = new Int32Array(3);
  private readonly load: () => void;

  private maxLevel = 0;
  private limit: { kind: LimitKind; detail: string } | undefined;
  private expansions = 0;
  private stopped = false;

  constructor(
    private readonly c: CompiledSpec,
    private readonly options: CheckOptions,
    private readonly listener: CheckListener,
  ) {
    const spec = (this.spec = c.spec);
    this.strategy = options.strategy ?? 'bfs';
    this.stopAtFirst = (options.stopAt ?? 'first') === 'first';
    this.maxStates = options.maxStates ?? Infinity;
    this.maxDepth = options.maxDepth ?? Infinity;
    this.contractChecks = options.contractChecks ?? 2000;
    this.inputChecks = inputCheckOf(c, options.inputChecks);
    let plan = planProperties(spec, options);
    if (plan.liveness.length > 0) {
      const obstacle = livenessObstacle(spec, options);
      const required = options.liveness === true || plan.liveness.some((p) => options.properties?.includes(p.name));
      if (obstacle !== undefined && required) throw new UsageError(`liveness cannot be checked here: ${obstacle}`);
      if (obstacle !== undefined) {
        this.livenessSkipped = obstacle;
        plan = { ...plan, liveness: [] };
      } else this.graph = new StateGraph(plan.liveness, spec.actions.length);
    }
    // The state graph needs the id of every successor, seen before or not: the seen set then
    // numbers its states (livenessObstacle leaves out the sets that cannot).
    let wantIds = this.graph !== undefined;
    if (options.por) {
      this.ample = spec.reduction?.(new Set([...plan.invariants, ...plan.witnesses].map((p) => p.name)));
      if (this.ample) wantIds = true;
    }
    // Under --exact two states may share a fingerprint, so ids by fingerprint are not exact:
    // the proviso then falls back to "never seen".
    if (options.exact) wantIds = false;
    // With plain fingerprints the ids' table is the seen set itself (IdTable.insert numbers
    // the states as the store does); a spilling or narrowed seen set keeps them apart.
    const plain = options.spill === undefined && (options.fingerprintBits ?? 64) === 64;
    this.ids = wantIds ? new IdTable() : undefined;
    this.seen = this.ids !== undefined && plain ? this.ids : seenSetFor({ exact: options.exact, spill: options.spill, fingerprintBits: options.fingerprintBits }, c.width);
    this.separateIds = this.ids === this.seen ? undefined : this.ids;
    // Roots keep their initial-state index in the action slot, so size it for both.
    this.store = new StateStore(Math.max(c.actions.length, c.init.length));
    this.findings = new Findings(plan, listener, this.stopAtFirst, this.pathTo);
    this.frontier = new Frontier(c.width, this.strategy === 'dfs');
    this.ex = new Expander(c);
    this.pipeline = new Pipeline(c, this.ex, new StoreClaim(this.seen, this.store, this.separateIds, this.graph !== undefined), new FrontierSink(this.frontier), this.findings, {
      needsKey: options.exact === true,
      ...(this.graph ? { graph: this.graph } : {}),
      ...(this.ample ? { ample: { set: this.ample, proviso: this } } : {}),
    });
    this.curWords = new Int32Array(c.words);
    this.curBytes = new Uint8Array(this.curWords.buffer);
    const st = c.expansionState(this.curBytes);
    this.cur = st.cur;
    this.load = st.load;
  }

  private get generated(): number {
    return this.pipeline.generated + this.initGenerated;
  }

  private initGenerated = 0;

  private stats(): Stats {
    const figures = this.seen.figures?.() ?? {};
    return {
      distinct: this.seen.size,
      generated: this.generated,
      depth: Math.max(this.maxLevel, this.pipeline.deepest),
      queued: this.queued,
      elapsedMs: now() - this.started,
      collisionProbability: collisionProbability(this.seen.size, this.generated),
      // The proviso's ids count too where they are kept beside the seen set.
      storeBytes: this.seen.bytes + this.store.bytes + (this.separateIds?.bytes ?? 0) + (this.graph?.bytes ?? 0),
      peakStoreBytes: this.seen.peakBytes + this.store.bytes + (this.separateIds?.peakBytes ?? 0) + (this.graph?.peakBytes ?? 0),
      ...(this.graph && this.livenessRan ? { edges: this.graph.edges, livenessMs: this.livenessMs } : {}),
      ...figures,
    };
  }

  private finish(error?: string): CheckResult {
    const p = this.pipeline;
    return searchResult(this.spec, this.findings, {
      stats: this.stats(),
      coverage: { generated: p.covGen, distinct: p.covNew },
      limit: this.limit,
      error,
      strategy: this.strategy,
      ...(this.options.por ? { reduction: { available: this.ample !== undefined, ample: p.ampleUsed, tried: p.ampleTried } } : {}),
      ...(this.livenessSkipped !== undefined ? { livenessSkipped: this.livenessSkipped } : {}),
      pathTo: this.pathTo,
      contract: { perAction: Math.min(this.expansions, this.contractChecks), inputWrites: this.inputChecks.reported },
    });
  }

  private progress(): void {
    this.listener.onProgress?.({
      distinct: this.seen.size,
      generated: this.generated,
      depth: Math.max(this.maxLevel, this.pipeline.deepest),
      queued: this.queued,
      elapsedMs: now() - this.started,
    });
  }

  async run(): Promise<CheckResult> {
    const options = this.options;
    const deadline = options.timeoutMs !== undefined ? this.started + options.timeoutMs : Infinity;
    const maxMemory = options.maxMemoryBytes ?? Infinity;
    const progressEvery = options.progressIntervalMs ?? 1000;
    if (options.signal?.aborted) {
      this.limit = { kind: 'interrupted', detail: 'interrupted' };
      this.stopped = true;
    }
    try {
      this.initial();
      let lastYield = now();
      let lastProgress = lastYield;
      while (!this.stopped && this.queued > 0) {
        this.expandSome(SLICE_EXPANSIONS);
        if (this.stopped) break;
        const t = now();
        if (t - lastYield < SLICE_MS) continue;
        if (t >= deadline) {
          this.limit = { kind: 'time', detail: timeLimitDetail(options.timeoutMs) };
          break;
        }
        const memory = memoryLimitReached(maxMemory, options.maxHeapFraction);
        if (memory) {
          this.limit = memory;
          break;
        }
        if (t - lastProgress >= progressEvery) {
          lastProgress = t;
          this.progress();
        }
        await yieldToEventLoop();
        lastYield = now();
        if (options.signal?.aborted) {
          this.limit = { kind: 'interrupted', detail: 'interrupted' };
          break;
        }
      }
      if (!this.limit && this.pipeline.depthCut && !this.findings.failure) this.limit = { kind: 'depth', detail: `reached --max-depth ${this.maxDepth}` };
      this.checkLiveness();
      this.progress();
      return this.finish();
    } catch (e) {
      if (e instanceof SpecError) return this.finish(e.message);
      const memory = allocationFailure(e) ?? (this.options.spill !== undefined ? diskFailure(e) : undefined);
      if (memory) {
        this.limit = memory;
        return this.finish();
      }
      throw e;
    } finally {
      this.seen.close?.();
    }
  }

  /**
   * The liveness properties, over the graph recorded (after an early stop, over the states
   * expanded: a lasso among them is real, since their steps are all known).
   */
  private checkLiveness(): void {
    const graph = this.graph;
    const f = this.findings;
    // After an interruption, a time limit or the memory limit the run stops as it is: the search
    // for fair cycles would run past the limit the user set.
    const over = this.limit?.kind === 'interrupted' || this.limit?.kind === 'time' || this.limit?.kind === 'memory';
    if (graph === undefined || (f.failure && this.stopAtFirst) || over) return;
    const t0 = now();
    this.livenessRan = true;
    f.liveness.forEach((p, column) => {
      if (f.failure && this.stopAtFirst) return;
      const groups = resolveFairness(this.spec, p.fairness);
      const found = findLasso(graph, { form: p.form, column, groups }, this.spec.actions.length);
      if (found.lasso) f.record({ property: p.name, kind: 'liveness', path: found.lasso });
    });
    this.livenessMs = now() - t0;
  }

  private initial(): void {
    const c = this.c;
    const constraint = this.spec.constraint;
    const fp = new Int32Array(2);
    const words = new Int32Array(c.words);
    const bytes = new Uint8Array(words.buffer);
    for (let k = 0; k < c.init.length && !this.stopped; k++) {
      const s = c.init[k];
      this.initGenerated++;
      if (constraint && !constraint(s)) continue;
      this.ex.fingerprint(s, fp);
      const { handle, stop } = this.pipeline.claimInitial(s, k, fp[0], fp[1]);
      if (handle < 0) continue;
      this.maxLevel = 1;
      if (stop) {
        this.stopped = true;
        continue;
      }
      c.layout.pack(s, bytes);
      this.frontier.push(bytes, handle, 1, fp[0], fp[1]);
    }
  }

  /**
   * C0 and C3 of the ample-set method for the subset just expanded: it has an enabled action,
   * and no successor through it has been expanded already (this state included). On a cycle of
   * the reduced graph, the state expanded last has its successor on the cycle expanded before
   * it, so it is expanded in full: every cycle has a fully expanded state, in any search order.
   * (Under --exact: no successor has been seen at all, a stronger condition.)
   */
  holds(ex: Expander): boolean {
    if (!ex.enabled || ex.error !== undefined || ex.count === 0) return false;
    const ids = this.ids;
    for (let k = 0; k < ex.count; k++) {
      if (ex.pruned[k] !== 0) return false;
      if (ids === undefined) {
        if (this.seen.has(ex.hi[k], ex.lo[k])) return false;
        continue;
      }
      const id = ids.get(ex.hi[k], ex.lo[k]);
      if (id >= 0 && ids.expanded(id)) return false;
    }
    return true;
  }

  /** States waiting to be expanded. */
  private get queued(): number {
    return this.frontier.size;
  }

  /** The search stops after `action` of the state being processed (MAX: after all of it). */
  private stop(id: number, action: number): void {
    this.stopped = true;
    if (action !== Number.MAX_SAFE_INTEGER) this.c.observer?.rewind?.(id, action);
  }

  /**
   * Expands up to `budget` states. Each state's successors are all made first (Expander), then
   * taken in action order exactly as a one-at-a-time search would: same ids, same discoveries,
   * the same counts and observations if it stops on one (the observer is rewound).
   */
  private expandSome(budget: number): void {
    const c = this.c;
    const frontier = this.frontier;
    const pipeline = this.pipeline;
    const observer = c.observer;
    const ids = this.ids;
    const cur = this.cur;
    const curBytes = this.curBytes;
    const curWords = this.curWords;
    const meta = this.meta;
    const maxDepth = this.maxDepth;
    const load = this.load;
    for (let n = 0; n < budget; n++) {
      if (frontier.size === 0) return;
      const id = frontier.pop(curBytes, meta);
      const depth = meta[0];
      if (depth > this.maxLevel) this.maxLevel = depth;
      load();
      observer?.beforeExpand(id);
      ids?.markExpanded(id);
      const check = this.expansions < this.contractChecks ? 'action' : this.inputChecks.check;
      this.expansions++;
      const r = pipeline.run(cur, curBytes, curWords, id, depth, meta[1], meta[2], check, depth >= maxDepth);
      if (r === CONTINUE) {
        // fall through to the per-state stops
      } else if (r === ERROR) throw this.ex.error!;
      else if (r === STOP_AFTER_STATE) {
        this.stop(id, Number.MAX_SAFE_INTEGER);
        return;
      } else {
        this.stop(id, r);
        return;
      }
      if (!this.stopAtFirst && this.findings.allFailuresFound()) {
        this.stop(id, Number.MAX_SAFE_INTEGER);
        return;
      }
      if (this.seen.size >= this.maxStates) {
        if (this.queued > 0) this.limit = { kind: 'states', detail: `reached --max-states ${this.maxStates}` };
        this.stop(id, Number.MAX_SAFE_INTEGER);
        return;
      }
    }
  }
}
