// FingerprintTable: inserts, lookups, growth and the recent cache, checked against a JS Set of
// the same keys; the load stays between 1/2 and 3/4 as segments grow by 1.5x.
import { describe, expect, it } from 'vitest';
import { SlotTable as FingerprintTable } from '../../src/check/probe';
import { prng } from '../fixtures/random-spec';

describe('FingerprintTable', () => {
  it('insert returns true once per fingerprint; has sees it afterwards', () => {
    const t = new FingerprintTable(16);
    expect(t.has(1, 2)).toBe(false);
    expect(t.insert(1, 2)).toBe(true);
    expect(t.insert(1, 2)).toBe(false);
    expect(t.has(1, 2)).toBe(true);
    expect(t.has(2, 1)).toBe(false);
    expect(t.insert(2, 1)).toBe(true);
    expect(t.size).toBe(2);
  });

  it('treats the halves as unsigned (negative int32 and uint32 are one fingerprint)', () => {
    const t = new FingerprintTable(16);
    expect(t.insert(-1, -2)).toBe(true);
    expect(t.has(0xffffffff, 0xfffffffe)).toBe(true);
    expect(t.insert(0xffffffff, 0xfffffffe)).toBe(false);
  });

  it('grows across many inserts with no false negatives and an exact count', () => {
    const t = new FingerprintTable(16);
    const bytes0 = t.bytes;
    const r = prng(42);
    const keys: [number, number][] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      // Many keys share a low half, so probing sequences collide on purpose.
      const hi = (r() * 2 ** 32) >>> 0;
      const lo = i % 3 === 0 ? 7 : (r() * 2 ** 32) >>> 0;
      if (hi === 0 && lo === 0) continue;
      const k = `${hi}:${lo}`;
      if (t.insert(hi, lo) === seen.has(k)) throw new Error(`insert(${k}) disagrees with the Set`);
      seen.add(k);
      keys.push([hi, lo]);
    }
    expect(t.size).toBe(seen.size);
    for (const [hi, lo] of keys) {
      if (!t.has(hi, lo)) throw new Error(`lost ${hi}:${lo}`);
    }
    for (const [hi, lo] of keys.slice(0, 1000)) expect(t.insert(hi, lo)).toBe(false);
    expect(t.size).toBe(seen.size);
    expect(t.bytes).toBeGreaterThan(bytes0);
    // Segments under 16,384 slots (this table's) double at 3/4 load: load within [3/8, 3/4]
    // (bigger ones grow by 1.5x: [1/2, 3/4], which memory.test.ts holds to 24 bytes a state).
    expect(seen.size / t.capacity).toBeLessThanOrEqual(0.75);
    expect(seen.size / t.capacity).toBeGreaterThanOrEqual(0.37);
  });

  it('sequential low halves (no mixing at all) still insert and find', () => {
    // The slot index is taken from the fingerprint's bits as they are: real fingerprints are
    // well mixed (fmix), so the table does not hash them again.
    const t = new FingerprintTable(16);
    for (let i = 1; i <= 50_000; i++) t.insert(0, i);
    expect(t.size).toBe(50_000);
    let found = 0;
    for (let i = 1; i <= 50_000; i++) if (t.has(0, i)) found++;
    expect(found).toBe(50_000);
    expect(t.has(0, 50_001)).toBe(false);
    expect(t.has(1, 1)).toBe(false);
  });

  it('spreads the initial capacity over its segments (at least 16 slots each)', () => {
    expect(new FingerprintTable({ initialCapacity: 1, recent: 1 }).capacity).toBe(64 * 16);
    expect(new FingerprintTable({ initialCapacity: 65_536 }).capacity).toBe(65_536);
    expect(new FingerprintTable({ initialCapacity: 65_536, recent: 1024 }).bytes).toBe(65_536 * 8 + 1024 * 8);
  });

  it('the recent cache never answers for a fingerprint the table does not hold', () => {
    // A one-entry cache: every key lands in the same cache slot and evicts the last.
    const t = new FingerprintTable({ initialCapacity: 16, recent: 1 });
    const r = prng(7);
    const keys: [number, number][] = [];
    for (let i = 0; i < 5_000; i++) keys.push([(r() * 2 ** 32) | 0, (r() * 2 ** 32) | 0]);
    for (const [hi, lo] of keys) expect(t.insert(hi, lo)).toBe(true);
    for (const [hi, lo] of keys) expect(t.has(hi, lo)).toBe(true);
    for (const [hi, lo] of keys) expect(t.insert(hi, lo)).toBe(false);
    for (const [hi, lo] of keys.slice(0, 100)) expect(t.has(hi ^ 1, lo)).toBe(false);
    expect(t.size).toBe(keys.length);
  });

  it('treats (0, 0), the empty-slot marker, as (0, 1)', () => {
    const t = new FingerprintTable(16);
    expect(t.insert(0, 0)).toBe(true);
    expect(t.has(0, 1)).toBe(true);
    expect(t.insert(0, 1)).toBe(false);
  });
});
