// Pinned figures for the calibration specs (TwoPhase against TLC, DieHard's known solution).
// A changed count here is a review signal: either the engine or the spec changed meaning.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { labelOf } from '../../src/core/spec';
import { replay } from '../../src/trace/trace';
import { buildCoffeeCan } from '../../specs/examples/coffee-can';
import { buildDieHard, dieHard } from '../../specs/examples/die-hard';
import { buildLockPage, lockPage } from '../../specs/examples/lock-page';
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

describe('LockPage (the model bench:peers runs beside TLC, bench/peers/LockPage.tla)', () => {
  it("TLC's counts: 720 distinct / 1,633 generated (2 threads, 2 pages), 40,824 / 177,877 (3, 3)", async () => {
    const small = await check(buildLockPage(2, 2));
    expect(small.verdict).toBe('pass');
    expect(small.stats).toMatchObject({ distinct: 720, generated: 1633, depth: 25, queued: 0 });
    const mid = await check(buildLockPage(3, 3));
    expect(mid.stats).toMatchObject({ distinct: 40_824, generated: 177_877, depth: 37 });
    // Every action is enabled somewhere: no warning of dead code.
    expect([...mid.coverage.generated].every((n) => n > 0)).toBe(true);
  });

  it('n4-p4 is configured as the issue measured it with TLC (2,985,984 distinct; pinned in bench/cases.ts)', () => {
    const spec = buildSpec(lockPage, 'n4-p4').spec;
    expect(spec.actions).toHaveLength(4 * (4 + 7));
    expect(lockPage.configs['n4-p4'].description).toContain('2,985,984 distinct, 22,118,401 generated');
  });
});

describe('CoffeeCan (values wider than a byte, and a signed one)', () => {
  it("beans-1000: TLC's counts (140,900 distinct, 420,500 generated, depth 1,000), slots of 2 bytes", async () => {
    const spec = buildCoffeeCan(600, 400);
    expect(spec.layout.slots.map((s) => [s.path, s.bytes, s.signed])).toEqual([
      ['black', 2, false],
      ['white', 2, false],
      ['lead', 2, true],
    ]);
    const r = await check(spec);
    expect(r.verdict).toBe('pass');
    expect(r.stats).toMatchObject({ distinct: 140_900, generated: 420_500, depth: 1000 });
    expect(r.discoveries.map((d) => [d.property, d.path.actions.length])).toEqual([['one bean is left', 999], ['the last bean is black', 999]]);
  });

  it('a counterexample through negative values replays, and decodes them', async () => {
    const base = buildCoffeeCan(300, 100);
    const spec = { ...base, properties: [...base.properties, { name: 'white never leads by 50', kind: 'always' as const, holds: (s: Float64Array | Uint8Array) => s[2] > -50 }] };
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    const trace = replay(spec, r.failure!.path, { specId: 'coffee-can', config: 'x', property: r.failure!.property, kind: 'invariant' });
    expect(trace.steps[trace.steps.length - 1].value.toJS()).toEqual({ black: 50, white: 100, lead: -50 });
    expect(r.failure!.path.actions).toHaveLength(250);
  });
});
