// The pipeline's GraphRecorder (the hook liveness checking plugs into): every transition the
// search makes is heard once, duplicates included, with the ids the store gives the states, so
// that applying the action to the state `from` gives exactly the state `to`; without ids (an
// exact or narrowed seen set) a state seen before comes as -1.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { checkParallel } from '../../src/check/parallel';
import type { Spec } from '../../src/core/spec';
import { buildDieHard } from '../../specs/examples/die-hard';
import { buildTwoPhase } from '../../specs/examples/two-phase';

type Edge = readonly [number, number, number];

async function edgesOf(spec: Spec, options: Parameters<typeof check>[1] = {}): Promise<{ edges: Edge[]; generated: number; distinct: number }> {
  const edges: Edge[] = [];
  const r = await check(spec, { ...options, graph: { edge: (from, action, to) => void edges.push([from, action, to]) } });
  return { edges, generated: r.stats.generated, distinct: r.stats.distinct };
}

/** The states by id, rebuilt from the edges that first reached each id. */
function statesOf(spec: Spec, edges: readonly Edge[]): Map<number, Float64Array> {
  const states = new Map<number, Float64Array>();
  for (const [from, a, to] of edges) {
    if (states.has(to) || to < 0) continue;
    if (from < 0) {
      states.set(to, Float64Array.from(spec.init[a]));
      continue;
    }
    const next = Float64Array.from(states.get(from)!);
    expect(spec.actions[a].apply(states.get(from)!, next)).toBe(true);
    states.set(to, next);
  }
  return states;
}

describe('the graph recorder', () => {
  for (const [name, spec] of [
    ['TwoPhase rm3', buildTwoPhase(3)],
    ['DieHard', buildDieHard(false)],
  ] as const) {
    it(`${name}: one edge per generated state, each one a real transition between the ids`, async () => {
      const { edges, generated, distinct } = await edgesOf(spec);
      expect(edges).toHaveLength(generated);
      expect(new Set(edges.map((e) => e[2])).size).toBe(distinct);
      expect(edges.every((e) => e[2] >= 0)).toBe(true);
      const states = statesOf(spec, edges);
      expect(states.size).toBe(distinct);
      for (const [from, a, to] of edges) {
        if (from < 0) continue;
        const next = Float64Array.from(states.get(from)!);
        expect(spec.actions[a].apply(states.get(from)!, next)).toBe(true);
        expect([...next]).toEqual([...states.get(to)!]);
      }
    });
  }

  it('the counts and verdict are those of a run without it; DFS too', async () => {
    const plain = await check(buildTwoPhase(4));
    const { generated, distinct } = await edgesOf(buildTwoPhase(4));
    expect([generated, distinct]).toEqual([plain.stats.generated, plain.stats.distinct]);
    const dfs = await edgesOf(buildTwoPhase(3), { strategy: 'dfs' });
    expect(dfs.edges).toHaveLength(1146);
  });

  it('an exact seen set cannot tell the id of a state seen before: -1', async () => {
    const { edges, generated } = await edgesOf(buildTwoPhase(3), { exact: true });
    expect(edges).toHaveLength(generated);
    expect(edges.filter((e) => e[2] === -1)).toHaveLength(1146 - 288);
  });

  it('the parallel search refuses it', async () => {
    await expect(checkParallel(buildTwoPhase(3), { graph: { edge: () => undefined }, workers: 2, source: { module: 'file:///nowhere.ts' }, config: 'rm3' })).rejects.toThrow('recording the state graph');
  });
});
