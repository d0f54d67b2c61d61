// The parallel search reports exactly what the sequential one does: the same verdict, counts,
// coverage, discoveries (so the same first counterexample, byte for byte once replayed) and
// lock-order analysis, with 1 and 2 workers, on TwoPhase, DieHard, DAX claims and a spec file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../../src/check/explore';
import { checkParallel, chunkBounds, levelChunks } from '../../src/check/parallel';
import type { CheckResult } from '../../src/check/result';
import type { SpecSource } from '../../src/check/spec-source';
import { buildSpec } from '../../src/run';
import { itfToString, toItf } from '../../src/trace/itf';
import { replay } from '../../src/trace/trace';
import { builtinSpecs } from '../../specs/index';
import { daxmc, tempDir } from '../cli/helpers';

const REGISTRY = pathToFileURL(join(__dirname, '..', '..', 'specs', 'index.ts')).href;

/** Everything but the timings and the table's size in bytes (the shared table is laid out differently). */
function comparable(r: CheckResult): unknown {
  const { elapsedMs: _e, storeBytes: _s, peakStoreBytes: _p, ...stats } = r.stats;
  return {
    verdict: r.verdict,
    discoveries: r.discoveries,
    unwitnessed: r.unwitnessed,
    stats,
    coverage: { generated: [...r.coverage.generated], distinct: [...r.coverage.distinct] },
    limit: r.limit,
    error: r.error,
    analyses: JSON.parse(JSON.stringify(r.analyses)) as unknown,
  };
}

async function both(id: string, config: string, options: CheckOptions, workers: readonly number[] = [1, 2]): Promise<CheckResult> {
  const def = builtinSpecs.find((d) => d.id === id)!;
  const sequential = await check(buildSpec(def, config).spec, options);
  for (const n of workers) {
    // Every level to the workers, and the default (levels under 256 states a worker, and those
    // before the workers are up, expanded by the coordinating thread).
    for (const aloneBelow of [0, undefined]) {
      const parallel = await checkParallel(buildSpec(def, config).spec, { ...options, workers: n, source: { module: REGISTRY, id }, config, ...(aloneBelow === undefined ? {} : { aloneBelow }) });
      expect(comparable(parallel), `${id} ${config} with ${n} workers, alone below ${aloneBelow}`).toEqual(comparable(sequential));
    }
  }
  return sequential;
}

describe('parallel BFS agrees with the sequential search', () => {
  it('TwoPhase rm5 and rm7 (the table grows while workers run)', async () => {
    expect((await both('two-phase', 'rm5', {})).stats.distinct).toBe(8_832);
    expect((await both('two-phase', 'rm7', {}, [2])).stats.distinct).toBe(296_448);
  });

  it('DieHard: the 6-step solution, and every discovery with --all', async () => {
    const r = await both('die-hard', 'goal', {});
    expect(r.verdict).toBe('fail');
    expect(r.failure?.path.actions).toHaveLength(6);
    await both('die-hard', 'goal', { stopAt: 'all' });
    expect((await both('die-hard', 'explore', {})).stats.distinct).toBe(16);
  });

  it('DAX claims: the same counterexamples, byte for byte, and the same holds', async () => {
    const cases: [string, string, string[], boolean][] = [
      ['entry-lock/v4.7', 'three-reads', ['deadlock'], true],
      ['entry-lock/rfc', 'two-reads', ['deadlock'], true],
      ['entry-lock/pmd', 'e2-pmd-vs-read', ['no stale hole page'], false],
      ['i-mmap/all', 'r2-read-vs-write', ['no stale hole page'], false],
      ['entry-lock/fix', 'three-reads', ['deadlock'], true],
    ];
    for (const [id, config, properties, deadlock] of cases) {
      const r = await both(id, config, { properties, deadlock });
      if (r.failure) {
        const def = builtinSpecs.find((d) => d.id === id)!;
        const again = await checkParallel(buildSpec(def, config).spec, { properties, deadlock, workers: 2, source: { module: REGISTRY, id }, config, aloneBelow: 0 });
        const itf = (res: CheckResult): string =>
          itfToString(toItf(replay(buildSpec(def, config).spec, res.failure!.path, { specId: id, config, property: res.failure!.property, kind: res.failure!.kind })));
        expect(itf(again)).toBe(itf(r));
      }
    }
  });

  it('more workers than cores: workers move to lower chunks, and take over from their own', async () => {
    // Three and four workers on two cores finish their streams at unrelated moments and move
    // to the streams before their own (lower chunks) at most levels; repeated, as the moments vary.
    for (let rep = 0; rep < 2; rep++) {
      await both('two-phase', 'rm7', {}, [3, 4]);
      await both('entry-lock/fix', 'three-reads', { properties: ['deadlock'] }, [3, 4]);
    }
  });

  it('--max-states and --max-depth stop where the sequential search stops', async () => {
    await both('two-phase', 'rm5', { maxStates: 1000 });
    await both('two-phase', 'rm5', { maxDepth: 6 });
    await both('entry-lock/v4.7', 'three-reads', { maxStates: 700, properties: ['deadlock'] }, [2]);
  });

  it('loads a spec file in every worker', async () => {
    const file = join(tempDir(), 'counter.ts');
    const core = join(__dirname, '..', '..', 'src', 'core');
    writeFileSync(
      file,
      `import { defineLayout, intRange } from ${JSON.stringify(join(core, 'layout.ts'))};
import type { SpecDefinition } from ${JSON.stringify(join(core, 'spec.ts'))};
const layout = defineLayout({ a: intRange(0, 30), b: intRange(0, 30) });
const def: SpecDefinition = {
  id: 'counter', title: 'two counters', description: '', defaultConfig: 'c',
  configs: { c: { description: '', params: {} } },
  build: () => ({ name: 'counter', layout, init: [layout.encode({ a: 0, b: 0 })],
    properties: [{ name: 'a + b < 50', kind: 'always', holds: (s: Uint8Array) => s[0] + s[1] < 50 }],
    actions: [
      { name: 'IncA', apply: (s: Uint8Array, t: Uint8Array) => (s[0] < 30 ? ((t[0] = s[0] + 1), true) : false) },
      { name: 'IncB', apply: (s: Uint8Array, t: Uint8Array) => (s[1] < 30 ? ((t[1] = s[1] + 1), true) : false) },
    ] }),
};
export default def;
`,
    );
    const source: SpecSource = { module: pathToFileURL(file).href };
    const { loadDefinition, buildFromDefinition } = await import('../../src/check/spec-source');
    const def = await loadDefinition(source);
    const sequential = await check(buildFromDefinition(def, 'c'));
    // The workers run the bundle (worker-bundle.ts), or load the modules through tsx.
    for (const bundle of [true, false]) {
      const parallel = await checkParallel(buildFromDefinition(def, 'c'), { workers: 2, source, config: 'c', aloneBelow: 0, bundle });
      expect(comparable(parallel), `bundle ${bundle}`).toEqual(comparable(sequential));
    }
    expect(sequential.failure?.path.actions).toHaveLength(50);
  });
});

