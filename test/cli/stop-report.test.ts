// The report of a run the supervisor ended: its verdict line, its JSON and its exit code agree,
// whatever the discovery made before the stop (a liveness failure is exit 13, not 12).
import { describe, expect, it } from 'vitest';
import { renderStop, type StoppedRun } from '../../src/cli/stop-report';

function stopped(format: string, kind: 'invariant' | 'deadlock' | 'liveness'): StoppedRun {
  return {
    stage: { step: 'searching', command: 'check', spec: 's', config: 'c', specArg: 's', format, strategy: 'bfs' },
    figures: { distinct: 10, generated: 20, depth: 3, queued: 4, elapsedMs: 5 },
    discoveries: [
      { property: 'p can return', kind: 'witness', path: { init: 0, actions: [0] } },
      { property: kind === 'deadlock' ? 'deadlock' : 'P', kind, path: { init: 0, actions: [0, 1], ...(kind === 'liveness' ? { loop: 1 } : {}) } },
    ],
    cause: { kind: 'time', timeoutMs: 2000, graceMs: 1000 },
  };
}

describe('renderStop', () => {
  it('gives each failure kind its own verdict line and exit code, the same in text and JSON', () => {
    const rows = (['invariant', 'deadlock', 'liveness'] as const).map((kind) => {
      const text = renderStop(stopped('text', kind));
      const json = renderStop(stopped('json', kind));
      const j = JSON.parse(json.out) as { verdict: string; exitCode: number; failure: { kind: string } };
      return [kind, text.code, json.code, j.exitCode, j.verdict, j.failure.kind, text.out.split('\n')[0]];
    });
    expect(rows).toEqual([
      ['invariant', 12, 12, 12, 'fail', 'invariant', 'FAIL  invariant "P" violated after 2 steps (BFS: shortest)'],
      ['deadlock', 11, 11, 11, 'fail', 'deadlock', 'FAIL  deadlock reached after 2 steps (BFS: shortest)'],
      ['liveness', 13, 13, 13, 'fail', 'liveness', 'FAIL  liveness "P" violated: after 1 step, 1 step repeated for ever (shortest stem)'],
    ]);
  });
});
