// The probing core every seen set is built on: open addressing over 64-bit fingerprints in typed
// arrays, 64 segments that grow one at a time, linear probing from a home slot chosen by
// multiply-and-shift; slots of the fingerprint and, at stride 3, a payload word; an optional
// cache of recent duplicates in front. The parallel search's shared table uses its addressing
// with atomics (shared-table.ts). Not the seen-set interface (seen-set.ts).

export const SEG_BITS = 6;
export const SEGMENTS = 1 << SEG_BITS;
const MAX_SEGMENT = 2 ** 30;

/**
 * Where a fingerprint lives: one multiply mixes the halves (real fingerprints are random already;
 * this keeps structured keys such as small counters from piling up). The top SEG_BITS bits pick
 * the segment (segmentOf), the rest the home slot (homeOf).
 */
export function mixOf(hi: number, lo: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
}

export function segmentOf(x: number): number {
  return x >>> (32 - SEG_BITS);
}

/**
 * The home slot of mixed key x in a segment whose `scale` is cap / 2^32: floor(y * cap / 2^32)
 * for the 32-bit y below, under cap, as the product is rounded to a double that stays under cap
 * (cap / 2^32 exceeds half an ulp of cap).
 */
export function homeOf(x: number, scale: number): number {
  return (((x << SEG_BITS) >>> 0) * scale) | 0;
}

export interface TableOptions {
  /** Words per slot: 2 (the fingerprint) or 3 (and a payload word). Default 2. */
  readonly stride?: 2 | 3;
  /** Slots to start with, over all segments (default 65,536). */
  readonly initialCapacity?: number;
  /** A segment grows when its load passes this (default 0.75). */
  readonly maxLoad?: number;
  /** A growing segment is multiplied by this (default 1.5; segments under 16,384 slots double). */
  readonly growth?: number;
  /** Entries in the cache of recently seen fingerprints, a power of two, or 0 for none (default 32,768: 256 KiB; stride 2 only). */
  readonly recent?: number;
}

/** Segments below this many slots (1M slots over the 64 segments) double when they grow. */
const SMALL_SEGMENT = 1 << 14;

export class SlotTable {
  readonly stride: number;
  private readonly segs: Int32Array[] = [];
  private readonly caps = new Int32Array(SEGMENTS);
  private readonly scales = new Float64Array(SEGMENTS);
  private readonly counts = new Int32Array(SEGMENTS);
  private readonly limits = new Int32Array(SEGMENTS);
  private readonly recent: Int32Array;
  private readonly recentMask: number;
  private count = 0;
  private peak = 0;
  private readonly maxLoad: number;
  private readonly growth: number;
  /** After insert() of a fingerprint already there, its payload (stride 3). */
  found = -1;

  constructor(options: TableOptions | number = {}) {
    const o: TableOptions = typeof options === 'number' ? { initialCapacity: options } : options;
    this.stride = o.stride ?? 2;
    this.maxLoad = o.maxLoad ?? 0.75;
    this.growth = o.growth ?? 1.5;
    if (!(this.maxLoad > 0 && this.maxLoad < 1)) throw new Error('maxLoad must be between 0 and 1');
    if (!(this.growth > 1)) throw new Error('growth must be more than 1');
    const per = Math.max(16, Math.ceil((o.initialCapacity ?? 1 << 16) / SEGMENTS));
    for (let s = 0; s < SEGMENTS; s++) this.setSegment(s, new Int32Array(per * this.stride));
    const r = this.stride === 2 ? (o.recent ?? 1 << 15) : 0;
    if (r !== 0 && (!(r >= 1) || (r & (r - 1)) !== 0)) throw new Error('the recent cache size must be a power of two');
    this.recent = new Int32Array(Math.max(1, r) * 2);
    this.recentMask = r === 0 ? -1 : r - 1;
  }

