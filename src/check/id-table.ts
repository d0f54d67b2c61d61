// Fingerprint -> state id, and which states have been expanded: what the cycle proviso of the
// partial-order reduction asks of a successor ("has it been expanded already?"). Kept only by
// runs with --por, as the seen set or beside it: open addressing over (hi, lo, id) triples,
// linear probing, doubling at 3/4 load (16-32 bytes a state), and one byte per state id for
// "expanded".
import { mixOf } from './seen-table';

export class IdTable {
  private slots = new Int32Array(3 << 12);
  private cap = 1 << 12;
  private count = 0;
  private done = new Uint8Array(1 << 12);
  private peak = 0;

  /**
   * As the run's seen set (a --por run over plain fingerprints, where the search stores each
   * new state right after inserting it, so the n-th insertion is state id n): inserts the
   * fingerprint with the next id; true if it was not there. One table instead of the seen
   * table and this one side by side: a lookup less per new state, and 11-16 bytes less a state.
   */
  insert(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) lo = 1;
    if (4 * (this.count + 1) > 3 * this.cap) this.grow();
    const s = this.slots;
    const mask = this.cap - 1;
    for (let i = mixOf(hi, lo) & mask; ; i = (i + 1) & mask) {
      const h = s[3 * i];
      const l = s[3 * i + 1];
      if (h === hi && l === lo) return false;
      if ((h | l) === 0) {
        s[3 * i] = hi;
        s[3 * i + 1] = lo;
        s[3 * i + 2] = this.count++;
        return true;
      }
    }
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

  /** Records that the state with this fingerprint has id `id`. */
  set(hi: number, lo: number, id: number): void {
    if ((hi | lo) === 0) lo = 1;
    if (4 * (this.count + 1) > 3 * this.cap) this.grow();
    this.put(this.slots, this.cap, hi, lo, id);
    this.count++;
  }

  /** The id of the state with this fingerprint, or -1. */
  get(hi: number, lo: number): number {
    if ((hi | lo) === 0) lo = 1;
    const s = this.slots;
    const mask = this.cap - 1;
    for (let i = mixOf(hi, lo) & mask; ; i = (i + 1) & mask) {
      const h = s[3 * i];
      const l = s[3 * i + 1];
      if (h === hi && l === lo) return s[3 * i + 2];
      if ((h | l) === 0) return -1;
    }
  }

  markExpanded(id: number): void {
    if (id >= this.done.length) {
      const d = new Uint8Array(Math.max(id + 1, this.done.length * 2));
      d.set(this.done);
      this.done = d;
    }
    this.done[id] = 1;
  }

  expanded(id: number): boolean {
    return id < this.done.length && this.done[id] === 1;
  }

  get bytes(): number {
    return this.slots.byteLength + this.done.byteLength;
  }

  private put(s: Int32Array, cap: number, hi: number, lo: number, id: number): void {
    const mask = cap - 1;
    let i = mixOf(hi, lo) & mask;
    while ((s[3 * i] | s[3 * i + 1]) !== 0) i = (i + 1) & mask;
    s[3 * i] = hi;
    s[3 * i + 1] = lo;
    s[3 * i + 2] = id;
  }

  private grow(): void {
    const old = this.slots;
    const oldCap = this.cap;
    this.cap = oldCap * 2;
    this.slots = new Int32Array(3 * this.cap);
    this.peak = Math.max(this.peak, old.byteLength + this.slots.byteLength + this.done.byteLength);
    for (let j = 0; j < oldCap; j++) {
      const hi = old[3 * j];
      const lo = old[3 * j + 1];
      if ((hi | lo) !== 0) this.put(this.slots, this.cap, hi, lo, old[3 * j + 2]);
    }
  }
}
