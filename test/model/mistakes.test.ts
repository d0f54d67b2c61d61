// A spec writer's mistakes are spec errors that name where they were made (file:line, the call
// chain and the step), caught when the spec is built where they do not depend on the state; the
// jbd2 journal, lock classes and documented lock orders of the kernel vocabulary; and
// `daxmc check --lock-order`, which makes a lock-order finding fail the run as lockdep reports it.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { SpecError, SpecMistake } from '../../src/core/errors';
import { compile } from '../../src/model/compile';
import { lockOrderData } from '../../src/render/svg-lock-order';
import { lockOrderSeen } from '../../src/report/run-claims';
import { NEXT, fn, step } from '../../src/model/paths';
import { World, type LockDecl, type Mutex } from '../../src/model/world';
import { daxmc } from '../cli/helpers';
import { readFileSync } from 'node:fs';
import { buildSpec } from '../../src/run';
import { configOf, daxWorld, defineScheme, lockStep, threads, unlockStep, worldOf, type SchemeConfig, type ThreadSpec } from '../../src/linux/index';

/** The line of src/linux/locking.ts where lockStep makes its step. */
function lockStepLine(): number {
  const lines = readFileSync('src/linux/locking.ts', 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('export function lockStep('));
  return at + 2;
}

const HERE = 'test/model/mistakes.test.ts';

function world(): World {
  return new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
}

