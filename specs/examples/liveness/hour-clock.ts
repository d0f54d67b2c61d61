// The hour clock of Specifying Systems ch. 8 (tla/HourClock.tla, LiveHourClock.tla, from
// tlaplus/Examples), ported to the engine contract: hr steps 1..12 round and round. AllTimes
// (\A n \in 1..12 : []<>(hr = n)) is twelve liveness properties here. With WF_hr(HCnxt) they
// hold; without it the clock may stop, so each fails by stuttering. TLC 2.20, both configs:
// 12 distinct states, 24 generated, depth 1 (tla/run-tlc.sh).
import { defineLayout, intRange } from '../../../src/core/layout';
import type { Fairness, LivenessProperty } from '../../../src/core/liveness';
import type { Spec, SpecDefinition, State } from '../../../src/core/spec';

export function buildHourClock(fair: boolean): Spec {
  const layout = defineLayout({ hr: intRange(1, 12) });
  const H = layout.at.hr;
  const fairness: Fairness[] = fair ? [{ kind: 'weak', per: 'action' }] : [];
  const liveness: LivenessProperty[] = Array.from({ length: 12 }, (_, k) => ({
    name: `AllTimes: hr = ${k + 1} again and again`,
    form: 'infinitely-often' as const,
    holds: (s: State) => s[H] === k + 1,
    fairness,
  }));
  return {
    name: fair ? 'LSpec' : 'HC',
    layout,
    init: Array.from({ length: 12 }, (_, k) => layout.encode({ hr: k + 1 })),
    actions: [
      {
        name: 'HCnxt',
        apply(s, t) {
          t[H] = s[H] !== 12 ? s[H] + 1 : 1;
          return true;
        },
      },
    ],
    properties: [],
    liveness,
  };
}

export const hourClock: SpecDefinition = {
  id: 'hour-clock',
  title: 'the hour clock (Specifying Systems, ch. 8): AllTimes with and without WF_hr(HCnxt)',
  description: 'hr goes 1, 2, ..., 12, 1, ... ; LSpec adds weak fairness of the tick, HC has none (the clock may stop).',
  configs: {
    fair: { description: 'LSpec == HC /\\ WF_hr(HCnxt): AllTimes holds (TLC: 12 distinct, 24 generated)', params: { fair: true } },
    'no-fairness': { description: 'HC alone: the clock may stop, AllTimes fails by stuttering (TLC: violated)', params: { fair: false } },
  },
  defaultConfig: 'fair',
  build(params) {
    return buildHourClock(params.fair === true);
  },
};
