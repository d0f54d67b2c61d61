// Exact text outputs (timings off, so they compare byte for byte) and the verdict lines.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import type { SpecDefinition } from '../../src/core/spec';
import { checkedProperties, type CheckReport } from '../../src/render/report';
import { renderCheckText, renderReplayText, renderTraceText, verdictLine } from '../../src/render/text';
import { checkPath } from '../../src/trace/check-path';
import { dieHard } from '../../specs/examples/die-hard';
import { twoPhase } from '../../specs/examples/two-phase';
import { chain, throwing } from '../fixtures/specs';
import { reportOf } from './helpers';
import { buildLocks, locksDefinition } from './locks-fixture';

const DIE_HARD_GOAL = `FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)

  spec        die-hard, configuration goal
  checked     2 invariants, 1 witness, deadlock
  states      14 distinct, 73 generated, depth 7, 1 queued
  collisions  calculated (optimistic): 4.5E-17

note: "the big jug holds 4 gallons" was not witnessed before the run stopped

State 0: <initial state>
  /\\ big = 0
  /\\ small = 0

State 1: FillBigJug
* /\\ big = 5
  /\\ small = 0

State 2: BigToSmall
* /\\ big = 2
* /\\ small = 3

State 3: EmptySmallJug
  /\\ big = 2
* /\\ small = 0

State 4: BigToSmall
* /\\ big = 0
* /\\ small = 2

State 5: FillBigJug
* /\\ big = 5
  /\\ small = 2

State 6: BigToSmall
* /\\ big = 4
* /\\ small = 3

Invariant "NotSolved: big /= 4" is violated in state 6.

Replay:
  daxmc check die-hard --config goal --path 0/1/5/2/5/1/5
`;

function fixtureReport(def: Pick<SpecDefinition, 'id'>, spec: Parameters<typeof check>[0], result: Awaited<ReturnType<typeof check>>): CheckReport {
  return { spec: def.id, config: 'c', params: {}, result, checked: checkedProperties(spec) };
}

