// The search: one loop for BFS (a FIFO frontier, shortest counterexamples) and DFS (a LIFO
// frontier), over a table of 64-bit fingerprints. Per successor, in TLC's order: constraint,
// canonicalise (symmetry / view), seen-table insert, domain check, properties, enqueue.
// A non-terminal state with no enabled action is a deadlock. The hot loop is synchronous and
// runs a few hundred expansions at a time; between slices the driver yields to the event loop
// so that Ctrl-C, timeouts and progress are seen promptly.
import { SpecError, UsageError } from '../core/errors';
import { resolveFairness } from '../core/liveness';
import type { AmpleSet, Spec } from '../core/spec';
import { Expander } from './expand';
import { collisionProbability } from './fingerprint';
import { Findings, planProperties, searchResult } from './findings';
import { timeLimitDetail, type ActionPath, type CheckListener, type CheckResult, type LimitKind, type Stats } from './result';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskTable } from './disk-table';
import { IdTable } from './id-table';
import { seenSetFor, type SeenSet } from './exact-table';
import { allocationFailure, diskFailure, memoryLimitReached } from './memory';
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
  /** How many expansions to check for actions that write their input state (default 2000). */
  readonly contractChecks?: number;
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

/**
 * The function whose output a run fingerprints instead of the state: the spec's canonical()
 * (unless turned off), then its symmetry() when asked for; undefined for the state itself.
 */
export function representative(spec: Spec, options: Pick<CheckOptions, 'canonical' | 'symmetry'>): ((state: Uint8Array, out: Uint8Array) => void) | undefined {
  const view = (options.canonical ?? true) ? spec.canonical?.bind(spec) : undefined;
  const sym = options.symmetry ? spec.symmetry?.bind(spec) : undefined;
  if (view && sym) {
    const mid = new Uint8Array(spec.layout.width);
    return (state, out) => {
      view(state, mid);
      sym(mid, out);
    };
  }
  return view ?? sym;
}

export async function check(spec: Spec, options: CheckOptions = {}, listener: CheckListener = {}): Promise<CheckResult> {
  return new Search(spec, options, listener).run();
}

class Search {
  private readonly started = now();
  private readonly width: number;
  private readonly strategy: 'bfs' | 'dfs';
  private readonly stopAtFirst: boolean;
  private readonly maxStates: number;
  private readonly maxDepth: number;
  private readonly contractChecks: number;
  private readonly findings: Findings;

  private readonly table: SeenSet;
  /** --exact: successors are written out before the seen-set lookup, which compares them. */
  private readonly exact: boolean;
  /** The temporary directory of a spilling table, removed at the end of the run. */
  private spillDir: string | undefined;
  private readonly store: StateStore;
  private readonly frontier: Frontier;
  private readonly expander: Expander;
  private readonly covGen: Uint32Array;
  private readonly covNew: Uint32Array;
  private readonly pathTo = (id: number): ActionPath => this.store.pathTo(id);
  /** The run's ample-set function (--por), if the spec offers one for the checked properties. */
  private readonly ample: AmpleSet | undefined;
  /** States expanded through an ample subset, and states where the subset was tried. */
  private ampleUsed = 0;
  private ampleTried = 0;
  /** With --por: fingerprint -> id and which states were expanded, for the cycle proviso. */
  private readonly ids: IdTable | undefined;
  /** `ids` where it is not also the seen set (a spilling or narrowed table): ids set apart. */
  private readonly separateIds: IdTable | undefined;
  /** Liveness: the state graph recorded as the search goes, and the seen set that gives ids. */
  private readonly graph: StateGraph | undefined;
  private readonly liveIds: IdTable | undefined;
  private livenessMs = 0;
  private livenessRan = false;
  /** Why the spec's liveness properties were left out of this run (by default, where the options cannot check them). */
  private livenessSkipped: string | undefined;

  /** The state being expanded: its buffer and its successors. */
  private readonly stage: Stage;
  private readonly before: Uint8Array;
  /** A new successor, written out for its checks and the frontier. */
  private readonly succ: Uint8Array;
  private readonly succWords: Int32Array;
  private readonly meta = new Int32Array(3);
  private readonly fp = new Int32Array(2);

