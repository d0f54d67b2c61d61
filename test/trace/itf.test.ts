// ITF: exact round trips (TwoPhase, DieHard, a fixture with notes and a diagnosis), the stable
// text form, and the one-line errors of parseItf and replayItf.
import { List, OrderedMap, Set, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { TraceFileError } from '../../src/core/errors';
import { buildSpec } from '../../src/run';
import { fromItf, fromItfValue, itfToString, parseItf, replayItf, toItf, toItfValue, type Itf } from '../../src/trace/itf';
import type { Trace } from '../../src/trace/trace';
import { dieHard } from '../../specs/examples/die-hard';
import { twoPhase } from '../../specs/examples/two-phase';
import { reportOf } from '../render/helpers';
import { locksDefinition } from '../render/locks-fixture';

async function dieHardTrace(): Promise<Trace> {
  return (await reportOf(dieHard, 'goal')).outcome.trace!;
}

async function twoPhaseCommits(): Promise<Trace> {
  const { outcome } = await reportOf(twoPhase, 'rm3');
  return outcome.traces.find((t) => t.discovery.property === 'some transaction commits')!.trace;
}

function expectSameTrace(back: Trace, t: Trace): void {
  expect(back.path).toEqual(t.path);
  expect(back.spec).toBe(t.spec);
  expect(back.config).toBe(t.config);
  expect(back.property).toBe(t.property);
  expect(back.kind).toBe(t.kind);
  expect(back.steps.map((s) => s.label)).toEqual(t.steps.map((s) => s.label));
  expect(back.steps.map((s) => s.action)).toEqual(t.steps.map((s) => s.action));
  expect(back.steps.map((s) => s.changed)).toEqual(t.steps.map((s) => s.changed));
  expect(back.steps.map((s) => s.notes)).toEqual(t.steps.map((s) => s.notes));
  expect(back.steps.map((s) => [...s.state])).toEqual(t.steps.map((s) => [...s.state]));
  back.steps.forEach((s, i) => expect(is(s.value, t.steps[i].value)).toBe(true));
  expect(back.diagnosis).toEqual(t.diagnosis);
}

/** Writes, reads and decodes: the data an ITF file carries without consulting the spec. */
function expectSameData(itf: Itf, t: Trace): void {
  const data = fromItf(itf);
  expect(data.path).toEqual(t.path);
  expect(data.labels).toEqual(t.steps.map((s) => s.label));
  data.values.forEach((v, i) => expect(is(v, t.steps[i].value)).toBe(true));
  expect(data.notes).toEqual(t.steps.map((s) => s.notes));
}

describe('ITF round trip', () => {
  it('DieHard goal: same path, labels and state values', async () => {
    const t = await dieHardTrace();
    const itf = parseItf(itfToString(toItf(t)), 'die-hard-goal.itf.json');
    expectSameData(itf, t);
    expectSameTrace(replayItf(buildSpec(dieHard, 'goal').spec, itf), t);
  });

  it('TwoPhase rm3 (actors, keyed records): same path, labels and state values', async () => {
    const t = await twoPhaseCommits();
    expect(t.steps).toHaveLength(11);
    const itf = parseItf(itfToString(toItf(t)), 'two-phase-rm3.itf.json');
    expectSameData(itf, t);
    expectSameTrace(replayItf(buildSpec(twoPhase, 'rm3').spec, itf), t);
  });

  it('a deadlock with notes and a diagnosis', async () => {
    const t = (await reportOf(locksDefinition)).outcome.trace!;
    const itf = parseItf(itfToString(toItf(t)), 'locks.itf.json');
    expect(itf['#meta'].diagnosis?.actors).toEqual(['T1', 'T2']);
    expect(itf.states[1]['#meta'].notes).toEqual([
      { kind: 'acquire', text: 'A', data: { lock: 'A' } },
      { kind: 'call', text: 'T1 > lock A' },
    ]);
    expectSameTrace(replayItf(buildSpec(locksDefinition).spec, itf), t);
  });

  it('writes the documented shape with stable key order, 2-space indent and a final newline', async () => {
    const text = itfToString(toItf(await dieHardTrace()));
    expect(text.startsWith(`{
  "#meta": {
    "format": "ITF",
    "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
    "source": "daxmc",
    "spec": "die-hard",
    "config": "goal",
    "property": "NotSolved: big /= 4",
    "kind": "invariant",
    "path": "0/1/5/2/5/1/5"
  },
  "vars": [
    "big",
    "small"
  ],
  "states": [
    {
      "#meta": {
        "index": 0
      },
      "big": 0,
      "small": 0
    },
    {
      "#meta": {
        "index": 1,
        "action": "FillBigJug",
        "actor": null,
        "actionIndex": 1
      },
      "big": 5,
      "small": 0
    },
`)).toBe(true);
    expect(text.endsWith('  ]\n}\n')).toBe(true);
    expect(itfToString(parseItf(text, 'x'))).toBe(text);
  });

  it('converts values both ways', () => {
    const v = OrderedMap<string, unknown>([['a', List([1, 2])], ['b', OrderedMap({ c: true, d: 'x' })]]);
    expect(toItfValue(v)).toEqual({ a: [1, 2], b: { c: true, d: 'x' } });
    expect(is(fromItfValue(toItfValue(v)), v)).toBe(true);
    expect(toItfValue(2n ** 70n)).toEqual({ '#bigint': '1180591620717411303424' });
    expect(fromItfValue({ '#bigint': '12' })).toBe(12);
    expect(fromItfValue({ '#bigint': '1180591620717411303424' })).toBe(2n ** 70n);
    expect(is(fromItfValue({ '#tup': [1, 'a'] }), List([1, 'a']))).toBe(true);
    expect(is(fromItfValue({ '#set': [1, 2] }), Set([1, 2]))).toBe(true);
    expect(() => fromItfValue({ '#unserializable': 'fn' }, 'v')).toThrow('v: the trace holds an unserializable value (fn)');
  });
});

/** The JSON object of a trace, to corrupt in tests. */
async function dieHardJson(): Promise<Record<string, any>> {
  return JSON.parse(itfToString(toItf(await dieHardTrace())));
}

function parseError(text: string, file = 'bad.itf.json'): string {
  try {
    parseItf(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFileError);
    return (e as Error).message;
  }
  throw new Error('parseItf accepted the file');
}

describe('parseItf errors', () => {
  it('truncated JSON', async () => {
    const text = itfToString(toItf(await dieHardTrace()));
    const msg = parseError(text.slice(0, Math.floor(text.length / 2)), 'die-hard-goal.itf.json');
    expect(msg).toMatch(/^die-hard-goal\.itf\.json: not valid JSON \(.+\); the file may be truncated$/);
    expect(msg).not.toContain('\n');
    expect(parseError('')).toBe('bad.itf.json: the file is empty');
  });

  it('wrong shape', async () => {
    expect(parseError('[1, 2]')).toBe('bad.itf.json: expected a JSON object with "#meta", "vars" and "states", got an array');
    expect(parseError('{"vars": [], "states": []}')).toBe('bad.itf.json: no "#meta": not an ITF trace written by daxmc');
    const j = await dieHardJson();
    delete j.states;
    expect(parseError(JSON.stringify(j))).toBe('bad.itf.json: no "states"');
  });

  it('missing or wrong #meta fields', async () => {
    for (const field of ['spec', 'config', 'path']) {
      const j = await dieHardJson();
      delete j['#meta'][field];
      expect(parseError(JSON.stringify(j))).toBe(`bad.itf.json: "#meta" has no "${field}"`);
    }
    const j = await dieHardJson();
    j['#meta'].format = 'TLC';
    expect(parseError(JSON.stringify(j))).toBe('bad.itf.json: "#meta".format is the string "TLC", expected "ITF"');
    const k = await dieHardJson();
    k['#meta'].kind = 'starvation';
    expect(parseError(JSON.stringify(k))).toBe('bad.itf.json: "#meta".kind is the string "starvation", expected one of invariant, deadlock, witness, liveness');
    const p = await dieHardJson();
    p['#meta'].path = '0/1/x';
    expect(parseError(JSON.stringify(p))).toContain(`bad.itf.json: "#meta".path: '0/1/x' is not an action path`);
  });

  it('states that disagree with the path or the variables', async () => {
    const a = await dieHardJson();
    a.states[2]['#meta'].index = 7;
    expect(parseError(JSON.stringify(a))).toBe('bad.itf.json: states[2]."#meta".index is 7, expected 2');
    const b = await dieHardJson();
    delete b.states[3].small;
    expect(parseError(JSON.stringify(b))).toBe('bad.itf.json: states[3] has no variable "small"');
    const c = await dieHardJson();
    c.states[4]['#meta'].actionIndex = 0;
    expect(parseError(JSON.stringify(c))).toBe('bad.itf.json: states[4]."#meta".actionIndex is 0 but "#meta".path says 5');
    const d = await dieHardJson();
    delete d.states[1]['#meta'].action;
    expect(parseError(JSON.stringify(d))).toBe('bad.itf.json: states[1]."#meta" has no "action" (the action\'s name)');
    const e = await dieHardJson();
    e.states.pop();
    expect(parseError(JSON.stringify(e))).toBe('bad.itf.json: "#meta".path has 6 actions but there are 6 states (expected 7)');
    const f = await dieHardJson();
    f.states[1].big = null;
    expect(parseError(JSON.stringify(f))).toBe('bad.itf.json: states[1].big: null is not an ITF value');
  });
});

function replayError(spec: Parameters<typeof replayItf>[0], j: unknown): string {
  const itf = parseItf(JSON.stringify(j), 'x.itf.json');
  try {
    replayItf(spec, itf);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFileError);
    return (e as Error).message;
  }
  throw new Error('replayItf accepted the trace');
}

