// The engine's behaviour on tiny fixture specs: verdicts, exact counts and paths, limits, and the
// diagnoses of specs that break the contract. Timing is never asserted, only verdicts.
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../../src/check/explore';
import type { CheckResult } from '../../src/check/result';
import { TraceFileError } from '../../src/core/errors';
import { bool, defineLayout, intRange } from '../../src/core/layout';
import type { Spec } from '../../src/core/spec';
import { replay } from '../../src/trace/trace';
import { buildDieHard } from '../../specs/examples/die-hard';
import { buildTwoPhase } from '../../specs/examples/two-phase';
import {
  below,
  chain,
  grid,
  manyInitialStates,
  nondeterministic,
  outOfDomain,
  throwing,
  twoCounters,
  writesInput,
} from '../fixtures/specs';

describe('terminal states and deadlock', () => {
  it('a chain that ends in a terminal state passes', async () => {
    const r = await check(chain(5, { terminal: true }));
    expect(r.verdict).toBe('pass');
    expect(r.stats).toMatchObject({ distinct: 6, generated: 6, depth: 6, queued: 0 });
    expect(r.discoveries).toEqual([]);
  });

  it('the same chain without isTerminal deadlocks at its end, depth 6', async () => {
    const r = await check(chain(5));
    expect(r.verdict).toBe('fail');
    expect(r.failure).toEqual({ property: 'deadlock', kind: 'deadlock', path: { init: 0, actions: [1, 1, 1, 1, 1] } });
    expect(r.stats).toMatchObject({ distinct: 6, generated: 6, depth: 6 });
  });

  it('deadlock: false turns the deadlock check off', async () => {
    const r = await check(chain(5), { deadlock: false });
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(6);
  });

  it('the deadlock trace replays to the stuck state', async () => {
    const spec = chain(5);
    const r = await check(spec);
    const t = replay(spec, r.failure!.path, { specId: 'chain', config: 'x', property: 'deadlock', kind: 'deadlock' });
    expect(t.steps.map((s) => s.value.get('i'))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.steps[1].label).toEqual({ name: 'Step', actor: 'p' });
  });
});

describe('state constraint', () => {
  it('prunes states: x + y <= 4 leaves 15 distinct of 31 generated, and no deadlock', async () => {
    const r = await check(grid(4));
    expect(r.verdict).toBe('pass');
    expect(r.stats).toMatchObject({ distinct: 15, generated: 31, depth: 5 });
    // Successors outside the constraint are generated but never stored or expanded: (5,5), the
    // only state without a successor, lies outside and is not reported as a deadlock.
    expect(r.unwitnessed).toEqual(['a state outside the constraint is stored']);
    expect(r.coverage.generated).toEqual(Uint32Array.from([15, 15]));
    // BFS expands (x+1, y) before (x, y+1), so IncX discovers only the states with y = 0.
    expect(r.coverage.distinct).toEqual(Uint32Array.from([4, 10]));
  });

  it('without the constraint the whole grid is explored and (5,5) deadlocks after 10 steps', async () => {
    const r = await check(grid());
    expect(r.verdict).toBe('fail');
    expect(r.failure?.kind).toBe('deadlock');
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] });
    expect(r.stats).toMatchObject({ distinct: 36, generated: 61, depth: 11 });
  });
});

