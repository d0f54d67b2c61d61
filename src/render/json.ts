// The `--format json` result: one documented, stable object (schema "daxmc.result/1", described
// field by field in docs/cli.md). Every field but `timing` is deterministic for a given spec,
// configuration and options, so results can be compared as data. A pure function of a report.
import type { Discovery, DiscoveryKind, LimitKind, Verdict } from '../check/result';
import type { Params } from '../core/spec';
import { toItf, type Itf } from '../trace/itf';
import { encodePath, type Trace } from '../trace/trace';
import type { CheckReport } from './report';
import { statesPerSecond } from './text';

export const RESULT_SCHEMA = 'daxmc.result/1';

export interface JsonDiscovery {
  readonly property: string;
  readonly kind: DiscoveryKind;
  /** Transitions from the initial state (the trace has length + 1 states). */
  readonly length: number;
  /** The action path, as `daxmc check --path` takes it ("...@k" for a lasso). */
  readonly path: string;
  /** A lasso (kind 'liveness'): the state the cycle goes back to; equal to length when it stutters there. */
  readonly loop?: number;
}

export interface JsonFinding {
  readonly severity: 'error' | 'warning' | 'info';
  readonly summary: string;
  readonly details: readonly string[];
  readonly examples: readonly { readonly caption: string; readonly path: string }[];
}

export interface JsonResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly spec: string;
  readonly config: string;
  readonly params: Params;
  /** `search` for a state-space search, `path` for `check --path`. */
  readonly mode: 'search' | 'path';
  readonly strategy: 'bfs' | 'dfs';
  /** Present with --por: whether the spec reduced, and at how many states (see CheckResult). */
  readonly reduction?: { readonly available: boolean; readonly ample: number; readonly tried: number };
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly checked: { readonly invariants: readonly string[]; readonly witnesses: readonly string[]; readonly deadlock: boolean; readonly liveness?: readonly string[] };
  readonly failure: JsonDiscovery | null;
  readonly discoveries: readonly JsonDiscovery[];
  readonly unwitnessed: readonly string[];
  readonly stats: {
    readonly distinct: number;
    readonly generated: number;
    readonly depth: number;
    readonly queued: number;
    readonly collisionProbability: number;
    /** With --exact only: fingerprint collisions found (different states, one fingerprint). */
    readonly collisions?: number;
  };
  readonly limit: { readonly kind: LimitKind; readonly detail: string } | null;
  readonly error: string | null;
  readonly analyses: readonly { readonly name: string; readonly summary: string; readonly findings: readonly JsonFinding[]; readonly data: unknown }[];
  /**
   * How the action contract was checked (CheckResult.contract): expansions checked after every
   * action, and whether the rest checked for writes of the input state.
   */
  readonly contract: { readonly perAction: number; readonly inputWrites: 'every expansion' | 'sampled' | 'unreachable' } | null;
  /** Per action, in the spec's order: successors generated (the times it was enabled) and new states. */
  readonly coverage: readonly { readonly action: string; readonly actor: string | null; readonly generated: number; readonly distinct: number }[];
  /** The ITF trace of the failure (for `check --path`: of the path replayed). */
  readonly trace: Itf | null;
  /** The only non-deterministic part. */
  readonly timing: { readonly elapsedMs: number; readonly statesPerSecond: number };
}

function discovery(d: Discovery): JsonDiscovery {
  return { property: d.property, kind: d.kind, length: d.path.actions.length, path: encodePath(d.path), ...(d.path.loop !== undefined ? { loop: d.path.loop } : {}) };
}

/** Drops what JSON cannot hold (functions, undefined) and writes big integers as strings. */
function plain<T>(v: T): T {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return text === undefined ? (null as T) : (JSON.parse(text) as T);
}

export function toJsonResult(report: CheckReport, exitCode: number): JsonResult {
  const r = report.result;
  return {
    schema: RESULT_SCHEMA,
    spec: report.spec,
    config: report.config,
    params: plain(report.params),
    mode: report.replayedPath ? 'path' : 'search',
    strategy: r.strategy,
    ...(r.reduction ? { reduction: { ...r.reduction } } : {}),
    verdict: r.verdict,
    exitCode,
    checked: {
      invariants: [...report.checked.invariants],
      witnesses: [...report.checked.witnesses],
      deadlock: report.checked.deadlock,
      ...(report.checked.liveness ? { liveness: [...report.checked.liveness] } : {}),
    },
    failure: r.failure ? discovery(r.failure) : null,
    discoveries: r.discoveries.map(discovery),
    unwitnessed: [...r.unwitnessed],
    stats: {
      distinct: r.stats.distinct,
      generated: r.stats.generated,
      depth: r.stats.depth,
      queued: r.stats.queued,
      collisionProbability: r.stats.collisionProbability,
      ...(r.stats.collisions !== undefined ? { collisions: r.stats.collisions } : {}),
    },
    limit: r.limit ? { kind: r.limit.kind, detail: r.limit.detail } : null,
    error: r.error ?? null,
    analyses: r.analyses.map((a) => ({
      name: a.name,
      summary: a.summary,
      findings: a.findings.map((f) => ({
        severity: f.severity,
        summary: f.summary,
        details: [...f.details],
        examples: (f.examples ?? []).map((e) => ({ caption: e.caption, path: encodePath(e.path) })),
      })),
      data: a.data === undefined ? null : plain(a.data),
    })),
    contract: r.contract ? { ...r.contract } : null,
    coverage: (report.actions ?? []).map((l, a) => ({ action: l.name, actor: l.actor, generated: r.coverage.generated[a] ?? 0, distinct: r.coverage.distinct[a] ?? 0 })),
    trace: report.trace ? toItf(report.trace) : null,
    timing: { elapsedMs: Math.round(r.stats.elapsedMs * 1000) / 1000, statesPerSecond: statesPerSecond(r) },
  };
}

/** The JSON text: 2-space indent and a trailing newline. */
export function renderJson(report: CheckReport, exitCode: number): string {
  return `${JSON.stringify(toJsonResult(report, exitCode), null, 2)}\n`;
}

export const REPLAY_SCHEMA = 'daxmc.replay/1';

/** `daxmc replay --format json`: what the replayed trace file shows, and the trace as re-written. */
export interface JsonReplay {
  readonly schema: typeof REPLAY_SCHEMA;
  readonly file: string;
  readonly spec: string;
  readonly config: string;
  readonly property: string | null;
  readonly kind: DiscoveryKind | null;
  readonly exitCode: number;
  readonly length: number;
  readonly path: string;
  readonly trace: Itf;
}

export function toJsonReplay(trace: Trace, file: string, exitCode: number): JsonReplay {
  return {
    schema: REPLAY_SCHEMA,
    file,
    spec: trace.spec,
    config: trace.config,
    property: trace.property ?? null,
    kind: trace.kind ?? null,
    exitCode,
    length: trace.path.actions.length,
    path: encodePath(trace.path),
    trace: toItf(trace),
  };
}

export function renderReplayJson(trace: Trace, file: string, exitCode: number): string {
  return `${JSON.stringify(toJsonReplay(trace, file, exitCode), null, 2)}\n`;
}
