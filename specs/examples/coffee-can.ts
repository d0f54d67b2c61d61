// CoffeeCan: Dijkstra's coffee can problem, from CoffeeCan.tla in tlaplus/Examples, with one
// initial can per configuration. While more than one bean is left, two come out: two of one
// colour go out and a black one goes in; one of each, the black one goes out. An example of slots
// wider than a byte (1,000 beans) and of a signed one; bench/peers/CoffeeCan.tla is its TLA+ twin.
import { defineLayout, intRange } from '../../src/core/layout';
import type { Action, Property, Spec, SpecDefinition } from '../../src/core/spec';

export function buildCoffeeCan(black: number, white: number): Spec {
  const max = black + white;
  const layout = defineLayout({
    black: intRange(0, max),
    white: intRange(0, max),
    /** black - white, kept as a variable so that a signed slot is exercised (-max..max). */
    lead: intRange(-max, max),
  });
  const { black: B, white: W, lead: L } = layout.at;
  const set = (t: Float64Array | Uint8Array, b: number, w: number): void => {
    t[B] = b;
    t[W] = w;
    t[L] = b - w;
  };
  const actions: Action[] = [
    {
      name: 'PickSameColorBlack',
      apply(s, t) {
        if (s[B] + s[W] < 2 || s[B] < 2) return false;
        set(t, s[B] - 1, s[W]);
        return true;
      },
    },
    {
      name: 'PickSameColorWhite',
      apply(s, t) {
        if (s[B] + s[W] < 2 || s[W] < 2) return false;
        set(t, s[B] + 1, s[W] - 2);
        return true;
      },
    },
    {
      name: 'PickDifferentColor',
      apply(s, t) {
        if (s[B] < 1 || s[W] < 1) return false;
        set(t, s[B] - 1, s[W]);
        return true;
      },
    },
  ];
  const parity = white % 2;
  const properties: Property[] = [
    { name: 'LoopInvariant: the white beans keep their parity', kind: 'always', holds: (s) => s[W] % 2 === parity },
    { name: 'the difference is black - white', kind: 'always', holds: (s) => s[L] === s[B] - s[W] },
    { name: 'one bean is left', kind: 'sometimes', holds: (s) => s[B] + s[W] === 1 },
    parity === 1
      ? { name: 'the last bean is white', kind: 'sometimes', holds: (s) => s[B] === 0 && s[W] === 1 }
      : { name: 'the last bean is black', kind: 'sometimes', holds: (s) => s[B] === 1 && s[W] === 0 },
  ];
  const init = layout.encode({ black, white, lead: black - white });
  return { name: `coffee-can (${black} black, ${white} white)`, layout, init: [init], actions, properties, isTerminal: (s) => s[B] + s[W] <= 1 };
}

export const coffeeCan: SpecDefinition = {
  id: 'coffee-can',
  title: 'The coffee can problem (CoffeeCan.tla)',
  description: 'Black and white beans: the last bean is white exactly when the number of white beans was odd. Counts past a byte.',
  configs: {
    small: { description: '3 black, 4 white beans', params: { black: 3, white: 4 } },
    'beans-1000': { description: '600 black, 400 white beans (slots of 2 bytes, and a signed one)', params: { black: 600, white: 400 } },
  },
  defaultConfig: 'small',
  build(params) {
    const { black, white } = params;
    if (typeof black !== 'number' || typeof white !== 'number' || !Number.isInteger(black) || !Number.isInteger(white) || black < 0 || white < 0 || black + white < 1 || black + white > 1_000_000) {
      throw new Error(`black and white must be whole numbers, at least one bean and at most 1,000,000, got ${String(black)} and ${String(white)}`);
    }
    return buildCoffeeCan(black, white);
  },
};
