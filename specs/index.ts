// The built-in spec definitions, by spec id. `daxmc list` prints these; a user's own spec file
// is loaded by path instead (src/cli/load-spec.ts) and never needs to be registered here.
import type { SpecDefinition } from '../src/core/spec';
import { coffeeCan } from './examples/coffee-can';
import { dieHard } from './examples/die-hard';
import { lockPage } from './examples/lock-page';
import { twoPhase } from './examples/two-phase';
import { livenessExamples } from './examples/liveness/index';
import { definitions as daxSem } from './dax/dax-sem';
import { definitions as entryLock } from './dax/entry-lock';
import { definitions as ext4 } from './dax/ext4';
import { definitions as iMmap } from './dax/i-mmap';
import { definitions as v42 } from './dax/v4-2';
import { definitions as xfs } from './dax/xfs';

export const builtinSpecs: readonly SpecDefinition[] = [twoPhase, dieHard, coffeeCan, lockPage, ...livenessExamples, ...v42, ...iMmap, ...daxSem, ...entryLock, ...xfs, ...ext4];