describe('the chunks of a level', () => {
  it('are 256 states at least, a 32nd per worker of the level at most, and shrink toward its end', () => {
    expect([...chunkBounds(1, 2)]).toEqual([0, 1]);
    expect([...chunkBounds(1000, 2)]).toEqual([0, 256, 512, 768, 1000]);
    const count = 1_000_000;
    const b = chunkBounds(count, 2);
    const sizes = [...b].slice(1).map((x, i) => x - b[i]);
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(count);
    expect(sizes[0]).toBe(15_625); // a 64th: 32 per worker
    // Equal chunks until a sixteenth of what is left is smaller, then ever smaller ones.
    expect(sizes.slice(0, 48).every((n) => n === 15_625)).toBe(true);
    expect(sizes[48]).toBe(15_625);
    expect(sizes[49]).toBe(14_649);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]);
    expect(sizes.slice(0, -1).every((n) => n >= 256)).toBe(true);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(256);
    expect(sizes.length).toBe(128);
  });

  it("come in one stream per worker, each a worker's share of the level cut as above", () => {
    const { bounds, streams } = levelChunks(1000, 2);
    // States 0-499 and 500-999, each cut by chunkBounds(500, 2).
    expect([...bounds]).toEqual([0, 256, 500, 756, 1000]);
    expect([...streams]).toEqual([0, 2, 4]);
    const three = levelChunks(1_000_000, 3);
    expect(three.streams.length).toBe(4);
    for (let s = 0; s < 3; s++) {
      const from = three.bounds[three.streams[s]];
      const to = three.bounds[three.streams[s + 1]];
      expect(from).toBe(Math.floor((1_000_000 * s) / 3));
      expect([...three.bounds.slice(three.streams[s], three.streams[s + 1] + 1)].map((x) => x - from)).toEqual([...chunkBounds(to - from, 3)]);
    }
    // Fewer states than workers: empty streams have no chunks.
    expect(levelChunks(1, 2)).toEqual({ bounds: Int32Array.from([0, 1]), streams: Int32Array.from([0, 0, 1]) });
    expect(levelChunks(0, 2)).toEqual({ bounds: Int32Array.from([0]), streams: Int32Array.from([0, 0, 0]) });
  });
});

