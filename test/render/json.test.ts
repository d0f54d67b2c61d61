// The --format json result: the documented fields, deterministic apart from `timing`.
import { describe, expect, it } from 'vitest';
import { RESULT_SCHEMA, renderJson, toJsonResult } from '../../src/render/json';
import { dieHard } from '../../specs/examples/die-hard';
import { twoPhase } from '../../specs/examples/two-phase';
import { reportOf } from './helpers';

describe('json result', () => {
  it('has the documented top-level fields, in order', async () => {
    const { report } = await reportOf(dieHard, 'goal');
    const j = toJsonResult(report, 12);
    expect(Object.keys(j)).toEqual([
      'schema', 'spec', 'config', 'params', 'mode', 'strategy', 'verdict', 'exitCode', 'checked', 'failure', 'discoveries',
      'unwitnessed', 'stats', 'limit', 'error', 'analyses', 'contract', 'coverage', 'trace', 'timing',
    ]);
    expect(j.schema).toBe(RESULT_SCHEMA);
    expect(j.failure).toEqual({ property: 'NotSolved: big /= 4', kind: 'invariant', length: 6, path: '0/1/5/2/5/1/5' });
    expect(j.stats).toEqual({ distinct: 14, generated: 73, depth: 7, queued: 1, collisionProbability: (14 * 59) / 2 ** 64 });
    expect(j.trace?.states).toHaveLength(7);
    expect(j.trace?.['#meta'].path).toBe('0/1/5/2/5/1/5');
    expect(Object.keys(j.timing)).toEqual(['elapsedMs', 'statesPerSecond']);
  });

  it('is deterministic apart from timing', async () => {
    const a = toJsonResult((await reportOf(twoPhase, 'rm3')).report, 0);
    const b = toJsonResult((await reportOf(twoPhase, 'rm3')).report, 0);
    expect({ ...a, timing: null }).toEqual({ ...b, timing: null });
    expect(a.failure).toBeNull();
    expect(a.trace).toBeNull();
    expect(a.limit).toBeNull();
    expect(a.error).toBeNull();
    expect(a.params).toEqual({ rms: 3 });
    expect(a.discoveries.map((d) => d.kind)).toEqual(['witness', 'witness']);
  });

  it('renders as 2-space JSON with a trailing newline', async () => {
    const text = renderJson((await reportOf(dieHard, 'explore')).report, 0);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "schema": "daxmc.result/1",\n')).toBe(true);
    expect(JSON.parse(text).verdict).toBe('pass');
  });
});
