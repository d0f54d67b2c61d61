// Fingerprints: a pure function of the state's words, sensitive to every byte, never (0, 0);
// and TLC's collision estimate.
import { describe, expect, it } from 'vitest';
import { collisionProbability, fingerprint } from '../../src/check/fingerprint';
import { prng } from '../fixtures/random-spec';

function fpOf(bytes: Uint8Array): [number, number] {
  const out = new Uint32Array(2);
  fingerprint(new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), out);
  return [out[0], out[1]];
}

describe('fingerprint', () => {
  it('is stable: the same words give the same fingerprint, whatever buffer holds them', () => {
    const a = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = new Uint8Array(16);
    b.set(a, 8);
    expect(fpOf(a)).toEqual(fpOf(a.slice()));
    expect(fpOf(a)).toEqual(fpOf(b.subarray(8)));
  });

  it('mixes in the length, and is never (0, 0), the empty-slot marker', () => {
    const zero4 = fpOf(new Uint8Array(4));
    const zero8 = fpOf(new Uint8Array(8));
    expect(zero8).not.toEqual(zero4);
    expect(zero4).not.toEqual([0, 0]);
    expect(zero8).not.toEqual([0, 0]);
  });

  it('one changed byte changes the fingerprint (on a random sample of 32-byte states)', () => {
    const r = prng(7);
    const state = new Uint8Array(32);
    const seen = new Set<string>();
    for (let trial = 0; trial < 2000; trial++) {
      for (let i = 0; i < 32; i++) state[i] = Math.floor(r() * 4);
      const base = fpOf(state);
      seen.add(base.join(':'));
      const i = Math.floor(r() * 32);
      const old = state[i];
      state[i] = (old + 1 + Math.floor(r() * 255)) & 0xff;
      const changed = fpOf(state);
      expect(changed[0] === base[0] && changed[1] === base[1]).toBe(false);
      state[i] = old;
      expect(fpOf(state)).toEqual(base);
    }
    expect(seen.size).toBe(2000);
  });

  it('every single-byte change of one state gives a distinct fingerprint, in both halves', () => {
    const state = new Uint8Array(16);
    const his = new Set<number>();
    const los = new Set<number>();
    for (let i = 0; i < 16; i++) {
      for (let v = 1; v < 256; v++) {
        state[i] = v;
        const [hi, lo] = fpOf(state);
        his.add(hi);
        los.add(lo);
      }
      state[i] = 0;
    }
    expect(his.size).toBe(16 * 255);
    expect(los.size).toBe(16 * 255);
  });

  it('distinguishes words that differ only in position', () => {
    const a = Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0]);
    const b = Uint8Array.from([2, 0, 0, 0, 1, 0, 0, 0]);
    expect(fpOf(a)).not.toEqual(fpOf(b));
  });
});

describe('collisionProbability', () => {
  it("is TLC's n*(m-n)/2^64 (Hanoi: 243 distinct of 913 generated gives 8.8E-15)", () => {
    expect(collisionProbability(243, 913)).toBeCloseTo(8.8e-15, 16);
    expect(collisionProbability(10, 10)).toBe(0);
    expect(collisionProbability(10, 5)).toBe(0);
  });
});