/** The error compile() throws, or undefined. */
function buildError(w: World): Error | undefined {
  try {
    compile(w, 'mistake');
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describe('mistakes caught when the spec is built', () => {
  it('a goto to a label that does not exist: the file and line, the chain, the step and the labels there are', () => {
    const w = world();
    w.thread('T1', {
      process: 'P1',
      path: fn('outer', [
        step('try', (k) => (k.iSize() > 5 ? k.goto('retyr') : NEXT)),
        step('retry', () => NEXT),
      ]),
    });
    const e = buildError(w);
    expect(e).toBeInstanceOf(SpecError);
    expect(e!.message).toMatch(new RegExp(`^${HERE.replace(/\./g, '\\.')}:[0-9]+: outer: step 'try' jumps to 'retyr', which is not a step or call of outer \\(it has: 'try', 'retry'\\)$`));
  });

  it('a lock used with the wrong call, in a step that runs it whatever the state: caught by the build probe', () => {
    const w = world();
    const m = w.mutex('truncate_mutex');
    w.thread('T1', {
      process: 'P1',
      // A mutex passed where an rwsem is expected (TypeScript refuses it; JavaScript would not).
      path: fn('ext2_setsize', [step('down_write(truncate_mutex)', (k) => k.downWrite(m as unknown as Parameters<typeof k.downWrite>[0]))]),
    });
    const e = buildError(w);
    expect(e).toBeInstanceOf(SpecMistake);
    expect(e!.message).toMatch(
      new RegExp(`^${HERE.replace(/\./g, '\\.')}:[0-9]+: ext2_setsize: step 'down_write\\(truncate_mutex\\)' calls down_write on truncate_mutex, which is a mutex \\(use k\\.lock / k\\.unlock\\)$`),
    );
  });

  it('a wrong call in a branch the initial state does not take: a spec error naming the step when it runs', async () => {
    const w = world();
    const s = w.rwsem('i_mmap_rwsem');
    w.thread('T1', {
      process: 'P1',
      path: fn('f', [
        step('set', (k) => k.setISize(0)),
        step('maybe', (k) => (k.iSize() === 0 ? k.lock(s as unknown as Mutex) : NEXT)),
      ]),
    });
    const { spec } = compile(w, 'late');
    const r = await check(spec, {});
    expect(r.verdict).toBe('error');
    expect(r.error).toMatch(new RegExp(`${HERE.replace(/\./g, '\\.')}:[0-9]+: f: step 'maybe' calls mutex_lock on i_mmap_rwsem, which is a rwsem \\(use k\\.downRead / k\\.downWrite / k\\.upRead / k\\.upWrite\\)$`));
  });

  it('an unknown argument and a local set out of range name the step', async () => {
    const w = world();
    const l = w.local('cursor', 'int', 3);
    w.thread('T1', { process: 'P1', path: fn('f', [step('loop', (k) => k.set(l, k.idx + 7))]) });
    const { spec } = compile(w, 'range');
    const r = await check(spec, {});
    expect(r.error).toMatch(/f: step 'loop' sets cursor = 7, outside its range 0\.\.3$/);
  });

  it('an argument the thread was not given: caught when the spec is built', () => {
    const w = world();
    w.thread('T1', { process: 'P1', path: fn('f', [step('i_size_write', (k) => k.setISize(k.arg('size')))]) });
    const e = buildError(w);
    expect(e).toBeInstanceOf(SpecMistake);
    expect(e!.message).toMatch(new RegExp(`^${HERE.replace(/\./g, '\\.')}:[0-9]+: f: step 'i_size_write' reads argument 'size', which thread T1 was not given \\(it has: none\\)$`));
  });

  it('a hole-page count the error state cannot name is refused', () => {
    expect(() => new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1, pages: 64 })).toThrow(new SpecError('pages must be 1..63, got 64'));
    expect(() => new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1, pages: 0 })).toThrow(new SpecError('pages must be 1..63, got 0'));
    expect(new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1, pages: 63 }).pageCount).toBe(63);
  });

  it('two threads of one name are refused', () => {
    const w = world();
    const path = fn('f', [step('x', () => NEXT)]);
    w.thread('T1', { process: 'P1', path });
    expect(() => w.thread('T1', { process: 'P1', path })).toThrow("two threads are named 'T1' (each thread needs its own name)");
  });

  it('a mutex taken shared is a mistake, and a step of the library names the line of the spec that built it', () => {
    const d = daxWorld({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const m = d.w.mutex('i_mmaplock');
    d.w.thread('T1', { process: 'P1', path: fn('myfs_fault', [lockStep(m, 'read'), unlockStep(m, 'read')]) }); // the line named
    const e = (() => {
      try {
        compile(d.w, 'shared-mutex');
        return undefined;
      } catch (x) {
        return x as Error;
      }
    })();
    expect(e).toBeInstanceOf(SpecMistake);
    const line = new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1]!;
    expect(e!.message).toBe(
      `${HERE}:${Number(line) - 10} (in daxmc src/linux/locking.ts:${lockStepLine()}): myfs_fault: step 'mutex_lock(i_mmaplock)' takes i_mmaplock shared, but a mutex is only ever held exclusively (a lock that faults share is an rwsem: w.rwsem('i_mmaplock'))`,
    );
  });

  it('defineScheme: a truncate thread without a size, two threads of one name, an exception in build() with its line', () => {
    const scheme = (threads: ThreadSpec[], boom = false) =>
      defineScheme<SchemeConfig>({
        id: 'x', title: 'x', description: 'x', defaultConfig: 'c',
        configs: { c: configOf('c', { indices: 1, blocks: 1, iSize: 1, threads }) },
        build(c, name, configName) {
          expect(name).toBe('x/c');
          expect(configName).toBe('c');
          if (boom) (undefined as unknown as { here: number }).here; // the line named
          const d = worldOf(c);
          return compile(d.w, name, []);
        },
      });
    expect(() => buildSpec(scheme([{ name: 'T1', role: 'truncate' }]))).toThrow("spec x, configuration c: thread T1 truncates but has no size: give the new size in pages (threads.truncate('T1', 0), or size: 0)");
    expect(() => buildSpec(scheme([threads.load('T1', 'P1'), threads.store('T1', 'P1')]))).toThrow("spec x, configuration c: two threads are named 'T1' (each thread of a configuration needs its own name)");
    expect(() => buildSpec(scheme([threads.load('T1', 'P1')], true))).toThrow(new RegExp(`^spec x, configuration c: ${HERE.replace(/\./g, '\\.')}:[0-9]+: Cannot read properties of undefined \\(reading 'here'\\)$`));
  });

  it('a documented order that names a class the world does not have is refused', () => {
    const w = world();
    w.mutex('A');
    w.documentOrder(['A', 'B'], 'test');
    w.thread('T1', { process: 'P1', path: fn('f', [step('x', () => NEXT)]) });
    const line = readFileSync(HERE, 'utf8').split('\n').findIndex((l) => l.includes("w.documentOrder(['A', 'B'], 'test')")) + 1;
    expect(buildError(w)?.message).toBe(`${HERE}:${line}: the documented lock order A -> B names 'B', which is not a lock class of this world (it has: A, page lock, entry lock)`);
  });

  it('locks of one class must be of one kind', () => {
    const w = world();
    w.rwsem('dax_sem');
    expect(() => w.mutex('dax_sem (other inode)', { lockClass: 'dax_sem' })).toThrow('lock class dax_sem has a rwsem (dax_sem) and a mutex (dax_sem (other inode))');
  });
});

