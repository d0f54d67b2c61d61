// The hot path's pieces: Zobrist fingerprints (incremental equals whole, slots of 1, 2 and 4
// bytes included), the Expander's successors (equal to applying each action to a fresh copy,
// whatever a disabled action scribbled), and the engine's in-order handling of a batch (an
// error after a violation, the observer's rewind). Counts and traces of real specs are pinned
// elsewhere.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/check/compiled-spec';
import { check } from '../../src/check/explore';
import { Expander, type InputCheck } from '../../src/check/expand';
import { zobrist, zobristTable } from '../../src/check/fingerprint';
import { withEngineHooks } from '../../src/core/compiled';
import { bool, defineLayout, intRange } from '../../src/core/layout';
import type { Spec, State } from '../../src/core/spec';
import { buildSpec } from '../../src/run';
import { buildTwoPhase } from '../../specs/examples/two-phase';
import { builtinSpecs } from '../../specs/index';
import { randomModel, randomSpec } from '../fixtures/random-spec';

/** Every reachable state of a small spec, by a naive search over copies. */
function reachable(spec: Spec, limit = 5_000): Float64Array[] {
  const seen = new Set<string>();
  const out: Float64Array[] = [];
  const queue = spec.init.map((s) => Float64Array.from(s));
  while (queue.length > 0 && out.length < limit) {
    const s = queue.shift()!;
    const k = s.join(',');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
    for (const a of spec.actions) {
      const t = s.slice();
      if (a.apply(s, t)) queue.push(t);
    }
  }
  return out;
}

/** The packed bytes of a state. */
function packed(spec: Spec, s: Float64Array): Uint8Array {
  const out = new Uint8Array(spec.layout.width);
  spec.layout.pack(s, out);
  return out;
}

/** Expands `s` with a fresh packed copy; returns the successor count. */
function expandState(ex: Expander, spec: Spec, s: Float64Array, z: Int32Array, check: InputCheck = 'none'): number {
  const words = new Int32Array(spec.layout.width >> 2);
  const bytes = new Uint8Array(words.buffer);
  spec.layout.pack(s, bytes);
  const fp = new Int32Array(2);
  zobrist(bytes, z, fp);
  return ex.expand(s, bytes, words, fp[0], fp[1], check);
}

describe('Zobrist fingerprints', () => {
  it('are deterministic per width and differ for states one byte apart', () => {
    const z = zobristTable(8);
    expect(zobristTable(8)).toEqual(z);
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    zobrist(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), z, a);
    zobrist(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 9]), z, b);
    expect([...a]).not.toEqual([...b]);
  });
});

/** A spec over slots of 1, 2 and 4 bytes, signed and not: counters stepped by large amounts. */
function wideSpec(): Spec {
  const layout = defineLayout({ small: intRange(0, 3), beans: intRange(0, 1000), temp: intRange(-40, 40), big: intRange(-200_000, 200_000), flag: bool });
  const { small, beans, temp, big, flag } = layout.at;
  return {
    name: 'wide',
    layout,
    init: [layout.encode({ small: 0, beans: 1000, temp: 0, big: 0, flag: false })],
    actions: [
      { name: 'Take', apply: (s, t) => (s[beans] >= 300 ? ((t[beans] = s[beans] - 300), true) : false) },
      { name: 'Cool', apply: (s, t) => (s[temp] > -40 ? ((t[temp] = s[temp] - 20), (t[flag] = 1), true) : false) },
      { name: 'Grow', apply: (s, t) => (s[big] < 90_000 ? ((t[big] = s[big] + 45_000), (t[small] = (s[small] + 1) % 4), true) : false) },
      { name: 'Sink', apply: (s, t) => (s[big] > -90_000 && s[small] === 0 ? ((t[big] = s[big] - 70_000), true) : false) },
    ],
    properties: [],
  };
}

