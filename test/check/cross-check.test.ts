// A seeded cross-check of the engine against a naive reference search (whole states as strings
// in a JS Set) on 200 random small specs: the same reachable states under BFS and DFS, the same
// answer to "is a bad state reachable" and "is there a deadlock", and BFS counterexamples exactly
// as long as the reference's shortest distance. The parallel engine (2 workers) on a handful of
// them (its workers take ~0.4 s to start): the same set, counts, verdicts and shortest paths.
// Random simulation on 100: every state it visits is reachable, every violation it reports real.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../../src/check/explore';
import { checkParallel } from '../../src/check/parallel';
import type { CheckResult } from '../../src/check/result';
import { simulate } from '../../src/check/simulate';
import { buildFromDefinition } from '../../src/check/spec-source';
import type { Spec } from '../../src/core/spec';
import { encodePath, replay } from '../../src/trace/trace';
import { isBad, randomModel, randomSpec, referenceSearch, stepPlain, type RandomModel } from '../fixtures/random-spec';
import randomDefinition, { PARALLEL_SEEDS, reachName } from '../fixtures/random-spec-definition';

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

/** The variables of the last state a path reaches, replayed through the spec. */
function lastState(spec: Spec, m: RandomModel, r: Pick<CheckResult, 'failure'>, seed: number): number[] {
  const d = r.failure!;
  const trace = replay(spec, d.path, { specId: 'random', config: String(seed), property: d.property, kind: d.kind });
  return Array.from(trace.steps[trace.steps.length - 1].state.subarray(0, m.max.length));
}

describe('the parallel engine (2 workers) vs the reference search', () => {
  const MODULE = pathToFileURL(join(__dirname, '..', 'fixtures', 'random-spec-definition.ts')).href;
  const parallel = (seed: number, options: CheckOptions): Promise<CheckResult> => {
    const config = `seed-${seed}`;
    return checkParallel(buildFromDefinition(randomDefinition, config), { ...options, workers: 2, source: { module: MODULE }, config, aloneBelow: 0 });
  };

  it('the fixture seeds cover big and deep spaces, violations at several depths, and deadlocks', () => {
    const refs = PARALLEL_SEEDS.map((s) => referenceSearch(randomModel(s)));
    expect(Math.max(...refs.map((r) => r.distance.size))).toBeGreaterThan(300);
    expect(new Set(refs.map((r) => r.badDistance)).size).toBeGreaterThanOrEqual(4);
    expect(refs.filter((r) => r.deadlockDistance > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('reaches exactly the reference set, each state at its shortest distance', async () => {
    for (const seed of PARALLEL_SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const where = `seed ${seed}`;
      const properties = [...ref.distance.keys()].map(reachName);
      const r = await parallel(seed, { properties, deadlock: false });
      expect(r.verdict, where).toBe('pass');
      expect(r.stats.distinct, where).toBe(ref.distance.size);
      expect(r.stats.depth, where).toBe(1 + Math.max(...ref.distance.values()));
      // distinct == |reference| and every reference state witnessed: the same set.
      expect(r.unwitnessed, where).toEqual([]);
      const spec = buildFromDefinition(randomDefinition, `seed-${seed}`);
      for (const d of r.discoveries) {
        const key = d.property.slice('reach '.length);
        expect(d.path.actions.length, `${where} ${key}`).toBe(ref.distance.get(key));
        expect(lastState(spec, m, { failure: d }, seed).join(','), `${where} ${key}`).toBe(key);
      }
      const sequential = await check(spec, { properties, deadlock: false });
      expect(r.discoveries, where).toEqual(sequential.discoveries);
    }
  });

  it('the same verdicts; BFS paths to a bad state and to a deadlock are the shortest', async () => {
    for (const seed of PARALLEL_SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const where = `seed ${seed}`;
      const r = await parallel(seed, { properties: ['bad is unreachable', 'deadlock'], stopAt: 'all' });
      expect(r.verdict, where).toBe(ref.badDistance >= 0 || ref.deadlockDistance >= 0 ? 'fail' : 'pass');
      const found = (kind: string) => r.discoveries.find((d) => d.kind === kind);
      expect(found('invariant')?.path.actions.length ?? -1, where).toBe(ref.badDistance);
      expect(found('deadlock')?.path.actions.length ?? -1, where).toBe(ref.deadlockDistance);
      const spec = buildFromDefinition(randomDefinition, `seed-${seed}`);
      if (ref.badDistance >= 0) expect(isBad(m, lastState(spec, m, { failure: found('invariant') }, seed)), where).toBe(true);
      const sequential = await check(spec, { properties: ['bad is unreachable', 'deadlock'], stopAt: 'all' });
      expect(r.discoveries, where).toEqual(sequential.discoveries);
    }
  });
});

describe('simulation vs the reference search on 100 random specs', () => {
  it('visits only reachable states; every violation and deadlock it reports is real', async () => {
    let violations = 0;
    let deadlocks = 0;
    let complete = 0;
    for (const seed of SEEDS.slice(0, 100)) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const visited = new Set<string>();
      const spec = randomSpec(m, { withInvariant: true, spy: (k) => visited.add(k) });
      const where = `seed ${seed}`;
      const r = await simulate(spec, { seed, steps: 20, runs: 30 });
      for (const k of visited) expect(ref.distance.has(k), `${where}: ${k} is not reachable`).toBe(true);
      expect(r.stats.distinct, where).toBe(visited.size);
      if (visited.size === ref.distance.size) complete++;
      expect(r.verdict, where).not.toBe('error');
      if (r.verdict === 'incomplete') continue;
      const last = lastState(spec, m, r, seed);
      const n = r.failure!.path.actions.length;
      expect(ref.distance.has(last.join(',')), where).toBe(true);
      if (r.failure!.kind === 'invariant') {
        violations++;
        expect(isBad(m, last), `${where}: ${encodePath(r.failure!.path)}`).toBe(true);
        expect(n, where).toBeGreaterThanOrEqual(ref.badDistance);
      } else {
        deadlocks++;
        expect(r.failure!.kind, where).toBe('deadlock');
        expect(m.actions.every((a) => stepPlain(m, a, last) === null), `${where}: the last state is stuck`).toBe(true);
        expect(n, where).toBeGreaterThanOrEqual(ref.deadlockDistance);
      }
    }
    expect(violations).toBeGreaterThan(20);
    expect(deadlocks).toBeGreaterThan(0);
    expect(complete).toBeGreaterThanOrEqual(20);
  });
});
