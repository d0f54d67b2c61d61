// The seen table of the parallel search, in SharedArrayBuffers every worker maps: 64 segments of
// slots of three int32 words, (claim, hi, lo), with linear probing. A worker
// claims an empty slot with Atomics.compareExchange on its claim word, writes the fingerprint,
// then publishes it with Atomics.store; the claim word shares the fingerprint's cache line.
// The claim word is the tag of the chunk that owns the fingerprint: chunk c of a level has tag
// levelBase + c, and each level's base is above every tag of the levels before it, so a tag at
// or below a chunk's own means "already seen" (an earlier level, or a lower chunk of this one)
// and nothing has to be committed between levels. Within a level the lowest-numbered chunk that
// generated a fingerprint owns it, so that the level's new states can be numbered as the
// sequential search numbers them (ADR 0003). Segments grow only while every worker is paused.
// The addressing (segments, home slots, linear probing) is the probing core's (probe.ts); the
// claims are atomic here.
import { SEG_BITS, SEGMENTS, homeOf, mixOf } from './probe';

export const TAG_EMPTY = 0;
/** A worker is writing the fingerprint; readers wait for the owner tag. */
export const TAG_BUSY = 1;
/** An initial state. */
export const TAG_OLD = 2;
/** The base tag of the first level: chunk c of a level with base b has tag b + c. */
export const TAG_FIRST_LEVEL = 3;
/** claim(): the fingerprint was already there (seen in an earlier level or by a lower chunk). */
export const CLAIM_DUPLICATE = -1;
/** claim(): the fingerprint is new, claimed in an empty slot. */
export const CLAIM_NEW = 0;

/** A slot: claim, hi, lo. */
const SLOT_BYTES = 12;
/** Each segment's claim counter sits on its own 64-byte line. */
const COUNT_STRIDE = 16;
/**
 * Claims a thread makes in a segment before adding them to its shared count: a segment may pass
 * its limit by this much per thread before growth is asked for (segments have at least 4,096
 * slots, a quarter of them above the limit).
 */
const COUNT_BATCH = 32;

/** Control words shared by the coordinator and the workers. */
export const CONTROL_GROW = 0;
export const CONTROL_STOP = 1;
/** Bumped by a worker after writing grown segments, read before mapping them. */
export const CONTROL_FENCE = 2;
const CONTROL_WORDS = 16;

/** The shared memory of a table: what a worker needs to map it. */
export interface SharedTableBuffers {
  /** Per segment: three int32 words per slot (claim, hi, lo). */
  readonly slots: readonly SharedArrayBuffer[];
  /** Int32 per segment (strided): fingerprints claimed. */
  readonly counts: SharedArrayBuffer;
  /** Int32 per segment: a claim past this asks for growth. */
  readonly limits: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

export interface SegmentUpdate {
  readonly segment: number;
  readonly slots: SharedArrayBuffer;
}

export class SharedTable {
  private segs: Int32Array[] = [];
  /** Claims of this thread not yet added to `counts`, per segment. */
  private readonly pending = new Int32Array(SEGMENTS);
  private readonly caps = new Int32Array(SEGMENTS);
  private readonly scales = new Float64Array(SEGMENTS);
  readonly counts: Int32Array;
  readonly limits: Int32Array;
  readonly control: Int32Array;

  constructor(readonly buffers: SharedTableBuffers) {
    this.counts = new Int32Array(buffers.counts);
    this.limits = new Int32Array(buffers.limits);
    this.control = new Int32Array(buffers.control);
    for (let s = 0; s < SEGMENTS; s++) this.map(s, buffers.slots[s]);
  }

  /** New shared memory with `perSegment` slots in each segment. */
  static allocate(perSegment: number, maxLoad = 0.75): SharedTableBuffers {
    const slots: SharedArrayBuffer[] = [];
    for (let s = 0; s < SEGMENTS; s++) slots.push(new SharedArrayBuffer(perSegment * SLOT_BYTES));
    const limits = new SharedArrayBuffer(SEGMENTS * 4);
    new Int32Array(limits).fill(Math.floor(perSegment * maxLoad));
    return { slots, counts: new SharedArrayBuffer(SEGMENTS * COUNT_STRIDE * 4), limits, control: new SharedArrayBuffer(CONTROL_WORDS * 4) };
  }

  private map(s: number, slots: SharedArrayBuffer): void {
    this.segs[s] = new Int32Array(slots);
    const cap = slots.byteLength / SLOT_BYTES;
    this.caps[s] = cap;
    this.scales[s] = cap / 2 ** 32;
  }

  /** Maps the segments a growth step replaced. */
  remap(updates: readonly SegmentUpdate[]): void {
    for (const u of updates) this.map(u.segment, u.slots);
  }

  capacity(s: number): number {
    return this.caps[s];
  }

  /** The bytes of a segment of `slots` slots. */
  static segmentBytes(slots: number): number {
    return slots * SLOT_BYTES;
  }

  /** The bytes of segment s grown `growth` times (rehash() copies it there). */
  grownBytes(s: number, growth: number): number {
    return Math.floor(this.caps[s] * growth) * SLOT_BYTES;
  }

  /** Adds this thread's pending claims of a segment to its shared count; raises CONTROL_GROW past the limit. */
  private flushSegment(s: number): void {
    const n = this.pending[s];
    this.pending[s] = 0;
    if (Atomics.add(this.counts, s * COUNT_STRIDE, n) + n > this.limits[s]) Atomics.store(this.control, CONTROL_GROW, 1);
  }

