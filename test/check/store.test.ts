// StateStore (parents and action indices by state id) and Frontier (the chunked FIFO/LIFO).
import { describe, expect, it } from 'vitest';
import { Frontier, StateStore } from '../../src/check/store';

describe('StateStore', () => {
  it('pathTo walks parents back to the root and returns the actions forward', () => {
    const s = new StateStore(10, 2);
    const r0 = s.add(-1, 0); // root: initial state 0
    const r1 = s.add(-1, 1); // root: initial state 1
    const a = s.add(r0, 3);
    const b = s.add(a, 7);
    const c = s.add(r1, 9);
    const d = s.add(b, 2);
    expect([r0, r1, a, b, c, d]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.size).toBe(6);
    expect(s.pathTo(r0)).toEqual({ init: 0, actions: [] });
    expect(s.pathTo(r1)).toEqual({ init: 1, actions: [] });
    expect(s.pathTo(d)).toEqual({ init: 0, actions: [3, 7, 2] });
    expect(s.pathTo(c)).toEqual({ init: 1, actions: [9] });
  });

  it('addMany stores what add stores, across chunk boundaries, from an offset', () => {
    const one = new StateStore(70);
    const many = new StateStore(70);
    const n = 150_000;
    const parents = new Int32Array(n + 5);
    const acts = new Int32Array(n + 5);
    for (let i = 0; i < n + 5; i++) {
      parents[i] = i - 6; // (from 5 on: parent id i - 6 >= -1)
      acts[i] = (i * 7) % 70;
    }
    one.add(-1, 3);
    many.add(-1, 3);
    for (let i = 5; i < n + 5; i++) one.add(parents[i], acts[i]);
    many.addMany(parents, acts, 5, 70_000); // ends inside the second chunk
    many.addMany(parents, acts, 70_005, n - 70_000);
    expect(many.size).toBe(one.size);
    expect(many.size).toBe(n + 1);
    for (const id of [0, 1, 65_535, 65_536, 65_537, 70_000, 70_001, 131_072, n]) {
      expect([many.parentOf(id), many.actionOf(id)]).toEqual([one.parentOf(id), one.actionOf(id)]);
    }
    expect(many.pathTo(n)).toEqual(one.pathTo(n));
  });

  it('grows past its initial capacity and keeps every parent', () => {
    const s = new StateStore(3, 4);
    let id = s.add(-1, 0);
    for (let i = 1; i < 10_000; i++) id = s.add(id, i % 3);
    const p = s.pathTo(id);
    expect(p.actions).toHaveLength(9_999);
    expect(p.actions.slice(0, 5)).toEqual([1, 2, 0, 1, 2]);
    expect(s.bytes).toBeGreaterThanOrEqual(10_000 * 6);
  });

  it('uses 16-bit action slots below 65,535 actions and 32-bit ones above, in chunks of 65,536 ids', () => {
    const narrow = new StateStore(100);
    const wide = new StateStore(70_000);
    expect(narrow.bytes).toBe(0);
    narrow.add(-1, 0);
    expect(narrow.bytes).toBe(65_536 * 6);
    const r = wide.add(-1, 69_999);
    expect(wide.bytes).toBe(65_536 * 8);
    expect(wide.pathTo(wide.add(r, 68_000))).toEqual({ init: 69_999, actions: [68_000] });
  });

  it('keeps about 6 bytes per state past a million states', () => {
    const s = new StateStore(10);
    let id = s.add(-1, 0);
    for (let i = 1; i < 1_000_000; i++) id = s.add(i - 1, i % 10);
    expect(s.bytes / s.size).toBeLessThan(6.5);
    expect(s.parentOf(id)).toBe(999_998);
    expect(s.actionOf(id)).toBe(9);
  });
});

describe('Frontier', () => {
  const width = 8;
  const stateOf = (k: number): Uint8Array => {
    const s = new Uint8Array(width);
    new DataView(s.buffer).setUint32(0, k, true);
    s[7] = k & 0xff;
    return s;
  };
  const keyOf = (s: Uint8Array): number => new DataView(s.buffer).getUint32(0, true);

  it('FIFO: pops in push order across several 4096-entry chunks', () => {
    const f = new Frontier(width, false);
    const out = new Uint8Array(width);
    const depth = new Int32Array(1);
    const n = 3 * 4096 + 17;
    for (let k = 0; k < n; k++) f.push(stateOf(k), 1000 + k, k % 50);
    expect(f.size).toBe(n);
    for (let k = 0; k < n; k++) {
      const id = f.pop(out, depth);
      if (id !== 1000 + k || keyOf(out) !== k || out[7] !== (k & 0xff) || depth[0] !== k % 50) {
        throw new Error(`FIFO order broken at ${k}: id ${id}, state ${keyOf(out)}, depth ${depth[0]}`);
      }
    }
    expect(f.size).toBe(0);
    expect(f.pop(out, depth)).toBe(-1);
  });

  it('LIFO: pops in reverse order across chunk boundaries', () => {
    const f = new Frontier(width, true);
    const out = new Uint8Array(width);
    const depth = new Int32Array(1);
    const n = 2 * 4096 + 1;
    for (let k = 0; k < n; k++) f.push(stateOf(k), k, k);
    for (let k = n - 1; k >= 0; k--) {
      const id = f.pop(out, depth);
      if (id !== k || keyOf(out) !== k || depth[0] !== k) throw new Error(`LIFO order broken at ${k}`);
    }
    expect(f.size).toBe(0);
    expect(f.pop(out, depth)).toBe(-1);
  });

  for (const lifo of [false, true]) {
    it(`${lifo ? 'LIFO' : 'FIFO'}: interleaved pushes and pops match an array model`, () => {
      const f = new Frontier(width, lifo);
      const model: number[] = [];
      const out = new Uint8Array(width);
      const depth = new Int32Array(1);
      let next = 0;
      // Phases of net growth and net shrinkage, each crossing chunk boundaries.
      const phases: [number, number][] = [
        [5000, 1000],
        [3000, 6000],
        [9000, 2],
        [1, 9000],
        [4096, 4096],
      ];
      for (const [pushes, pops] of phases) {
        for (let i = 0; i < pushes; i++) {
          f.push(stateOf(next), next, next & 0xffff);
          model.push(next++);
        }
        for (let i = 0; i < pops && model.length > 0; i++) {
          const want = lifo ? model.pop()! : model.shift()!;
          const id = f.pop(out, depth);
          if (id !== want || keyOf(out) !== want) throw new Error(`expected ${want}, got ${id}`);
        }
        expect(f.size).toBe(model.length);
      }
    });
  }
});

describe('Frontier fingerprints', () => {
  it('keeps the fingerprint pushed with each state, and pushWords copies a slice of words', () => {
    const f = new Frontier(8, false);
    const src = new Int32Array([9, 9, 1, 2, 9]);
    f.pushWords(src, 2, 7, 3, -5, 6);
    f.push(Uint8Array.from([1, 0, 0, 0, 4, 0, 0, 0]), 8, 4, 11, -12);
    const out = new Uint8Array(8);
    const words = new Int32Array(out.buffer);
    const meta = new Int32Array(3);
    expect(f.pop(out, meta)).toBe(7);
    expect([...words]).toEqual([1, 2]);
    expect([...meta]).toEqual([3, -5, 6]);
    expect(f.pop(out, meta)).toBe(8);
    expect([...words]).toEqual([1, 4]);
    expect([...meta]).toEqual([4, 11, -12]);
  });
});
