// Steps that take or drop one lock, labelled with the kernel call that does it: mutex_lock(x),
// down_read(x), up_write(x), ext4_journal_start(x). A scheme composes its lock order out of
// these; the label is what traces and lockdep reports print. Not the lock semantics (kernel.ts).
import type { K } from '../model/kernel';
import { step, type Control, type StepDef } from '../model/paths';
import type { LockDecl } from '../model/world';

/** How a path holds a lock: exclusive (mutex, spinlock, rwsem write, journal commit) or shared. */
export type LockMode = 'read' | 'write';

/** The kernel call that takes `l` in `mode`: mutex_lock(truncate_mutex), down_read(dax_sem). */
export function takeLabel(l: LockDecl, mode: LockMode = 'write'): string {
  switch (l.kind) {
    case 'mutex':
      return `mutex_lock(${l.name})`;
    case 'spinlock':
      return `spin_lock(${l.name})`;
    case 'rwsem':
      return `${mode === 'read' ? 'down_read' : 'down_write'}(${l.name})`;
    case 'journal':
      return mode === 'read' ? `ext4_journal_start(${l.name})` : `jbd2_journal_lock_updates(${l.name})`;
  }
}

/** The kernel call that drops `l` held in `mode`. */
export function dropLabel(l: LockDecl, mode: LockMode = 'write'): string {
  switch (l.kind) {
    case 'mutex':
      return `mutex_unlock(${l.name})`;
    case 'spinlock':
      return `spin_unlock(${l.name})`;
    case 'rwsem':
      return `${mode === 'read' ? 'up_read' : 'up_write'}(${l.name})`;
    case 'journal':
      return mode === 'read' ? `ext4_journal_stop(${l.name})` : `jbd2_journal_unlock_updates(${l.name})`;
  }
}

/** A mutex or spinlock has one mode, exclusive: asked for shared, it is the spec writer's mistake. */
function oneMode(k: K, l: LockDecl, mode: LockMode, call: string): void {
  if ((l.kind === 'mutex' || l.kind === 'spinlock') && mode === 'read') {
    k.mistake(`${call}s ${l.name} shared, but a ${l.kind} is only ever held exclusively (a lock that faults share is an rwsem: w.rwsem('${l.name}'))`, true);
  }
}

/** Takes `l` in `mode` (a mutex or spinlock only in 'write' mode: it is always exclusive). */
export function take(k: K, l: LockDecl, mode: LockMode = 'write'): Control {
  oneMode(k, l, mode, 'take');
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      return k.lock(l);
    case 'rwsem':
      return mode === 'read' ? k.downRead(l) : k.downWrite(l);
    case 'journal':
      return mode === 'read' ? k.journalStart(l) : k.journalLockUpdates(l);
  }
}

/** Drops `l` held in `mode`. */
export function drop(k: K, l: LockDecl, mode: LockMode = 'write'): Control {
  oneMode(k, l, mode, 'drop');
  switch (l.kind) {
    case 'mutex':
    case 'spinlock':
      return k.unlock(l);
    case 'rwsem':
      return mode === 'read' ? k.upRead(l) : k.upWrite(l);
    case 'journal':
      return mode === 'read' ? k.journalStop(l) : k.journalUnlockUpdates(l);
  }
}

/** A step that takes `l`: `lockStep(daxSem, 'read')` is the step `down_read(dax_sem)`. */
export function lockStep(l: LockDecl, mode: LockMode = 'write', label = takeLabel(l, mode)): StepDef {
  return step(label, (k) => take(k, l, mode));
}

/** A step that drops `l`: `unlockStep(daxSem, 'read')` is the step `up_read(dax_sem)`. */
export function unlockStep(l: LockDecl, mode: LockMode = 'write', label = dropLabel(l, mode)): StepDef {
  return step(label, (k) => drop(k, l, mode));
}

/** A lock a path takes, with its mode: `{ lock: mmapLock, mode: 'read' }`. */
export interface HeldLock {
  readonly lock: LockDecl;
  readonly mode: LockMode;
}
