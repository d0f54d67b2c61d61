// A trace: the states along an action path, rebuilt by replaying the deterministic spec (the
// engine stores only parents and action indices). Replay checks what it can: every action is
// enabled where the path says, running it twice gives the same successor, and the final state
// still shows the discovery. Renderers take a Trace; they never re-run the spec.
import { is } from 'immutable';
import { TraceFileError, messageOf } from '../core/errors';
import { initialState, type DecodedState, type State } from '../core/layout';
import { formatLabel, labelOf, type ActionLabel, type Diagnosis, type Explanation, type Mutation, type Spec, type StateWords, type StepNote } from '../core/spec';
import type { ActionPath, DiscoveryKind, TraceKind } from '../check/result';
import { checkLasso, genericCycleDiagnosis } from './lasso';

export interface TraceStep {
  /** 0 for the initial state; k for the state after the k-th transition. */
  readonly index: number;
  /** The action index in the spec, or null for the initial state. */
  readonly action: number | null;
  readonly label: ActionLabel | null;
  /** The state's slot values (a Float64Array from replay). */
  readonly state: State;
  /** The decoded state (variable name -> Immutable value). */
  readonly value: DecodedState;
  /** Top-level variables that differ from the previous step. */
  readonly changed: readonly string[];
  /** Facts about the transition (lock events, call chain) from the spec's notes(). */
  readonly notes: readonly StepNote[];
  /** The state in the spec's own words (Spec.present), when the spec has them. */
  readonly words?: StateWords;
}

export interface Trace {
  readonly spec: string;
  readonly config: string;
  /** What the trace shows: the violated or witnessed property, or `deadlock`. */
  readonly property?: string;
  readonly kind?: TraceKind;
  readonly path: ActionPath;
  readonly steps: readonly TraceStep[];
  /** For deadlocks: why the last state is stuck. For invariants: the spec's explanation. */
  readonly diagnosis?: Diagnosis;
  readonly explanation?: readonly string[];
  /**
   * For invariants whose property explains itself (Property.explain), and deadlocks the spec
   * explains from the path (Spec.explainDeadlock): the step that caused it, and other steps the
   * explanation cites. The violation or the deadlock is seen after the last step.
   */
  readonly cause?: number;
  readonly related?: Explanation['related'];
  /** A trace of a mutant (the load-bearing analysis): the code change the spec was built with. */
  readonly mutant?: Mutation;
}

/**
 * Encodes an action path as Stateright does: "init/a1/a2/..."; a lasso adds "@k", the state the
 * last one loops back to ("0/3/1/4@1"; "@n" with n the number of actions: it stutters for ever).
 */
export function encodePath(p: ActionPath): string {
  const path = [p.init, ...p.actions].join('/');
  return p.loop === undefined ? path : `${path}@${p.loop}`;
}

export function decodePath(text: string): ActionPath {
  const [body, loopText, ...more] = text.trim().split('@');
  const parts = body.split('/');
  if (more.length > 0 || parts.length === 0 || parts.some((x) => !/^\d+$/.test(x)) || (loopText !== undefined && !/^\d+$/.test(loopText))) {
    const lasso = loopText !== undefined ? ", then for a lasso '@' and the state it loops back to, e.g. 0/2/1@1" : '';
    throw new TraceFileError(`'${text}' is not an action path (expected numbers separated by '/', e.g. 0/2/1${lasso})`);
  }
  const [init, ...actions] = parts.map(Number);
  if (loopText === undefined) return { init, actions };
  const loop = Number(loopText);
  if (loop > actions.length) throw new TraceFileError(`'${text}': the loop goes back to state ${loop}, but the path has states 0..${actions.length}`);
  return { init, actions, loop };
}

/** A lasso's shape: where its cycle starts, and whether it stutters there for ever. */
export function lassoOf(trace: Pick<Trace, 'path'>): { readonly start: number; readonly stutter: boolean } | undefined {
  const loop = trace.path.loop;
  return loop === undefined ? undefined : { start: loop, stutter: loop === trace.path.actions.length };
}

export interface ReplayInfo {
  readonly specId: string;
  readonly config: string;
  readonly property?: string;
  /** 'lock-order' is refused: no single path shows a lock-order cycle (check-command never replays one). */
  readonly kind?: DiscoveryKind;
  /** The spec was built with this code change (Spec.mutants.apply), which the trace records. */
  readonly mutant?: Mutation;
}

