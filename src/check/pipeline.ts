// The per-successor pipeline every search runs (the sequential BFS/DFS, the parallel coordinator
// and its workers): expand a state, then per successor in action order count it, drop it if
// pruned, claim it, check a new one and hand it on, then the deadlock check. What differs between
// the searches sits behind Claim, Sink and StateChecks (ADR 0011); a GraphRecorder (the liveness
// check's state graph, state-graph.ts) may hear every transition. Not a search driver:
// frontiers, levels and limits are the callers'.
import type { State } from '../core/layout';
import type { AmpleSet, Spec } from '../core/spec';
import type { CompiledSpec } from './compiled-spec';
import type { Expander, InputCheck } from './expand';
import type { GraphRecorder } from './state-graph';

/** Claim: the successor was seen before, and the claim does not know its id. */
export const SEEN = -1;

export interface Claim {
  /**
   * Claims the successor with this fingerprint, reached from state `parent` by `action` (an
   * initial state: parent -1, action its index in init). New: returns its handle, >= 0 (its
   * state id, or a worker's index into its own list). Seen before: SEEN, or -2 - id where the
   * table knows the id (only asked for when the state graph is recorded). `key`: the packed
   * representative, for an exact seen set.
   */
  claim(hi: number, lo: number, parent: number, action: number, key: Uint8Array | undefined): number;
  /** At the depth limit: whether the successor is known already (it is not claimed). */
  known(hi: number, lo: number, key: Uint8Array | undefined): boolean;
}

export interface Sink {
  /** New state `handle` is successor k of the expander's last expansion, at `depth`. */
  accept(ex: Expander, k: number, handle: number, depth: number): void;
}

export interface StateChecks {
  /** Checks a new state's properties; true when the search must stop right there. */
  checkNew(state: State, handle: number): boolean;
  /** False when checkNew looks at nothing and never stops (no invariant, no witness): it is then not called. */
  readonly looksAtStates?: boolean;
  /** Whether a deadlock would still be news (else isTerminal need not run). */
  readonly deadlockOpen: boolean;
  /** The state `handle` has no enabled action and is not terminal; true when the search must stop. */
  deadlock(handle: number): boolean;
}

/**
 * The cycle proviso of a partial-order reduction (explore.ts): whether the ample subset just
 * expanded may stand for the state (C0 and C3), or the state must be expanded in full.
 */
export interface Proviso {
  holds(ex: Expander): boolean;
}

/** run(): nothing stopped the search. */
export const CONTINUE = -1;
/** run(): the search stops after this state (a deadlock). */
export const STOP_AFTER_STATE = -2;
/** run(): the expander met an error (ex.error), after its earlier successors were handled. */
export const ERROR = -3;

export interface PipelineOptions {
  /** The claim needs the packed representative of each successor (an exact seen set). */
  readonly needsKey?: boolean;
  readonly graph?: GraphRecorder;
  /** With a partial-order reduction: the run's ample sets and their proviso. */
  readonly ample?: { readonly set: AmpleSet; readonly proviso: Proviso };
}

export class Pipeline {
  /** Successors generated (initial states are counted by the caller, through claimInitial). */
  generated = 0;
  readonly covGen: Uint32Array;
  readonly covNew: Uint32Array;
  /** A successor at the depth limit was new: the run is cut there. */
  depthCut = false;
  /** The greatest depth of a state handed on. */
  deepest = 0;
  /** --por: states expanded through an ample subset, and states where one was tried. */
  ampleUsed = 0;
  ampleTried = 0;
  private readonly needsKey: boolean;
  private readonly graph: GraphRecorder | undefined;
  private readonly ample: PipelineOptions['ample'];

  constructor(
    readonly c: CompiledSpec,
    readonly ex: Expander,
    readonly claims: Claim,
    readonly sink: Sink,
    readonly checks: StateChecks,
    options: PipelineOptions = {},
  ) {
    const n = c.actions.length;
    this.covGen = new Uint32Array(n);
    this.covNew = new Uint32Array(n);
    this.needsKey = options.needsKey ?? false;
    this.graph = options.graph;
    this.ample = options.ample;
  }

