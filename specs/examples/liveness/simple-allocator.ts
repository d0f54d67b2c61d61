// The simple allocator of tla/SimpleAllocator.tla (tlaplus/Examples allocator, Stephan Merz),
// 3 clients and 2 resources, ported to the engine contract. Sets of resources are bitmasks. The
// spec's weak fairness of Return(c, alloc[c]) ("return everything held") is carried by one action
// per client, Return(c, alloc[c]), and Return(c, S) covers the other non-empty S held: the same
// steps, each once, as TLC generates them. As specified (SF for allocation) ClientsWillReturn,
// ClientsWillObtain and InfOftenSatisfied hold; with only weak fairness for allocation
// (tla/MCSimpleAllocator.tla WeakAllocator) a client may wait for a resource that is free only
// now and then, and ClientsWillObtain fails. TLC 2.20: 400 distinct states, 1,633 generated,
// depth 6 (with -lncheck final also for the weak config; without it TLC stops early there).
import { arrayOf, defineLayout, intRange } from '../../../src/core/layout';
import type { Fairness, LivenessProperty } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

const CLIENTS = ['c1', 'c2', 'c3'];
const RESOURCES = ['r1', 'r2'];
const ALL = (1 << RESOURCES.length) - 1;

function setText(m: number): string {
  return `{${RESOURCES.filter((_, i) => m & (1 << i)).join(', ')}}`;
}

export function buildSimpleAllocator(allocation: 'strong' | 'weak'): Spec {
  const layout = defineLayout({ unsat: arrayOf(CLIENTS.length, intRange(0, ALL), CLIENTS), alloc: arrayOf(CLIENTS.length, intRange(0, ALL), CLIENTS) });
  const { unsat: U, alloc: A } = layout.at;
  const available = (s: State): number => {
    let held = 0;
    for (let c = 0; c < CLIENTS.length; c++) held |= s[A + c];
    return ALL & ~held;
  };
  const actions: Action[] = [];
  CLIENTS.forEach((actor, c) => {
    for (let S = 1; S <= ALL; S++) {
      actions.push(
        {
          name: `Request(${actor}, ${setText(S)})`,
          actor,
          apply(s, t) {
            if (s[U + c] !== 0 || s[A + c] !== 0) return false;
            t[U + c] = S;
            return true;
          },
        },
        {
          name: `Allocate(${actor}, ${setText(S)})`,
          actor,
          apply(s, t) {
            if ((S & ~(available(s) & s[U + c])) !== 0) return false;
            t[A + c] = s[A + c] | S;
            t[U + c] = s[U + c] & ~S;
            return true;
          },
        },
        {
          name: `Return(${actor}, ${setText(S)})`,
          actor,
          apply(s, t) {
            if ((S & ~s[A + c]) !== 0 || S === s[A + c]) return false;
            t[A + c] = s[A + c] & ~S;
            return true;
          },
        },
      );
    }
    actions.push({
      name: `Return(${actor}, alloc[${actor}])`,
      actor,
      apply(s, t) {
        if (s[A + c] === 0) return false;
        t[A + c] = 0;
        return true;
      },
    });
  });
  const fairness: Fairness[] = [
    { kind: 'weak', per: 'action', actions: (a) => a.name.endsWith(`alloc[${a.actor}])`) },
    { kind: allocation, per: 'actor', name: 'Allocate', actions: (a) => a.name.startsWith('Allocate') },
  ];
  const liveness: LivenessProperty[] = [];
  CLIENTS.forEach((name, c) => {
    liveness.push({
      name: `ClientsWillReturn: ${name} with nothing outstanding gives everything back`,
      form: 'leads-to',
      holds: (s) => s[U + c] === 0,
      target: (s) => s[A + c] === 0,
      fairness,
    });
  });
  CLIENTS.forEach((name, c) => {
    RESOURCES.forEach((r, i) => {
      liveness.push({
        name: `ClientsWillObtain: ${name} gets ${r} once it asks`,
        form: 'leads-to',
        holds: (s) => (s[U + c] & (1 << i)) !== 0,
        target: (s) => (s[A + c] & (1 << i)) !== 0,
        fairness,
      });
    });
  });
  CLIENTS.forEach((name, c) => {
    liveness.push({ name: `InfOftenSatisfied: ${name} is satisfied again and again`, form: 'infinitely-often', holds: (s) => s[U + c] === 0, fairness });
  });
  return {
    name: allocation === 'strong' ? 'SimpleAllocator' : 'WeakAllocator',
    layout,
    init: [layout.encode({ unsat: [0, 0, 0], alloc: [0, 0, 0] })],
    actions,
    properties: [
      {
        name: 'ResourceMutex',
        kind: 'always',
        holds(s) {
          for (let c = 0; c < CLIENTS.length; c++) for (let d = c + 1; d < CLIENTS.length; d++) if ((s[A + c] & s[A + d]) !== 0) return false;
          return true;
        },
      },
    ],
    liveness,
  };
}

export const simpleAllocator: SpecDefinition = {
  id: 'simple-allocator',
  title: 'the simple resource allocator (3 clients, 2 resources): SF of allocation against WF',
  description: 'Clients request sets of resources, get them in parts, and give them back.',
  configs: {
    strong: { description: 'as specified: WF(return everything), SF(allocate) per client; every property holds (TLC: 400 distinct, 1,633 generated)', params: { allocation: 'strong' } },
    weak: { description: 'WF(allocate) instead of SF: a client may wait for ever for a resource others keep taking (TLC: violated)', params: { allocation: 'weak' } },
  },
  defaultConfig: 'strong',
  build(params) {
    return buildSimpleAllocator(params.allocation === 'weak' ? 'weak' : 'strong');
  },
};
