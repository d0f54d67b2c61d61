// A user's spec file on the engine contract alone: four counters, each stepped by its own
// thread up to 16; (16+1)^4 states, in levels wide enough that `--workers 2` starts its workers.
import { defineLayout, intRange, type Action, type SpecDefinition } from 'daxmc';

const MAX = 16;
const layout = defineLayout({ a: intRange(0, MAX), b: intRange(0, MAX), c: intRange(0, MAX), d: intRange(0, MAX) });

const count = (i: number, name: string): Action => ({
  name: `inc_${name}`,
  actor: name,
  apply: (cur, next) => {
    const v = cur[i] ?? MAX;
    if (v >= MAX) return false;
    next[i] = v + 1;
    return true;
  },
});

const counters: SpecDefinition = {
  id: 'counters',
  title: 'four counters',
  description: 'four threads, each counting to 16',
  configs: { four: { description: 'four counters up to 16', params: {} } },
  defaultConfig: 'four',
  build: () => ({
    name: 'counters',
    layout,
    init: [layout.encode({ a: 0, b: 0, c: 0, d: 0 })],
    actions: [count(0, 'A'), count(1, 'B'), count(2, 'C'), count(3, 'D')],
    properties: [{ name: 'no counter passes 16', kind: 'always', holds: (s) => s.every((v) => v <= MAX) }],
    isTerminal: () => true,
  }),
};
export default counters;
