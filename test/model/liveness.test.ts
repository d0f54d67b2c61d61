// Liveness in the kernel vocabulary: "every fault and syscall returns" is part of every compiled
// world, background loops are left out of it, and a counterexample is told apart in kernel
// words: a deadlock (nothing can move), starvation (a thread never runs while others do: a lock
// it gets only now and then under weak fairness, or a wake-up that never comes, which strong
// fairness does not cure either), a livelock (a retry loop that spins).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { compile } from '../../src/model/compile';
import { everyFaultReturns, handoffToWaiters, threadReturns } from '../../src/model/liveness';
import { fn, step } from '../../src/model/paths';
import type { PropertyMaker } from '../../src/model/properties';
import { BlockMap, PageState, Pte, Status, World } from '../../src/model/world';
import { replay } from '../../src/trace/trace';
import { buildEntryLock, entryLockConfigs, type EntryLockConfig } from '../../specs/dax/entry-lock';

function world(): World {
  return new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
}

/** T1 takes and releases M once; H (a background loop) takes and releases M for ever. */
function hogWorld(): World {
  const w = world();
  const M = w.mutex('M');
  w.thread('T1', { process: 'P1', path: fn('once', [step('mutex_lock(M)', (k) => k.lock(M)), step('mutex_unlock(M)', (k) => k.unlock(M))]) });
  w.thread('H', {
    process: 'P1',
    forever: true,
    path: fn('hog', [step('mutex_lock(M)', (k) => k.lock(M)), step('mutex_unlock(M)', (k) => k.unlock(M)), step('again', (k) => k.goto('mutex_lock(M)'))]),
  });
  return w;
}

async function lasso(spec: ReturnType<typeof compile>['spec'], property = 'every fault and syscall returns') {
  const r = await check(spec, { properties: [property], deadlock: false });
  const t = r.failure ? replay(spec, r.failure.path, { specId: 'fixture', config: 'x', property, kind: 'liveness' }) : undefined;
  return { r, t };
}

describe('every fault and syscall returns', () => {
  it('is in every compiled world, over the threads that are not background loops', () => {
    const { spec } = compile(hogWorld(), 'hog');
    expect(spec.liveness?.map((p) => [p.name, p.form, p.description])).toEqual([
      ['every fault and syscall returns', 'eventually', 'T1 eventually returns, under weak fairness of runnable threads'],
    ]);
    const w = world();
    w.thread('L', { process: 'P1', forever: true, path: fn('spin', [step('a', () => undefined), step('b', (k) => k.goto('a'))]) });
    expect(compile(w, 'only loops').spec.liveness).toEqual([]);
  });

  it('weak fairness lets a background loop take a mutex again and again: starvation', async () => {
    const { spec } = compile(hogWorld(), 'hog');
    const { r, t } = await lasso(spec);
    expect(r.stats.distinct).toBe(8);
    expect(r.failure?.path).toEqual({ init: 0, actions: [2, 3, 4], loop: 0 });
    expect(t?.diagnosis).toEqual({
      kind: 'starvation',
      summary: 'T1 could run in 2 of the 3 states of the cycle but is never scheduled there, while H keeps running',
      details: [
        'H keeps running: hog: again goes back to hog: mutex_lock(M), 3 steps a round (hog: mutex_lock(M), hog: mutex_unlock(M), hog: again)',
        'T1 at once: mutex_lock(M) could run in 2 of the 3 states of the cycle but is never scheduled there',
        'WF(T1) is enabled in 2 of the 3 states of the cycle, never taken (WF allows it)',
        'WF(H) takes a step on the cycle',
      ],
      actors: ['T1'],
    });
  });

  it('strong fairness (a lock handed over to its waiters in turn) cures that starvation', async () => {
    const { spec } = compile(hogWorld(), 'hog', [everyFaultReturns([handoffToWaiters])]);
    expect(spec.liveness?.map((p) => p.description)).toEqual(['T1 eventually returns, under strong fairness of threads (FIFO hand-off)']);
    expect((await lasso(spec)).r.verdict).toBe('pass');
  });

  it('but not a lost wake-up: the sleeper is never enabled, so strong fairness asks nothing (E1 with a reader beside it)', async () => {
    const c = entryLockConfigs['three-reads+reader'].params.config as EntryLockConfig;
    const { spec } = buildEntryLock({ pageInsertWake: 'one', pmd: false }, c, 'entry-lock/v4.7/three-reads+reader', [everyFaultReturns([handoffToWaiters])]);
    const { r, t } = await lasso(spec);
    expect(r.stats.distinct).toBe(87296);
    expect(t?.diagnosis?.kind).toBe('starvation');
    expect(t?.diagnosis?.summary).toBe('T2 sleeps on a wake-up on the wait queue of entry 0 that never comes, while R keeps running');
    expect(t?.diagnosis?.details).toContain('SF(T2) is never enabled on the cycle');
  });

  it('a stuck state is a deadlock, not starvation: the same diagnosis as the deadlock check', async () => {
    const w = world();
    const A = w.mutex('A');
    const B = w.mutex('B');
    const take = (x: typeof A, y: typeof A, name: string) => fn(name, [step(`lock ${x.name}`, (k) => k.lock(x)), step(`lock ${y.name}`, (k) => k.lock(y)), step(`unlock ${y.name}`, (k) => k.unlock(y)), step(`unlock ${x.name}`, (k) => k.unlock(x))]);
    w.thread('T1', { process: 'P1', path: take(A, B, 'ab') });
    w.thread('T2', { process: 'P1', path: take(B, A, 'ba') });
    const { spec } = compile(w, 'abba');
    const { r, t } = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 4], loop: 2 });
    expect(t?.diagnosis?.kind).toBe('deadlock');
    expect(t?.diagnosis?.summary).toBe('wait-for cycle: T1 waits for B; T2 waits for A; no thread can take a step: a deadlock, not starvation (the deadlock check reports it too)');
  });

  it('threadReturns names one thread', async () => {
    const { spec } = compile(hogWorld(), 'hog', [threadReturns('T1')]);
    expect(spec.liveness?.map((p) => p.name)).toEqual(['every fault and syscall returns', 'T1 returns']);
    expect((await lasso(spec, 'T1 returns')).t?.diagnosis?.kind).toBe('starvation');
  });
});

