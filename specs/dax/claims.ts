// Every claim of every DAX scheme, in report order. Each scheme keeps its own claims file.
import type { Claim } from '../../src/report/claim';
import { claims as daxSem } from './claims-dax-sem';
import { claims as entryLock } from './claims-entry-lock';
import { claims as iMmap } from './claims-i-mmap';
import { claims as liveness } from './claims-liveness';
import { claims as v42 } from './claims-v4-2';
import { claims as xfs } from './claims-xfs';
import { claims as ext4 } from './claims-ext4';

export const allClaims: readonly Claim[] = [...v42, ...iMmap, ...daxSem, ...entryLock, ...xfs, ...ext4, ...liveness];

/**
 * The claims about safety properties and deadlocks: those the reductions and the parallel search
 * can settle too (liveness claims need the whole state graph: --symmetry, --por and --workers
 * cannot check them).
 */
export const safetyClaims: readonly Claim[] = allClaims.filter((c) => !liveness.includes(c));
