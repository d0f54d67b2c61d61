// The liveness engine on graphs small enough to work out by hand: each form, weak against strong
// fairness, stuttering, steps rather than labels, the shortest stem, the constraint, and lassos
// that replay and check. Exact paths and loops, not just verdicts.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { replay } from '../../src/trace/trace';
import { validateSpec } from '../../src/run';
import { graphSpec, prop, strongActors, weakActors } from '../fixtures/graph-spec';

async function lasso(spec: ReturnType<typeof graphSpec>) {
  const r = await check(spec, { deadlock: false });
  expect(r.verdict === 'fail' || r.verdict === 'pass').toBe(true);
  return r;
}

describe('liveness: the forms', () => {
  it('<>P with no fairness: the initial state stutters for ever', async () => {
    const spec = graphSpec({ states: 2, init: [0], actions: [{ name: 'Go', actor: 'A' }], edges: [[0, 0, 1]], liveness: [prop('reaches 1', 'eventually', [1])] });
    const r = await lasso(spec);
    expect(r.verdict).toBe('fail');
    expect(r.failure).toEqual({ property: 'reaches 1', kind: 'liveness', path: { init: 0, actions: [], loop: 0 } });
  });

  it('<>P under weak fairness holds when the only way on reaches P', async () => {
    const spec = graphSpec({ states: 2, init: [0], actions: [{ name: 'Go', actor: 'A' }], edges: [[0, 0, 1]], liveness: [prop('reaches 1', 'eventually', [1], [weakActors])] });
    const r = await lasso(spec);
    expect(r.verdict).toBe('pass');
    expect(r.stats.edges).toBe(1);
  });

  it('<>P under weak fairness fails on a fair cycle that avoids P', async () => {
    // 0 -A-> 1 -A-> 0 and 1 -B-> 2 (P). B is enabled only in 1: WF(B) allows never taking it.
    const spec = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'Out', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [1, 1, 2]],
      liveness: [prop('reaches 2', 'eventually', [2], [weakActors])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0], loop: 0 });
    const t = replay(spec, r.failure!.path, { specId: 'graph', config: 'c', property: 'reaches 2', kind: 'liveness' });
    expect(t.diagnosis?.kind).toBe('cycle');
    expect(t.diagnosis?.details).toEqual(['WF(A) takes a step on the cycle', 'WF(B) is enabled in 1 of the 2 states of the cycle, never taken (WF allows it)']);
  });

  it('the same cycle is unfair under strong fairness: it holds', async () => {
    const spec = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'Out', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [1, 1, 2]],
      liveness: [prop('reaches 2', 'eventually', [2], [weakActors, { kind: 'strong', per: 'action', actions: (a) => a.name === 'Out' }])],
    });
    expect((await lasso(spec)).verdict).toBe('pass');
  });

  it('[]<>P: a fair cycle that never passes P, reached from anywhere', async () => {
    // 0 -> 1 (P) -> 2 -> 3 -> 2: once in 2/3, P never holds again.
    const spec = graphSpec({
      states: 4,
      init: [0],
      actions: [{ name: 'Step', actor: 'A' }],
      edges: [[0, 0, 1], [1, 0, 2], [2, 0, 3], [3, 0, 2]],
      liveness: [prop('1 again and again', 'infinitely-often', [1], [weakActors])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0, 0, 0], loop: 2 });
  });

  it('<>[]P: a fair cycle through a not-P state', async () => {
    // 0 (P) <-> 1 (not P): the cycle passes 1 for ever, so P is never stable.
    const spec = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Flip', actor: 'A' }, { name: 'Settle', actor: 'A' }],
      edges: [[0, 0, 1], [1, 0, 0], [0, 1, 2]],
      liveness: [prop('settles in P', 'eventually-always', [0, 2], [weakActors])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0], loop: 0 });
    // With Settle's own strong fairness, flipping for ever is unfair: 2 is reached and stays.
    const fair = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Flip', actor: 'A' }, { name: 'Settle', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [0, 1, 2]],
      liveness: [prop('settles in P', 'eventually-always', [0, 2], [weakActors, strongActors])],
    });
    expect((await lasso(fair)).verdict).toBe('pass');
  });

  it('P ~> Q: the stem goes anywhere, then stays out of Q from a P state', async () => {
    // 0 -> 1 (P) -> 2 -> 2' ... 2 <-> 3 (no Q); 1 -> 4 (Q) by another actor without fairness.
    const spec = graphSpec({
      states: 5,
      init: [0],
      actions: [{ name: 'Step', actor: 'A' }, { name: 'Serve', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 2], [2, 0, 3], [3, 0, 2], [1, 1, 4]],
      liveness: [prop('requests are served', 'leads-to', [1], [{ kind: 'weak', per: 'actor', actions: (a) => a.actor === 'A' }], [4])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0, 0, 0], loop: 2 });
  });

  it('P ~> Q holds when Q comes before the cycle is entered', async () => {
    const spec = graphSpec({
      states: 4,
      init: [0],
      actions: [{ name: 'Step', actor: 'A' }],
      edges: [[0, 0, 1], [1, 0, 2], [2, 0, 3], [3, 0, 2]],
      liveness: [prop('1 leads to 2', 'leads-to', [1], [weakActors], [2])],
    });
    expect((await lasso(spec)).verdict).toBe('pass');
  });
});

