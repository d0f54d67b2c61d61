// A local set outside its range when the step runs (line 10): an error naming this file and line.
import { World, compile, fn, step, type SpecDefinition } from 'daxmc';

const outOfRange: SpecDefinition = {
  id: 'out-of-range', title: 'k.set out of range', description: 'x = 4 in 0..3',
  configs: { c: { description: 'c', params: {} } }, defaultConfig: 'c',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const x = w.local('x', 'int', 3);
    w.thread('T1', { process: 'P1', path: fn('f', [step('bump', (k) => k.set(x, k.get(x) + 4))]) });
    return compile(w, 'out-of-range').spec;
  },
};
export default outOfRange;
