// An import of a name daxmc/linux does not export.
// @ts-expect-error (the mistake under test)
import { nope } from 'daxmc/linux';
export default nope;
