// The kernel vocabulary on tiny specs: each primitive and property with exact verdicts, state
// counts and diagnoses.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { compile } from '../../src/model/compile';
import { NEXT, fn, step, type FnDef, type StepDef } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import { MISUSE_PAGE, MISUSE_READ, Slot, World, misuseWords } from '../../src/model/world';
import { replay } from '../../src/trace/trace';

function world(): World {
  return new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
}

async function deadlockOf(w: World, props: P.PropertyMaker[] = []) {
  const { spec } = compile(w, 'fixture', props);
  const r = await check(spec, {});
  const trace = r.failure ? replay(spec, r.failure.path, { specId: 'fixture', config: 'x', kind: r.failure.kind, property: r.failure.property }) : undefined;
  return { r, trace, spec };
}

describe('mutex', () => {
  it('finds ABBA and names the wait-for cycle and the lock-order cycle', async () => {
    const w = world();
    const A = w.mutex('A');
    const B = w.mutex('B');
    const path = (x: typeof A, y: typeof A, name: string) =>
      fn(name, [
        step(`lock ${x.name}`, (k) => k.lock(x)),
        step(`lock ${y.name}`, (k) => k.lock(y)),
        step(`unlock ${y.name}`, (k) => k.unlock(y)),
        step(`unlock ${x.name}`, (k) => k.unlock(x)),
      ]);
    w.thread('T1', { process: 'P1', path: path(A, B, 'ab') });
    w.thread('T2', { process: 'P1', path: path(B, A, 'ba') });
    const { r, trace } = await deadlockOf(w);
    expect(r.verdict).toBe('fail');
    expect(r.failure?.kind).toBe('deadlock');
    expect(r.failure?.path.actions.length).toBe(2);
    expect(r.stats.distinct).toBe(7);
    expect(trace?.diagnosis?.kind).toBe('deadlock');
    expect(trace?.diagnosis?.summary).toBe('wait-for cycle: T1 waits for B; T2 waits for A');
    expect(trace?.diagnosis?.details).toContain('T1 at ab: lock B waits for B, held by T2');
    const ld = r.analyses.find((a) => a.name === 'lock order');
    expect(ld?.findings.map((f) => f.summary)).toEqual(['lock-order cycle: W(A) -> W(B) -> W(A)']);
  });

  it('reports a cycle in the lock-order view even when no deadlock is reachable', async () => {
    const w = world();
    const A = w.mutex('A');
    const B = w.mutex('B');
    const G = w.mutex('G');
    // G serialises the two paths, so the AB/BA inversion can never deadlock.
    const path = (x: typeof A, y: typeof A, name: string) =>
      fn(name, [
        step('lock G', (k) => k.lock(G)),
        step(`lock ${x.name}`, (k) => k.lock(x)),
        step(`lock ${y.name}`, (k) => k.lock(y)),
        step(`unlock ${y.name}`, (k) => k.unlock(y)),
        step(`unlock ${x.name}`, (k) => k.unlock(x)),
        step('unlock G', (k) => k.unlock(G)),
      ]);
    w.thread('T1', { process: 'P1', path: path(A, B, 'ab') });
    w.thread('T2', { process: 'P1', path: path(B, A, 'ba') });
    const { r } = await deadlockOf(w);
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(24);
    const ld = r.analyses.find((a) => a.name === 'lock order')!;
    expect(ld.findings.map((f) => [f.severity, f.summary])).toEqual([['warning', 'lock-order cycle: W(A) -> W(B) -> W(A)']]);
    expect(ld.findings[0].examples?.map((e) => e.path.actions.length)).toEqual([3, 3]);
  });

  it('makes an unlock of a lock not held a lock-misuse error state', async () => {
    const w = world();
    const A = w.mutex('A');
    w.thread('T1', { process: 'P1', path: fn('bad', [step('unlock A', (k) => k.unlock(A))]) });
    const { spec } = compile(w, 'x', [P.noLockMisuse]);
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    expect(r.failure?.property).toBe('no lock misuse');
    expect(r.failure?.path.actions).toEqual([0]);
    const tr = replay(spec, r.failure!.path, { specId: 'x', config: 'x', kind: 'invariant', property: 'no lock misuse' });
    expect(tr.steps[1].notes.map((n) => n.text)).toContain('lock misuse: mutex_unlock(A) by T1, which does not hold it');
  });
});

