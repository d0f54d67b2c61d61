// Fingerprint -> state id, and which states have been expanded: what the cycle proviso of the
// partial-order reduction asks of a successor ("has it been expanded already?"). Kept only by
// runs with --por, as the seen set or beside it: 64 segments of open addressing over (hi, lo, id)
// triples, linear probing, each segment doubling on its own at 3/4 load (16-32 bytes a state,
// and a growth step holds one segment, 1/64 of the table, twice), and one byte per state id for
// "expanded".
import { mixOf } from './seen-table';

const SEG_BITS = 6;
const SEGMENTS = 1 << SEG_BITS;
/** Slots per segment to start with (so 16,384 over the table). */
const FIRST_SEGMENT = 256;

export class IdTable {
  private readonly segs: Int32Array[] = [];
  /** Slots per segment minus one (sizes are powers of two). */
  private readonly masks = new Int32Array(SEGMENTS);
  private readonly counts = new Int32Array(SEGMENTS);
  private count = 0;
  private slotBytes = 0;
  private done = new Uint8Array(1 << 12);
  private peak = 0;
  /** After insert() returned false: the id of the state found. */
  found = -1;

  constructor() {
    for (let s = 0; s < SEGMENTS; s++) {
      this.segs.push(new Int32Array(3 * FIRST_SEGMENT));
      this.masks[s] = FIRST_SEGMENT - 1;
    }
    this.slotBytes = SEGMENTS * 3 * 4 * FIRST_SEGMENT;
  }

  /**
   * As the run's seen set (a --por run over plain fingerprints, where the search stores each
   * new state right after inserting it, so the n-th insertion is state id n): inserts the
   * fingerprint with the next id; true if it was not there. One table instead of the seen
   * table and this one side by side: a lookup less per new state, and 11-16 bytes less a state.
   */
  insert(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const seg = x >>> (32 - SEG_BITS);
    const s = this.segs[seg];
    const i = this.find(s, this.masks[seg], x, hi, lo);
    if (s[3 * i] !== 0 || s[3 * i + 1] !== 0) {
      this.found = s[3 * i + 2];
      return false;
    }
    s[3 * i] = hi;
    s[3 * i + 1] = lo;
    s[3 * i + 2] = this.count++;
    if (4 * ++this.counts[seg] > 3 * (this.masks[seg] + 1)) this.grow(seg);
    return true;
  }

  has(hi: number, lo: number): boolean {
    return this.get(hi, lo) >= 0;
  }

  get size(): number {
    return this.count;
  }

  get peakBytes(): number {
    return Math.max(this.peak, this.bytes);
  }

  /** Records that the state with this fingerprint has id `id` (ids kept beside another seen set). */
  set(hi: number, lo: number, id: number): void {
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const seg = x >>> (32 - SEG_BITS);
    put(this.segs[seg], this.masks[seg], x, hi, lo, id);
    this.count++;
    if (4 * ++this.counts[seg] > 3 * (this.masks[seg] + 1)) this.grow(seg);
  }

  /** The id of the state with this fingerprint, or -1. */
  get(hi: number, lo: number): number {
    if ((hi | lo) === 0) lo = 1;
    const x = mixOf(hi, lo);
    const seg = x >>> (32 - SEG_BITS);
    const s = this.segs[seg];
    const i = this.find(s, this.masks[seg], x, hi, lo);
    return s[3 * i] !== 0 || s[3 * i + 1] !== 0 ? s[3 * i + 2] : -1;
  }

  /** The slot holding (hi, lo) in segment s, or the empty slot where it would go. */
  private find(s: Int32Array, mask: number, x: number, hi: number, lo: number): number {
    for (let i = x & mask; ; i = (i + 1) & mask) {
      const h = s[3 * i];
      const l = s[3 * i + 1];
      if ((h === hi && l === lo) || (h | l) === 0) return i;
    }
  }

  markExpanded(id: number): void {
    if (id >= this.done.length) {
      const d = new Uint8Array(Math.max(id + 1, this.done.length * 2));
      d.set(this.done);
      this.peak = Math.max(this.peak, this.slotBytes + this.done.byteLength + d.byteLength);
      this.done = d;
    }
    this.done[id] = 1;
  }

  expanded(id: number): boolean {
    return id < this.done.length && this.done[id] === 1;
  }

  get bytes(): number {
    return this.slotBytes + this.done.byteLength;
  }

  private grow(seg: number): void {
    const old = this.segs[seg];
    const cap = (this.masks[seg] + 1) * 2;
    const fresh = new Int32Array(3 * cap);
    this.peak = Math.max(this.peak, this.bytes + fresh.byteLength);
    const mask = cap - 1;
    for (let j = 0; 3 * j < old.length; j++) {
      const hi = old[3 * j];
      const lo = old[3 * j + 1];
      if ((hi | lo) !== 0) put(fresh, mask, mixOf(hi, lo), hi, lo, old[3 * j + 2]);
    }
    this.segs[seg] = fresh;
    this.masks[seg] = mask;
    this.slotBytes += fresh.byteLength - old.byteLength;
  }
}

/** Puts a fingerprint known to be absent into the first free slot from its home (x & mask). */
function put(s: Int32Array, mask: number, x: number, hi: number, lo: number, id: number): void {
  let i = x & mask;
  while ((s[3 * i] | s[3 * i + 1]) !== 0) i = (i + 1) & mask;
  s[3 * i] = hi;
  s[3 * i + 1] = lo;
  s[3 * i + 2] = id;
}
