// The liveness part of the spec contract: temporal properties (TLA+'s <>P, []<>P, <>[]P and
// P ~> Q over state predicates) and the fairness they are checked under (weak or strong, per
// action, per actor or per named group of actions). Data and the resolution of fairness onto a
// spec's actions; the search for fair cycles is src/check/fair-cycles.ts, not here.
import { match } from 'ts-pattern';
import type { Action, Spec, State } from './spec';

/**
 * The temporal forms, each over state predicates:
 * - `eventually`:        <>P, P holds in some state of every fair behaviour;
 * - `infinitely-often`:  []<>P, P holds again and again;
 * - `eventually-always`: <>[]P, from some point on P holds for ever;
 * - `leads-to`:          P ~> Q, every state where P holds is followed (or met) by one where Q holds.
 */
export type LivenessForm = 'eventually' | 'infinitely-often' | 'eventually-always' | 'leads-to';

/** Weak fairness: continuously enabled implies taken again and again; strong: enabled again and again. */
export type FairnessKind = 'weak' | 'strong';

/**
 * A fairness condition on steps. `per: 'action'` gives each selected action its own condition,
 * `per: 'actor'` one condition per actor over all of that actor's selected actions (a thread is
 * enabled when any of its steps is), `per: 'group'` one condition named `name` over every
 * selected action. A step is an action's transition to a different state: an action is enabled
 * in a state when it has such a step there (TLA+'s ENABLED <<A>>_vars), and a step back to the
 * same state is stuttering, which neither enables an action nor counts as taking it.
 */
export interface Fairness {
  readonly kind: FairnessKind;
  readonly per: 'action' | 'actor' | 'group';
  /** The group's name (per: 'group', where it is required); for per: 'actor', it prefixes the actor in reports. */
  readonly name?: string;
  /** Which actions take part (default: all of them). */
  readonly actions?: (action: Action, index: number) => boolean;
}

export interface LivenessProperty {
  /** A claim that reads as a sentence: "every thread eventually returns". */
  readonly name: string;
  readonly form: LivenessForm;
  /** P of <>P, []<>P, <>[]P; the premise of P ~> Q. */
  holds(state: State): boolean;
  /** Q of P ~> Q (required for leads-to). */
  target?(state: State): boolean;
  /** The fairness the property is checked under (empty: none, so a behaviour may stop anywhere). */
  readonly fairness: readonly Fairness[];
  readonly description?: string;
}

/** One fairness condition resolved onto a spec's actions. */
export interface FairnessGroup {
  readonly kind: FairnessKind;
  /** How reports name it: "WF(T1)", "SF(Allocate(c1))". */
  readonly label: string;
  /** The action indices whose steps make up the group, ascending. */
  readonly actions: readonly number[];
}

/** How reports write a fairness kind: WF or SF, as TLA+ does. */
export function fairnessPrefix(kind: FairnessKind): string {
  return kind === 'weak' ? 'WF' : 'SF';
}

/** Resolves fairness conditions onto the spec's actions, in the order given (groups with no action dropped). */
export function resolveFairness(spec: Pick<Spec, 'actions'>, fairness: readonly Fairness[]): FairnessGroup[] {
  const out: FairnessGroup[] = [];
  for (const f of fairness) {
    const picked: number[] = [];
    spec.actions.forEach((a, i) => {
      if (!f.actions || f.actions(a, i)) picked.push(i);
    });
    const prefix = fairnessPrefix(f.kind);
    match(f.per)
      .with('action', () => {
        for (const i of picked) {
          const a = spec.actions[i];
          out.push({ kind: f.kind, label: `${prefix}(${a.actor ? `${a.actor}: ` : ''}${a.name})`, actions: [i] });
        }
      })
      .with('actor', () => {
        const byActor = new Map<string, number[]>();
        for (const i of picked) {
          const actor = spec.actions[i].actor ?? 'system';
          byActor.set(actor, [...(byActor.get(actor) ?? []), i]);
        }
        for (const [actor, actions] of byActor) out.push({ kind: f.kind, label: `${prefix}(${f.name !== undefined ? `${f.name}: ` : ''}${actor})`, actions });
      })
      .with('group', () => {
        if (picked.length > 0) out.push({ kind: f.kind, label: `${prefix}(${f.name ?? 'group'})`, actions: picked });
      })
      .exhaustive();
  }
  return out;
}

/** The form written the TLA+ way, with the predicates named P and Q: "<>[]P", "P ~> Q". */
export function formFormula(form: LivenessForm): string {
  return match(form)
    .with('eventually', () => '<>P')
    .with('infinitely-often', () => '[]<>P')
    .with('eventually-always', () => '<>[]P')
    .with('leads-to', () => 'P ~> Q')
    .exhaustive();
}