describe('rwsem', () => {
  it('finds read-then-write self-deadlock', async () => {
    const w = world();
    const S = w.rwsem('sem');
    w.thread('T1', { process: 'P1', path: fn('rw', [step('down_read', (k) => k.downRead(S)), step('down_write', (k) => k.downWrite(S))]) });
    const { r, trace } = await deadlockOf(w);
    expect(r.failure?.kind).toBe('deadlock');
    expect(r.stats.distinct).toBe(3);
    expect(trace?.steps.length).toBe(3);
    expect(trace?.diagnosis?.kind).toBe('self-deadlock');
    expect(trace?.diagnosis?.summary).toBe('T1 waits for sem (write), which it holds itself');
  });

  it('blocks a new reader while a writer waits (recursive read deadlocks)', async () => {
    const w = world();
    const S = w.rwsem('sem');
    w.thread('R', {
      process: 'P1',
      path: fn('reader', [
        step('down_read', (k) => k.downRead(S)),
        step('down_read again', (k) => k.downRead(S)),
        step('up_read', (k) => k.upRead(S)),
        step('up_read again', (k) => k.upRead(S)),
      ]),
    });
    w.thread('W', { process: 'P1', path: fn('writer', [step('down_write', (k) => k.downWrite(S)), step('up_write', (k) => k.upWrite(S))]) });
    const { r, trace } = await deadlockOf(w);
    expect(r.failure?.kind).toBe('deadlock');
    expect(trace?.diagnosis?.kind).toBe('deadlock');
    expect(trace?.diagnosis?.summary).toBe('wait-for cycle: R waits for sem (read); W waits for sem (write)');
  });

  it('makes an up_write of a read hold a wrong-mode misuse', async () => {
    const w = world();
    const S = w.rwsem('sem');
    w.thread('T1', { process: 'P1', path: fn('p', [step('down_read', (k) => k.downRead(S)), step('up_write', (k) => k.upWrite(S))]) });
    const { spec } = compile(w, 'x', [P.noLockMisuse]);
    const r = await check(spec);
    expect(r.failure?.property).toBe('no lock misuse');
    const tr = replay(spec, r.failure!.path, { specId: 'x', config: 'x', kind: 'invariant', property: 'no lock misuse' });
    expect(tr.steps[2].notes.map((n) => n.text)).toContain('lock misuse: up_write(sem) by T1, which holds it for read');
  });
});

describe('lock misuse in words: the release, who made it, and how the lock was held', () => {
  /** The misuse's note, its error state's words, and the invariant's explanation, for one thread's path. */
  async function misuse(build: (w: World) => readonly StepDef[]): Promise<string[]> {
    const w = world();
    w.thread('T1', { process: 'P1', path: fn('p', [...build(w)]) });
    const { spec } = compile(w, 'x', [P.noLockMisuse]);
    const r = await check(spec);
    expect(r.failure?.property).toBe('no lock misuse');
    const tr = replay(spec, r.failure!.path, { specId: 'x', config: 'x', kind: 'invariant', property: 'no lock misuse' });
    const last = tr.steps[tr.steps.length - 1];
    return [...last.notes.filter((n) => n.kind === 'error').map((n) => n.text), last.words!.fields.find((f) => f.label === 'error')!.text, tr.explanation![0]];
  }

  it('up_read of a write hold, up_write of a read hold, either of a lock not held; mutex, spinlock and page', async () => {
    const rows = [
      await misuse((w) => { const S = w.rwsem('dax_sem'); return [step('down_write', (k) => k.downWrite(S)), step('unlock', (k) => k.upRead(S))]; }),
      await misuse((w) => { const S = w.rwsem('dax_sem'); return [step('down_read', (k) => k.downRead(S)), step('unlock', (k) => k.upWrite(S))]; }),
      await misuse((w) => { const S = w.rwsem('dax_sem'); return [step('unlock', (k) => k.upRead(S))]; }),
      await misuse((w) => { const S = w.rwsem('dax_sem'); return [step('unlock', (k) => k.upWrite(S))]; }),
      await misuse((w) => { const M = w.mutex('truncate_mutex'); return [step('unlock', (k) => k.unlock(M))]; }),
      await misuse((w) => { const L = w.spinlock('tree_lock'); return [step('unlock', (k) => k.unlock(L))]; }),
      await misuse(() => [step('unlock', (k) => k.unlockPage(1))]),
    ];
    const says = (t: string) => [`lock misuse: ${t}`, `lock misuse: ${t}`, `T1 at p: unlock (step ${t.includes('which holds') ? 2 : 1}): lock misuse: ${t}`];
    expect(rows).toEqual([
      says('up_read(dax_sem) by T1, which holds it for write'),
      says('up_write(dax_sem) by T1, which holds it for read'),
      says('up_read(dax_sem) by T1, which does not hold it'),
      says('up_write(dax_sem) by T1, which does not hold it'),
      says('mutex_unlock(truncate_mutex) by T1, which does not hold it'),
      says('spin_unlock(tree_lock) by T1, which does not hold it'),
      says('unlock_page(H1) by T1, which does not hold it'),
    ]);
  });

  it("names the other holders of a lock released by a thread that does not hold it", () => {
    const w = world();
    const S = w.rwsem('dax_sem');
    const M = w.mutex('truncate_mutex');
    w.thread('T1', { process: 'P1', path: fn('a', [step('x', () => NEXT)]) });
    w.thread('T2', { process: 'P1', path: fn('b', [step('x', () => NEXT)]) });
    w.thread('T3', { process: 'P1', path: fn('c', [step('x', () => NEXT)]) });
    const { off } = w.layout();
    const at = (values: Record<number, number>) => (i: number): number => values[i] ?? 0;
    expect([
      misuseWords(w, off, at({ [off.lockReaders + S.id]: 0b110 }), 0, MISUSE_READ + S.id),
      misuseWords(w, off, at({ [off.lockOwner + S.id]: 2 }), 0, S.id),
      misuseWords(w, off, at({ [off.lockOwner + M.id]: 3 }), 0, M.id),
      misuseWords(w, off, at({ [off.pageOwner + 1]: 2 }), 2, MISUSE_PAGE + 2),
    ]).toEqual([
      'up_read(dax_sem) by T1, which does not hold it (held by T2 and T3 for read)',
      'up_write(dax_sem) by T1, which does not hold it (held by T2 for write)',
      'mutex_unlock(truncate_mutex) by T1, which does not hold it (held by T3)',
      'unlock_page(H2) by T3, which does not hold it (held by T2)',
    ]);
  });
});

