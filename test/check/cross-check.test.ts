// A seeded cross-check of the engine against a naive reference search (whole states as strings
// in a JS Set) on 200 random small specs: the same reachable states under BFS and DFS, the same
// answer to "is a bad state reachable" and "is there a deadlock", and BFS counterexamples exactly
// as long as the reference's shortest distance.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { replay } from '../../src/trace/trace';
import { isBad, randomModel, randomSpec, referenceSearch } from '../fixtures/random-spec';

const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i * 7919);

describe('engine vs reference search on 200 random specs', () => {
  it('the generator makes varied specs (not all trivial)', () => {
    const sizes = SEEDS.map((s) => referenceSearch(randomModel(s)).distance.size);
    const bad = SEEDS.filter((s) => referenceSearch(randomModel(s)).badDistance >= 0).length;
    const deadlocks = SEEDS.filter((s) => referenceSearch(randomModel(s)).deadlockDistance >= 0).length;
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(200);
    expect(sizes.filter((n) => n >= 20).length).toBeGreaterThan(50);
    expect(bad).toBeGreaterThan(30);
    expect(bad).toBeLessThan(190);
    expect(deadlocks).toBeGreaterThanOrEqual(5);
    expect(deadlocks).toBeLessThan(190);
  });

  it('BFS and DFS reach exactly the reference set of states', async () => {
    for (const seed of SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const want = [...ref.distance.keys()].sort();
      for (const strategy of ['bfs', 'dfs'] as const) {
        const got = new Set<string>();
        let checks = 0;
        const spec = randomSpec(m, {
          spy: (k) => {
            checks++;
            got.add(k);
          },
        });
        const r = await check(spec, { strategy, deadlock: false });
        const where = `seed ${seed} ${strategy}`;
        expect(r.verdict, where).toBe('pass');
        expect(r.stats.distinct, where).toBe(ref.distance.size);
        expect(checks, `${where}: each new state is checked once`).toBe(ref.distance.size);
        expect([...got].sort(), where).toEqual(want);
        if (strategy === 'bfs') {
          expect(r.stats.depth, where).toBe(1 + Math.max(...ref.distance.values()));
        }
      }
    }
  });

  it('the same verdict on a random invariant; BFS paths are shortest and replay to a bad state', async () => {
    for (const seed of SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const spec = randomSpec(m, { withInvariant: true });
      for (const strategy of ['bfs', 'dfs'] as const) {
        const where = `seed ${seed} ${strategy}`;
        const r = await check(spec, { strategy, deadlock: false });
        expect(r.verdict, where).toBe(ref.badDistance >= 0 ? 'fail' : 'pass');
        if (ref.badDistance < 0) continue;
        const path = r.failure!.path;
        if (strategy === 'bfs') expect(path.actions.length, where).toBe(ref.badDistance);
        else expect(path.actions.length, where).toBeGreaterThanOrEqual(ref.badDistance);
        const trace = replay(spec, path, { specId: 'random', config: String(seed), property: r.failure!.property, kind: 'invariant' });
        const last = Array.from(trace.steps[trace.steps.length - 1].state.subarray(0, m.max.length));
        expect(isBad(m, last), where).toBe(true);
      }
    }
  });

  it('the same answer on deadlock, and BFS finds the nearest stuck state', async () => {
    for (const seed of SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const spec = randomSpec(m);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const where = `seed ${seed} ${strategy}`;
        const r = await check(spec, { strategy });
        expect(r.verdict, where).toBe(ref.deadlockDistance >= 0 ? 'fail' : 'pass');
        if (ref.deadlockDistance >= 0) {
          expect(r.failure?.kind, where).toBe('deadlock');
          if (strategy === 'bfs') expect(r.failure!.path.actions.length, where).toBe(ref.deadlockDistance);
        } else {
          expect(r.stats.distinct, where).toBe(ref.distance.size);
        }
      }
    }
  });
});
