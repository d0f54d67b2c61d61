// Dijkstra's termination detection on a ring (EWD840; tla/EWD840.tla from tlaplus/Examples),
// N = 3, ported to the engine contract. Only the token's actions (System) are weakly fair.
// Liveness (terminated ~> terminationDetected) holds; Terminates (<>terminated, from
// tla/MCEWD840.tla) fails: nothing obliges a node to deactivate. TLC 2.20, both configs:
// 302 distinct states, 2,001 generated, depth 9 (TLC counts a step once per true disjunct of its
// guard, so the token's actions are split by disjunct here: 1,817 otherwise).
import { arrayOf, bool, defineLayout, enumOf, intRange } from '../../../src/core/layout';
import type { Fairness, LivenessProperty } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

const Color = enumOf('white', 'black');
const { white, black } = Color.code;

export function buildEwd840(n: number, property: 'Liveness' | 'Terminates'): Spec {
  const names = Array.from({ length: n }, (_, i) => String(i));
  const layout = defineLayout({ active: arrayOf(n, bool, names), color: arrayOf(n, Color, names), tpos: intRange(0, n - 1), tcolor: Color });
  const { active: ACT, color: COL, tpos: TPOS, tcolor: TCOL } = layout.at;
  // TLC makes a successor once for each disjunct of a guard that holds ("tcolor = black \/
  // color[0] = black"), so each disjunct is an action of its own here, as TLC counts them.
  const actions: Action[] = [];
  const probeWhen: [string, (s: State) => boolean][] = [
    ['token black', (s) => s[TCOL] === black],
    ['node 0 black', (s) => s[COL] === black],
  ];
  for (const [why, when] of probeWhen) {
    actions.push({
      name: `InitiateProbe (${why})`,
      actor: 'token',
      apply(s, t) {
        if (s[TPOS] !== 0 || !when(s)) return false;
        t[TPOS] = n - 1;
        t[TCOL] = white;
        t[COL] = white;
        return true;
      },
    });
  }
  for (let i = 1; i < n; i++) {
    const passWhen: [string, (s: State) => boolean][] = [
      [`node ${i} passive`, (s) => s[ACT + i] === 0],
      [`node ${i} black`, (s) => s[COL + i] === black],
      ['token black', (s) => s[TCOL] === black],
    ];
    for (const [why, when] of passWhen) {
      actions.push({
        name: `PassToken(${i}) (${why})`,
        actor: 'token',
        apply(s, t) {
          if (s[TPOS] !== i || !when(s)) return false;
          t[TPOS] = i - 1;
          t[TCOL] = s[COL + i] === black ? black : s[TCOL];
          t[COL + i] = white;
          return true;
        },
      });
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      actions.push({
        name: `SendMsg(${i} to ${j})`,
        actor: `node ${i}`,
        apply(s, t) {
          if (s[ACT + i] === 0) return false;
          t[ACT + j] = 1;
          if (j > i) t[COL + i] = black;
          return true;
        },
      });
    }
    actions.push({
      name: `Deactivate(${i})`,
      actor: `node ${i}`,
      apply(s, t) {
        if (s[ACT + i] === 0) return false;
        t[ACT + i] = 0;
        return true;
      },
    });
  }
  const init: State[] = [];
  for (let a = 0; a < 1 << n; a++) {
    for (let c = 0; c < 1 << n; c++) {
      for (let p = 0; p < n; p++) {
        init.push(
          layout.encode({
            active: names.map((_, i) => (a & (1 << i)) !== 0),
            color: names.map((_, i) => ((c & (1 << i)) !== 0 ? 'black' : 'white')),
            tpos: p,
            tcolor: 'black',
          }),
        );
      }
    }
  }
  const terminated = (s: State): boolean => {
    for (let i = 0; i < n; i++) if (s[ACT + i] === 1) return false;
    return true;
  };
  const detected = (s: State): boolean => s[TPOS] === 0 && s[TCOL] === white && s[COL] === white && s[ACT] === 0;
  const fairness: Fairness[] = [{ kind: 'weak', per: 'group', name: 'System', actions: (a) => a.actor === 'token' }];
  const liveness: LivenessProperty[] =
    property === 'Liveness'
      ? [{ name: 'Liveness: termination is detected', form: 'leads-to', holds: terminated, target: detected, fairness }]
      : [{ name: 'Terminates: every node eventually stops', form: 'eventually', holds: terminated, fairness }];
  return {
    name: 'EWD840',
    layout,
    init,
    actions,
    properties: [{ name: 'TerminationDetection', kind: 'always', holds: (s) => !detected(s) || terminated(s) }],
    liveness,
  };
}

export const ewd840: SpecDefinition = {
  id: 'ewd840',
  title: "Dijkstra's termination detection on a ring (EWD840), 3 nodes, WF(System)",
  description: 'A token goes round the ring to detect that every node is passive; nodes wake each other by messages.',
  configs: {
    liveness: { description: 'terminated ~> terminationDetected holds (TLC: 302 distinct, 2,001 generated)', params: { property: 'Liveness' } },
    terminates: { description: '<>terminated fails: only the token is fair, nodes may stay active (TLC: violated)', params: { property: 'Terminates' } },
  },
  defaultConfig: 'liveness',
  build(params) {
    return buildEwd840(3, params.property === 'Terminates' ? 'Terminates' : 'Liveness');
  },
};