describe('the retry loops the liveness claims ask about are reached', () => {
  // Witnesses over the packed world, so a "holds" claim about a retry loop is not vacuous.
  const retriedStore: PropertyMaker = (c) => {
    const access = new Set(c.programs[0].filter((st) => st.label === 'access' && st.chain[st.chain.length - 1] === 'store').map((st) => st.pc));
    const i = c.world.threads[0].index;
    const mm = c.world.opts.processes.indexOf(c.world.threads[0].process);
    const N = c.world.opts.indices;
    return {
      name: 'T1 retries its store after a zap',
      kind: 'sometimes',
      holds: (s) =>
        s[c.off.thread + 1] === Status.code.running && access.has(s[c.off.thread]) && s[c.off.bm + i] !== BlockMap.code.hole && s[c.off.pte + mm * N + i] === Pte.code.none,
    };
  };
  const restartOnDeletedPage: PropertyMaker = (c) => {
    const page = c.world.locals.find((l) => l.name === 'page')!.id;
    const at = c.programs.map((prog) => new Set(prog.filter((st) => st.label === 'page->mapping?').map((st) => st.pc)));
    return {
      name: 'a fault restarts on a page deleted meanwhile',
      kind: 'sometimes',
      holds: (s) =>
        c.world.threads.some((_, t) => {
          const b = c.off.thread + t * c.off.threadWidth;
          if (s[b + 1] !== Status.code.running || !at[t].has(s[b])) return false;
          const p = s[b + c.off.tLocals + page];
          return p !== 0 && s[c.off.pageState + p - 1] !== PageState.code.cached;
        }),
    };
  };
  const witnessed = async (config: string, wake: 'one' | 'all', maker: PropertyMaker, name: string): Promise<number | undefined> => {
    const c = entryLockConfigs[config as keyof typeof entryLockConfigs].params.config as EntryLockConfig;
    const { spec } = buildEntryLock({ pageInsertWake: wake, pmd: false }, c, config, [maker]);
    const r = await check(spec, { properties: [name], deadlock: false, liveness: false });
    return r.discoveries.find((d) => d.kind === 'witness')?.path.actions.length;
  };

  it("the store's retry after a zap: reached at mix-3t2i (claim entry-lock/L-store-retry-ends) and store+unmapper", async () => {
    expect(await witnessed('mix-3t2i', 'all', retriedStore, 'T1 retries its store after a zap')).toBe(26);
    expect(await witnessed('store+unmapper', 'all', retriedStore, 'T1 retries its store after a zap')).toBe(23);
  });

  it("grab_mapping_entry's restart: reached at two-reads-one-write (a hole fill deletes the page), never at e3-truncate or mix-3t2i (dax_sem keeps truncate out)", async () => {
    const name = 'a fault restarts on a page deleted meanwhile';
    expect(await witnessed('two-reads-one-write', 'all', restartOnDeletedPage, name)).toBe(39);
    expect(await witnessed('e3-truncate', 'one', restartOnDeletedPage, name)).toBeUndefined();
    expect(await witnessed('mix-3t2i', 'all', restartOnDeletedPage, name)).toBeUndefined();
  });
});