describe('the jbd2 journal', () => {
  /** T1 holds a handle and waits for a mutex T2 holds; T2 starts a handle; T3 commits. */
  function journalWorld(withCommit: boolean) {
    const w = world();
    const j = w.journal();
    const m = w.mutex('page');
    w.thread('T1', {
      process: 'P1',
      path: fn('punch', [step('start', (k) => k.journalStart(j)), step('lock', (k) => k.lock(m)), step('unlock', (k) => k.unlock(m)), step('stop', (k) => k.journalStop(j))]),
    });
    w.thread('T2', {
      process: 'P1',
      path: fn('fault', [step('lock', (k) => k.lock(m)), step('start', (k) => k.journalStart(j)), step('stop', (k) => k.journalStop(j)), step('unlock', (k) => k.unlock(m))]),
    });
    if (withCommit) w.thread('T3', { process: 'P1', path: fn('kjournald2', [step('lock updates', (k) => k.journalLockUpdates(j)), step('unlock updates', (k) => k.journalUnlockUpdates(j))]) });
    return compile(w, 'journal').spec;
  }

  it('handles never wait for each other: without a commit the inversion is no deadlock, only a lock-order cycle', async () => {
    const r = await check(journalWorld(false), {});
    expect(r.verdict).toBe('pass');
    expect(lockOrderSeen(lockOrderData(r.analyses)!).cycles).toEqual([['jbd2_handle', 'page']]);
  });

  it('a commit waiting for open handles keeps new handles out: the inversion deadlocks, three threads', async () => {
    const r = await check(journalWorld(true), {});
    expect(r.verdict).toBe('fail');
    expect(r.failure?.kind).toBe('deadlock');
    expect(r.failure?.path.actions.length).toBe(3);
  });

  it('a second handle in one thread is a spec error (nesting is not modelled)', async () => {
    const w = world();
    const j = w.journal();
    w.thread('T1', { process: 'P1', path: fn('f', [step('a', (k) => k.journalStart(j)), step('b', (k) => k.journalStart(j))]) });
    const r = await check(compile(w, 'nest').spec, {});
    expect(r.error).toMatch(/f: step 'b' starts a second handle on jbd2_handle while it holds one \(nested handles are not modelled\)$/);
  });
});

describe('lock classes and documented orders', () => {
  function abWorld(second: (w: World) => LockDecl) {
    const w = world();
    const a = w.mutex('A');
    const b = second(w);
    const take = (x: LockDecl, y: LockDecl, name: string) =>
      fn(name, [step('x', (k) => k.lock(x as Mutex)), step('y', (k) => k.lock(y as Mutex)), step('uy', (k) => k.unlock(y as Mutex)), step('ux', (k) => k.unlock(x as Mutex))]);
    return { w, a, b, take };
  }

  it('two instances of one class: an order between the class and another, both ways, is a cycle of classes without a deadlock', async () => {
    const { w, a, take } = abWorld((x) => x.mutex('B'));
    const b2 = w.mutex('B (other inode)', { lockClass: 'B' });
    w.thread('T1', { process: 'P1', path: take(a, w.lockNamed('B')!, 'a-then-b') });
    w.thread('T2', { process: 'P1', path: take(b2, a, 'other-b-then-a') });
    const r = await check(compile(w, 'classes').spec, {});
    // B and "B (other inode)" are different locks: T1 and T2 never wait for each other's.
    expect(r.verdict).not.toBe('fail');
    expect(lockOrderSeen(lockOrderData(r.analyses)!).cycles).toEqual([['A', 'B']]);
  });

  it('a documented order naming no lock class: the file and line of the documentOrder call', () => {
    const { w, take } = abWorld((x) => x.mutex('B'));
    w.thread('T1', { process: 'P1', path: take(w.lockNamed('A')!, w.lockNamed('B')!, 'a-then-b') });
    w.documentOrder(['B', 'A_'], 'the B subsystem'); // the line named
    const line = readFileSync(HERE, 'utf8').split('\n').findIndex((l) => l.includes("w.documentOrder(['B', 'A_']")) + 1;
    expect(buildError(w)?.message).toBe(
      `${HERE}:${line}: the documented lock order B -> A_ names 'A_', which is not a lock class of this world (it has: A, B, page lock, entry lock)`,
    );
  });

  it('an acquisition against a documented order is reported, with the order and its source', async () => {
    const { w, a, b, take } = abWorld((x) => x.mutex('B'));
    w.documentOrder(['B', 'A'], 'the B subsystem, comment above b_lock()');
    w.thread('T1', { process: 'P1', path: take(a, b, 'a-then-b') });
    const r = await check(compile(w, 'documented').spec, {});
    const d = lockOrderData(r.analyses)!;
    expect(lockOrderSeen(d)).toEqual({ cycles: [], inversions: [['A', 'B']] });
    expect(r.analyses[0].findings.map((f) => f.summary)).toEqual(['against the documented order: W(A) -> W(B), where B -> A (the B subsystem, comment above b_lock())']);
  });
});