  private generated = 0;
  private maxLevel = 0;
  private limit: { kind: LimitKind; detail: string } | undefined;
  private depthCut = false;
  private expansions = 0;
  private stopped = false;

  constructor(
    private readonly spec: Spec,
    private readonly options: CheckOptions,
    private readonly listener: CheckListener,
  ) {
    this.width = spec.layout.width;
    this.strategy = options.strategy ?? 'bfs';
    this.stopAtFirst = (options.stopAt ?? 'first') === 'first';
    this.maxStates = options.maxStates ?? Infinity;
    this.maxDepth = options.maxDepth ?? Infinity;
    this.contractChecks = options.contractChecks ?? 2000;
    if (options.por) {
      const plan = planProperties(spec, options);
      this.ample = spec.reduction?.(new Set([...plan.invariants, ...plan.witnesses].map((p) => p.name)));
      // Under --exact two states may share a fingerprint, so ids by fingerprint are not exact:
      // the proviso then falls back to "never seen".
      if (this.ample && !options.exact) this.ids = new IdTable();
    }
    let plan = planProperties(spec, options);
    if (plan.liveness.length > 0) {
      const obstacle = livenessObstacle(spec, options);
      const required = options.liveness === true || plan.liveness.some((p) => options.properties?.includes(p.name));
      if (obstacle !== undefined && required) throw new UsageError(`liveness cannot be checked here: ${obstacle}`);
      if (obstacle !== undefined) {
        this.livenessSkipped = obstacle;
        plan = { ...plan, liveness: [] };
      } else {
        this.graph = new StateGraph(plan.liveness, spec.actions.length);
        this.liveIds = new IdTable();
      }
    }
    if (this.liveIds !== undefined) {
      this.table = this.liveIds;
    } else if (options.spill) {
      let dir = options.spill.dir;
      if (dir === undefined) dir = this.spillDir = mkdtempSync(join(tmpdir(), 'daxmc-fp-'));
      this.table = new DiskTable({ dir, memoryEntries: options.spill.memoryEntries });
    } else if (this.ids !== undefined && (options.fingerprintBits ?? 64) === 64) {
      // The proviso's fingerprint-to-id table is the seen set too (IdTable.insert).
      this.table = this.ids;
    } else this.table = seenSetFor(options, this.width, representative(spec, options));
    this.separateIds = this.table === this.ids ? undefined : this.ids;
    this.exact = options.exact === true;
    this.findings = new Findings(spec, plan, listener, this.stopAtFirst);
    const nActions = spec.actions.length;
    // Roots keep their initial-state index in the action slot, so size it for both.
    this.store = new StateStore(Math.max(nActions, spec.init.length));
    this.frontier = new Frontier(this.width, this.strategy === 'dfs');
    this.covGen = new Uint32Array(nActions);
    this.covNew = new Uint32Array(nActions);
    this.expander = new Expander(spec, representative(spec, options));
    const stage = (ex: Expander): Stage => {
      const cur = new Uint8Array(this.width);
      return { ex, cur, curWords: new Int32Array(cur.buffer), id: -1, depth: 0 };
    };
    this.stage = stage(this.expander);
    this.before = new Uint8Array(this.width);
    this.succ = new Uint8Array(this.width);
    this.succWords = new Int32Array(this.succ.buffer);
  }

  private stats(): Stats {
    return {
      distinct: this.table.size,
      generated: this.generated,
      depth: this.maxLevel,
      queued: this.queued,
      elapsedMs: now() - this.started,
      collisionProbability: collisionProbability(this.table.size, this.generated),
      // The proviso's ids count too where they are kept beside the seen set.
      storeBytes: this.table.bytes + this.store.bytes + (this.separateIds?.bytes ?? 0) + (this.graph?.bytes ?? 0),
      peakStoreBytes: this.table.peakBytes + this.store.bytes + (this.separateIds?.peakBytes ?? 0) + (this.graph?.peakBytes ?? 0),
      ...(this.graph && this.livenessRan ? { edges: this.graph.edges, livenessMs: this.livenessMs } : {}),
      ...(this.table.collisions !== undefined ? { collisions: this.table.collisions } : {}),
      ...(this.table instanceof DiskTable ? { spilled: this.table.spilled, merges: this.table.merges } : {}),
    };
  }

