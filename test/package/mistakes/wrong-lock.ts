// A mutex taken with down_write (line 10), which TypeScript would refuse without the cast.
import { World, compile, fn, step, type SpecDefinition } from 'daxmc';

const wrongLock: SpecDefinition = {
  id: 'wrong-lock', title: 'a wrong lock call', description: 'down_write on a mutex',
  configs: { c: { description: 'c', params: {} } }, defaultConfig: 'c',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const m = w.mutex('truncate_mutex');
    w.thread('T1', { process: 'P1', path: fn('f', [step('down_write', (k) => k.downWrite(m as unknown as Parameters<typeof k.downWrite>[0]))]) });
    return compile(w, 'wrong-lock').spec;
  },
};
export default wrongLock;
