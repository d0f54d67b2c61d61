// The seen set: an open-addressing hash table of 64-bit fingerprints in typed arrays (two int32
// words per slot, linear probing), split into 64 segments that grow one at a time by 1.5x at
// 3/4 load (segments under 16,384 slots double), so a big table stays between 1/2 and 3/4 full
// and a growth step briefly holds only one segment twice. In front of it, a small direct-mapped cache of fingerprints known to be in the
// table: most duplicates in a breadth-first search are states met a moment ago, and the cache
// answers them from L2 instead of a cache miss in a table of hundreds of MiB. It stores
// fingerprints only; parents and actions live in the state store, indexed by state id.

export interface SeenTable {
  /** Inserts the fingerprint; returns true if it was not there before. */
  insert(hi: number, lo: number): boolean;
  has(hi: number, lo: number): boolean;
  readonly size: number;
  /** Bytes held by the table's arrays. */
  readonly bytes: number;
}

export interface TableOptions {
  /** Slots to start with, over all segments (default 65,536). */
  readonly initialCapacity?: number;
  /** A segment grows when its load passes this (default 0.75). */
  readonly maxLoad?: number;
  /** A growing segment is multiplied by this (default 1.5). */
  readonly growth?: number;
  /** Entries in the cache of recently seen fingerprints, a power of two (default 32,768: 256 KiB). */
  readonly recent?: number;
}

const SEG_BITS = 6;
const SEGMENTS = 1 << SEG_BITS;
const MAX_SEGMENT = 2 ** 30;
/** Segments below this many slots (1M slots over the 64 segments) double when they grow. */
const SMALL_SEGMENT = 1 << 14;

/**
 * Where a fingerprint lives: one multiply mixes the halves (real fingerprints are random already;
 * this keeps structured keys such as small counters from piling up). The top 6 bits pick the
 * segment, the rest the home slot by multiply-and-shift, so a segment's size need not be a power
 * of two.
 */
export function mixOf(hi: number, lo: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
}

export class FingerprintTable implements SeenTable {
  private readonly segs: Int32Array[] = [];
  private readonly caps = new Int32Array(SEGMENTS);
  private readonly scales = new Float64Array(SEGMENTS);
  private readonly counts = new Int32Array(SEGMENTS);
  private readonly limits = new Int32Array(SEGMENTS);
  private recent: Int32Array;
  private readonly recentMask: number;
  private count = 0;
  private peak = 0;
  private readonly maxLoad: number;
  private readonly growth: number;

  constructor(options: TableOptions | number = {}) {
    const o: TableOptions = typeof options === 'number' ? { initialCapacity: options } : options;
    this.maxLoad = o.maxLoad ?? 0.75;
    this.growth = o.growth ?? 1.5;
    if (!(this.maxLoad > 0 && this.maxLoad < 1)) throw new Error('maxLoad must be between 0 and 1');
    if (!(this.growth > 1)) throw new Error('growth must be more than 1');
    const per = Math.max(16, Math.ceil((o.initialCapacity ?? 1 << 16) / SEGMENTS));
    for (let s = 0; s < SEGMENTS; s++) this.setSegment(s, new Int32Array(per * 2));
    const r = o.recent ?? 1 << 15;
    if (!(r >= 1) || (r & (r - 1)) !== 0) throw new Error('the recent cache size must be a power of two');
    this.recent = new Int32Array(r * 2);
    this.recentMask = r - 1;
  }

  private setSegment(s: number, slots: Int32Array): void {
    const cap = slots.length >> 1;
    this.segs[s] = slots;
    this.caps[s] = cap;
    // The home slot is floor(y * cap / 2^32) for the 32-bit y below: below cap, as the product
    // is rounded to a double that stays under cap (cap / 2^32 exceeds half an ulp of cap).
    this.scales[s] = cap / 2 ** 32;
    this.limits[s] = Math.floor(cap * this.maxLoad);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    let n = this.recent.byteLength;
    for (let s = 0; s < SEGMENTS; s++) n += this.segs[s].byteLength;
    return n;
  }