  private setSegment(s: number, slots: Int32Array): void {
    const cap = slots.length / this.stride;
    this.segs[s] = slots;
    this.caps[s] = cap;
    this.scales[s] = cap / 2 ** 32;
    this.limits[s] = Math.floor(cap * this.maxLoad);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    let n = this.recentMask < 0 ? 0 : this.recent.byteLength;
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

  /** Inserts the fingerprint; returns true if it was not there before. */
  insert(hi: number, lo: number): boolean {
    if (this.stride !== 2) return this.insertWith(hi, lo, 0);
    // The seen set's hot path: insertWith() for slots of two words, with the recent cache.
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1; // (0, 0) marks an empty slot
    const x = mixOf(hi, lo);
    const recentMask = this.recentMask;
    const recent = this.recent;
    const r = (x & recentMask) << 1;
    if (recentMask >= 0 && recent[r] === hi && recent[r + 1] === lo) return false;
    const s = x >>> (32 - SEG_BITS);
    const slots = this.segs[s];
    const cap = this.caps[s];
    let i = homeOf(x, this.scales[s]);
    for (;;) {
      const sh = slots[2 * i];
      const sl = slots[2 * i + 1];
      if (sh === hi && sl === lo) {
        if (recentMask >= 0) {
          recent[r] = hi;
          recent[r + 1] = lo;
        }
        return false;
      }
      if ((sh | sl) === 0) break;
      if (++i === cap) i = 0;
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    if (recentMask >= 0) {
      recent[r] = hi;
      recent[r + 1] = lo;
    }
    this.count++;
    if (++this.counts[s] > this.limits[s]) this.grow(s);
    return true;
  }

  /**
   * Inserts the fingerprint with `payload` (stride 3); returns true if it was not there before.
   * Otherwise `found` holds the stored payload (stride 3).
   */
  insertWith(hi: number, lo: number, payload: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1; // (0, 0) marks an empty slot
    const x = mixOf(hi, lo);
    const recentMask = this.recentMask;
    const recent = this.recent;
    const r = (x & recentMask) << 1;
    if (recentMask >= 0 && recent[r] === hi && recent[r + 1] === lo) return false;
    const s = x >>> (32 - SEG_BITS);
    const slots = this.segs[s];
    const cap = this.caps[s];
    const stride = this.stride;
    let i = homeOf(x, this.scales[s]);
    for (;;) {
      const at = stride * i;
      const sh = slots[at];
      const sl = slots[at + 1];
      if (sh === hi && sl === lo) {
        if (stride === 3) this.found = slots[at + 2];
        else if (recentMask >= 0) {
          recent[r] = hi;
          recent[r + 1] = lo;
        }
        return false;
      }
      if ((sh | sl) === 0) break;
      if (++i === cap) i = 0;
    }
    const at = stride * i;
    slots[at] = hi;
    slots[at + 1] = lo;
    if (stride === 3) slots[at + 2] = payload;
    else if (recentMask >= 0) {
      recent[r] = hi;
      recent[r + 1] = lo;
    }
    this.count++;
    if (++this.counts[s] > this.limits[s]) this.grow(s);
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    if (this.recentMask >= 0) {
      const r = (x & this.recentMask) << 1;
      if (this.recent[r] === hi && this.recent[r + 1] === lo) return true;
    }
    return this.slotOf(hi, lo, x) >= 0;
  }

  /** The payload stored with the fingerprint (stride 3), or -1 if it is absent. */
  get(hi: number, lo: number): number {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const at = this.slotOf(hi, lo, mixOf(hi, lo));
    return at < 0 ? -1 : this.stride === 3 ? this.segs[mixOf(hi, lo) >>> (32 - SEG_BITS)][at + 2] : 0;
  }

  /** Replaces the payload of a fingerprint that is in the table (stride 3). */
  setPayload(hi: number, lo: number, payload: number): void {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const at = this.slotOf(hi, lo, x);
    if (at < 0) throw new Error('setPayload of a fingerprint not in the table'); // callers insert first
    this.segs[x >>> (32 - SEG_BITS)][at + 2] = payload;
  }

  /** The word index of the fingerprint's slot in its segment, or -1. */
  private slotOf(hi: number, lo: number, x: number): number {
    const s = x >>> (32 - SEG_BITS);
    const slots = this.segs[s];
    const cap = this.caps[s];
    const stride = this.stride;
    let i = homeOf(x, this.scales[s]);
    for (;;) {
      const at = stride * i;
      const sh = slots[at];
      const sl = slots[at + 1];
      if (sh === hi && sl === lo) return at;
      if ((sh | sl) === 0) return -1;
      if (++i === cap) i = 0;
    }
  }

  /** Writes every fingerprint (hi, lo pairs, in no particular order) into out; returns how many. */
  entries(out: Int32Array): number {
    let n = 0;
    const stride = this.stride;
    for (let s = 0; s < SEGMENTS; s++) {
      const slots = this.segs[s];
      for (let j = 0, e = slots.length; j < e; j += stride) {
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
    const stride = this.stride;
    // Small segments double (fewer rehash rounds while a run is young); past SMALL_SEGMENT they
    // grow by `growth`, which bounds the bytes a state of a big run costs.
    const factor = oldCap < SMALL_SEGMENT ? Math.max(2, this.growth) : this.growth;
    const cap = Math.min(MAX_SEGMENT, Math.max(oldCap + 1, Math.floor(oldCap * factor)));
    if (cap <= oldCap || this.counts[s] >= cap) throw new Error(`the seen table is full (${this.count} fingerprints)`);
    const slots = new Int32Array(cap * stride);
    this.peak = Math.max(this.peak, this.bytes + slots.byteLength);
    const scale = cap / 2 ** 32;
    if (stride === 2) {
      for (let j = 0; j < 2 * oldCap; j += 2) {
        const hi = old[j];
        const lo = old[j + 1];
        if ((hi | lo) === 0) continue;
        let i = homeOf(mixOf(hi, lo), scale);
        while ((slots[2 * i] | slots[2 * i + 1]) !== 0) if (++i === cap) i = 0;
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
      }
    } else {
      for (let j = 0; j < 3 * oldCap; j += 3) {
        const hi = old[j];
        const lo = old[j + 1];
        if ((hi | lo) === 0) continue;
        let i = homeOf(mixOf(hi, lo), scale);
        while ((slots[3 * i] | slots[3 * i + 1]) !== 0) if (++i === cap) i = 0;
        slots[3 * i] = hi;
        slots[3 * i + 1] = lo;
        slots[3 * i + 2] = old[j + 2];
      }
    }
    this.setSegment(s, slots);
  }
}
