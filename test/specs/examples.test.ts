// Pinned figures for the calibration specs (TwoPhase against TLC, DieHard's known solution).
// A changed count here is a review signal: either the engine or the spec changed meaning.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { labelOf } from '../../src/core/spec';
import { replay } from '../../src/trace/trace';
import { buildDieHard, dieHard } from '../../specs/examples/die-hard';
import { buildTwoPhase, twoPhase } from '../../specs/examples/two-phase';
import { buildSpec, run } from '../../src/run';

describe('TwoPhase (TLC calibration)', () => {
  it('rm3: 288 distinct, 1,146 generated, depth 11, every witness found', async () => {
    const r = await check(buildTwoPhase(3));
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(288);
    expect(r.stats.generated).toBe(1146);
    expect(r.stats.depth).toBe(11);
    expect(r.stats.queued).toBe(0);
    expect(r.unwitnessed).toEqual([]);
    expect(r.discoveries.map((d) => [d.kind, d.property])).toEqual([
      ['witness', 'some transaction aborts'],
      ['witness', 'some transaction commits'],
    ]);
    expect(r.failure).toBeUndefined();
    expect(r.limit).toBeUndefined();
  });

  it('rm5: 8,832 distinct', async () => {
    const r = await check(buildTwoPhase(5));
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(8832);
    expect(r.stats.generated).toBe(58146);
    expect(r.stats.depth).toBe(17);
  });

  it('the registered definition builds the same spec per configuration', () => {
    const { spec } = buildSpec(twoPhase, 'rm3');
    expect(spec.layout.width).toBe(buildTwoPhase(3).layout.width);
    expect(spec.actions.length).toBe(2 + 5 * 3);
  });
});

describe('DieHard', () => {
  const solution = ['FillBigJug', 'BigToSmall', 'EmptySmallJug', 'BigToSmall', 'FillBigJug', 'BigToSmall'];

  it('goal: the counterexample to big /= 4 is the 6-step solution', async () => {
    const spec = buildDieHard(true);
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    expect(r.failure?.property).toBe('NotSolved: big /= 4');
    expect(r.failure?.kind).toBe('invariant');
    expect(r.failure?.path).toEqual({ init: 0, actions: [1, 5, 2, 5, 1, 5] });
    expect(r.failure!.path.actions.map((a) => labelOf(spec, a).name)).toEqual(solution);
    expect(r.stats.depth).toBe(7);
  });

  it('goal: the path replays to big = 4 through the expected states', async () => {
    const spec = buildDieHard(true);
    const r = await check(spec);
    const trace = replay(spec, r.failure!.path, {
      specId: 'die-hard',
      config: 'goal',
      property: r.failure!.property,
      kind: r.failure!.kind,
    });
    expect(trace.steps).toHaveLength(7);
    const jugs = trace.steps.map((s) => [s.value.get('big'), s.value.get('small')]);
    expect(jugs).toEqual([
      [0, 0],
      [5, 0],
      [2, 3],
      [2, 0],
      [0, 2],
      [5, 2],
      [4, 3],
    ]);
    expect(trace.steps[6].value.get('big')).toBe(4);
    expect(trace.steps.slice(1).map((s) => s.label?.name)).toEqual(solution);
    expect(trace.steps[1].changed).toEqual(['big']);
    expect(trace.steps[2].changed).toEqual(['big', 'small']);
  });

  it('explore: 16 distinct states and the witness of big = 4', async () => {
    const r = await check(buildDieHard(false));
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(16);
    expect(r.stats.generated).toBe(97);
    expect(r.stats.depth).toBe(8);
    expect(r.unwitnessed).toEqual([]);
  });

  it('run() returns the replayed trace of the failure', async () => {
    const out = await run(dieHard, { config: 'goal' });
    expect(out.result.verdict).toBe('fail');
    expect(out.trace?.steps).toHaveLength(7);
    expect(out.trace?.steps[6].value.get('big')).toBe(4);
  });
});
