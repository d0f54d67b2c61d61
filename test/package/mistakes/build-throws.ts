// build() throws a TypeError (line 9): a spec error naming the line that threw.
import type { SpecDefinition } from 'daxmc';

const buildThrows: SpecDefinition = {
  id: 'build-throws', title: 'build() throws', description: 'a TypeError',
  configs: { c: { description: 'c', params: {} } }, defaultConfig: 'c',
  build() {
    const o = undefined as unknown as { x: { y: number } };
    return o.x.y as never;
  },
};
export default buildThrows;
