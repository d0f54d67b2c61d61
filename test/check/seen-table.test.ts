// FingerprintTable: inserts, lookups and growth, checked against a JS Set of the same keys.
import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../src/check/seen-table';
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
    // 8 bytes per slot, load kept at or under 3/4 after doubling.
    expect(t.bytes / 8).toBeGreaterThanOrEqual(seen.size / 0.75);
    expect(t.bytes / 8).toBeLessThanOrEqual((4 * seen.size) / 0.75);
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

  it('rounds the initial capacity up to a power of two (at least 16 slots)', () => {
    expect(new FingerprintTable(1).bytes).toBe(16 * 8);
    expect(new FingerprintTable(100).bytes).toBe(128 * 8);
    expect(new FingerprintTable().bytes).toBe(65536 * 8);
  });
});
