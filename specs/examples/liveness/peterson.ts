// Peterson's algorithm for two processes (tla/Peterson.tla, from tlaplus/Examples
// locks_auxiliary_vars), ported to the engine contract, with the invariant Inv and the liveness
// property of tla/MCPeterson.tla: every process that sets its flag (pc = a1) gets into its
// critical section. With weak fairness of both processes it holds; when process 2 is not fair
// it may stop in its critical section, and process 1 waits at a3 for ever. TLC 2.20, both
// configs: 42 distinct states, 77 generated, depth 11; fair holds, one-fair violated.
import { arrayOf, bool, defineLayout, enumOf, intRange } from '../../../src/core/layout';
import type { Fairness } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

const Pc = enumOf('a0', 'a1', 'a2', 'a3', 'cs', 'a4');
const { a0, a1, a2, a3, cs, a4 } = Pc.code;

export function buildPeterson(fairProcesses: readonly number[]): Spec {
  const names = ['1', '2'];
  const layout = defineLayout({ pc: arrayOf(2, Pc, names), c: arrayOf(2, bool, names), turn: intRange(1, 2) });
  const { pc: PC, c: C, turn: TURN } = layout.at;
  const other = (p: number): number => 1 - p;
  const actions: Action[] = [];
  for (let p = 0; p < 2; p++) {
    const actor = `proc ${p + 1}`;
    const step = (name: string, from: number, to: number, body?: (s: State, t: State) => boolean): Action => ({
      name,
      actor,
      apply(s, t) {
        if (s[PC + p] !== from) return false;
        if (body && !body(s, t)) return false;
        t[PC + p] = to;
        return true;
      },
    });
    actions.push(
      step('a0', a0, a1),
      step('a1', a1, a2, (_s, t) => ((t[C + p] = 1), true)),
      step('a2', a2, a3, (_s, t) => ((t[TURN] = other(p) + 1), true)),
      step('a3', a3, cs, (s) => s[C + other(p)] === 0 || s[TURN] === p + 1),
      step('cs', cs, a4),
      step('a4', a4, a0, (_s, t) => ((t[C + p] = 0), true)),
    );
  }
  const fairness: Fairness[] = [{ kind: 'weak', per: 'actor', actions: (a) => fairProcesses.includes(Number(a.actor?.slice(5)) - 1) }];
  const inCs = (s: State, p: number): boolean => s[PC + p] === cs || s[PC + p] === a4;
  return {
    name: 'Peterson',
    layout,
    init: [layout.encode({ pc: ['a0', 'a0'], c: [false, false], turn: 1 })],
    actions,
    properties: [
      {
        name: 'Inv',
        kind: 'always',
        holds(s) {
          for (let p = 0; p < 2; p++) {
            const flagged = s[PC + p] === a2 || s[PC + p] === a3 || inCs(s, p);
            if ((s[C + p] === 1) !== flagged) return false;
            const o = other(p);
            if (inCs(s, p) && !(s[TURN] === p + 1 || s[PC + o] === a0 || s[PC + o] === a1 || s[PC + o] === a2)) return false;
          }
          return !(inCs(s, 0) && inCs(s, 1));
        },
      },
    ],
    liveness: [0, 1].map((p) => ({
      name: `StarvationFree: proc ${p + 1} at a1 gets to cs`,
      form: 'leads-to' as const,
      holds: (s: State) => s[PC + p] === a1,
      target: (s: State) => s[PC + p] === cs,
      fairness,
    })),
  };
}

export const peterson: SpecDefinition = {
  id: 'peterson',
  title: "Peterson's mutual exclusion for two processes: starvation freedom under weak fairness",
  description: 'Two processes take turns at a critical section with a flag each and a turn variable.',
  configs: {
    fair: { description: 'both processes weakly fair: StarvationFree holds (TLC: 42 distinct, 77 generated)', params: { fair: [0, 1] } },
    'one-fair': { description: 'only process 1 fair: process 2 may stop in its critical section and starve process 1 (TLC: violated)', params: { fair: [0] } },
  },
  defaultConfig: 'fair',
  build(params) {
    return buildPeterson(params.fair as number[]);
  },
};