  /**
   * An initial state (init[k], already counted as generated and inside the constraint): claims
   * it and checks it. Returns its handle (>= 0), or SEEN; `stop` tells whether its checks stop
   * the search (the caller then does not hand it on).
   */
  claimInitial(state: State, k: number, hi: number, lo: number): { handle: number; stop: boolean } {
    const key = this.needsKey ? this.ex.key(state) : undefined;
    const r = this.claims.claim(hi, lo, -1, k, key);
    if (r < 0) return { handle: SEEN, stop: false };
    if (this.graph !== undefined) {
      this.graph.root(r, k);
      this.graph.label(r, state);
    }
    if (this.deepest < 1) this.deepest = 1;
    return { handle: r, stop: this.checks.checkNew(state, r) };
  }

  /**
   * Expands state `id` (slot values `cur`, packed in curBytes/curWords, fingerprint hi, lo) at
   * `depth` and takes its successors through the pipeline, in action order. Returns CONTINUE,
   * the action after which the search stops (>= 0), STOP_AFTER_STATE, or ERROR.
   */
  run(cur: State, curBytes: Uint8Array, curWords: Int32Array, id: number, depth: number, hi: number, lo: number, check: InputCheck, atDepthLimit: boolean): number {
    const ex = this.ex;
    const ample = this.ample;
    ex.expand(cur, curBytes, curWords, hi, lo, check, ample?.set);
    if (ample !== undefined && ex.reduced) {
      this.ampleTried++;
      if (ample.proviso.holds(ex)) this.ampleUsed++;
      else ex.expand(cur, curBytes, curWords, hi, lo, check);
    }
    const nb = ex.count;
    const acts = ex.acts;
    const his = ex.hi;
    const los = ex.lo;
    const pruned = ex.pruned;
    const covGen = this.covGen;
    const covNew = this.covNew;
    const claims = this.claims;
    const checks = this.checks;
    const graph = this.graph;
    const needsKey = this.needsKey;
    // Whether a new state must be put in the scratch state: for the checks or the state graph.
    const looks = checks.looksAtStates !== false || graph !== undefined;
    let generated = this.generated;
    graph?.begin(id);
    try {
      for (let k = 0; k < nb; k++) {
        const a = acts[k];
        generated++;
        covGen[a]++;
        if (pruned[k] !== 0) {
          // The action is enabled here, but the constraint keeps its successor out of the graph.
          graph?.edge(a, -1);
          continue;
        }
        let key: Uint8Array | undefined;
        if (needsKey) {
          key = ex.key(ex.enter(k));
          ex.leave(k);
        }
        if (atDepthLimit) {
          if (!claims.known(his[k], los[k], key)) this.depthCut = true;
          continue;
        }
        const r = claims.claim(his[k], los[k], id, a, key);
        if (r < 0) {
          // A state seen before: the claim gives its id (-2 - id) where the graph is recorded.
          if (graph !== undefined) graph.edge(a, r === SEEN ? -1 : -2 - r);
          continue;
        }
        covNew[a]++;
        if (depth + 1 > this.deepest) this.deepest = depth + 1;
        if (!looks) {
          this.sink.accept(ex, k, r, depth + 1);
          continue;
        }
        // The checks see the successor in the expander's scratch state (no copy).
        const succ = ex.enter(k);
        let stop: boolean;
        try {
          if (graph !== undefined) {
            graph.label(r, succ);
            graph.edge(a, r);
          }
          stop = checks.checkNew(succ, r);
        } finally {
          ex.leave(k);
        }
        if (stop) return a;
        this.sink.accept(ex, k, r, depth + 1);
      }
    } finally {
      this.generated = generated;
    }
    if (ex.error !== undefined) return ERROR;
    // A state at the depth limit keeps unknown steps: it stays out of the state graph.
    if (graph !== undefined && !atDepthLimit) graph.end();
    if (isDeadlock(ex, checks, this.c.spec, cur) && checks.deadlock(id)) return STOP_AFTER_STATE;
    return CONTINUE;
  }
}

/**
 * The deadlock condition, one place for every search: no action was enabled in the expansion
 * just made (a successor the constraint pruned counts as enabled), a deadlock is still news, and
 * the spec does not call the state terminal.
 */
export function isDeadlock(ex: Expander, checks: Pick<StateChecks, 'deadlockOpen'>, spec: Spec, cur: State): boolean {
  return !ex.enabled && checks.deadlockOpen && !(spec.isTerminal?.(cur) ?? false);
}
