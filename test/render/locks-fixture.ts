// A two-thread lock-order fixture built directly on the Spec contract: T1 takes A then B, T2
// takes B then A, each then releases both and finishes. BFS reaches the AB-BA deadlock after 2
// steps. It has notes (lock events) and a diagnosis, for the renderers and the CLI tests.
import { arrayOf, defineLayout, intRange } from '../../src/core/layout';
import type { Action, Diagnosis, Spec, SpecDefinition, StepNote } from '../../src/core/spec';

export function buildLocks(): Spec {
  const layout = defineLayout({
    owner: arrayOf(2, intRange(0, 2), ['A', 'B']),
    pc: arrayOf(2, intRange(0, 3), ['T1', 'T2']),
  });
  const OWNER = layout.at.owner;
  const PC = layout.at.pc;
  const locks = ['A', 'B'];
  const order = [
    [0, 1],
    [1, 0],
  ];
  const actions: Action[] = [];
  for (let t = 0; t < 2; t++) {
    const actor = `T${t + 1}`;
    const [first, second] = order[t];
    actions.push(
      {
        name: `lock ${locks[first]}`,
        actor,
        apply(s, n) {
          if (s[PC + t] !== 0 || s[OWNER + first] !== 0) return false;
          n[OWNER + first] = t + 1;
          n[PC + t] = 1;
          return true;
        },
      },
      {
        name: `lock ${locks[second]}`,
        actor,
        apply(s, n) {
          if (s[PC + t] !== 1 || s[OWNER + second] !== 0) return false;
          n[OWNER + second] = t + 1;
          n[PC + t] = 2;
          return true;
        },
      },
      {
        name: 'unlock both',
        actor,
        apply(s, n) {
          if (s[PC + t] !== 2) return false;
          n[OWNER + first] = 0;
          n[OWNER + second] = 0;
          n[PC + t] = 3;
          return true;
        },
      },
    );
  }
  const notes = (a: number, before: Uint8Array, after: Uint8Array): StepNote[] => {
    const out: StepNote[] = [];
    for (let l = 0; l < 2; l++) {
      if (before[OWNER + l] === 0 && after[OWNER + l] !== 0) out.push({ kind: 'acquire', text: locks[l], data: { lock: locks[l] } });
      if (before[OWNER + l] !== 0 && after[OWNER + l] === 0) out.push({ kind: 'release', text: locks[l] });
    }
    out.push({ kind: 'call', text: `${actions[a].actor} > ${actions[a].name}` });
    return out;
  };
  const diagnose = (s: Uint8Array): Diagnosis | undefined => {
    if (s[PC] === 1 && s[PC + 1] === 1) {
      return {
        kind: 'deadlock',
        summary: 'T1 waits for B, held by T2; T2 waits for A, held by T1',
        details: ['T1 holds A, waits for B', 'T2 holds B, waits for A'],
        actors: ['T1', 'T2'],
      };
    }
    return undefined;
  };
  return {
    name: 'locks',
    layout,
    init: [layout.encode({ owner: { A: 0, B: 0 }, pc: { T1: 0, T2: 0 } })],
    actions,
    properties: [
      { name: 'a lock has at most one owner', kind: 'always', holds: () => true },
      { name: 'T1 finishes', kind: 'sometimes', holds: (s) => s[PC] === 3 },
    ],
    isTerminal: (s) => s[PC] === 3 && s[PC + 1] === 3,
    notes,
    diagnose,
  };
}

export const locksDefinition: SpecDefinition = {
  id: 'test/locks',
  title: 'AB-BA lock order (test fixture)',
  description: 'Two threads take two locks in opposite orders.',
  configs: { two: { description: 'two threads', params: {} } },
  defaultConfig: 'two',
  build: () => buildLocks(),
};

/** A definition whose build throws: a spec error (exit 3). */
export const brokenDefinition: SpecDefinition = {
  id: 'test/broken',
  title: 'A spec that fails to build (test fixture)',
  description: 'build() throws.',
  configs: { only: { description: 'the only configuration', params: {} } },
  defaultConfig: 'only',
  build: () => {
    throw new Error('the layout is missing');
  },
};