describe('Expander', () => {
  const specs: [string, Spec][] = [
    ['two-phase rm3', buildTwoPhase(3)],
    ...[1000, 8919, 16838, 24757].map((seed): [string, Spec] => [`random ${seed}`, randomSpec(randomModel(seed))]),
    // A compiled world: its steps log what they write (the write log), and the Expander looks only there.
    ['v4.2 truncate-3t2i (write log)', buildSpec(builtinSpecs.find((d) => d.id === 'v4.2')!, 'truncate-3t2i').spec],
    ['slots of 1, 2 and 4 bytes', wideSpec()],
  ];
  for (const [name, spec] of specs) {
    it(`${name}: successors and incremental fingerprints equal a whole recomputation`, () => {
      const c = compileSpec(spec);
      const ex = new Expander(c);
      const z = zobristTable(spec.layout.width);
      const want = new Int32Array(2);
      const W = spec.layout.width >> 2;
      const out = new Int32Array(W);
      const outBytes = new Uint8Array(out.buffer);
      const values = new Float64Array(c.slots);
      for (const s of reachable(spec)) {
        const cur = s.slice();
        const n = expandState(ex, spec, cur, z);
        const expected = spec.actions.flatMap((a, i) => {
          const t = cur.slice();
          return a.apply(cur, t) ? [{ i, t }] : [];
        });
        expect(n).toBe(expected.length);
        for (let k = 0; k < n; k++) {
          expect(ex.acts[k]).toBe(expected[k].i);
          ex.materialize(k, values);
          expect([...values]).toEqual([...expected[k].t]);
          ex.materializePacked(k, out, outBytes, 0);
          expect([...outBytes]).toEqual([...packed(spec, expected[k].t)]);
          zobrist(packed(spec, expected[k].t), z, want);
          expect([ex.hi[k], ex.lo[k]]).toEqual([want[0], want[1]]);
        }
      }
    });
  }

  it('a disabled action that wrote the scratch does not leak into the next successor', () => {
    const layout = defineLayout({ a: intRange(0, 9), b: intRange(0, 9), c: intRange(0, 9), d: intRange(0, 9), e: intRange(0, 9) });
    const spec: Spec = {
      name: 'scribbler',
      layout,
      init: [layout.encode({ a: 0, b: 0, c: 0, d: 0, e: 0 })],
      actions: [
        { name: 'Scribble', apply: (_s, t) => ((t[0] = 9), (t[4] = 9), false) },
        { name: 'SetB', apply: (_s, t) => ((t[1] = 1), true) },
      ],
      properties: [],
    };
    const ex = new Expander(compileSpec(spec));
    const cur = Float64Array.from(spec.init[0]);
    expect(expandState(ex, spec, cur, zobristTable(spec.layout.width))).toBe(1);
    const out = new Float64Array(5);
    ex.materialize(0, out);
    expect([...out]).toEqual([0, 1, 0, 0, 0]);
  });

  /** A spec whose actions log their writes (Unknown says it does not know); with `sneak`, SetB writes g without logging it. */
  function loggingSpec(sneak: boolean): Spec {
    const layout = defineLayout({ a: intRange(0, 9), b: intRange(0, 9), c: intRange(0, 9), d: intRange(0, 9), e: intRange(0, 9), f: intRange(0, 9), g: intRange(0, 9) });
    const writes = { offsets: new Int32Array(8), count: 0 };
    const put = (t: State, i: number, v: number): void => {
      t[i] = v;
      writes.offsets[writes.count++] = i;
    };
    const spec: Spec = {
      name: 'logger',
      layout,
      init: [layout.encode({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 })],
      actions: [
        { name: 'Scribble', apply: (_s, t) => ((writes.count = 0), put(t, 0, 9), put(t, 5, 9), false) },
        // Logs slot 1 twice and slot 4 (unchanged) too: repeats and unchanged slots are allowed.
        { name: 'SetB', apply: (s, t) => ((writes.count = 0), s[1] < 9 && (put(t, 1, 5), put(t, 1, s[1] + 1), put(t, 4, s[4]), (t[6] = sneak ? 1 : 0), true)) },
        { name: 'Unknown', apply: (s, t) => ((writes.count = -1), s[2] < 2 && ((t[2] = s[2] + 1), true)) },
      ],
      properties: [],
    };
    return withEngineHooks(spec, { writes });
  }

  it('with a write log: successors, fingerprints and the scratch as with a whole comparison', async () => {
    const spec = loggingSpec(false);
    const ex = new Expander(compileSpec(spec));
    const z = zobristTable(spec.layout.width);
    const fp = new Int32Array(2);
    const cur = Float64Array.from(spec.init[0]);
    expect(expandState(ex, spec, cur, z)).toBe(2);
    const want = [
      [0, 1, 0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0, 0],
    ];
    const out = new Float64Array(7);
    for (let k = 0; k < 2; k++) {
      ex.materialize(k, out);
      expect([...out]).toEqual(want[k]);
      zobrist(packed(spec, out), z, fp);
      expect([ex.hi[k], ex.lo[k]]).toEqual([fp[0], fp[1]]);
    }
    // b runs 0..9 and c 0..2, whatever Scribble left behind: 10 * 3 states.
    expect((await check(spec, { deadlock: false })).stats.distinct).toBe(30);
  });

  it('a write missing from the log is a spec error while the contract is checked', async () => {
    const r = await check(loggingSpec(true), { deadlock: false });
    expect(r.verdict).toBe('error');
    expect(r.error).toBe('action SetB wrote g without listing it in its write log');
  });
});