describe('liveness: fairness is about steps', () => {
  it('a step that two actors can take counts for each of them', async () => {
    // A and B make the same state changes, 0 -> 1 and 1 -> 0; C finishes from 1, unfairly.
    // Both A and B are enabled everywhere on the cycle, so a fair cycle takes steps of both. A
    // checker that kept one edge per pair of states (say A's) would find B never taken, call
    // every cycle unfair, and answer "holds": wrong, B's steps are there.
    const spec = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Go', actor: 'A' }, { name: 'Go', actor: 'B' }, { name: 'Back', actor: 'A' }, { name: 'Back', actor: 'B' }, { name: 'Finish', actor: 'C' }],
      edges: [[0, 0, 1], [0, 1, 1], [1, 2, 0], [1, 3, 0], [1, 4, 2]],
      liveness: [prop('finishes', 'eventually', [2], [{ kind: 'weak', per: 'actor', actions: (a) => a.actor !== 'C' }])],
    });
    const r = await lasso(spec);
    expect(r.stats.edges).toBe(5);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 3], loop: 0 });
    const t = replay(spec, r.failure!.path, { specId: 'graph', config: 'c', property: 'finishes', kind: 'liveness' });
    expect(t.diagnosis?.details).toEqual(['WF(A) takes a step on the cycle', 'WF(B) takes a step on the cycle']);
  });

  it('a step back to the same state is stuttering: it neither enables nor satisfies fairness', async () => {
    // A's only step from 0 is a self-loop: WF(A) does not force it, so 0 stutters for ever.
    const spec = graphSpec({
      states: 2,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'Go', actor: 'B' }],
      edges: [[0, 0, 0], [0, 1, 1]],
      liveness: [prop('reaches 1', 'eventually', [1], [{ kind: 'weak', per: 'actor', actions: (a) => a.actor === 'A' }])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [], loop: 0 });
    expect(r.stats.edges).toBe(1);
  });
});

