// The alternating-bit protocol of Specifying Systems ch. 14 (tla/AlternatingBit.tla,
// MCAlternatingBit.tla, from tlaplus/Examples), Data = {d1, d2}, queues of at most 2 under the
// constraint, ported to the engine contract with the same actions (LoseMsg and LoseAck one per
// position). SentLeadsToRcvd (\A d : sent = d /\ sBit # sAck ~> rcvd = d) holds under the
// spec's fairness (WF of resending and acking, SF of the receives); with WF of the receives
// (tla/MCAlternatingBitWeak.tla) a channel that keeps losing makes them enabled only now and
// then, and a value may never arrive. A successor outside the constraint is counted, not kept,
// and still makes its action enabled. TLC 2.20, both: 240 distinct states, 1,392 generated,
// depth 10.
import { arrayOf, defineLayout, intRange } from '../../../src/core/layout';
import type { Fairness, FairnessKind } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

const DATA = ['d1', 'd2'];
/** Room for one message past the constraint (a successor that the constraint then prunes). */
const ROOM = 3;

export function buildAlternatingBit(receive: FairnessKind, qLen = 2): Spec {
  const layout = defineLayout({
    msgLen: intRange(0, ROOM),
    msgBit: arrayOf(ROOM, intRange(0, 1)),
    msgData: arrayOf(ROOM, intRange(0, DATA.length - 1)),
    ackLen: intRange(0, ROOM),
    ackBit: arrayOf(ROOM, intRange(0, 1)),
    sBit: intRange(0, 1),
    sAck: intRange(0, 1),
    rBit: intRange(0, 1),
    sent: intRange(0, DATA.length - 1),
    rcvd: intRange(0, DATA.length - 1),
  });
  const L = layout.at;
  const appendMsg = (s: State, t: State, bit: number, d: number): boolean => {
    const n = s[L.msgLen];
    if (n >= ROOM) return false;
    t[L.msgBit + n] = bit;
    t[L.msgData + n] = d;
    t[L.msgLen] = n + 1;
    return true;
  };
  /** Removes entry i (0-based) of a queue of `len` at `len`, with parallel columns, clearing the freed slot. */
  const remove = (s: State, t: State, lenAt: number, cols: readonly number[], i: number): void => {
    const n = s[lenAt];
    for (const col of cols) {
      for (let j = i; j < n - 1; j++) t[col + j] = s[col + j + 1];
      t[col + n - 1] = 0;
    }
    t[lenAt] = n - 1;
  };
  const actions: Action[] = [];
  DATA.forEach((d, di) => {
    actions.push({
      name: `SndNewValue(${d})`,
      actor: 'sender',
      apply(s, t) {
        if (s[L.sAck] !== s[L.sBit]) return false;
        t[L.sent] = di;
        t[L.sBit] = 1 - s[L.sBit];
        return appendMsg(s, t, 1 - s[L.sBit], di);
      },
    });
  });
  actions.push(
    {
      name: 'ReSndMsg',
      actor: 'sender',
      apply(s, t) {
        if (s[L.sAck] === s[L.sBit]) return false;
        return appendMsg(s, t, s[L.sBit], s[L.sent]);
      },
    },
    {
      name: 'RcvMsg',
      actor: 'receiver',
      apply(s, t) {
        if (s[L.msgLen] === 0) return false;
        t[L.rBit] = s[L.msgBit];
        t[L.rcvd] = s[L.msgData];
        remove(s, t, L.msgLen, [L.msgBit, L.msgData], 0);
        return true;
      },
    },
    {
      name: 'SndAck',
      actor: 'receiver',
      apply(s, t) {
        const n = s[L.ackLen];
        if (n >= ROOM) return false;
        t[L.ackBit + n] = s[L.rBit];
        t[L.ackLen] = n + 1;
        return true;
      },
    },
    {
      name: 'RcvAck',
      actor: 'sender',
      apply(s, t) {
        if (s[L.ackLen] === 0) return false;
        t[L.sAck] = s[L.ackBit];
        remove(s, t, L.ackLen, [L.ackBit], 0);
        return true;
      },
    },
  );
  for (let i = 0; i < ROOM; i++) {
    actions.push({
      name: `LoseMsg(${i + 1})`,
      actor: 'channel',
      apply(s, t) {
        if (i >= s[L.msgLen]) return false;
        remove(s, t, L.msgLen, [L.msgBit, L.msgData], i);
        return true;
      },
    });
  }
  for (let i = 0; i < ROOM; i++) {
    actions.push({
      name: `LoseAck(${i + 1})`,
      actor: 'channel',
      apply(s, t) {
        if (i >= s[L.ackLen]) return false;
        remove(s, t, L.ackLen, [L.ackBit], i);
        return true;
      },
    });
  }
  const init: State[] = [];
  for (let b = 0; b < 2; b++) {
    for (let sent = 0; sent < DATA.length; sent++) {
      for (let rcvd = 0; rcvd < DATA.length; rcvd++) {
        init.push(layout.encode({ msgLen: 0, msgBit: [0, 0, 0], msgData: [0, 0, 0], ackLen: 0, ackBit: [0, 0, 0], sBit: b, sAck: b, rBit: b, sent, rcvd }));
      }
    }
  }
  const fairness: Fairness[] = [
    { kind: 'weak', per: 'action', actions: (a) => a.name === 'ReSndMsg' || a.name === 'SndAck' },
    { kind: receive, per: 'action', actions: (a) => a.name === 'RcvMsg' || a.name === 'RcvAck' },
  ];
  return {
    name: receive === 'strong' ? 'ABSpec' : 'WeakSpec',
    layout,
    init,
    actions,
    properties: [],
    liveness: DATA.map((d, di) => ({
      name: `SentLeadsToRcvd: ${d} sent is received`,
      form: 'leads-to' as const,
      holds: (s: State) => s[L.sent] === di && s[L.sBit] !== s[L.sAck],
      target: (s: State) => s[L.rcvd] === di,
      fairness,
    })),
    constraint: (s) => s[L.msgLen] <= qLen && s[L.ackLen] <= qLen,
  };
}

export const alternatingBit: SpecDefinition = {
  id: 'alternating-bit',
  title: 'the alternating-bit protocol over lossy queues: SF of the receives against WF',
  description: 'A sender and a receiver exchange values and acks over queues that may lose messages.',
  configs: {
    strong: { description: 'as specified (WF resend/ack, SF receive): SentLeadsToRcvd holds (TLC: 240 distinct, 1,392 generated)', params: { receive: 'strong' } },
    weak: { description: 'WF of the receives: the channel may keep losing, a value never arrives (TLC: violated)', params: { receive: 'weak' } },
  },
  defaultConfig: 'strong',
  build(params) {
    return buildAlternatingBit(params.receive === 'weak' ? 'weak' : 'strong');
  },
};