describe('daxmc check --lock-order', () => {
  it('fails the run with exit 12 and prints the cycle as lockdep does, with a replay command per edge', async () => {
    const r = await daxmc(['check', 'ext4/v4.2', '--config', 'mkwrite-vs-punch-no-commit', '--property', 'no lock misuse', '--lock-order']);
    expect(r.code).toBe(12);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('FAIL  lock order: 1 lock-order cycle (R(jbd2_handle) \u2192 W(page lock) \u2192 R(jbd2_handle)) and 1 acquisition against a documented lock order; otherwise 1 property holds over 4,849 distinct states');
    // The lockdep reports close the output, where a trace would be.
    const at = lines.indexOf('======================================================');
    expect(lines[at - 1]).toBe('');
    expect(lines.slice(at, at + 7)).toEqual([
      '======================================================',
      'WARNING: possible circular locking dependency detected',
      '------------------------------------------------------',
      'T1 is trying to acquire lock:',
      ' (jbd2_handle){read}, at: load, then store > store > wp_page_shared > ext4_dax_mkwrite > __dax_fault > ext4_get_block(create): ext4_journal_start(jbd2_handle)',
      '',
      'but it already holds lock:',
    ]);
    expect(r.out).toContain('-> #1 (page lock){write}, taken holding (jbd2_handle){read}:\n       T2\n       ext4_punch_hole > truncate_pagecache_range#2 > truncate_inode_pages: lock_page\n       example: daxmc check ext4/v4.2 --config mkwrite-vs-punch-no-commit --path ');
    expect(r.out).toContain('the documented order is: jbd2_handle -> page lock -> i_data_sem\n');
  });

  it('passes where there is no cycle, refuses --por, and needs a spec with a lock-order view', async () => {
    const ok = await daxmc(['check', 'ext4/v4.5', '--config', 'mkwrite-vs-punch-no-commit', '--property', 'no lock misuse', '--lock-order']);
    expect(ok.code).toBe(0);
    const por = await daxmc(['check', 'ext4/v4.2', '--config', 'punch-only', '--lock-order', '--por']);
    expect([por.code, por.err]).toEqual([2, 'daxmc: --lock-order reads every interleaving of lock acquisitions, which partial-order reduction may leave out: drop --por\n']);
    const raw = await daxmc(['check', 'die-hard', '--lock-order']);
    expect([raw.code, raw.err]).toEqual([2, 'daxmc: --lock-order: spec die-hard has no lock-order analysis (only specs built with the kernel vocabulary have one)\n']);
  });
});

describe('page-cache steps of daxmc/linux', () => {
  it('find_or_create_page inserts a locked hole page, find_lock_page waits for its lock', async () => {
    const { daxWorld, findLockPage, findOrCreatePage } = await import('../../src/linux/index');
    const d = daxWorld({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    d.w.thread('T1', { process: 'P1', path: fn('reader', [findOrCreatePage(d), step('unlock_page', (k) => k.unlockPage(k.get(d.L.page)))]) });
    d.w.thread('T2', { process: 'P1', path: fn('writer', [findLockPage(d, { ifNone: 'none' }), step('unlock_page', (k) => k.unlockPage(k.get(d.L.page))), step('none', () => NEXT)]) });
    const r = await check(compile(d.w, 'pages').spec, {});
    expect(r.verdict).toBe('pass');
    // T2 finds nothing (it runs first: 5 states on) or waits for T1's lock and then takes the
    // page (4 states on); both end in one state: 1 + 5 + 4 + 1.
    expect(r.stats.distinct).toBe(11);
  });
});
