// What the check renderers (text, JSON) take: a check result together with what was checked and
// the failure's trace. Plain data assembled by the CLI; renderers never re-run the spec. Also
// mirrors the engine's property selection so a report can say what "2 properties hold" counts.
import type { ActionPath, CheckResult } from '../check/result';
import { labelOf, type ActionLabel, type Params, type Spec } from '../core/spec';
import type { Trace } from '../trace/trace';

export interface CheckedProperties {
  /** Names of the `always` properties checked. */
  readonly invariants: readonly string[];
  /** Names of the `sometimes` properties looked for. */
  readonly witnesses: readonly string[];
  /** Whether deadlocks were reported. */
  readonly deadlock: boolean;
  /** Names of the liveness properties checked (absent: none). */
  readonly liveness?: readonly string[];
}

export interface CheckReport {
  /** The spec id (the definition's id, also for a spec loaded from a file). */
  readonly spec: string;
  readonly config: string;
  readonly params: Params;
  readonly result: CheckResult;
  readonly checked: CheckedProperties;
  /** The trace of `result.failure`, rebuilt by replay. */
  readonly trace?: Trace;
  /** Set when an action path given on the command line was replayed instead of searching. */
  readonly replayedPath?: ActionPath;
  /** The spec's actions, by index: what the coverage figures (result.coverage) are about. */
  readonly actions?: readonly ActionLabel[];
  /** Show the per-action coverage table (`check --coverage`). */
  readonly coverage?: boolean;
}

/** The labels of a spec's actions, by index (CheckReport.actions). */
export function actionLabels(spec: Spec): ActionLabel[] {
  return spec.actions.map((_, a) => labelOf(spec, a));
}

/** What the engine checks for these options (the same selection rules as check()). */
export function checkedProperties(
  spec: Spec,
  opts: { readonly properties?: readonly string[]; readonly deadlock?: boolean; readonly liveness?: boolean } = {},
): CheckedProperties {
  const selected = opts.properties;
  const props = spec.properties.filter((p) => !selected || selected.includes(p.name));
  const liveness = (opts.liveness ?? true) ? (spec.liveness ?? []).filter((p) => !selected || selected.includes(p.name)).map((p) => p.name) : [];
  return {
    invariants: props.filter((p) => p.kind === 'always').map((p) => p.name),
    witnesses: props.filter((p) => p.kind === 'sometimes').map((p) => p.name),
    deadlock: (opts.deadlock ?? true) && (!selected || selected.length === 0 || selected.includes('deadlock')),
    ...(liveness.length > 0 ? { liveness } : {}),
  };
}
