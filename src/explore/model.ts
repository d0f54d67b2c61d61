// What the explorer shows of one position in the state space: the state reached by an action
// path (replayed through the deterministic spec), in the spec's words when it has them (per
// thread: where it is, what it holds, its locals; then the shared state; ghosts marked) and as
// raw variables, the changed ones marked, the notes of the step that led there, which properties
// hold and, for a violated one, its explanation with the step that caused it, whether it is
// stuck, and every enabled action grouped by actor, each with the path that takes it. Plain
// JSON-ready data; the server sends it and the page draws it. No HTTP and no printing here.
import { is, isKeyed } from 'immutable';
import type { Diagnosis, ShownField, ShownGroup, Spec, State, StepNote } from '../core/spec';
import { diffWords, type FieldView } from '../render/words';
import { formatKey, formatValue } from '../render/value';
import { toItfValue, type ItfValue } from '../trace/itf';
import { encodePath, replay, type Trace } from '../trace/trace';
import type { ActionPath } from '../check/result';

export interface VarView {
  readonly name: string;
  /** TLA+-style text, as the text report prints it. */
  readonly text: string;
  readonly value: ItfValue;
  readonly changed: boolean;
  /** For a changed record or keyed array: its fields, each marked when it changed. */
  readonly fields?: readonly { readonly key: string; readonly text: string; readonly changed: boolean }[];
}

export interface SuccessorView {
  readonly action: number;
  readonly actor: string | null;
  readonly name: string;
  /** The action path of the successor: this state's path plus the action. */
  readonly path: string;
  /** Top-level variables the action changes. */
  readonly changed: readonly string[];
  /** The facts it changes, in the spec's words (`T1 holds`, `index 0 radix slot`), when it has them. */
  readonly changes?: readonly string[];
  readonly notes: readonly StepNote[];
}

export interface ActorView {
  /** The actor (thread), or null for actions without one. */
  readonly actor: string | null;
  readonly enabled: readonly SuccessorView[];
}

export interface StepView {
  readonly index: number;
  readonly actor: string | null;
  readonly name: string;
  readonly path: string;
}

/** The state in the spec's words: groups (threads first), facts marked when changed, facts gone. */
export interface WordsView {
  readonly groups: readonly ShownGroup[];
  readonly fields: readonly FieldView[];
  readonly gone: readonly ShownField[];
}

/** A violated `always` property explained: the facts, and the steps they cite with their paths. */
export interface ExplanationView {
  readonly property: string;
  readonly lines: readonly string[];
  readonly cause?: { readonly step: number; readonly path: string };
  readonly related: readonly { readonly step: number; readonly role: string; readonly path: string }[];
}

export interface StateView {
  readonly spec: string;
  readonly config: string;
  readonly path: string;
  /** Steps taken from the initial state (0 there). */
  readonly depth: number;
  /** The steps of the path, each with the path that reaches the state after it. */
  readonly steps: readonly StepView[];
  readonly label: { readonly actor: string | null; readonly name: string } | null;
  readonly notes: readonly StepNote[];
  readonly vars: readonly VarView[];
  /** The previous value of each changed variable. */
  readonly before: Readonly<Record<string, string>>;
  readonly properties: readonly { readonly name: string; readonly kind: 'always' | 'sometimes'; readonly holds: boolean }[];
  /** The spec's words for the state (Spec.present), when it has them. */
  readonly words?: WordsView;
  /** Each violated `always` property that explains itself, explained along this path. */
  readonly explanations: readonly ExplanationView[];
  /** running: some action is enabled; terminal: finished (isTerminal); deadlock: stuck. */
  readonly status: 'running' | 'terminal' | 'deadlock';
  readonly diagnosis: Diagnosis | null;
  /** Every actor of the spec, in order of its first action; actors with nothing enabled have an empty list. */
  readonly actors: readonly ActorView[];
}

/** Replays `path` through the spec (throws TraceFileError when it does not fit). */
export function traceAt(spec: Spec, path: ActionPath, info: { readonly specId: string; readonly config: string }): Trace {
  return replay(spec, path, { specId: info.specId, config: info.config });
}

/**
 * The trace of `path`, saying what its last state shows: the first `always` property it violates,
 * or a deadlock when it is stuck and not finished (so the lane diagram highlights the problem).
 */
export function traceShowing(spec: Spec, path: ActionPath, info: { readonly specId: string; readonly config: string }): Trace {
  const plain = traceAt(spec, path, info);
  const last = plain.steps[plain.steps.length - 1].state;
  const violated = spec.properties.find((p) => p.kind === 'always' && !p.holds(last));
  if (violated) return replay(spec, path, { ...info, kind: 'invariant', property: violated.name });
  if (successors(spec, last, path).length === 0 && !(spec.isTerminal?.(last) ?? false)) {
    return replay(spec, path, { ...info, kind: 'deadlock', property: 'deadlock' });
  }
  return plain;
}

