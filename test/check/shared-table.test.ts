// The parallel search's shared seen table (src/check/shared-table.ts): the claim protocol that
// lets level ids equal the sequential search's (ADR 0003). One thread here; the cross-checks in
// parallel.test.ts run it with two.
import { describe, expect, it } from 'vitest';
import { SEGMENTS } from '../../src/check/probe';
import { CLAIM_DUPLICATE, CLAIM_NEW, SharedTable, TAG_FIRST_LEVEL, TAG_OLD } from '../../src/check/shared-table';

describe('SharedTable.claim', () => {
  it('gives a fingerprint to the lowest chunk of a level and reports the chunk that lost it', () => {
    const t = new SharedTable(SharedTable.allocate(64));
    const base = TAG_FIRST_LEVEL;
    expect(t.claim(7, 8, base + 5)).toBe(CLAIM_NEW);
    // Chunk 5 meets it again, and a higher chunk meets it: duplicates.
    expect(t.claim(7, 8, base + 5)).toBe(CLAIM_DUPLICATE);
    expect(t.claim(7, 8, base + 9)).toBe(CLAIM_DUPLICATE);
    // A lower chunk takes it over and is told whose it was; then chunk 5 no longer owns it.
    expect(t.claim(7, 8, base + 2)).toBe(base + 5);
    expect(t.claim(7, 8, base + 3)).toBe(CLAIM_DUPLICATE);
    expect(t.claim(7, 8, base)).toBe(base + 2);
    expect(t.size).toBe(1);
  });

  it('counts every earlier level as seen, with nothing committed between levels', () => {
    const t = new SharedTable(SharedTable.allocate(64));
    const level1 = TAG_FIRST_LEVEL;
    const level2 = level1 + 4; // level 1 had 4 chunks
    expect(t.claim(1, 2, level1 + 3)).toBe(CLAIM_NEW);
    expect(t.claim(1, 2, level2)).toBe(CLAIM_DUPLICATE);
    expect(t.claim(1, 2, level2 + 100)).toBe(CLAIM_DUPLICATE);
    expect(t.insertOld(5, 6)).toBe(true);
    expect(t.insertOld(5, 6)).toBe(false);
    expect(t.claim(5, 6, TAG_OLD + 1)).toBe(CLAIM_DUPLICATE);
    expect(t.has(5, 6)).toBe(true);
    expect(t.has(5, 7)).toBe(false);
  });

  it('keeps the zero fingerprint apart from an empty slot', () => {
    const t = new SharedTable(SharedTable.allocate(64));
    expect(t.has(0, 0)).toBe(false);
    expect(t.claim(0, 0, TAG_FIRST_LEVEL)).toBe(CLAIM_NEW);
    expect(t.has(0, 0)).toBe(true);
    expect(t.claim(0, 0, TAG_FIRST_LEVEL)).toBe(CLAIM_DUPLICATE);
  });

  it('keeps fingerprints and owners through a rehash into bigger segments', () => {
    const buffers = SharedTable.allocate(32);
    const t = new SharedTable(buffers);
    const fps: [number, number][] = [];
    let x = 0x12345678;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x | 0;
    };
    for (let i = 0; i < 400; i++) fps.push([next(), next()]);
    fps.forEach(([hi, lo], i) => expect(t.claim(hi, lo, TAG_FIRST_LEVEL + 10 + (i % 3))).toBe(CLAIM_NEW));
    const updates = Array.from({ length: SEGMENTS }, (_, segment) => ({ segment, slots: new SharedArrayBuffer(128 * 12) }));
    for (const u of updates) SharedTable.rehash(t.segment(u.segment), new Int32Array(u.slots));
    t.remap(updates);
    expect(t.bytes).toBe(SEGMENTS * 128 * 12);
    fps.forEach(([hi, lo], i) => {
      expect(t.has(hi, lo)).toBe(true);
      // The owner survived: a chunk at or above it sees a duplicate, a lower one takes it over.
      expect(t.claim(hi, lo, TAG_FIRST_LEVEL + 10 + (i % 3))).toBe(CLAIM_DUPLICATE);
      expect(t.claim(hi, lo, TAG_FIRST_LEVEL)).toBe(TAG_FIRST_LEVEL + 10 + (i % 3));
    });
  });

  it("counts a thread's claims in batches, exactly once flushed", () => {
    const buffers = SharedTable.allocate(4096);
    const mine = new SharedTable(buffers);
    const theirs = new SharedTable(buffers); // another thread's view of the same memory
    for (let i = 1; i <= 10; i++) expect(mine.claim(i, i * 7919, TAG_FIRST_LEVEL)).toBe(CLAIM_NEW);
    expect(mine.size).toBe(10);
    expect(theirs.size).toBe(0);
    mine.flush();
    expect(theirs.size).toBe(10);
    expect(mine.size).toBe(10);
    expect(theirs.has(3, 3 * 7919)).toBe(true);
  });
});