describe('specs that break the contract end the run with verdict error', () => {
  it('an action that throws: the message names the action, its actor and the state', async () => {
    const r = await check(throwing());
    expect(r.verdict).toBe('error');
    expect(r.error).toContain('action worker: Inc threw');
    expect(r.error).toContain('boom: no slot for index 2');
    expect(r.error).toContain('in state {"x":2}');
    expect(r.failure).toBeUndefined();
  });

  it('an action that writes its input state', async () => {
    const r = await check(writesInput());
    expect(r.verdict).toBe('error');
    expect(r.error).toBe('action p1: Sloppy changed its input state (x); actions must write only the successor');
  });

  it('a value written outside its domain names the slot path', async () => {
    const r = await check(outOfDomain());
    expect(r.verdict).toBe('error');
    expect(r.error).toBe(
      'action p2: Jump wrote a value outside its domain: procs[p2].pc = 2 (domain {idle, busy})',
    );
  });

  it('an action that writes a value its slot cannot hold: caught at every expansion, never wrapped', async () => {
    const writes = (value: unknown, after = 1): Spec => {
      const layout = defineLayout({ n: intRange(0, 3), flag: bool });
      return {
        name: 'writes',
        layout,
        init: [layout.encode({ n: 0, flag: false })],
        actions: [
          {
            name: 'Inc',
            actor: 'p',
            apply(s, t) {
              if (s[0] >= 3) return false;
              t[0] = s[0] + 1;
              (t as unknown as unknown[])[1] = s[0] === after ? value : true;
              return true;
            },
          },
        ],
        properties: [],
        isTerminal: (s) => s[0] === 3,
      };
    };
    const r = await check(writes({ pid: 1 }));
    expect(r.verdict).toBe('error');
    expect(r.error).toBe('action p: Inc wrote a value outside its domain: flag = NaN, not a number (a string, an object or undefined was written) (domain boolean)');
    expect((await check(writes(256))).error).toBe('action p: Inc wrote a value outside its domain: flag = 256 (domain boolean)');
    expect((await check(writes(0.5))).error).toBe('action p: Inc wrote a value outside its domain: flag = 0.5 (domain boolean)');
    expect((await check(writes('x'))).error).toContain('flag = NaN');
    // Booleans and whole numbers in the domain are fine.
    expect((await check(writes(false))).verdict).toBe('pass');
    // Without contract checks the domain is still checked: 256 is never stored as 0.
    expect((await check(writes(256), { contractChecks: 0 })).error).toBe('action p: Inc wrote a value outside its domain: flag = 256 (domain boolean)');
    expect((await check(writes({ pid: 1 }, 2), { contractChecks: 0 })).error).toContain('flag = NaN');
  });

  it('an action that writes its input state only deep into the run is caught there, and named', async () => {
    // A counter 0..n that writes its input once it passes `from`: the first 2,000 expansions
    // check after every action; the rest check once per state, then name the action.
    const deep = (from: number): Spec => {
      const layout = defineLayout({ n: intRange(0, 5000), m: intRange(0, 1) });
      return {
        name: 'deep',
        layout,
        init: [layout.encode({ n: 0, m: 0 })],
        actions: [
          { name: 'Other', apply: (s, t) => (s[1] === 0 ? ((t[1] = 1), true) : false) },
          {
            name: 'Step',
            actor: 'p',
            apply(s, t) {
              if (s[0] >= 5000) return false;
              if (s[0] >= from) s[1] = 1 - s[1];
              t[0] = s[0] + 1;
              return true;
            },
          },
        ],
        properties: [],
        isTerminal: (s) => s[0] === 5000,
      };
    };
    const r = await check(deep(3000));
    expect(r.verdict).toBe('error');
    expect(r.error).toBe('action p: Step changed its input state (m); actions must write only the successor');
    expect(r.contract).toEqual({ perAction: 2000, inputWrites: 'every expansion' });
    // Sampled: only the first 2,000 expansions are checked, and the result says so.
    const sampled = await check(deep(3000), { inputChecks: 'sampled' });
    expect(sampled.contract).toEqual({ perAction: 2000, inputWrites: 'sampled' });
    expect(sampled.verdict).not.toBe('error');
    expect((await check(deep(100))).error).toBe('action p: Step changed its input state (m); actions must write only the successor');
  });

  it('a nondeterministic action: the search finds a path, replay refuses it', async () => {
    const spec = nondeterministic();
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    expect(r.failure?.path).toEqual({ init: 0, actions: [0, 0] });
    const info = { specId: 'nondeterministic', config: 'x', property: r.failure!.property, kind: r.failure!.kind };
    expect(() => replay(spec, r.failure!.path, info)).toThrow(TraceFileError);
    expect(() => replay(spec, r.failure!.path, info)).toThrow(/nondeterministic/);
  });
});

