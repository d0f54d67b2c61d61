// The --por proviso's fingerprint -> id table, as the seen set (insert: the n-th new
// fingerprint is id n) and beside another one (set), across segment growth.
import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/check/id-table';
import { prng } from '../fixtures/random-spec';

const word = (r: () => number): number => (r() * 2 ** 32) | 0;

describe('IdTable', () => {
  it('gives the n-th new fingerprint id n, refuses repeats and finds every id back', () => {
    const t = new IdTable();
    const r = prng(7);
    const n = 300_000;
    const hi = new Int32Array(n);
    const lo = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      hi[i] = word(r);
      lo[i] = word(r);
    }
    // (0, 0) is the empty slot's mark: stored as (0, 1), and still found as itself.
    hi[5] = 0;
    lo[5] = 0;
    for (let i = 0; i < n; i++) {
      expect(t.insert(hi[i], lo[i])).toBe(true);
      if (i % 1000 === 0) expect(t.insert(hi[i >> 1], lo[i >> 1])).toBe(false);
    }
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i++) {
      if (t.get(hi[i], lo[i]) !== i) expect(t.get(hi[i], lo[i])).toBe(i);
    }
    expect(t.has(hi[5], lo[5])).toBe(true);
    expect(t.get(123, 456)).toBe(-1);
    expect(t.has(123, 456)).toBe(false);
    // 12-byte slots at most 3/4 full and at least 3/8 after a segment doubles, plus a byte of
    // "expanded" per id once marked; a doubling segment is 1/64 of the table.
    for (let i = 0; i < n; i++) t.markExpanded(i);
    expect(t.expanded(n - 1)).toBe(true);
    expect(t.expanded(n)).toBe(false);
    expect(t.bytes / n).toBeGreaterThanOrEqual(16);
    expect(t.bytes / n).toBeLessThanOrEqual(35);
    // Growth holds one segment twice, not the whole table: the peak is within a sixteenth.
    expect(t.peakBytes).toBeGreaterThan(t.bytes);
    expect(t.peakBytes - t.bytes).toBeLessThanOrEqual(t.bytes / 16);
  });

  it('keeps the ids it is given beside another seen set', () => {
    const t = new IdTable();
    const r = prng(11);
    const keys: [number, number, number][] = [];
    for (let i = 0; i < 50_000; i++) keys.push([word(r), word(r), 3 * i + 1]);
    for (const [h, l, id] of keys) t.set(h, l, id);
    expect(t.size).toBe(keys.length);
    for (const [h, l, id] of keys) expect(t.get(h, l)).toBe(id);
  });
});
