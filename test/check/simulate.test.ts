// Random simulation: the PRNG is exact and resumable, walks are a function of the seed (pinned
// outcomes), a violation's path replays with check --path, a printed run state repeats the run,
// and `daxmc simulate` exits as check does (INCOMPLETE when nothing is found).
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/check/prng';
import { simulate, type SimulateOptions } from '../../src/check/simulate';
import type { Spec } from '../../src/core/spec';
import { buildSpec } from '../../src/run';
import { checkPath } from '../../src/trace/check-path';
import { encodePath } from '../../src/trace/trace';
import { builtinSpecs } from '../../specs/index';
import { daxmc } from '../cli/helpers';

const specOf = (id: string, config: string): Spec => buildSpec(builtinSpecs.find((d) => d.id === id)!, config).spec;

describe('Prng', () => {
  it('is xoshiro128** seeded through splitmix32: the same numbers for the same seed', () => {
    const p = new Prng(1);
    expect([p.nextInt32(), p.nextInt32(), p.nextInt32()]).toEqual([-1852823138, -1056867545, -475049425]);
    expect(new Prng(42).state).toEqual([939911724, 3948730756, 321366731, 3317318717]);
  });

  it('resumes from an exported state', () => {
    const p = new Prng(2026);
    for (let i = 0; i < 10; i++) p.nextInt32();
    const q = new Prng(p.state);
    for (let i = 0; i < 100; i++) expect(q.nextInt32()).toBe(p.nextInt32());
  });

  it('below(n) stays in 0..n-1 and reaches every value', () => {
    const p = new Prng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = p.below(7);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(7);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    expect(() => new Prng([0, 0, 0, 0])).toThrow('all zeros');
  });
});

describe('simulate', () => {
  const run = (id: string, config: string, o: SimulateOptions) => simulate(specOf(id, config), o);

  it('DieHard, seed 1: the goal is reached in run 124 after 19 steps, and the path replays', async () => {
    const r = await run('die-hard', 'goal', { seed: 1, steps: 30, runs: 200 });
    expect(r.verdict).toBe('fail');
    expect(encodePath(r.failure!.path)).toBe('0/4/2/5/5/2/4/1/1/5/5/2/5/4/4/0/2/5/1/5');
    expect(r.failedRun).toEqual({ run: 124, state: [2278188262, 811850763, 1737614159, 4283475986] });
    expect({ ...r.stats, elapsedMs: 0 }).toEqual({ runs: 124, steps: 3709, distinct: 14, longest: 30, elapsedMs: 0 });
    const replayed = checkPath(specOf('die-hard', 'goal'), r.failure!.path, { specId: 'die-hard', config: 'goal' });
    expect(replayed.result.failure).toEqual(r.failure);
  });

  it('a failed run repeats alone from the PRNG state it started at', async () => {
    const r = await run('die-hard', 'goal', { seed: 1, steps: 30, runs: 200 });
    const again = await run('die-hard', 'goal', { seed: 0, state: r.failedRun!.state, steps: 30, runs: 1 });
    expect(again.failure).toEqual(r.failure);
    expect(again.failedRun?.run).toBe(1);
  });

  it('TwoPhase rm3, seed 5: no violation in 100 runs of 50 steps (incomplete), both witnesses met', async () => {
    const r = await run('two-phase', 'rm3', { seed: 5, steps: 50, runs: 100 });
    expect(r.verdict).toBe('incomplete');
    expect({ ...r.stats, elapsedMs: 0 }).toEqual({ runs: 100, steps: 5000, distinct: 175, longest: 50, elapsedMs: 0 });
    expect(r.discoveries.map((d) => `${d.kind}:${encodePath(d.path)}`)).toEqual(['witness:0/9/4/13/1', 'witness:0/8/7/7/13/3/12/12/12/2/12/0/5/5/15/15/5/5/5/5/15/10']);
    expect(r.unwitnessed).toEqual([]);
  });

  it("entry-lock v4.7 three-reads, seed 7: E1's lost wake-up in run 2, 35 steps, as BFS's shortest", async () => {
    const r = await run('entry-lock/v4.7', 'three-reads', { seed: 7, steps: 200, runs: 2000, properties: ['deadlock'] });
    expect(r.verdict).toBe('fail');
    expect(r.failure?.kind).toBe('deadlock');
    expect(r.failure?.path.actions).toHaveLength(35);
    expect(r.failedRun?.run).toBe(2);
    const replayed = checkPath(specOf('entry-lock/v4.7', 'three-reads'), r.failure!.path, { specId: 'entry-lock/v4.7', config: 'three-reads' }, { properties: ['deadlock'], deadlock: true });
    expect(replayed.result.failure?.kind).toBe('deadlock');
  });
});

describe('daxmc simulate', () => {
  it('exits 12 on a violation and prints the seed, the run state and the replay commands', async () => {
    const r = await daxmc(['simulate', 'die-hard', '--seed', '1', '--steps', '30', '--runs', '200']);
    expect(r.code).toBe(12);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 19 steps (random walk: run 124, seed 1)');
    expect(r.out).toContain('  failed run  124, started at PRNG state 87ca64e63063dc0b6791e34fff50a812\n');
    expect(r.out).toContain('  daxmc check die-hard --config goal --path 0/4/2/5/5/2/4/1/1/5/5/2/5/4/4/0/2/5/1/5\n');
    expect(r.out).toContain('  daxmc simulate die-hard --config goal --state 87ca64e63063dc0b6791e34fff50a812 --steps 30 --runs 1\n');
    const replay = await daxmc(['check', 'die-hard', '--config', 'goal', '--path', '0/4/2/5/5/2/4/1/1/5/5/2/5/4/4/0/2/5/1/5']);
    expect(replay.code).toBe(12);
    const again = await daxmc(['simulate', 'die-hard', '--state', '87ca64e63063dc0b6791e34fff50a812', '--steps', '30', '--runs', '1']);
    expect(again.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 19 steps (random walk: run 1, from PRNG state 87ca64e63063dc0b6791e34fff50a812)');
  });

  it('exits 11 on a deadlock, 5 when nothing is found, 2 on a bad state', async () => {
    const d = await daxmc(['simulate', 'entry-lock/v4.7', '--config', 'three-reads', '--property', 'deadlock', '--seed', '7', '--steps', '200']);
    expect(d.code).toBe(11);
    const n = await daxmc(['simulate', 'two-phase', '--seed', '5', '--steps', '50', '--runs', '100']);
    expect(n.code).toBe(5);
    expect(n.out.split('\n')[0]).toBe('INCOMPLETE  no violation in 100 random runs of at most 50 steps (seed 5); a simulation is not exhaustive');
    const bad = await daxmc(['simulate', 'two-phase', '--state', 'xyz']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("daxmc: --state takes the 32 hex digits a simulation printed, got 'xyz'\n");
  });

  it('--format json carries the seed, the failed run and the path', async () => {
    const r = await daxmc(['simulate', 'die-hard', '--seed', '1', '--steps', '30', '--runs', '200', '--format', 'json']);
    const j = JSON.parse(r.out) as { seed: number; verdict: string; exitCode: number; failure: { path: string }; failedRun: { run: number; state: string } };
    expect(j).toMatchObject({ seed: 1, verdict: 'fail', exitCode: 12, failure: { path: '0/4/2/5/5/2/4/1/1/5/5/2/5/4/4/0/2/5/1/5' }, failedRun: { run: 124, state: '87ca64e63063dc0b6791e34fff50a812' } });
  });
});