describe('limits', () => {
  it('maxStates ends a run as incomplete (states)', async () => {
    const r = await check(buildTwoPhase(3), { maxStates: 50 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('states');
    expect(r.stats.distinct).toBeGreaterThanOrEqual(50);
    expect(r.stats.distinct).toBeLessThan(288);
    expect(r.stats.queued).toBeGreaterThan(0);
  });

  it('maxStates reached with states still unexpanded is incomplete; above the count it is a pass', async () => {
    // All 288 states are stored, but some are not yet expanded (they could still deadlock).
    const at = await check(buildTwoPhase(3), { maxStates: 288 });
    expect(at.verdict).toBe('incomplete');
    expect(at.stats.distinct).toBe(288);
    const above = await check(buildTwoPhase(3), { maxStates: 289 });
    expect(above.verdict).toBe('pass');
    expect(above.stats.distinct).toBe(288);
  });

  it('maxDepth ends a run as incomplete (depth) with exact counts', async () => {
    const r = await check(chain(5, { terminal: true }), { maxDepth: 3 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('depth');
    expect(r.stats).toMatchObject({ distinct: 3, generated: 4, depth: 3 });
  });

  it('maxDepth that covers the whole space is a pass', async () => {
    expect((await check(buildDieHard(false), { maxDepth: 8 })).verdict).toBe('pass');
    const cut = await check(buildDieHard(false), { maxDepth: 7 });
    expect(cut.verdict).toBe('incomplete');
    expect(cut.limit?.kind).toBe('depth');
    expect(cut.stats.distinct).toBe(14);
  });

  it('a deadlock at the depth limit is still reported', async () => {
    const r = await check(chain(5), { maxDepth: 6 });
    expect(r.verdict).toBe('fail');
    expect(r.failure?.kind).toBe('deadlock');
  });

  it('a tiny timeout on TwoPhase rm7 ends the run as incomplete (time)', async () => {
    const r = await check(buildTwoPhase(7), { timeoutMs: 1 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('time');
    // The limit as given, not rounded to whole seconds ("0 s").
    expect(r.limit?.detail).toBe('reached the time limit of 0.001 s');
    expect(r.stats.distinct).toBeLessThan(296448);
  });

  it('an already-aborted signal ends the run as interrupted', async () => {
    for (const spec of [buildTwoPhase(7), buildTwoPhase(3)]) {
      const r = await check(spec, { signal: AbortSignal.abort() });
      expect(r.verdict).toBe('incomplete');
      expect(r.limit?.kind).toBe('interrupted');
    }
  });

  it('a signal aborted during the run interrupts it', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 5);
    const r = await check(buildTwoPhase(8), { signal: ac.signal });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('interrupted');
  });

  it('a memory limit already passed ends the run as incomplete (memory)', async () => {
    const r = await check(buildTwoPhase(7), { maxMemoryBytes: 1 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('memory');
  });
});

describe('properties', () => {
  it('a sometimes property never witnessed is listed in unwitnessed; the verdict is still pass', async () => {
    const r = await check(
      chain(3, { terminal: true, properties: [{ name: 'i reaches 9', kind: 'sometimes', holds: (s) => s[0] === 9 }] }),
    );
    expect(r.verdict).toBe('pass');
    expect(r.unwitnessed).toEqual(['i reaches 9']);
  });

  it('stopAt all records one discovery per violated property, in the order met', async () => {
    const r = await check(chain(5, { properties: [below(4), below(2)] }), { stopAt: 'all' });
    expect(r.verdict).toBe('fail');
    expect(r.discoveries).toEqual([
      { property: 'i stays below 2', kind: 'invariant', path: { init: 0, actions: [1, 1] } },
      { property: 'i stays below 4', kind: 'invariant', path: { init: 0, actions: [1, 1, 1, 1] } },
      { property: 'deadlock', kind: 'deadlock', path: { init: 0, actions: [1, 1, 1, 1, 1] } },
    ]);
    expect(r.failure).toBe(r.discoveries[0]);
  });

  it('stopAt first stops at the shallowest violation', async () => {
    const r = await check(chain(5, { properties: [below(4), below(2)] }));
    expect(r.discoveries).toHaveLength(1);
    expect(r.failure?.property).toBe('i stays below 2');
    expect(r.stats.distinct).toBe(3);
    expect(r.stats.depth).toBe(3);
  });

  it('stopAt all with nothing that can fail explores the whole space', async () => {
    const r = await check(chain(5, { terminal: true }), { stopAt: 'all', deadlock: false });
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(6);
  });

  it('properties: selects which properties are checked', async () => {
    const spec = chain(5, { properties: [below(4), below(2)] });
    const r = await check(spec, { properties: ['i stays below 4'] });
    expect(r.failure?.property).toBe('i stays below 4');
    const d = await check(spec, { properties: ['deadlock'] });
    expect(d.failure?.kind).toBe('deadlock');
    const bad = await check(spec, { properties: ['no such property'] }).catch((e: unknown) => e);
    expect(String(bad)).toContain("has no property 'no such property'");
  });

  it('an invariant that fails in an initial state gives a path with no actions', async () => {
    const r = await check(chain(5, { properties: [below(0)] }));
    expect(r.failure?.path).toEqual({ init: 0, actions: [] });
    expect(r.stats.depth).toBe(1);
  });

  it('more initial states than a 16-bit action slot holds: the path names the right one', async () => {
    const spec = manyInitialStates(70_000);
    const r = await check(spec);
    expect(r.failure?.path).toEqual({ init: 69_999, actions: [] });
    const t = replay(spec, r.failure!.path, { specId: 'many', config: 'x', property: r.failure!.property, kind: 'invariant' });
    expect(t.steps[0].value.toJS()).toEqual({ a: 69_999 & 255, b: (69_999 >> 8) & 255, c: 1 });
  });
});

describe('strategies', () => {
  it('BFS and DFS find the same 288 states of TwoPhase rm3', async () => {
    const bfs = await check(buildTwoPhase(3), { strategy: 'bfs' });
    const dfs = await check(buildTwoPhase(3), { strategy: 'dfs' });
    expect(dfs.strategy).toBe('dfs');
    expect(dfs.verdict).toBe('pass');
    expect(dfs.stats.distinct).toBe(bfs.stats.distinct);
    expect(dfs.stats.generated).toBe(bfs.stats.generated);
    expect(dfs.unwitnessed).toEqual([]);
  });

  it("BFS's DieHard trace is never longer than DFS's", async () => {
    const bfs = await check(buildDieHard(true), { strategy: 'bfs' });
    const dfs = await check(buildDieHard(true), { strategy: 'dfs' });
    expect(dfs.verdict).toBe('fail');
    expect(bfs.failure!.path.actions.length).toBeLessThanOrEqual(dfs.failure!.path.actions.length);
    expect(bfs.failure!.path.actions.length).toBe(6);
  });

  it("BFS's deadlock trace in the grid is shorter than or equal to DFS's", async () => {
    const bfs = await check(grid(), { strategy: 'bfs' });
    const dfs = await check(grid(), { strategy: 'dfs' });
    expect(dfs.failure?.kind).toBe('deadlock');
    expect(bfs.failure!.path.actions.length).toBeLessThanOrEqual(dfs.failure!.path.actions.length);
  });
});

describe('symmetry (canonical)', () => {
  it('sorting two interchangeable counters gives fewer states and the same verdict', async () => {
    const plain = await check(twoCounters({ symmetric: false }));
    const sym = await check(twoCounters({ symmetric: true }));
    expect(plain.verdict).toBe('pass');
    expect(sym.verdict).toBe('pass');
    expect(plain.stats.distinct).toBe(16);
    expect(sym.stats.distinct).toBe(10);
    expect(sym.unwitnessed).toEqual([]);
  });

  it('a violation is still found, and its path replays (the engine walks the original state)', async () => {
    const plainSpec = twoCounters({ symmetric: false, badAt: 2 });
    const symSpec = twoCounters({ symmetric: true, badAt: 2 });
    const plain = await check(plainSpec);
    const sym = await check(symSpec);
    expect(plain.verdict).toBe('fail');
    expect(sym.verdict).toBe('fail');
    expect(sym.failure!.path.actions.length).toBe(plain.failure!.path.actions.length);
    const t = replay(symSpec, sym.failure!.path, { specId: 'c', config: 'x', property: sym.failure!.property, kind: 'invariant' });
    expect(t.steps[t.steps.length - 1].value.toJS()).toEqual({ a: 2, b: 2 });
  });

  it('canonical: false ignores the spec\'s canonical()', async () => {
    const r = await check(twoCounters({ symmetric: true }), { canonical: false });
    expect(r.stats.distinct).toBe(16);
  });
});

describe('candidates() dispatch', () => {
  /** TwoPhase rm3 with a dispatch that skips actions whose first guard is false. */
  function twoPhaseWithCandidates(n: number): Spec {
    const base = buildTwoPhase(n);
    const at = base.layout.at;
    const RS = at.rmState;
    const TS = at.tmState;
    const MC = at.msgCommit;
    const MA = at.msgAbort;
    return {
      ...base,
      candidates(s, push) {
        const tmInit = s[TS] === 0;
        if (tmInit) {
          push(0);
          push(1);
        }
        for (let r = 0; r < n; r++) {
          const k = 2 + 5 * r;
          if (tmInit) push(k);
          if (s[RS + r] === 0) {
            push(k + 1);
            push(k + 2);
          }
          if (s[MC] === 1) push(k + 3);
          if (s[MA] === 1) push(k + 4);
        }
      },
    };
  }

  it('gives the same counts and coverage as trying every action', async () => {
    for (const n of [3, 4]) {
      const all = await check(buildTwoPhase(n));
      const some = await check(twoPhaseWithCandidates(n));
      expect(some.verdict).toBe(all.verdict);
      expect(some.stats.distinct).toBe(all.stats.distinct);
      expect(some.stats.generated).toBe(all.stats.generated);
      expect(some.stats.depth).toBe(all.stats.depth);
      expect(some.coverage).toEqual(all.coverage);
      expect(some.discoveries).toEqual(all.discoveries);
    }
  });
});

describe('determinism', () => {
  const strip = (r: CheckResult): unknown => ({ ...r, stats: { ...r.stats, elapsedMs: 0 } });
  const cases: [string, () => Spec, CheckOptions][] = [
    ['TwoPhase rm4 BFS', () => buildTwoPhase(4), {}],
    ['TwoPhase rm4 DFS', () => buildTwoPhase(4), { strategy: 'dfs' }],
    ['DieHard goal, stopAt all', () => buildDieHard(true), { stopAt: 'all' }],
    ['chain with invariants, stopAt all', () => chain(5, { properties: [below(4), below(2)] }), { stopAt: 'all' }],
  ];
  for (const [name, build, opts] of cases) {
    it(`${name}: two runs agree on everything but elapsedMs`, async () => {
      const a = await check(build(), opts);
      const b = await check(build(), opts);
      expect(strip(a)).toEqual(strip(b));
    });
  }
});

describe('listener', () => {
  it('hears every discovery and a final progress report', async () => {
    const heard: string[] = [];
    let last: { distinct: number } | undefined;
    const r = await check(buildDieHard(true), {}, { onDiscovery: (d) => heard.push(d.property), onProgress: (p) => (last = p) });
    expect(heard).toEqual(r.discoveries.map((d) => d.property));
    expect(last?.distinct).toBe(r.stats.distinct);
  });
});
