// DieHard: the jugs puzzle (a 3-gallon and a 5-gallon jug; measure 4 gallons), from the
// well-known DieHard.tla. The `goal` configuration states "big /= 4" as an invariant so the
// checker's counterexample is the solution (7 states, 6 steps); `explore` has no invariant and
// reaches all 16 states.
import { defineLayout, intRange } from '../../src/core/layout';
import type { Action, Property, Spec, SpecDefinition } from '../../src/core/spec';

export function buildDieHard(goal: boolean): Spec {
  const layout = defineLayout({ big: intRange(0, 5), small: intRange(0, 3) });
  const B = layout.at.big;
  const S = layout.at.small;
  const act = (name: string, f: (big: number, small: number) => [number, number]): Action => ({
    name,
    apply(s, t) {
      const [b, m] = f(s[B], s[S]);
      t[B] = b;
      t[S] = m;
      return true;
    },
  });
  const actions: Action[] = [
    act('FillSmallJug', (b) => [b, 3]),
    act('FillBigJug', (_b, m) => [5, m]),
    act('EmptySmallJug', (b) => [b, 0]),
    act('EmptyBigJug', (_b, m) => [0, m]),
    act('SmallToBig', (b, m) => {
      const pour = Math.min(m, 5 - b);
      return [b + pour, m - pour];
    }),
    act('BigToSmall', (b, m) => {
      const pour = Math.min(b, 3 - m);
      return [b - pour, m + pour];
    }),
  ];
  const properties: Property[] = [
    { name: 'TypeOK: the jugs hold what they can', kind: 'always', holds: (s) => s[B] <= 5 && s[S] <= 3 },
    { name: 'the big jug holds 4 gallons', kind: 'sometimes', holds: (s) => s[B] === 4 },
  ];
  if (goal) properties.push({ name: 'NotSolved: big /= 4', kind: 'always', holds: (s) => s[B] !== 4 });
  return { name: 'die-hard', layout, init: [layout.encode({ big: 0, small: 0 })], actions, properties };
}

export const dieHard: SpecDefinition = {
  id: 'die-hard',
  title: 'DieHard jugs puzzle',
  description: 'Measure 4 gallons with a 3- and a 5-gallon jug. The counterexample to NotSolved is the solution.',
  configs: {
    goal: { description: 'with the invariant big /= 4: its counterexample is the shortest solution', params: { goal: true } },
    explore: { description: 'no goal invariant: the whole state space (16 states)', params: { goal: false } },
  },
  defaultConfig: 'goal',
  build(params) {
    return buildDieHard(params.goal === true);
  },
};
