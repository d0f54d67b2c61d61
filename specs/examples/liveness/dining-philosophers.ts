// The Chandy-Misra dining philosophers of tla/DiningPhilosophers.tla (tlaplus/Examples, PlusCal
// by Jeff Hemphill), NP = 5, ported to the engine contract action for action: Loop (hand over a
// dirty fork, or decide to eat or think: when it does neither, the step changes nothing and is
// stuttering), Eat, Think. NobodyStarves (\A p : []<>~hungry[p]) is five liveness properties.
// With every philosopher weakly fair it holds; with philosopher 1 unfair it fails. TLC 2.20,
// both configs: 67 distinct states, 336 generated, depth 29.
import { arrayOf, bool, defineLayout, enumOf, intRange, recordOf } from '../../../src/core/layout';
import type { Fairness } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

const Pc = enumOf('Loop', 'Eat', 'Think');

export function buildDiningPhilosophers(np: number, fair: (p: number) => boolean): Spec {
  const names = Array.from({ length: np }, (_, i) => String(i + 1));
  const layout = defineLayout({
    forks: arrayOf(np, recordOf({ holder: intRange(1, np), clean: bool }), names),
    pc: arrayOf(np, Pc, names),
    hungry: arrayOf(np, bool, names),
  });
  const { forks: F, pc: PC, hungry: HU } = layout.at;
  // Philosophers and forks numbered 1..np as in the module; fork f's record at F + 2(f-1).
  const holder = (f: number): number => F + 2 * (f - 1);
  const clean = (f: number): number => F + 2 * (f - 1) + 1;
  const left = (p: number): number => p;
  const right = (p: number): number => (p === np ? 1 : p + 1);
  const leftPhil = (p: number): number => (p === 1 ? np : p - 1);
  const rightPhil = (p: number): number => (p === np ? 1 : p + 1);
  const canEat = (s: State, p: number): boolean => s[holder(left(p))] === p && s[holder(right(p))] === p && s[clean(left(p))] === 1 && s[clean(right(p))] === 1;
  const actions: Action[] = [];
  for (let p = 1; p <= np; p++) {
    const actor = `philosopher ${p}`;
    const at = PC + p - 1;
    actions.push(
      {
        name: 'Loop',
        actor,
        apply(s, t) {
          if (s[at] !== Pc.code.Loop) return false;
          if (s[holder(left(p))] === p && s[clean(left(p))] === 0) {
            t[holder(left(p))] = leftPhil(p);
            t[clean(left(p))] = 1;
          } else if (s[holder(right(p))] === p && s[clean(right(p))] === 0) {
            t[holder(right(p))] = rightPhil(p);
            t[clean(right(p))] = 1;
          }
          t[at] = s[HU + p - 1] === 1 ? (canEat(s, p) ? Pc.code.Eat : Pc.code.Loop) : Pc.code.Think;
          return true;
        },
      },
      {
        name: 'Think',
        actor,
        apply(s, t) {
          if (s[at] !== Pc.code.Think) return false;
          t[HU + p - 1] = 1;
          t[at] = Pc.code.Loop;
          return true;
        },
      },
      {
        name: 'Eat',
        actor,
        apply(s, t) {
          if (s[at] !== Pc.code.Eat) return false;
          t[HU + p - 1] = 0;
          t[clean(left(p))] = 0;
          t[clean(right(p))] = 0;
          t[at] = Pc.code.Loop;
          return true;
        },
      },
    );
  }
  const fairness: Fairness[] = [{ kind: 'weak', per: 'actor', actions: (a) => fair(Number(a.actor?.split(' ')[1])) }];
  const shareFork = (p: number, q: number): boolean => [left(p), right(p)].some((f) => f === left(q) || f === right(q));
  return {
    name: 'DiningPhilosophers',
    layout,
    init: [
      layout.encode({
        forks: names.map((_, i) => ({ holder: i + 1 === 2 ? 1 : i + 1, clean: false })),
        pc: names.map(() => 'Loop'),
        hungry: names.map(() => true),
      }),
    ],
    actions,
    properties: [
      {
        name: 'ExclusiveAccess',
        kind: 'always',
        holds(s) {
          for (let p = 1; p <= np; p++) {
            for (let q = 1; q <= np; q++) {
              if (p !== q && shareFork(p, q) && s[PC + p - 1] === Pc.code.Eat && s[PC + q - 1] === Pc.code.Eat) return false;
            }
          }
          return true;
        },
      },
    ],
    liveness: names.map((_, i) => ({
      name: `NobodyStarves: philosopher ${i + 1} eats again and again`,
      form: 'infinitely-often' as const,
      holds: (s: State) => s[HU + i] === 0,
      fairness,
    })),
  };
}

export const diningPhilosophers: SpecDefinition = {
  id: 'dining-philosophers',
  title: 'Chandy-Misra dining philosophers (5): nobody starves under weak fairness of each philosopher',
  description: 'Forks are handed over clean when dirty; a philosopher eats holding both clean forks.',
  configs: {
    fair: { description: 'every philosopher weakly fair: NobodyStarves holds (TLC: 67 distinct, 336 generated)', params: { unfair: [] } },
    'one-unfair': { description: 'philosopher 1 not fair: it may stop for good, and starves (TLC: violated)', params: { unfair: [1] } },
  },
  defaultConfig: 'fair',
  build(params) {
    const unfair = params.unfair as number[];
    return buildDiningPhilosophers(5, (p) => !unfair.includes(p));
  },
};
