// The prisoners and two switches (tla/Prisoners.tla, tlaplus/Examples, Leslie Lamport), four
// prisoners with p1 counting, ported to the engine contract. Fairness: every prisoner is brought
// into the room again and again (WF of each prisoner's step). Liveness (<>Done) holds; with the
// counter not fair (tla/MCPrisoners.tla UnfairCounterSpec) he may never come back and the
// prisoners are never released. TLC 2.20, both configs: 214 distinct states, 860 generated,
// depth 14.
import { arrayOf, bool, defineLayout, intRange } from '../../../src/core/layout';
import type { Fairness } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition } from '../../../src/core/spec';

export function buildPrisoners(counterFair: boolean): Spec {
  const others = ['p2', 'p3', 'p4'];
  const prisoners = others.length + 1;
  const layout = defineLayout({ switchAUp: bool, switchBUp: bool, timesSwitched: arrayOf(others.length, intRange(0, 2), others), count: intRange(0, 2 * prisoners - 1) });
  const { switchAUp: SA, switchBUp: SB, timesSwitched: TS, count: CNT } = layout.at;
  const done = 2 * (prisoners - 1);
  const actions: Action[] = [
    {
      name: 'CounterStep',
      actor: 'p1',
      apply(s, t) {
        if (s[SA] === 1) {
          t[SA] = 0;
          t[CNT] = s[CNT] + 1;
        } else t[SB] = 1 - s[SB];
        return true;
      },
    },
    ...others.map(
      (actor, i): Action => ({
        name: 'NonCounterStep',
        actor,
        apply(s, t) {
          if (s[SA] === 0 && s[TS + i] < 2) {
            t[SA] = 1;
            t[TS + i] = s[TS + i] + 1;
          } else t[SB] = 1 - s[SB];
          return true;
        },
      }),
    ),
  ];
  const init = [false, true].flatMap((a) => [false, true].map((b) => layout.encode({ switchAUp: a, switchBUp: b, timesSwitched: [0, 0, 0], count: 0 })));
  const fairness: Fairness[] = [{ kind: 'weak', per: 'actor', actions: (a) => counterFair || a.actor !== 'p1' }];
  return {
    name: counterFair ? 'Spec' : 'UnfairCounterSpec',
    layout,
    init,
    actions,
    properties: [
      {
        name: 'Safety: Done only once everyone has been in the room',
        kind: 'always',
        holds: (s) => s[CNT] !== done || others.every((_, i) => s[TS + i] > 0),
      },
    ],
    liveness: [{ name: 'Liveness: eventually Done', form: 'eventually', holds: (s) => s[CNT] === done, fairness }],
  };
}

export const prisoners: SpecDefinition = {
  id: 'prisoners',
  title: 'the prisoners and the two switches (4 prisoners): eventually released, if everyone keeps coming',
  description: 'The counter turns switch A down and counts; the others turn it up twice each.',
  configs: {
    fair: { description: 'every prisoner weakly fair: <>Done holds (TLC: 214 distinct, 860 generated)', params: { counterFair: true } },
    'unfair-counter': { description: 'the counter may never come back: <>Done fails (TLC: violated)', params: { counterFair: false } },
  },
  defaultConfig: 'fair',
  build(params) {
    return buildPrisoners(params.counterFair === true);
  },
};