  /** The most bytes the arrays held at once, a growing segment's old and new arrays included. */
  get peakBytes(): number {
    return Math.max(this.peak, this.bytes);
  }

  /** Slots over all segments. */
  get capacity(): number {
    let n = 0;
    for (let s = 0; s < SEGMENTS; s++) n += this.caps[s];
    return n;
  }

  insert(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1; // (0, 0) marks an empty slot
    const x = mixOf(hi, lo);
    const recent = this.recent;
    const r = (x & this.recentMask) << 1;
    if (recent[r] === hi && recent[r + 1] === lo) return false;
    const s = x >>> (32 - SEG_BITS);
    const slots = this.segs[s];
    const cap = this.caps[s];
    let i = (((x << SEG_BITS) >>> 0) * this.scales[s]) | 0;
    for (;;) {
      const sh = slots[2 * i];
      const sl = slots[2 * i + 1];
      if (sh === hi && sl === lo) {
        recent[r] = hi;
        recent[r + 1] = lo;
        return false;
      }
      if ((sh | sl) === 0) break;
      if (++i === cap) i = 0;
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    recent[r] = hi;
    recent[r + 1] = lo;
    this.count++;
    if (++this.counts[s] > this.limits[s]) this.grow(s);
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const r = (x & this.recentMask) << 1;
    if (this.recent[r] === hi && this.recent[r + 1] === lo) return true;
    const s = x >>> (32 - SEG_BITS);
    const slots = this.segs[s];
    const cap = this.caps[s];
    let i = (((x << SEG_BITS) >>> 0) * this.scales[s]) | 0;
    for (;;) {
      const sh = slots[2 * i];
      const sl = slots[2 * i + 1];
      if (sh === hi && sl === lo) return true;
      if ((sh | sl) === 0) return false;
      if (++i === cap) i = 0;
    }
  }

  /** Writes every fingerprint (hi, lo pairs, in no particular order) into out; returns how many. */
  entries(out: Int32Array): number {
    let n = 0;
    for (let s = 0; s < SEGMENTS; s++) {
      const slots = this.segs[s];
      for (let j = 0, e = slots.length; j < e; j += 2) {
        const hi = slots[j];
        const lo = slots[j + 1];
        if ((hi | lo) === 0) continue;
        out[2 * n] = hi;
        out[2 * n + 1] = lo;
        n++;
      }
    }
    return n;
  }

  private grow(s: number): void {
    const old = this.segs[s];
    const oldCap = this.caps[s];
    // Small segments double (fewer rehash rounds while a run is young); past SMALL_SEGMENT they
    // grow by `growth`, which bounds the bytes a state of a big run costs.
    const factor = oldCap < SMALL_SEGMENT ? Math.max(2, this.growth) : this.growth;
    const cap = Math.min(MAX_SEGMENT, Math.max(oldCap + 1, Math.floor(oldCap * factor)));
    if (cap <= oldCap || this.counts[s] >= cap) throw new Error(`the seen table is full (${this.count} fingerprints)`);
    const slots = new Int32Array(cap * 2);
    this.peak = Math.max(this.peak, this.bytes + slots.byteLength);
    const scale = cap / 2 ** 32;
    for (let j = 0; j < oldCap; j++) {
      const hi = old[2 * j];
      const lo = old[2 * j + 1];
      if ((hi | lo) === 0) continue;
      let i = (((mixOf(hi, lo) << SEG_BITS) >>> 0) * scale) | 0;
      while ((slots[2 * i] | slots[2 * i + 1]) !== 0) if (++i === cap) i = 0;
      slots[2 * i] = hi;
      slots[2 * i + 1] = lo;
    }
    this.setSegment(s, slots);
  }
}
