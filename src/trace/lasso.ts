// Checking a lasso (a liveness counterexample) against the spec, independently of the search
// that found it: the cycle closes on its first state, the property fails along the behaviour
// the lasso stands for, and the cycle is fair (every fairness condition of the property holds
// when it repeats for ever), with enabledness recomputed by running the actions. Used by replay
// for the engine's lassos and for lasso files alike; a lasso that fails any of this is a
// TraceFileError naming what. Also the generic words for a lasso when the spec has none.
import { match } from 'ts-pattern';
import { TraceFileError, messageOf } from '../core/errors';
import { fairnessPrefix, formFormula, resolveFairness, type FairnessGroup, type LivenessProperty } from '../core/liveness';
import { formatLabel, labelOf, type Diagnosis, type Spec, type State } from '../core/spec';

/** A lasso's cycle: its states (the first is where it starts) and the actions between them. */
export interface LassoCycle {
  /** Index of the trace state where the cycle starts (the path's `loop`). */
  readonly start: number;
  /** True when the behaviour stutters for ever in the last state (no action repeats). */
  readonly stutter: boolean;
  readonly states: readonly State[];
  /** As many as `states` for a cycle (the last closes it); none when stuttering. */
  readonly actions: readonly number[];
  /** How each fairness condition fares on the cycle, one line each. */
  readonly fairness: readonly string[];
}

function sameBytes(a: State, b: State): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `action` has a step from `state` to a different state (TLA+'s ENABLED <<A>>_vars). */
function stepsAway(spec: Spec, action: number, state: State): boolean {
  const next = Float64Array.from(state);
  let ok: boolean;
  try {
    ok = spec.actions[action].apply(state, next);
  } catch (e) {
    throw new TraceFileError(`${formatLabel(labelOf(spec, action))} threw while checking the cycle's fairness: ${messageOf(e)}`);
  }
  return ok && !sameBytes(next, state);
}

function groupEnabled(spec: Spec, g: FairnessGroup, state: State): boolean {
  return g.actions.some((a) => stepsAway(spec, a, state));
}

/**
 * Checks the lasso `states` (the trace's states, 0..n) with `actions` (n of them) closing on
 * state `loop`, against `property`. Throws TraceFileError naming the first thing that fails.
 */
export function checkLasso(spec: Spec, property: LivenessProperty, states: readonly State[], actions: readonly number[], loop: number): LassoCycle {
  const n = actions.length;
  if (!Number.isInteger(loop) || loop < 0 || loop > n) throw new TraceFileError(`the loop starts at state ${loop}, but the trace has states 0..${n}`);
  const stutter = loop === n;
  if (!stutter && !sameBytes(states[n], states[loop])) {
    throw new TraceFileError(`the last state (${n}) is not state ${loop} again: the cycle does not close`);
  }
  const cycleStates = stutter ? [states[n]] : states.slice(loop, n);
  const cycleActions = stutter ? [] : actions.slice(loop, n);
  const P = (s: State): boolean => property.holds(s);
  const Q = (s: State): boolean => property.target?.(s) ?? false;
  const upTo = stutter ? n : n - 1;
  const failure = match(property.form)
    .with('eventually', () => {
      const i = states.slice(0, upTo + 1).findIndex(P);
      return i < 0 ? undefined : `P holds in state ${i}, so <>P is met`;
    })
    .with('infinitely-often', () => {
      const i = cycleStates.findIndex(P);
      return i < 0 ? undefined : `P holds in state ${loop + i} on the cycle, so []<>P is met`;
    })
    .with('eventually-always', () => (cycleStates.some((s) => !P(s)) ? undefined : 'P holds in every state of the cycle, so <>[]P is met'))
    .with('leads-to', () => {
      // Some state where P holds is followed by no state where Q holds, the cycle included.
      for (let i = 0; i <= upTo; i++) {
        if (!P(states[i]) || Q(states[i])) continue;
        const from = Math.min(i, loop);
        let ok = true;
        for (let j = from; j <= upTo && ok; j++) if (Q(states[j])) ok = false;
        if (ok) return undefined;
      }
      return 'every state where P holds is followed by one where Q holds, so P ~> Q is met';
    })
    .exhaustive();
  if (failure !== undefined) throw new TraceFileError(`the lasso does not violate "${property.name}" (${formFormula(property.form)}): ${failure}`);
  const lines: string[] = [];
  for (const g of resolveFairness(spec, property.fairness)) {
    const enabledAt = cycleStates.map((s) => groupEnabled(spec, g, s));
    const taken = cycleActions.some((a, i) => g.actions.includes(a) && !sameBytes(cycleStates[i], i + 1 < cycleStates.length ? cycleStates[i + 1] : cycleStates[0]));
    const everywhere = enabledAt.every(Boolean);
    const somewhere = enabledAt.some(Boolean);
    if (!taken && (g.kind === 'strong' ? somewhere : everywhere)) {
      const where = everywhere ? 'in every state of the cycle' : `in state ${loop + enabledAt.indexOf(true)} of the cycle`;
      throw new TraceFileError(`the cycle is not fair: ${g.label} is enabled ${where} but none of its steps is taken in it`);
    }
    const status = taken
      ? 'takes a step on the cycle'
      : !somewhere
        ? 'is never enabled on the cycle'
        : `is enabled in ${enabledAt.filter(Boolean).length} of the ${cycleStates.length} states of the cycle, never taken (${fairnessPrefix(g.kind)} allows it)`;
    lines.push(`${g.label} ${status}`);
  }
  return { start: loop, stutter, states: cycleStates, actions: cycleActions, fairness: lines };
}

/** What a lasso shows, in general words, for specs without their own diagnoseCycle. */
export function genericCycleDiagnosis(spec: Spec, property: LivenessProperty, c: LassoCycle): Diagnosis {
  const actors = [...new Set(c.actions.map((a) => spec.actions[a].actor ?? 'system'))];
  const summary = c.stutter
    ? `from state ${c.start} on nothing happens: no step the fairness requires is enabled there`
    : `states ${c.start}..${c.start + c.states.length - 1} repeat for ever (${actors.join(', ')} take${actors.length === 1 ? 's' : ''} the steps)`;
  return {
    kind: c.stutter ? 'stuttering' : 'cycle',
    summary: `"${property.name}" (${formFormula(property.form)}) fails: ${summary}`,
    details: c.fairness,
    ...(actors.length > 0 ? { actors } : {}),
  };
}