  /**
   * Adds every pending claim to the shared counts: a thread calls it before it stops (at a
   * growth pause or the end of its part of a level), so that counts are exact when read.
   */
  flush(): void {
    for (let s = 0; s < SEGMENTS; s++) if (this.pending[s] !== 0) this.flushSegment(s);
  }

  /** Fingerprints in a segment: the shared count, and this thread's claims not yet added to it. */
  count(s: number): number {
    return Atomics.load(this.counts, s * COUNT_STRIDE) + this.pending[s];
  }

  /** Fingerprints stored (committed or claimed). */
  get size(): number {
    let n = 0;
    for (let s = 0; s < SEGMENTS; s++) n += this.count(s);
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (let s = 0; s < SEGMENTS; s++) n += this.caps[s] * SLOT_BYTES;
    return n;
  }

  /**
   * The chunk tagged `myTag` meets a successor. Returns CLAIM_NEW if it claimed an empty slot,
   * the tag it replaced if it took the fingerprint over from a higher-numbered chunk of the same
   * level (that chunk no longer owns it), or CLAIM_DUPLICATE if the fingerprint is an earlier
   * level's or owned by this or a lower-numbered chunk. A claim that passes its segment's limit
   * sets CONTROL_GROW.
   */
  claim(hi: number, lo: number, myTag: number): number {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const s = x >>> (32 - SEG_BITS);
    const w = this.segs[s];
    const cap = this.caps[s];
    let i = homeOf(x, this.scales[s]);
    for (let probes = 0; probes <= cap; ) {
      const at = 3 * i;
      // Plain reads first (an atomic load costs a fence on every probe). A slot's words go
      // from 0 to their final value once, so two nonzero halves are the whole fingerprint.
      const h0 = w[at + 1];
      const l0 = w[at + 2];
      if (h0 !== 0 && l0 !== 0) {
        if (h0 !== hi || l0 !== lo) {
          if (++i === cap) i = 0;
          probes++;
          continue;
        }
        // Ours. Owner tags only ever decrease during a level (a lower chunk takes over), so a
        // stale tag at or below ours already means a duplicate; a higher one is CASed.
        let t = w[at];
        while (t === TAG_BUSY) t = Atomics.load(w, at);
        for (;;) {
          if (t <= myTag) return CLAIM_DUPLICATE;
          const prev = Atomics.compareExchange(w, at, t, myTag);
          if (prev === t) return t;
          t = prev;
        }
      }
      const t = Atomics.load(w, at);
      if (t === TAG_EMPTY) {
        if (Atomics.compareExchange(w, at, TAG_EMPTY, TAG_BUSY) !== TAG_EMPTY) continue;
        w[at + 1] = hi;
        w[at + 2] = lo;
        Atomics.store(w, at, myTag);
        // Counted locally and added to the shared count in batches: two threads adding to the
        // same counter on every claim bounce its cache line between the cores.
        if (++this.pending[s] >= COUNT_BATCH) this.flushSegment(s);
        return CLAIM_NEW;
      }
      if (t === TAG_BUSY) continue; // a claim in flight: its fingerprint is a moment away
      // Published, with a zero half (or seen before the Atomics.load): compare exactly.
      if (w[at + 1] === hi && w[at + 2] === lo) {
        let u = t;
        for (;;) {
          if (u <= myTag) return CLAIM_DUPLICATE;
          const prev = Atomics.compareExchange(w, at, u, myTag);
          if (prev === u) return u;
          u = prev;
        }
      }
      if (++i === cap) i = 0;
      probes++;
    }
    throw new Error(`a segment of the shared seen table is full (${this.count(s)} of ${cap} slots)`);
  }

  /** Whether the table holds a fingerprint. */
  has(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const s = x >>> (32 - SEG_BITS);
    const w = this.segs[s];
    const cap = this.caps[s];
    let i = homeOf(x, this.scales[s]);
    for (let probes = 0; probes <= cap; ) {
      const at = 3 * i;
      const h0 = w[at + 1];
      const l0 = w[at + 2];
      if (h0 === 0 || l0 === 0) {
        const t = Atomics.load(w, at);
        if (t === TAG_EMPTY) return false;
        if (t === TAG_BUSY) continue;
      }
      if (w[at + 1] === hi && w[at + 2] === lo) return true;
      if (++i === cap) i = 0;
      probes++;
    }
    return false;
  }

  /** Inserts an initial state's fingerprint with no other writer running; false if it was there. */
  insertOld(hi: number, lo: number): boolean {
    return this.claim(hi, lo, TAG_OLD) === CLAIM_NEW;
  }

  /** Segments whose load passed `load`. */
  crowded(load: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < SEGMENTS; s++) if (this.count(s) > this.caps[s] * load) out.push(s);
    return out;
  }

  /** Copies a segment into a bigger one (every worker paused). */
  static rehash(from: Int32Array, to: Int32Array): void {
    const cap = to.length / 3;
    const scale = cap / 2 ** 32;
    for (let j = 0; j < from.length; j += 3) {
      const t = from[j];
      if (t === TAG_EMPTY) continue;
      const hi = from[j + 1];
      const lo = from[j + 2];
      let i = homeOf(mixOf(hi, lo), scale);
      while (to[3 * i] !== TAG_EMPTY) if (++i === cap) i = 0;
      to[3 * i] = t;
      to[3 * i + 1] = hi;
      to[3 * i + 2] = lo;
    }
  }

  segment(s: number): Int32Array {
    return this.segs[s];
  }
}