/** Rebuilds the trace of `path`. Throws TraceFileError when the path does not replay. */
export function replay(spec: Spec, path: ActionPath, info: ReplayInfo): Trace {
  // Impossible from the CLI, which shows a lock-order failure as lockdep's report, not a trace.
  if (info.kind === 'lock-order') throw new Error('a lock-order finding has no single trace to replay');
  const kind: TraceKind | undefined = info.kind;
  if (path.init < 0 || path.init >= spec.init.length) {
    throw new TraceFileError(`initial state ${path.init} does not exist (the spec has ${spec.init.length})`);
  }
  let cur = initialState(spec.layout, spec.init[path.init], path.init);
  let value = spec.layout.decode(cur);
  const wordsOf = (s: State): { words?: StateWords } => (spec.present ? { words: spec.present(s) } : {});
  const steps: TraceStep[] = [{ index: 0, action: null, label: null, state: cur, value, changed: [], notes: [], ...wordsOf(cur) }];
  for (let k = 0; k < path.actions.length; k++) {
    const a = path.actions[k];
    if (!Number.isInteger(a) || a < 0 || a >= spec.actions.length) {
      throw new TraceFileError(`step ${k + 1}: action ${a} does not exist (the spec has ${spec.actions.length})`);
    }
    const label = labelOf(spec, a);
    const first = runOnce(spec, a, cur, k);
    if (!first) {
      throw new TraceFileError(
        `step ${k + 1}: ${formatLabel(label)} is not enabled in state ${k}; the trace belongs to another spec or configuration, or the spec is nondeterministic`,
      );
    }
    const second = runOnce(spec, a, cur, k);
    if (!second || !bytesEqual(first, second)) {
      throw new TraceFileError(
        `step ${k + 1}: ${formatLabel(label)} gave two different successors of the same state: the spec is nondeterministic (it reads something outside the state: a clock, Math.random, a module variable)`,
      );
    }
    const nextValue = spec.layout.decode(first);
    const changed = spec.layout.names.filter((n) => !is(value.get(n), nextValue.get(n)));
    const notes = spec.notes ? spec.notes(a, cur, first) : [];
    steps.push({ index: k + 1, action: a, label, state: first, value: nextValue, changed, notes, ...wordsOf(first) });
    cur = first;
    value = nextValue;
  }
  const last = steps[steps.length - 1].state;
  let diagnosis: Diagnosis | undefined;
  let explanation: readonly string[] | undefined;
  let why: Explanation | undefined;
  if (info.kind === 'deadlock') {
    diagnosis = spec.diagnose?.(last);
    why = spec.explainDeadlock?.({ states: steps.map((s) => s.state), actions: path.actions });
    if (why) explanation = why.lines;
  } else if (info.kind === 'liveness' || path.loop !== undefined) {
    if (path.loop === undefined) throw new TraceFileError(`a liveness counterexample needs a loop (the state its cycle goes back to)`);
    if (info.kind === 'liveness') {
      const prop = spec.liveness?.find((p) => p.name === info.property);
      if (!prop) throw new TraceFileError(`the spec has no liveness property "${info.property ?? ''}"`);
      const cycle = checkLasso(spec, prop, steps.map((st) => st.state), path.actions, path.loop);
      diagnosis = spec.diagnoseCycle?.(prop.name, cycle.states, cycle.actions) ?? genericCycleDiagnosis(spec, prop, cycle);
      if (spec.diagnoseCycle && diagnosis) diagnosis = { ...diagnosis, details: [...diagnosis.details, ...cycle.fairness] };
    } else if (path.loop < path.actions.length && !bytesEqual(last, steps[path.loop].state)) {
      throw new TraceFileError(`the last state (${path.actions.length}) is not state ${path.loop} again: the cycle does not close`);
    }
  } else if (info.kind === 'invariant' && info.property) {
    const prop = spec.properties.find((p) => p.name === info.property);
    if (prop && prop.holds(last)) {
      throw new TraceFileError(
        `the trace replays but its last state does not violate '${info.property}': the spec is nondeterministic or has changed`,
      );
    }
    why = prop?.explain?.({ states: steps.map((s) => s.state), actions: path.actions });
    // The property's own explanation of the path, or else the spec's of the last state.
    explanation = why ? why.lines : spec.explain?.(info.property, last);
  }
  return {
    spec: info.specId,
    config: info.config,
    ...(info.property !== undefined ? { property: info.property } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(info.mutant !== undefined ? { mutant: info.mutant } : {}),
    path,
    steps,
    ...(diagnosis ? { diagnosis } : {}),
    ...(explanation ? { explanation } : {}),
    ...(why?.cause !== undefined ? { cause: why.cause } : {}),
    ...(why?.related && why.related.length > 0 ? { related: why.related } : {}),
  };
}

function runOnce(spec: Spec, a: number, cur: Float64Array, k: number): Float64Array | undefined {
  const next = Float64Array.from(cur);
  let ok: boolean;
  try {
    ok = spec.actions[a].apply(cur, next);
  } catch (e) {
    throw new TraceFileError(`step ${k + 1}: ${formatLabel(labelOf(spec, a))} threw on replay: ${messageOf(e)}`);
  }
  return ok ? next : undefined;
}

function bytesEqual(a: State, b: State): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Finds the action index with this label; throws if none or ambiguous. */
export function actionByLabel(spec: Spec, label: ActionLabel, where: string): number {
  let found = -1;
  for (let i = 0; i < spec.actions.length; i++) {
    const a = spec.actions[i];
    if (a.name === label.name && (a.actor ?? null) === label.actor) {
      if (found >= 0) throw new TraceFileError(`${where}: the label ${formatLabel(label)} names two actions`);
      found = i;
    }
  }
  if (found < 0) throw new TraceFileError(`${where}: the spec has no action ${formatLabel(label)}`);
  return found;
}
