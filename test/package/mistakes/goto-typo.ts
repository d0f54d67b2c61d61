// A jump to a label that does not exist (line 10): a spec error naming this file and line.
import { NEXT, World, compile, fn, step, type SpecDefinition } from 'daxmc';

const gotoTypo: SpecDefinition = {
  id: 'goto-typo', title: 'a goto typo', description: "k.goto('retyr')",
  configs: { c: { description: 'c', params: {} } }, defaultConfig: 'c',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    w.thread('T1', { process: 'P1', path: fn('f', [
      step('again', (k) => (k.iSize() > 5 ? k.goto('retyr') : NEXT)),
      step('retry', () => NEXT),
    ]) });
    return compile(w, 'goto-typo').spec;
  },
};
export default gotoTypo;