  private finish(error?: string): CheckResult {
    return searchResult(this.spec, this.findings, {
      stats: this.stats(),
      coverage: { generated: this.covGen, distinct: this.covNew },
      limit: this.limit,
      error,
      strategy: this.strategy,
      ...(this.options.por ? { reduction: { available: this.ample !== undefined, ample: this.ampleUsed, tried: this.ampleTried } } : {}),
      ...(this.livenessSkipped !== undefined ? { livenessSkipped: this.livenessSkipped } : {}),
      pathTo: this.pathTo,
    });
  }

  private progress(): void {
    this.listener.onProgress?.({
      distinct: this.table.size,
      generated: this.generated,
      depth: this.maxLevel,
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
      if (!this.limit && this.depthCut && !this.findings.failure) this.limit = { kind: 'depth', detail: `reached --max-depth ${this.maxDepth}` };
      this.checkLiveness();
      this.progress();
      return this.finish();
    } catch (e) {
      if (e instanceof SpecError) return this.finish(e.message);
      const memory = allocationFailure(e) ?? (this.table instanceof DiskTable ? diskFailure(e) : undefined);
      if (memory) {
        this.limit = memory;
        return this.finish();
      }
      throw e;
    } finally {
      if (this.table instanceof DiskTable) this.table.close();
      if (this.spillDir !== undefined) rmSync(this.spillDir, { recursive: true, force: true });
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
    const spec = this.spec;
    const next = new Uint8Array(this.width);
    const fp = this.fp;
    for (let k = 0; k < spec.init.length && !this.stopped; k++) {
      const s = spec.init[k];
      if (s.length !== this.width) throw new SpecError(`initial state ${k} has ${s.length} bytes, the layout ${this.width}`);
      this.generated++;
      next.set(s);
      if (spec.constraint && !spec.constraint(next)) continue;
      this.expander.fingerprint(next, fp);
      if (!this.table.insert(fp[0], fp[1], next)) continue;
      const id = this.store.add(-1, k);
      this.separateIds?.set(fp[0], fp[1], id);
      if (this.graph) {
        this.graph.root(id, k);
        this.graph.label(id, next);
      }
      this.maxLevel = 1;
      if (this.findings.checkState(next, id, this.pathTo)) this.stopped = true;
      this.frontier.push(next, id, 1, fp[0], fp[1]);
    }
  }

  /** Pops the next state into `st` and makes its successors. */
  private prepare(st: Stage): Stage {
    const meta = this.meta;
    st.id = this.frontier.pop(st.cur, meta);
    st.depth = meta[0];
    if (st.depth > this.maxLevel) this.maxLevel = st.depth;
    this.spec.observe?.beforeExpand(st.id);
    this.ids?.markExpanded(st.id);
    let before: Uint8Array | null = null;
    if (this.expansions < this.contractChecks) {
      before = this.before;
      before.set(st.cur);
    }
    this.expansions++;
    const ex = st.ex;
    ex.expand(st.cur, st.curWords, meta[1], meta[2], before, this.ample);
    if (ex.reduced) {
      this.ampleTried++;
      if (this.ampleHolds(ex)) this.ampleUsed++;
      else ex.expand(st.cur, st.curWords, meta[1], meta[2], before);
    }
    return st;
  }

  /**
   * C0 and C3 of the ample-set method for the subset just expanded: it has an enabled action,
   * and no successor through it has been expanded already (this state included). On a cycle of
   * the reduced graph, the state expanded last has its successor on the cycle expanded before
   * it, so it is expanded in full: every cycle has a fully expanded state, in any search order.
   * (Under --exact: no successor has been seen at all, a stronger condition.)
   */
  private ampleHolds(ex: Expander): boolean {
    if (!ex.enabled || ex.error !== undefined || ex.count === 0) return false;
    const ids = this.ids;
    for (let k = 0; k < ex.count; k++) {
      if (ex.pruned[k] !== 0) return false;
      if (ids === undefined) {
        if (this.table.has(ex.hi[k], ex.lo[k])) return false;
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
    if (action !== Number.MAX_SAFE_INTEGER) this.spec.observe?.rewind?.(id, action);
  }

  /**
   * Expands up to `budget` states. Each state's successors are all made first (Expander), then
   * taken in action order exactly as a one-at-a-time search would: same ids, same discoveries,
   * the same counts and observations if it stops on one (the observer is rewound).
   */
  private expandSome(budget: number): void {
    const spec = this.spec;
    const table = this.table;
    const store = this.store;
    const frontier = this.frontier;
    const covGen = this.covGen;
    const covNew = this.covNew;
    const maxDepth = this.maxDepth;
    const succ = this.succ;
    const succWords = this.succWords;
    const stage = this.stage;
    const exact = this.exact;
    const graph = this.graph;
    const liveIds = this.liveIds;
    let generated = this.generated;
    try {
      for (let n = 0; n < budget; n++) {
        if (frontier.size === 0) return;
        const st = this.prepare(stage);
        const ex = st.ex;
        const id = st.id;
        const depth = st.depth;
        const nb = ex.count;
        const acts = ex.acts;
        const his = ex.hi;
        const los = ex.lo;
        const pruned = ex.pruned;
        const atDepthLimit = depth >= maxDepth;
        graph?.begin(id);
        for (let k = 0; k < nb; k++) {
          const a = acts[k];
          generated++;
          covGen[a]++;
          if (pruned[k] !== 0) {
            graph?.edge(a, -1);
            continue;
          }
          if (exact) ex.materialize(k, succWords, 0);
          if (atDepthLimit) {
            if (!table.has(his[k], los[k], succ)) this.depthCut = true;
            continue;
          }
          if (!table.insert(his[k], los[k], succ)) {
            // The liveness graph keeps the edge to a state seen before (IdTable.found: its id).
            if (graph) graph.edge(a, liveIds!.found);
            continue;
          }
          covNew[a]++;
          const nid = store.add(id, a);
          this.separateIds?.set(his[k], los[k], nid);
          if (depth + 1 > this.maxLevel) this.maxLevel = depth + 1;
          ex.materialize(k, succWords, 0);
          if (graph) {
            graph.label(nid, succ);
            graph.edge(a, nid);
          }
          if (this.findings.checkState(succ, nid, this.pathTo)) {
            this.stop(id, a);
            return;
          }
          frontier.pushWords(succWords, 0, nid, depth + 1, his[k], los[k]);
        }
        if (ex.error) throw ex.error;
        // A state at the depth limit keeps unknown steps: it stays out of the liveness graph.
        if (!atDepthLimit) graph?.end();
        const f = this.findings;
        if (!ex.enabled && f.deadlockWanted && !f.deadlockFound && !(spec.isTerminal?.(st.cur) ?? false) && f.deadlock(store.pathTo(id))) {
          this.stop(id, Number.MAX_SAFE_INTEGER);
          return;
        }
        if (!this.stopAtFirst && f.allFailuresFound()) {
          this.stop(id, Number.MAX_SAFE_INTEGER);
          return;
        }
        if (table.size >= this.maxStates) {
          if (this.queued > 0) this.limit = { kind: 'states', detail: `reached --max-states ${this.maxStates}` };
          this.stop(id, Number.MAX_SAFE_INTEGER);
          return;
        }
      }
    } finally {
      this.generated = generated;
    }
  }
}

/** A state being expanded: its buffer, id, depth and successors. */
interface Stage {
  readonly ex: Expander;
  readonly cur: Uint8Array;
  readonly curWords: Int32Array;
  id: number;
  depth: number;
}