describe('liveness: stems, limits and the constraint', () => {
  it('the stem is the shortest to any fair cycle', async () => {
    // Two bad cycles: {3,4} reached in 3 steps, {1,2}... reached in 1 step via 0 -> 1.
    const spec = graphSpec({
      states: 6,
      init: [0],
      actions: [{ name: 'Far', actor: 'A' }, { name: 'Near', actor: 'A' }, { name: 'Loop', actor: 'A' }],
      edges: [[0, 0, 5], [5, 0, 3], [3, 2, 4], [4, 2, 3], [0, 1, 1], [1, 2, 2], [2, 2, 1]],
      liveness: [prop('never', 'eventually', [], [weakActors])],
    });
    const r = await lasso(spec);
    expect(r.failure?.path).toEqual({ init: 0, actions: [1, 2, 2], loop: 1 });
  });

  it('a pruned successor still makes its action enabled', async () => {
    // 0 <-> 1 by A; B goes from 1 to 2, outside the constraint. WF(B): B is not continuously
    // enabled (not in 0), so the cycle is fair; with SF(B) it is not.
    const weak = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'Leave', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [1, 1, 2]],
      outside: [2],
      liveness: [prop('leaves', 'eventually', [2], [weakActors])],
    });
    const r = await lasso(weak);
    expect(r.stats.distinct).toBe(2);
    expect(r.stats.edges).toBe(3);
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0], loop: 0 });
    const strong = graphSpec({
      states: 3,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'Leave', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [1, 1, 2]],
      outside: [2],
      liveness: [prop('leaves', 'eventually', [2], [weakActors, { kind: 'strong', per: 'group', name: 'leave', actions: (a) => a.name === 'Leave' }])],
    });
    expect((await lasso(strong)).verdict).toBe('pass');
  });

  it('a run cut by --max-depth still reports a lasso among the states it expanded', async () => {
    // 0 <-> 1 by A; B leads on from 1 to 2 and 3, past the depth limit of 3.
    const spec = graphSpec({
      states: 4,
      init: [0],
      actions: [{ name: 'Spin', actor: 'A' }, { name: 'On', actor: 'B' }],
      edges: [[0, 0, 1], [1, 0, 0], [1, 1, 2], [2, 1, 3]],
      liveness: [prop('never', 'eventually', [], [weakActors])],
    });
    const r = await check(spec, { maxDepth: 3, deadlock: false });
    expect(r.limit?.kind).toBe('depth');
    expect(r.verdict).toBe('fail');
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0], loop: 0 });
  });

  it('the states at the depth limit stay out: no false stuttering there', async () => {
    const spec = graphSpec({ states: 4, init: [0], actions: [{ name: 'Step', actor: 'A' }], edges: [[0, 0, 1], [1, 0, 2], [2, 0, 3]], liveness: [prop('reaches 3', 'eventually', [3], [weakActors])] });
    const r = await check(spec, { maxDepth: 2, deadlock: false });
    expect(r.verdict).toBe('incomplete');
    expect((await check(spec, { deadlock: false })).verdict).toBe('pass');
  });
});

describe('liveness properties that are not well formed', () => {
  const base = () => graphSpec({ states: 2, init: [0], actions: [{ name: 'Go', actor: 'A' }], edges: [[0, 0, 1]] });
  const bad = (liveness: unknown): string => {
    try {
      validateSpec({ ...base(), liveness } as never, 'g');
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  it('are spec errors naming the spec, the property and what is wrong', () => {
    expect(bad([prop('p', 'eventually', [1]), prop('p', 'eventually', [1])])).toBe("spec g: two properties are named 'p'");
    expect(bad([{ ...prop('q', 'eventually', [1]), form: 'always' }])).toBe("spec g: liveness property 'q' has form 'always' (expected one of eventually, infinitely-often, eventually-always, leads-to)");
    expect(bad([{ name: 'r', form: 'leads-to', holds: () => true, fairness: [] }])).toBe("spec g: liveness property 'r' is a leads-to (P ~> Q) without target(state), its Q");
    expect(bad([prop('s', 'eventually', [1], [{ kind: 'fair' as never, per: 'actor' }])])).toBe("spec g: liveness property 's': a fairness condition's kind is 'fair' (expected weak or strong)");
    expect(bad([prop('t', 'eventually', [1], [{ kind: 'weak', per: 'group' }])])).toBe("spec g: liveness property 't': a fairness group needs a name");
    expect(bad([prop('deadlock', 'eventually', [1])])).toBe("spec g: 'deadlock' is reserved for the engine's deadlock check");
    expect(bad([prop('fine', 'eventually', [1], [{ kind: 'strong', per: 'group', name: 'all' }])])).toBe('accepted');
  });
});