/** Three threads on an entry wait queue: T0 holds the entry, replaces it with a page, and wakes. */
function waitQueueWorld(wakeAll: boolean): World {
  const w = world();
  const lookup = (name: string): FnDef =>
    fn(name, [
      step('lookup', (k) => {
        if (k.slot(0) === Slot.code.empty) return k.waitUntil(false, 'the entry to exist');
        if (k.slot(0) === Slot.code['locked-empty']) {
          k.joinWaitQueue(0);
          return NEXT;
        }
        return k.goto('found');
      }),
      step('schedule', (k) => k.sleep(0)),
      step('relock', (k) => k.goto('lookup')),
      // A woken thread that finds a page takes it and does not pass the wake-up on.
      step('found', (k) => k.ret()),
    ]);
  w.thread('T0', {
    process: 'P1',
    path: fn('owner', [
      step('grab', (k) => k.insertLockedEmpty(0)),
      step('wait for sleepers', (k) => k.waitUntil(k.waiters(0) === 2, 'two sleepers')),
      step('replace with page and wake', (k) => {
        const p = k.addHolePage(0);
        k.unlockPage(p);
        if (wakeAll) k.wakeAll(0);
        else k.wakeOne(0);
      }),
    ]),
  });
  w.thread('T1', { process: 'P1', path: lookup('waiter') });
  w.thread('T2', { process: 'P1', path: lookup('waiter') });
  return w;
}

describe('entry wait queue', () => {
  it('finds a lost wake-up with wake-one when the woken thread does not pass it on', async () => {
    const { r, trace } = await deadlockOf(waitQueueWorld(false));
    expect(r.failure?.kind).toBe('deadlock');
    expect(trace?.diagnosis?.kind).toBe('lost wake-up');
    expect(trace?.diagnosis?.summary).toBe('T2 sleeps on an entry wait queue that no remaining step will wake');
    expect(r.stats.distinct).toBe(18);
    expect(trace?.steps.length).toBe(10);
  });

  it('finds no deadlock with wake-all', async () => {
    const { r } = await deadlockOf(waitQueueWorld(true));
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(33);
  });

  it('wakes the head of the FIFO queue', async () => {
    const { spec } = compile(waitQueueWorld(false), 'x');
    const r = await check(spec);
    const tr = replay(spec, r.failure!.path, { specId: 'x', config: 'x', kind: 'deadlock', property: 'deadlock' });
    const wake = tr.steps.flatMap((s) => s.notes).find((n) => n.kind === 'wake');
    expect(wake?.text).toBe('wakes T1 (entry 0)');
  });
});