describe('daxmc check --workers', () => {
  it('prints what one worker prints, timings aside', async () => {
    const strip = (s: string): string => s.replace(/^ {2}time .*$/m, '');
    const one = await daxmc(['check', 'die-hard']);
    const two = await daxmc(['check', 'die-hard', '--workers', '2']);
    expect(two.code).toBe(one.code);
    expect(strip(two.out)).toBe(strip(one.out));
  });

  it('is breadth-first only', async () => {
    const r = await daxmc(['check', 'die-hard', '--workers', '2', '--dfs']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('daxmc: the parallel search is breadth-first: --workers cannot be combined with --dfs\n');
  });

  it('a worker that cannot load the spec fails the run when the workers are needed, not before', async () => {
    const def = builtinSpecs.find((d) => d.id === 'two-phase')!;
    const source = { module: 'file:///nowhere/spec.ts' };
    const failed = await checkParallel(buildSpec(def, 'rm5').spec, { workers: 2, source, config: 'rm5', aloneBelow: 0 });
    expect(failed.verdict).toBe('error');
    expect(failed.error).toMatch(/^cannot load file:\/\/\/nowhere\/spec\.ts: /);
    // By default too, once a level is big enough for the workers: the run does not go on without them.
    const later = await checkParallel(buildSpec(def, 'rm7').spec, { workers: 2, source, config: 'rm7' });
    expect(later.verdict).toBe('error');
    expect(later.error).toMatch(/^cannot load file:\/\/\/nowhere\/spec\.ts: /);
    // Every level of rm3 is under 512 states: the coordinating thread expands them all.
    const alone = await checkParallel(buildSpec(def, 'rm3').spec, { workers: 2, source, config: 'rm3' });
    expect(comparable(alone)).toEqual(comparable(await check(buildSpec(def, 'rm3').spec)));
    expect(alone.stats.distinct).toBe(288);
  });

  it('starts the workers at the first level of startAt states, and never in a run whose levels stay under it', async () => {
    const def = builtinSpecs.find((d) => d.id === 'two-phase')!;
    const source = { module: 'file:///nowhere/spec.ts' };
    // With aloneBelow 0 every level goes to the workers once they are started. None of rm5's
    // levels reaches a million states: no worker is started, the unloadable spec never
    // matters, and this thread expands every level.
    const never = await checkParallel(buildSpec(def, 'rm5').spec, { workers: 2, source, config: 'rm5', aloneBelow: 0, startAt: 1_000_000 });
    expect(comparable(never)).toEqual(comparable(await check(buildSpec(def, 'rm5').spec)));
    // Started at the first level of 256 states, which they must then expand: they fail.
    const started = await checkParallel(buildSpec(def, 'rm5').spec, { workers: 2, source, config: 'rm5', aloneBelow: 0, startAt: 256 });
    expect(started.verdict).toBe('error');
    expect(started.error).toMatch(/^cannot load file:\/\/\/nowhere\/spec\.ts: /);
  });

  it("gives the table room for the workers' overshoot when they start, not before", async () => {
    const def = builtinSpecs.find((d) => d.id === 'entry-lock/fix')!;
    const spec = buildSpec(def, 'three-reads').spec;
    const options = { properties: ['deadlock'], workers: 2, source: { module: REGISTRY, id: 'entry-lock/fix' }, config: 'three-reads' };
    // Each of 64 segments at least 16 x workers x actions slots above its 3/4 limit: 12 bytes a slot.
    const room = 64 * 12 * Math.ceil((16 * 2 * Math.max(64, spec.actions.length)) / 0.25);
    const alone = await checkParallel(spec, { ...options, aloneBelow: 0, startAt: 1_000_000 });
    const withWorkers = await checkParallel(buildSpec(def, 'three-reads').spec, { ...options, aloneBelow: 0, startAt: 0 });
    expect(comparable(withWorkers)).toEqual(comparable(alone));
    expect(alone.stats.storeBytes).toBeLessThan(room);
    expect(withWorkers.stats.storeBytes).toBeGreaterThanOrEqual(room);
  });

  it('a time limit or an interrupt ends the run incomplete, never as a pass, in both modes', async () => {
    const def = builtinSpecs.find((d) => d.id === 'two-phase')!;
    const source = { module: REGISTRY, id: 'two-phase' };
    for (const aloneBelow of [0, undefined]) {
      const mode = aloneBelow === undefined ? {} : { aloneBelow };
      const timed = await checkParallel(buildSpec(def, 'rm8').spec, { workers: 2, source, config: 'rm8', timeoutMs: 150, ...mode });
      expect(timed.verdict).toBe('incomplete');
      expect(timed.limit?.kind).toBe('time');
      expect(timed.limit?.detail).toBe('reached the time limit of 0.15 s');
      expect(timed.stats.distinct).toBeGreaterThan(0);
      expect(timed.stats.distinct).toBeLessThan(1_745_408);
      // Interrupted once the search is under way (a progress report past 10,000 states), not after a fixed time.
      const controller = new AbortController();
      const stopped = await checkParallel(
        buildSpec(def, 'rm8').spec,
        { workers: 2, source, config: 'rm8', signal: controller.signal, progressIntervalMs: 0, ...mode },
        { onProgress: (p) => p.distinct >= 10_000 && controller.abort() },
      );
      expect(stopped.verdict).toBe('incomplete');
      expect(stopped.limit?.kind).toBe('interrupted');
      expect(stopped.stats.distinct).toBeGreaterThanOrEqual(10_000);
      expect(stopped.stats.distinct).toBeLessThan(1_745_408);
    }
  });
});
