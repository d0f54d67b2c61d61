// The classic TLA+ examples with liveness properties, ported to the engine contract with their
// TLA+ modules beside them (tla/, from tlaplus/Examples at 32a32c7, MIT, plus our MC*.tla
// variants): each has a configuration that holds and one that is violated, under weak and strong
// fairness. tla/run-tlc.sh gives TLC's outcome and counts; the tests pin them.
import type { SpecDefinition } from '../../../src/core/spec';
import { alternatingBit } from './alternating-bit';
import { diningPhilosophers } from './dining-philosophers';
import { ewd840 } from './ewd840';
import { hourClock } from './hour-clock';
import { peterson } from './peterson';
import { prisoners } from './prisoners';
import { simpleAllocator } from './simple-allocator';
import { tokenRing } from './token-ring';

export const livenessExamples: readonly SpecDefinition[] = [hourClock, peterson, diningPhilosophers, simpleAllocator, tokenRing, ewd840, prisoners, alternatingBit];