describe('freeze', () => {
  it('finds a store through a writable PTE after freeze_super completed', async () => {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1, initialMap: ['written'] });
    const f = w.freeze();
    w.thread('T1', {
      process: 'P1',
      path: fn('user', [
        step('map writable', (k) => {
          k.fileUpdateTime();
          k.insertPfn(0, k.blockAt(0), true);
        }),
        step('store', (k) => k.userStore(0)),
      ]),
    });
    w.thread('F', {
      process: 'P1',
      path: fn('freeze_super', [
        step('WRITE', (k) => k.downWrite(f.write)),
        step('PAGEFAULT', (k) => k.downWrite(f.pagefault)),
        step('FS', (k) => k.downWrite(f.fs)),
      ]),
    });
    const { spec } = compile(w, 'x', [P.noStoreWhileFrozen, P.noWritableWhileFrozen, P.writableUpdatesTime]);
    const r = await check(spec, { stopAt: 'all' });
    expect(r.discoveries.filter((d) => d.kind === 'invariant').map((d) => [d.property, d.path.actions.length])).toEqual([
      ['no PTE is made writable while frozen', 3],
      ['no store while frozen', 4],
    ]);
    expect(r.stats.distinct).toBe(18);
  });

  it('blocks sb_start_pagefault once freeze_super holds the level', async () => {
    const w = world();
    const f = w.freeze();
    w.thread('F', { process: 'P1', path: fn('freeze', [step('WRITE', (k) => k.downWrite(f.write)), step('PAGEFAULT', (k) => k.downWrite(f.pagefault))]) });
    w.thread('T1', { process: 'P1', path: fn('fault', [step('sb_start_pagefault', (k) => k.sbStartPagefault()), step('sb_end_pagefault', (k) => k.sbEndPagefault())]) });
    const { r, trace } = await deadlockOf(w);
    expect(r.failure?.kind).toBe('deadlock');
    expect(trace?.diagnosis?.details[0]).toBe('T1 at fault: sb_start_pagefault waits for sb_writers[PAGEFAULT] (read), held by F, which has returned');
  });
});

describe('bytes', () => {
  it('refuses a value that is not a byte, with the step that wrote it, during the contract checks and after', async () => {
    const w = world();
    const x = w.local('x', 'int', 3);
    w.thread('T1', { process: 'P1', path: fn('p', [step('x = 1', (k) => k.set(x, 1)), step('x = 1.5', (k) => k.set(x, 1.5))]) });
    const { spec } = compile(w, 'x');
    // Past the contract checks too: the kernel's own check does not depend on them.
    for (const contractChecks of [2000, 0]) {
      const r = await check(spec, { contractChecks });
      expect(r.verdict).toBe('error');
      expect(r.error).toBe('T1, step x = 1.5, wrote 1.5 into threads[T1].x, which holds a byte (0..255)');
    }
  });
});

describe('pointers and mappings', () => {
  it('makes a dereference of an unset local a NULL dereference', async () => {
    const w = world();
    const kaddr = w.local('kaddr', 'block');
    w.thread('T1', { process: 'P1', path: fn('p', [step('clear_pmem', (k) => { const b = k.deref(kaddr); if (b !== null) k.zeroBlock(b); })]) });
    const { spec } = compile(w, 'x', [P.noNullDereference]);
    const r = await check(spec);
    expect(r.failure?.property).toBe('no NULL dereference');
    expect(r.stats.distinct).toBe(2);
  });

  it('finds a PTE to a freed block', async () => {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1, initialMap: ['written'] });
    const blk = w.local('bh', 'block');
    w.thread('T1', { process: 'P1', path: fn('fault', [step('get_block', (k) => k.set(blk, k.blockAt(0))), step('insert', (k) => k.insertPfn(0, k.get(blk), false))]) });
    w.thread('T2', { process: 'P1', path: fn('punch', [step('free', (k) => k.freeBlockAt(0))]) });
    const { spec } = compile(w, 'x', [P.noPteToFreedBlock, P.completes(0), P.completes(1)]);
    const r = await check(spec);
    expect(r.failure?.property).toBe('no PTE maps a freed block');
    expect(r.failure?.path.actions.length).toBe(3);
    expect(r.stats.distinct).toBe(7);
  });
});
