// 64-bit state fingerprints over the packed byte vector, as two 32-bit halves computed in one
// pass over 32-bit words (murmur3-style mixing in two lanes with cross-mixing at the end).
// Not a cryptographic hash; collisions are estimated and reported as TLC does. Also the Zobrist
// tables the search uses to fingerprint successors incrementally.
import { Prng } from './prng';

/** Writes the fingerprint of `words` (a state viewed as 32-bit words) into out[0] (hi), out[1] (lo). */
export function fingerprint(words: Int32Array, out: Uint32Array): void {
  // Each word is mixed once (murmur3's k mix, a bijection), then accumulated into two lanes
  // that combine differently (murmur3's h step; a multiply-rotate with the position folded in).
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  const n = words.length;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(words[i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ (k + i), 0x85ebca77);
    h2 = (h2 << 17) | (h2 >>> 15);
  }
  h1 ^= n;
  h2 ^= n << 2;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  // (0,0) marks an empty slot in the seen table.
  if (h1 === 0 && h2 === 0) h2 = 1;
  out[0] = h1;
  out[1] = h2;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** TLC's optimistic estimate of the probability that some fingerprint collided: n*(m-n)/2^64. */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

/**
 * Zobrist tables for a state of `width` bytes: for each byte position and each of its 256
 * values, a random 64-bit word (two 32-bit lanes, interleaved: entry (pos * 256 + value) * 2).
 * The fingerprint of a state is the XOR of its bytes' words, so a successor's fingerprint is its
 * parent's with the words of the changed bytes swapped out: the engine pays per changed byte,
 * not per byte. Two different states collide with probability 2^-64 (they differ at some byte,
 * whose two words are independent random values). Filled from a fixed seed: deterministic.
 */
export function zobristTable(width: number): Int32Array {
  const z = new Int32Array(width * 512);
  const r = new Prng(0x5eed_f1a9);
  for (let i = 0; i < z.length; i++) z[i] = r.nextInt32();
  return z;
}

/** The Zobrist fingerprint of a whole state into out[0] (hi), out[1] (lo), as int32s. */
export function zobrist(state: Uint8Array, z: Int32Array, out: Int32Array): void {
  let h = 0;
  let l = 0;
  for (let p = 0; p < state.length; p++) {
    const k = ((p << 8) | state[p]) << 1;
    h ^= z[k];
    l ^= z[k + 1];
  }
  out[0] = h;
  out[1] = l;
}