/** Recomputes "#meta".path from the states' action indices. */
function syncPath(j: Record<string, any>): Record<string, any> {
  j['#meta'].path = [0, ...j.states.slice(1).map((s: any) => s['#meta'].actionIndex)].join('/');
  return j;
}

describe('replayItf errors', () => {
  it('a trace from another spec', async () => {
    const j = await dieHardJson();
    expect(replayError(buildSpec(twoPhase, 'rm3').spec, j)).toBe(
      "the trace's variables (big, small) are not those of spec two-phase (3 RMs) (rmState, tmState, tmPrepared, msgPrepared, msgCommit, msgAbort): the trace belongs to another spec",
    );
  });

  it('an action that is not enabled where the trace takes it', async () => {
    const spec = buildSpec(twoPhase, 'rm3').spec;
    const j = JSON.parse(itfToString(toItf(await twoPhaseCommits())));
    const rcv = spec.actions.findIndex((a) => a.name === 'RMRcvCommitMsg' && a.actor === 'rm1');
    Object.assign(j.states[1]['#meta'], { action: 'RMRcvCommitMsg', actor: 'rm1', actionIndex: rcv });
    expect(replayError(spec, syncPath(j))).toBe(
      'step 1: rm1: RMRcvCommitMsg is not enabled in state 0; the trace belongs to another spec or configuration, or the spec is nondeterministic',
    );
  });

  it('a state that differs from the replayed one', async () => {
    const j = await dieHardJson();
    j.states[3].small = 3;
    expect(replayError(buildSpec(dieHard, 'goal').spec, j)).toBe('state 3: variable small is 3 in the trace but 0 on replay');
  });

  it('an unknown label, and a label whose stored index disagrees', async () => {
    const spec = buildSpec(dieHard, 'goal').spec;
    const a = await dieHardJson();
    a.states[2]['#meta'].action = 'Teleport';
    expect(replayError(spec, a)).toBe('step 2: the spec has no action Teleport');
    const b = await dieHardJson();
    b.states[1]['#meta'].actionIndex = 0;
    expect(replayError(spec, syncPath(b))).toBe(
      "step 1: FillBigJug is action 1 in the spec but the trace stores action 0: the spec's actions have changed",
    );
  });

  it('a deadlock trace whose last state is not stuck', async () => {
    const j = await dieHardJson();
    j['#meta'].kind = 'deadlock';
    delete j['#meta'].property;
    expect(replayError(buildSpec(dieHard, 'goal').spec, j)).toBe(
      'the trace ends in state 6, which is not a deadlock: FillSmallJug is enabled there',
    );
  });
});
