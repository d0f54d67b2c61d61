// The state graph a liveness check records runs on the one pipeline (pipeline.ts): its edge count
// is that of the graph worked out here by hand, a naive search over decoded states: one edge per
// enabled action of every state except a step back to the state itself, a successor the
// constraint prunes included; the same in BFS and DFS; and the parallel search says it left
// liveness out.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { checkParallel } from '../../src/check/parallel';
import type { Spec } from '../../src/core/spec';
import { buildAlternatingBit } from '../../specs/examples/liveness/alternating-bit';
import { buildTokenRing } from '../../specs/examples/liveness/token-ring';

/** States (inside the constraint) and edges of the whole graph, by a plain search over copies. */
function naiveGraph(spec: Spec): { states: number; edges: number } {
  const key = (s: ArrayLike<number>): string => Array.from(s).join(',');
  const seen = new Set<string>();
  const queue: Float64Array[] = [];
  for (const s of spec.init) {
    const x = Float64Array.from(s);
    if (spec.constraint && !spec.constraint(x)) continue;
    if (seen.has(key(x))) continue;
    seen.add(key(x));
    queue.push(x);
  }
  let edges = 0;
  for (let q = 0; q < queue.length; q++) {
    const cur = queue[q];
    for (const a of spec.actions) {
      const next = Float64Array.from(cur);
      if (!a.apply(cur, next)) continue;
      if (key(next) === key(cur)) continue;
      edges++;
      if (spec.constraint && !spec.constraint(next)) continue;
      if (seen.has(key(next))) continue;
      seen.add(key(next));
      queue.push(next);
    }
  }
  return { states: seen.size, edges };
}

describe('the liveness state graph, recorded by the pipeline', () => {
  for (const [name, spec] of [
    ['token-ring 4x4', buildTokenRing(4, 4)],
    ['alternating-bit (a constraint prunes successors)', buildAlternatingBit('strong')],
  ] as const) {
    it(`${name}: every edge of the graph, in BFS and DFS`, async () => {
      const want = naiveGraph(spec);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = await check(spec, { strategy, deadlock: false });
        expect(r.livenessSkipped).toBeUndefined();
        expect(r.stats.distinct).toBe(want.states);
        expect(r.stats.edges).toBe(want.edges);
      }
    });
  }

  it('token-ring 4x4: the figures TLC gives, and a pass', async () => {
    const r = await check(buildTokenRing(4, 4), { deadlock: false });
    expect([r.verdict, r.stats.distinct, r.stats.generated, r.stats.edges]).toEqual(['pass', 256, 896, 640]);
  });

  it('the parallel search leaves liveness out and says why, or refuses it when asked for', async () => {
    const spec = buildTokenRing(4, 4);
    const source = { module: 'file:///nowhere.ts' };
    const r = await checkParallel(spec, { workers: 2, source, config: '4x4', deadlock: false });
    expect(r.livenessSkipped).toBe('the parallel search keeps no state graph');
    expect(r.stats.edges).toBeUndefined();
    await expect(checkParallel(spec, { workers: 2, source, config: '4x4', liveness: true })).rejects.toThrow('liveness cannot be checked by the parallel search');
  });
});
