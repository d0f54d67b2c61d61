// TwoPhase: the two-phase commit protocol with a transaction manager and N resource managers,
// written from Lamport's TwoPhase.tla (tlaplus/Examples, transaction_commit). Calibration spec:
// TLC reports 288 distinct / 1,146 generated states and depth 11 for 3 RMs.
import { arrayOf, bool, defineLayout, enumOf } from '../../src/core/layout';
import type { Action, Property, Spec, SpecDefinition } from '../../src/core/spec';

const RM = enumOf('working', 'prepared', 'committed', 'aborted');
const TM = enumOf('init', 'committed', 'aborted');
const { working, prepared, committed, aborted } = RM.code;

export function buildTwoPhase(n: number): Spec {
  const rmNames = Array.from({ length: n }, (_, i) => `rm${i + 1}`);
  const layout = defineLayout({
    rmState: arrayOf(n, RM, rmNames),
    tmState: TM,
    tmPrepared: arrayOf(n, bool, rmNames),
    /** msgs: a Prepared message from each RM, plus Commit and Abort. */
    msgPrepared: arrayOf(n, bool, rmNames),
    msgCommit: bool,
    msgAbort: bool,
  });
  const { rmState: RS, tmState: TS, tmPrepared: TP, msgPrepared: MP, msgCommit: MC, msgAbort: MA } = layout.at;

  const actions: Action[] = [
    {
      name: 'TMCommit',
      apply(s, t) {
        if (s[TS] !== TM.code.init) return false;
        for (let r = 0; r < n; r++) if (s[TP + r] === 0) return false;
        t[TS] = TM.code.committed;
        t[MC] = 1;
        return true;
      },
    },
    {
      name: 'TMAbort',
      apply(s, t) {
        if (s[TS] !== TM.code.init) return false;
        t[TS] = TM.code.aborted;
        t[MA] = 1;
        return true;
      },
    },
  ];
  for (let r = 0; r < n; r++) {
    const actor = rmNames[r];
    actions.push(
      {
        name: 'TMRcvPrepared',
        actor,
        apply(s, t) {
          if (s[TS] !== TM.code.init || s[MP + r] === 0) return false;
          t[TP + r] = 1;
          return true;
        },
      },
      {
        name: 'RMPrepare',
        actor,
        apply(s, t) {
          if (s[RS + r] !== working) return false;
          t[RS + r] = prepared;
          t[MP + r] = 1;
          return true;
        },
      },
      {
        name: 'RMChooseToAbort',
        actor,
        apply(s, t) {
          if (s[RS + r] !== working) return false;
          t[RS + r] = aborted;
          return true;
        },
      },
      {
        name: 'RMRcvCommitMsg',
        actor,
        apply(s, t) {
          if (s[MC] === 0) return false;
          t[RS + r] = committed;
          return true;
        },
      },
      {
        name: 'RMRcvAbortMsg',
        actor,
        apply(s, t) {
          if (s[MA] === 0) return false;
          t[RS + r] = aborted;
          return true;
        },
      },
    );
  }

  const properties: Property[] = [
    {
      name: 'TCConsistent: no RM commits while another aborts',
      kind: 'always',
      holds(s) {
        let c = false;
        let a = false;
        for (let r = 0; r < n; r++) {
          if (s[RS + r] === committed) c = true;
          else if (s[RS + r] === aborted) a = true;
        }
        return !(c && a);
      },
    },
    {
      name: 'TPTypeOK: the TM only commits once every RM is prepared',
      kind: 'always',
      holds(s) {
        if (s[MC] === 0) return true;
        for (let r = 0; r < n; r++) if (s[TP + r] === 0) return false;
        return true;
      },
    },
    {
      name: 'some transaction commits',
      kind: 'sometimes',
      holds(s) {
        for (let r = 0; r < n; r++) if (s[RS + r] !== committed) return false;
        return true;
      },
    },
    {
      name: 'some transaction aborts',
      kind: 'sometimes',
      holds(s) {
        return s[TS] === TM.code.aborted;
      },
    },
  ];

  const init = layout.encode({
    rmState: rmNames.map(() => 'working'),
    tmState: 'init',
    tmPrepared: rmNames.map(() => false),
    msgPrepared: rmNames.map(() => false),
    msgCommit: false,
    msgAbort: false,
  });

  // Dispatch: only the actions whose first guard holds (TMCommit and TMAbort and TMRcvPrepared
  // need tmState = init; RMPrepare and RMChooseToAbort a working RM; the receives a message).
  const candidates = (s: Uint8Array, push: (a: number) => void): void => {
    const tmInit = s[TS] === TM.code.init;
    if (tmInit) {
      push(0);
      push(1);
    }
    const commit = s[MC] !== 0;
    const abort = s[MA] !== 0;
    for (let r = 0, k = 2; r < n; r++, k += 5) {
      if (tmInit) push(k);
      if (s[RS + r] === working) {
        push(k + 1);
        push(k + 2);
      }
      if (commit) push(k + 3);
      if (abort) push(k + 4);
    }
  };

  // Symmetry: the RMs are interchangeable (every action and property treats them alike), so a
  // state's representative lists them sorted by (rmState, tmPrepared, msgPrepared).
  const keys = new Uint8Array(n);
  const symmetry = (s: Uint8Array, out: Uint8Array): void => {
    for (let r = 0; r < n; r++) keys[r] = (s[RS + r] << 2) | (s[TP + r] << 1) | s[MP + r];
    keys.sort();
    out.set(s);
    for (let r = 0; r < n; r++) {
      out[RS + r] = keys[r] >> 2;
      out[TP + r] = (keys[r] >> 1) & 1;
      out[MP + r] = keys[r] & 1;
    }
  };

  return { name: `two-phase (${n} RMs)`, layout, init: [init], actions, properties, candidates, symmetry };
}

export const twoPhase: SpecDefinition = {
  id: 'two-phase',
  title: 'Two-phase commit (TwoPhase.tla)',
  description: 'Lamport\'s TwoPhase: a transaction manager and N resource managers. Calibration against TLC.',
  configs: {
    rm3: { description: '3 resource managers (TLC: 288 distinct, 1,146 generated, depth 11)', params: { rms: 3 } },
    rm5: { description: '5 resource managers (8,832 distinct)', params: { rms: 5 } },
    rm7: { description: '7 resource managers (296,448 distinct)', params: { rms: 7 } },
    rm8: { description: '8 resource managers (1,745,408 distinct)', params: { rms: 8 } },
    rm9: { description: '9 resource managers (10,340,352 distinct)', params: { rms: 9 } },
  },
  defaultConfig: 'rm3',
  build(params) {
    const n = params.rms;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 24) {
      throw new Error(`rms must be a whole number from 1 to 24, got ${String(n)}`);
    }
    return buildTwoPhase(n);
  },
};
