// check --path: a given action path is replayed and checked state by state.
import { describe, expect, it } from 'vitest';
import { TraceFileError } from '../../src/core/errors';
import { checkPath } from '../../src/trace/check-path';
import { buildDieHard } from '../../specs/examples/die-hard';
import { buildLocks } from '../render/locks-fixture';

const info = { specId: 'die-hard', config: 'goal' };

describe('checkPath', () => {
  it('finds the violation at the end of the DieHard solution', () => {
    const { result, trace } = checkPath(buildDieHard(true), { init: 0, actions: [1, 5, 2, 5, 1, 5] }, info);
    expect(result.verdict).toBe('fail');
    expect(result.failure).toEqual({ property: 'NotSolved: big /= 4', kind: 'invariant', path: { init: 0, actions: [1, 5, 2, 5, 1, 5] } });
    expect(result.discoveries.map((d) => d.kind)).toEqual(['witness', 'invariant']);
    expect(trace.steps).toHaveLength(7);
    expect(trace.kind).toBe('invariant');
  });

  it('cuts the trace at the first violation', () => {
    const { result, trace } = checkPath(buildDieHard(true), { init: 0, actions: [1, 5, 2, 5, 1, 5, 0, 0] }, info);
    expect(result.failure?.path.actions).toHaveLength(6);
    expect(trace.steps).toHaveLength(7);
  });

  it('passes a path with no violation, and reports the witnesses met', () => {
    const { result, trace } = checkPath(buildDieHard(false), { init: 0, actions: [1, 5, 2, 5, 1, 5] }, { specId: 'die-hard', config: 'explore' });
    expect(result.verdict).toBe('pass');
    expect(result.discoveries).toEqual([{ property: 'the big jug holds 4 gallons', kind: 'witness', path: { init: 0, actions: [1, 5, 2, 5, 1, 5] } }]);
    expect(result.unwitnessed).toEqual([]);
    expect(trace.kind).toBeUndefined();
  });

  it('reports a deadlock in the last state unless deadlocks are off', () => {
    const spec = buildLocks();
    expect(checkPath(spec, { init: 0, actions: [0, 3] }, info).result.failure?.kind).toBe('deadlock');
    expect(checkPath(spec, { init: 0, actions: [0, 3] }, info, { deadlock: false }).result.verdict).toBe('pass');
    expect(checkPath(spec, { init: 0, actions: [0, 1, 2, 3, 4, 5] }, info).result.verdict).toBe('pass');
  });

  it('throws a TraceFileError for a path that does not replay', () => {
    expect(() => checkPath(buildLocks(), { init: 0, actions: [1] }, info)).toThrow(TraceFileError);
    expect(() => checkPath(buildLocks(), { init: 0, actions: [1] }, info)).toThrow('step 1: T1: lock B is not enabled in state 0');
    expect(() => checkPath(buildLocks(), { init: 0, actions: [9] }, info)).toThrow('step 1: action 9 does not exist (the spec has 6)');
  });
});
