// Mermaid and Graphviz forms of a trace, compared exactly.
import { OrderedMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/trace/trace';
import { renderDot } from '../../src/render/dot';
import { mermaidText, renderMermaid } from '../../src/render/mermaid';
import { dieHard } from '../../specs/examples/die-hard';
import { twoPhase } from '../../specs/examples/two-phase';
import { reportOf } from './helpers';
import { locksDefinition } from './locks-fixture';

describe('mermaid', () => {
  it('DieHard goal: actor-less steps on the system lane, the violation as a final note', async () => {
    const { outcome } = await reportOf(dieHard, 'goal');
    expect(renderMermaid(outcome.trace!)).toBe(`sequenceDiagram
  %% daxmc: die-hard, configuration goal; invariant "NotSolved: big /= 4" violated after 6 steps; path 0/1/5/2/5/1/5
  participant system
  system->>system: 1. FillBigJug
  system->>system: 2. BigToSmall
  system->>system: 3. EmptySmallJug
  system->>system: 4. BigToSmall
  system->>system: 5. FillBigJug
  system->>system: 6. BigToSmall
  Note over system: invariant "NotSolved: big /= 4" violated in state 6
`);
  });

  it('a deadlock: one lane per thread, lock events as notes, the diagnosis over the threads involved', async () => {
    const { outcome } = await reportOf(locksDefinition);
    expect(renderMermaid(outcome.trace!)).toBe(`sequenceDiagram
  %% daxmc: test/locks, configuration two; deadlock reached after 2 steps; path 0/0/3
  participant T1
  participant T2
  T1->>T1: 1. lock A
  Note over T1: acquire: A
  T2->>T2: 2. lock B
  Note over T2: acquire: B
  Note over T1,T2: deadlock: T1 waits for B, held by T2#59; T2 waits for A, held by T1
`);
    expect(renderMermaid(outcome.trace!, { omitNoteKinds: [] })).toContain('  Note over T1: call: T1 > lock A\n');
  });

  it('lanes appear in order of first appearance; system joins when an action has no actor', async () => {
    const { outcome } = await reportOf(twoPhase, 'rm3');
    const commits = outcome.traces.find((t) => t.discovery.property === 'some transaction commits')!.trace;
    const text = renderMermaid(commits);
    const participants = text.split('\n').filter((l) => l.startsWith('  participant '));
    const firstSeen: string[] = [];
    for (const s of commits.steps) {
      const lane = s.label?.actor ?? (s.label ? 'system' : undefined);
      if (lane && !firstSeen.includes(lane)) firstSeen.push(lane);
    }
    expect(participants).toEqual(firstSeen.map((l) => `  participant ${l}`));
    expect(participants).toContain('  participant system');
    expect(text).toContain('  Note over rm3: "some transaction commits" witnessed in state 10\n');
  });

  it('escapes text and aliases lane names that are not plain ids', () => {
    expect(mermaidText('a;b#c\nd')).toBe('a#59;b#35;c<br/>d');
    const value = OrderedMap<string, unknown>([['x', 0]]);
    const trace: Trace = {
      spec: 's',
      config: 'c',
      path: { init: 0, actions: [0, 1] },
      steps: [
        { index: 0, action: null, label: null, state: new Uint8Array(4), value, changed: [], notes: [] },
        { index: 1, action: 0, label: { name: 'go', actor: 'end' }, state: new Uint8Array(4), value, changed: [], notes: [] },
        { index: 2, action: 1, label: { name: 'go', actor: 'worker 2' }, state: new Uint8Array(4), value, changed: [], notes: [] },
      ],
    };
    expect(renderMermaid(trace)).toBe(`sequenceDiagram
  %% daxmc: s, configuration c; a path of 2 steps; path 0/0/1
  participant lane1 as end
  participant lane2 as worker 2
  lane1->>lane1: 1. go
  lane2->>lane2: 2. go
`);
  });
});

describe('dot', () => {
  it('DieHard goal: nodes with the changed variables, labelled edges, the last node red', async () => {
    const { outcome } = await reportOf(dieHard, 'goal');
    expect(renderDot(outcome.trace!)).toBe(`digraph "die-hard goal" {
  label="die-hard, configuration goal: invariant \\"NotSolved: big /= 4\\" violated after 6 steps";
  labelloc=t;
  node [shape=box, fontname="monospace"];
  edge [fontname="monospace"];
  s0 [label="State 0\\lbig = 0\\lsmall = 0\\l"];
  s1 [label="State 1\\lbig = 5\\l"];
  s2 [label="State 2\\lbig = 2\\lsmall = 3\\l"];
  s3 [label="State 3\\lsmall = 0\\l"];
  s4 [label="State 4\\lbig = 0\\lsmall = 2\\l"];
  s5 [label="State 5\\lbig = 5\\l"];
  s6 [label="State 6\\lbig = 4\\lsmall = 3\\l", color=red, fontcolor=red, penwidth=2];
  s0 -> s1 [label="FillBigJug"];
  s1 -> s2 [label="BigToSmall"];
  s2 -> s3 [label="EmptySmallJug"];
  s3 -> s4 [label="BigToSmall"];
  s4 -> s5 [label="FillBigJug"];
  s5 -> s6 [label="BigToSmall"];
}
`);
  });

  it('labels edges actor: action and marks a witness green', async () => {
    const { outcome } = await reportOf(twoPhase, 'rm3');
    const aborts = outcome.traces.find((t) => t.discovery.property === 'some transaction aborts')!.trace;
    const dot = renderDot(aborts);
    expect(dot).toContain('  s0 -> s1 [label="TMAbort"];\n');
    expect(dot).toContain('color=darkgreen');
    const { outcome: locks } = await reportOf(locksDefinition);
    expect(renderDot(locks.trace!)).toContain('  s0 -> s1 [label="T1: lock A"];\n');
    expect(renderDot(locks.trace!)).toContain('s0 [label="State 0\\lowner = [A |-> 0, B |-> 0]\\lpc = [T1 |-> 0, T2 |-> 0]\\l"];');
  });
});