describe('text: DieHard goal', () => {
  it('renders the whole report exactly (timings off)', async () => {
    const { report } = await reportOf(dieHard, 'goal');
    expect(renderCheckText(report, { timings: false })).toBe(DIE_HARD_GOAL);
  });

  it('adds the replay-file command to the footer when an ITF file was written', async () => {
    const { report } = await reportOf(dieHard, 'goal');
    const text = renderCheckText(report, { timings: false, itfFile: 'out/die-hard-goal.itf.json' });
    expect(text.endsWith('Replay:\n  daxmc check die-hard --config goal --path 0/1/5/2/5/1/5\n  daxmc replay out/die-hard-goal.itf.json\n')).toBe(true);
  });

  it('with timings, adds one time line and nothing else changes', async () => {
    const { report } = await reportOf(dieHard, 'goal');
    const text = renderCheckText(report);
    const lines = text.split('\n');
    const time = lines.findIndex((l) => l.startsWith('  time        '));
    expect(lines[time]).toMatch(/^ {2}time {8}\d+\.\d\d s, [\d,]+ distinct states\/s$/);
    lines.splice(time, 1);
    expect(lines.join('\n')).toBe(DIE_HARD_GOAL);
  });

  it('diff mode prints only the changed variables after state 0', async () => {
    const { outcome } = await reportOf(dieHard, 'goal');
    const text = renderTraceText(outcome.trace!, { diff: true });
    expect(text).toBe(`State 0: <initial state>
  /\\ big = 0
  /\\ small = 0

State 1: FillBigJug
* /\\ big = 5

State 2: BigToSmall
* /\\ big = 2
* /\\ small = 3

State 3: EmptySmallJug
* /\\ small = 0

State 4: BigToSmall
* /\\ big = 0
* /\\ small = 2

State 5: FillBigJug
* /\\ big = 5

State 6: BigToSmall
* /\\ big = 4
* /\\ small = 3

Invariant "NotSolved: big /= 4" is violated in state 6.
`);
  });

  it('a replayed trace file gets its own verdict line', async () => {
    const { outcome } = await reportOf(dieHard, 'goal');
    const text = renderReplayText(outcome.trace!, 'g.itf.json', { itfFile: 'g.itf.json' });
    expect(text.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (replayed from g.itf.json)');
    expect(text).toContain('  daxmc replay g.itf.json\n');
  });
});

describe('verdict lines', () => {
  it('PASS counts the invariants that hold (TwoPhase rm3)', async () => {
    const { report } = await reportOf(twoPhase, 'rm3');
    expect(verdictLine(report)).toBe('PASS  2 properties hold over 288 distinct states');
    const text = renderCheckText(report, { timings: false });
    expect(text).toContain('  states      288 distinct, 1,146 generated, depth 11, 0 queued\n');
    expect(text).toContain('  collisions  calculated (optimistic): 1.3E-14\n');
    expect(text).toContain('Discoveries:\n  witness    "some transaction aborts" after 1 step: daxmc check two-phase --config rm3 --path 0/1\n');
    expect(text).not.toContain('State 0');
  });

  it('PASS with one invariant and a vacuity warning', async () => {
    const { report } = await reportOf(dieHard, 'explore');
    expect(verdictLine(report)).toBe('PASS  1 property holds over 16 distinct states');
    expect(renderCheckText(report, { timings: false })).not.toContain('warning');
    const chained = chain(3, { terminal: true, properties: [{ name: 'never 9', kind: 'sometimes', holds: () => false }] });
    const r = await check(chained);
    const text = renderCheckText(fixtureReport({ id: 'chain' }, chained, r), { timings: false });
    expect(text.split('\n')[0]).toBe('PASS  no deadlock over 4 distinct states');
    expect(text).toContain('warning: no state witnesses "never 9": the model may be vacuous there\n');
  });

  it('FAIL for a deadlock, with the diagnosis at the end', async () => {
    const { report } = await reportOf(locksDefinition);
    expect(verdictLine(report)).toBe('FAIL  deadlock reached after 2 steps (BFS: shortest)');
    const text = renderCheckText(report, { timings: false });
    expect(text).toContain(
      'Deadlock in state 2: no action is enabled and not every thread has finished.\n' +
        'Diagnosis: deadlock: T1 waits for B, held by T2; T2 waits for A, held by T1\n' +
        '  T1 holds A, waits for B\n  T2 holds B, waits for A\n',
    );
    expect(text).toContain('State 1: T1: lock A\n  \\* acquire: A\n* /\\ owner = [A |-> 1, B |-> 0]\n');
  });

  it('FAIL with DFS says the trace is not necessarily shortest', async () => {
    const { report } = await reportOf(dieHard, 'goal', { strategy: 'dfs' });
    expect(verdictLine(report)).toMatch(/^FAIL {2}invariant "NotSolved: big \/= 4" violated after \d+ steps \(DFS: not necessarily shortest\)$/);
  });

  it('INCOMPLETE names the limit', async () => {
    const { report } = await reportOf(twoPhase, 'rm5', { maxStates: 100 });
    expect(verdictLine(report)).toBe('INCOMPLETE  reached --max-states 100; no violation found so far');
    expect(renderCheckText(report, { timings: false })).toContain('note: "some transaction commits" was not witnessed before the run stopped');
  });

  it('ERROR carries the spec error', async () => {
    const spec = throwing();
    const r = await check(spec);
    expect(verdictLine(fixtureReport({ id: 'throwing' }, spec, r))).toMatch(/^ERROR {2}action worker: Inc threw: /);
  });

  it('a checked path: PASS through its states, FAIL cut at the violation', () => {
    const spec = buildLocks();
    const ok = checkPath(spec, { init: 0, actions: [0, 1] }, { specId: 'test/locks', config: 'two' });
    const report: CheckReport = {
      spec: 'test/locks', config: 'two', params: {}, result: ok.result, checked: checkedProperties(spec), trace: ok.trace,
      replayedPath: { init: 0, actions: [0, 1] },
    };
    expect(verdictLine(report)).toBe('PASS  the path replays; 1 property holds in each of its 3 states');
    const text = renderCheckText(report, { timings: false });
    expect(text).toContain('  path        0/0/1 (2 steps)\n');
    expect(text).toContain('note: "T1 finishes" is not witnessed along the path\n');
    const dead = checkPath(spec, { init: 0, actions: [0, 3] }, { specId: 'test/locks', config: 'two' });
    expect(verdictLine({ ...report, result: dead.result, trace: dead.trace, replayedPath: { init: 0, actions: [0, 3] } })).toBe(
      'FAIL  deadlock reached after 2 steps (along the given --path)',
    );
  });
});
