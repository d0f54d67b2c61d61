// Dijkstra's self-stabilizing token ring (EWD426; tla/TokenRing.tla from tlaplus/Examples), N
// nodes with counters 0..M-1, ported to the engine contract. Every assignment of counters is an
// initial state; node 0 creates a token when its counter equals its predecessor's, node i passes
// one when they differ. Stab == <>[]UniqueToken under WF(Next): with M >= N-1 the ring settles
// to exactly one token; with too few values (tla/TokenRingFewValues.tla, the assumption left out)
// tokens can chase each other for ever. TLC 2.20: 4x4 256 distinct / 896 generated, 6x6 46,656 /
// 248,832, few-values (N 4, M 2) 16 / 48 and violated; depth 1 in each.
import { arrayOf, defineLayout, intRange } from '../../../src/core/layout';
import type { Fairness } from '../../../src/core/liveness';
import type { Action, Spec, SpecDefinition, State } from '../../../src/core/spec';

export function buildTokenRing(n: number, m: number): Spec {
  const names = Array.from({ length: n }, (_, i) => String(i));
  const layout = defineLayout({ c: arrayOf(n, intRange(0, m - 1), names) });
  const C = layout.at.c;
  const mod = (x: number): number => ((x % m) + m) % m;
  const actions: Action[] = [
    {
      name: 'CreateToken',
      actor: 'node 0',
      apply(s, t) {
        if (s[C] !== s[C + n - 1]) return false;
        t[C] = mod(s[C + n - 1] + 1);
        return true;
      },
    },
  ];
  for (let i = 1; i < n; i++) {
    actions.push({
      name: 'PassToken',
      actor: `node ${i}`,
      apply(s, t) {
        if (s[C + i] === s[C + i - 1]) return false;
        t[C + i] = s[C + i - 1];
        return true;
      },
    });
  }
  const init: State[] = [];
  const total = m ** n;
  for (let k = 0; k < total; k++) {
    const c: number[] = [];
    let x = k;
    for (let i = 0; i < n; i++) {
      c.push(x % m);
      x = Math.floor(x / m);
    }
    init.push(layout.encode({ c }));
  }
  const uniqueToken = (s: State): boolean => {
    for (let i = 0; i <= n; i++) {
      let ok = true;
      for (let j = 0; j < i && ok; j++) if (s[C + j] !== s[C]) ok = false;
      for (let j = i; j < n && ok; j++) if (s[C + j] !== mod(s[C] - 1)) ok = false;
      if (ok) return true;
    }
    return false;
  };
  const fairness: Fairness[] = [{ kind: 'weak', per: 'group', name: 'Next' }];
  return {
    name: `TokenRing(${n}, ${m})`,
    layout,
    init,
    actions,
    properties: [],
    liveness: [{ name: 'Stab: eventually always a unique token', form: 'eventually-always', holds: uniqueToken, fairness }],
  };
}

export const tokenRing: SpecDefinition = {
  id: 'token-ring',
  title: "Dijkstra's self-stabilizing token ring (EWD426): <>[] one token, under WF(Next)",
  description: 'From any assignment of counters the ring settles to a single circulating token.',
  configs: {
    '4x4': { description: 'N = 4 nodes, M = 4 values: Stab holds (TLC: 256 distinct, 896 generated)', params: { n: 4, m: 4 } },
    '6x6': { description: 'N = 6, M = 6: Stab holds (TLC: 46,656 distinct, 248,832 generated)', params: { n: 6, m: 6 } },
    'few-values': { description: 'N = 4, M = 2, against the assumption N <= M + 1: tokens chase each other for ever (TLC: violated)', params: { n: 4, m: 2 } },
  },
  defaultConfig: '4x4',
  build(params) {
    return buildTokenRing(params.n as number, params.m as number);
  },
};
