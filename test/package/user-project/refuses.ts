// A user's spec file whose build refuses its configuration with daxmc's own SpecError: the CLI
// recognises the class (the spec and the CLI share one copy of daxmc's modules) and prints the
// message as it is, instead of wrapping it as an error of some other class.
import { SpecError, type SpecDefinition } from 'daxmc';

const refuses: SpecDefinition = {
  id: 'refuses',
  title: 'a spec that refuses to build',
  description: 'build() throws a SpecError',
  configs: { any: { description: 'any', params: {} } },
  defaultConfig: 'any',
  build() {
    throw new SpecError('spec refuses: lock B is taken with downRead, but it is a mutex');
  },
};
export default refuses;