/** The enabled successors of `state`, in the spec's action order. */
export function successors(spec: Spec, given: State, path: ActionPath): SuccessorView[] {
  const state = Float64Array.from(given);
  const candidates: number[] = [];
  if (spec.candidates) spec.candidates(state, (a) => void candidates.push(a));
  else for (let a = 0; a < spec.actions.length; a++) candidates.push(a);
  const before = spec.layout.decode(state);
  const words = spec.present?.(state);
  const out: SuccessorView[] = [];
  for (const a of candidates) {
    const next = Float64Array.from(state);
    if (!spec.actions[a].apply(state, next)) continue;
    const after = spec.layout.decode(next);
    const d = words && spec.present ? diffWords(spec.present(next), words) : undefined;
    out.push({
      action: a,
      actor: spec.actions[a].actor ?? null,
      name: spec.actions[a].name,
      path: encodePath({ init: path.init, actions: [...path.actions, a] }),
      changed: spec.layout.names.filter((n) => !is(before.get(n), after.get(n))),
      ...(d ? { changes: [...d.fields.filter((f) => f.changed).map((f) => f.label), ...d.gone.map((f) => f.label)] } : {}),
      notes: spec.notes ? spec.notes(a, state, next).filter((n) => n.kind !== 'call') : [],
    });
  }
  return out;
}

export function stateView(spec: Spec, trace: Trace): StateView {
  const last = trace.steps[trace.steps.length - 1];
  const changed = new Set(last.changed);
  const enabled = successors(spec, last.state, trace.path);
  const actorOrder: (string | null)[] = [];
  for (const a of spec.actions) {
    const actor = a.actor ?? null;
    if (!actorOrder.includes(actor)) actorOrder.push(actor);
  }
  const stuck = enabled.length === 0;
  const terminal = stuck && (spec.isTerminal?.(last.state) ?? false);
  const pathTo = (k: number): string => encodePath({ init: trace.path.init, actions: trace.path.actions.slice(0, k) });
  const states = trace.steps.map((st) => st.state);
  const explanations: ExplanationView[] = [];
  for (const p of spec.properties) {
    if (p.kind !== 'always' || !p.explain || p.holds(last.state)) continue;
    const why = p.explain({ states, actions: trace.path.actions });
    if (!why) continue;
    explanations.push({
      property: p.name,
      lines: why.lines,
      ...(why.cause !== undefined ? { cause: { step: why.cause, path: pathTo(why.cause) } } : {}),
      related: (why.related ?? []).map((r) => ({ step: r.step, role: r.role, path: pathTo(r.step) })),
    });
  }
  const prevWords = trace.steps.length > 1 ? trace.steps[trace.steps.length - 2].words : undefined;
  const words = last.words ? { groups: last.words.groups, ...diffWords(last.words, prevWords) } : undefined;
  return {
    spec: trace.spec,
    config: trace.config,
    path: encodePath(trace.path),
    depth: trace.path.actions.length,
    steps: trace.steps
      .filter((s) => s.label !== null)
      .map((s) => ({
        index: s.index,
        actor: s.label!.actor,
        name: s.label!.name,
        path: encodePath({ init: trace.path.init, actions: trace.path.actions.slice(0, s.index) }),
      })),
    label: last.label ? { actor: last.label.actor, name: last.label.name } : null,
    notes: last.notes.filter((n) => n.kind !== 'call'),
    vars: last.value
      .entrySeq()
      .toArray()
      .map(([name, v]) => {
        const prev = trace.steps.length > 1 ? trace.steps[trace.steps.length - 2].value.get(name) : undefined;
        const fields =
          changed.has(name) && isKeyed(v) && isKeyed(prev)
            ? v.entrySeq().toArray().map(([k, x]) => ({ key: String(k), text: `${formatKey(k)} |-> ${formatValue(x)}`, changed: !is(x, prev.get(k)) }))
            : undefined;
        return { name, text: formatValue(v), value: toItfValue(v), changed: changed.has(name), ...(fields ? { fields } : {}) };
      }),
    before: Object.fromEntries(trace.steps.length > 1 ? last.changed.map((n) => [n, formatValue(trace.steps[trace.steps.length - 2].value.get(n))]) : []),
    properties: spec.properties.map((p) => ({ name: p.name, kind: p.kind, holds: p.holds(last.state) })),
    ...(words ? { words } : {}),
    explanations,
    status: !stuck ? 'running' : terminal ? 'terminal' : 'deadlock',
    diagnosis: stuck && !terminal ? (spec.diagnose?.(last.state) ?? null) : null,
    actors: actorOrder.map((actor) => ({ actor, enabled: enabled.filter((s) => s.actor === actor) })),
  };
}

/** The initial states, as positions to start from. */
export function initialViews(spec: Spec, info: { readonly specId: string; readonly config: string }): { readonly path: string; readonly vars: readonly VarView[] }[] {
  return spec.init.map((_, i) => {
    const t = traceAt(spec, { init: i, actions: [] }, info);
    return { path: String(i), vars: stateView(spec, t).vars };
  });
}
