// What a check returns: a verdict, discoveries with their action paths, and TLC's figures.
// Plain data, so the CLI, the report and tests read one shape. Nothing here prints.

import type { Analysis } from '../core/spec';

export type Verdict = 'pass' | 'fail' | 'incomplete' | 'error';

export type DiscoveryKind =
  /** A reachable state where some `always` property is false. */
  | 'invariant'
  /** A reachable non-terminal state with no enabled action. */
  | 'deadlock'
  /** A reachable state where a `sometimes` property is true (an example, not a failure). */
  | 'witness'
  /** A fair behaviour (a lasso: a stem, then a cycle for ever) that violates a liveness property. */
  | 'liveness'
  /**
   * A lock-order cycle, or an acquisition against a documented lock order, in the spec's 'lock
   * order' analysis, made a failure by `check --lock-order`. Its path ends with the acquisition
   * lockdep would report (the one that closes the cycle); the other edges' example paths are in
   * the analysis. Not a counterexample by itself: no single trace shows a lock-order cycle.
   */
  | 'lock-order';

/**
 * An action path: the index of the initial state, then the index of each action taken. A lasso
 * (a liveness counterexample) also has `loop`: the state after the last action is state `loop`
 * again, and the behaviour repeats the actions after it for ever; `loop` equal to the number of
 * actions means the last state stutters for ever (no action is taken again).
 */
export interface ActionPath {
  readonly init: number;
  readonly actions: readonly number[];
  readonly loop?: number;
}

/** What a trace can show: every discovery kind but 'lock-order', which no single path shows. */
export type TraceKind = Exclude<DiscoveryKind, 'lock-order'>;

export interface Discovery {
  /** The property's name; `deadlock` for deadlocks. */
  readonly property: string;
  readonly kind: DiscoveryKind;
  readonly path: ActionPath;
}

/** `disk`: the disk refused the seen table's spill file (full, a quota, a size limit). */
export type LimitKind = 'states' | 'depth' | 'time' | 'memory' | 'disk' | 'interrupted';

/** The detail of a time limit reached: the limit in seconds as given (0.3 s, not "0 s"). */
export function timeLimitDetail(timeoutMs: number | undefined): string {
  return `reached the time limit of ${Number(((timeoutMs ?? 0) / 1000).toFixed(3))} s`;
}

export interface Stats {
  /** Distinct states stored (after symmetry/view canonicalisation). */
  readonly distinct: number;
  /** Initial states plus every successor generated, duplicates and self-loops included. */
  readonly generated: number;
  /** BFS levels reached; initial states are at depth 1. */
  readonly depth: number;
  /** States still waiting to be expanded when the run ended. */
  readonly queued: number;
  readonly elapsedMs: number;
  /** TLC's optimistic fingerprint-collision estimate n*(m-n)/2^64. */
  readonly collisionProbability: number;
  /** Bytes held by the seen table and the parent/action arrays. */
  readonly storeBytes: number;
  /**
   * The most bytes those arrays held at any point of the run (a growing table segment's old and
   * new arrays both count), taking the parent/action arrays at their final size: an upper bound.
   */
  readonly peakStoreBytes?: number;
  /**
   * With --exact (CheckOptions.exact): new states whose 64-bit fingerprint an earlier, different
   * state already had. A fingerprint-only run would have taken each for a state already seen.
   */
  readonly collisions?: number;
  /** With liveness properties: the edges of the state graph kept, and the time the fair-cycle search took. */
  readonly edges?: number;
  readonly livenessMs?: number;
  /** With a spilling seen table (CheckOptions.spill): fingerprints on disk, and merges made. */
  readonly spilled?: number;
  readonly merges?: number;
}

/**
 * Per action: how many successors it generated (the times it was enabled) and how many of those
 * were new states. An action that generated nothing was never enabled in the explored states.
 */
export interface Coverage {
  readonly generated: Uint32Array;
  readonly distinct: Uint32Array;
}

export interface CheckResult {
  readonly verdict: Verdict;
  /** The first failing discovery (the shortest with BFS), if any. */
  readonly failure?: Discovery;
  /** Every discovery in the order met: failures and witnesses. */
  readonly discoveries: readonly Discovery[];
  /** `sometimes` properties with no witness: the model may be vacuous there. */
  readonly unwitnessed: readonly string[];
  readonly stats: Stats;
  readonly coverage: Coverage;
  /** Why the run stopped early (verdict `incomplete`). */
  readonly limit?: { readonly kind: LimitKind; readonly detail: string };
  /** The spec error that ended the run (verdict `error`). */
  readonly error?: string;
  readonly strategy: 'bfs' | 'dfs';
  /**
   * Partial-order reduction (--por): whether the spec offered an ample-set function for the
   * checked properties, how many states were expanded through an ample subset and at how many
   * one was tried (the rest were expanded in full by condition C0 or C3).
   */
  readonly reduction?: { readonly available: boolean; readonly ample: number; readonly tried: number };
  /** Why the spec's liveness properties were not checked (left out by default: the options cannot check them). */
  readonly livenessSkipped?: string;
  /** What the spec's own analyses found over the explored transitions (lock-order cycles...). */
  readonly analyses: readonly Analysis[];
  /**
   * How the action contract was checked: the expansions checked after every action (which
   * names the action that wrote its input state, and checks a write log), and whether the
   * expansions after those still checked that no action wrote its input state.
   */
  readonly contract?: {
    readonly perAction: number;
    /** `unreachable`: the spec's actions cannot reach their input state (compiled worlds), so nothing was checked after the first expansions. */
    readonly inputWrites: 'every expansion' | 'sampled' | 'unreachable';
  };
}

export interface Progress {
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly queued: number;
  readonly elapsedMs: number;
}

/** Receives progress and discoveries while a check runs. The engine never prints. */
export interface CheckListener {
  onProgress?(p: Progress): void;
  onDiscovery?(d: Discovery): void;
}