describe('the engine takes a batch of successors in action order', () => {
  const layout = defineLayout({ x: intRange(0, 3) });
  const base = (actions: Spec['actions']): Spec => ({
    name: 'batch',
    layout,
    init: [layout.encode({ x: 0 })],
    actions,
    properties: [{ name: 'x is never 2', kind: 'always', holds: (s) => s[0] !== 2 }],
  });

  it('a violation before an action that throws is a failure, not an error', async () => {
    const spec = base([
      { name: 'ToTwo', apply: (_s, t) => ((t[0] = 2), true) },
      {
        name: 'Throws',
        apply: () => {
          throw new Error('boom');
        },
      },
    ]);
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    expect(r.failure?.path).toEqual({ init: 0, actions: [0] });
    expect(r.stats.generated).toBe(2);
    expect(r.stats.distinct).toBe(2);
  });

  it('an action that throws after an ordinary successor is an error naming it', async () => {
    const spec = base([
      { name: 'ToOne', apply: (s, t) => (s[0] === 0 ? ((t[0] = 1), true) : false) },
      {
        name: 'Throws',
        apply: () => {
          throw new Error('boom');
        },
      },
    ]);
    const r = await check(spec);
    expect(r.verdict).toBe('error');
    expect(r.error).toContain('action Throws threw: boom');
  });

  it('stopping on a successor rewinds the observer to that action', async () => {
    const calls: string[] = [];
    const spec: Spec = {
      ...base([
        { name: 'ToOne', apply: (s, t) => (s[0] === 0 ? ((t[0] = 1), true) : false) },
        { name: 'ToTwo', apply: (s, t) => (s[0] === 1 ? ((t[0] = 2), true) : false) },
        { name: 'ToThree', apply: (s, t) => (s[0] === 1 ? ((t[0] = 3), true) : false) },
      ]),
    };
    withEngineHooks(spec, {
      observer: {
        beforeExpand: (id) => calls.push(`expand ${id}`),
        rewind: (id, a) => calls.push(`rewind ${id} ${a}`),
      },
    });
    const r = await check(spec);
    expect(r.verdict).toBe('fail');
    expect(r.stats.generated).toBe(3); // init, ToOne, ToTwo: ToThree's successor is not counted
    expect(calls).toEqual(['expand 0', 'expand 1', 'rewind 1 1']);
  });
});
