// Fingerprint -> state id, and which states have been expanded: what the cycle proviso of the
// partial-order reduction asks of a successor ("has it been expanded already?"), and what a run
// that records the state graph needs for the successors it has seen before. As the seen set
// (insert numbers the n-th new fingerprint n) or beside another one (set). On the probing core
// (probe.ts) with slots of (hi, lo, id); one byte per state id for "expanded".
import { SlotTable } from './probe';
import type { SeenSet } from './seen-set';

export class IdTable implements SeenSet {
  private readonly table = new SlotTable({ stride: 3, initialCapacity: 1 << 14 });
  private done = new Uint8Array(1 << 12);
  private peak = 0;

  /**
   * As the run's seen set (a search that stores each new state right after inserting it, so the
   * n-th insertion is state id n): inserts the fingerprint with the next id; true if it was not
   * there. One table instead of the seen table and this one side by side: a lookup less per new
   * state, and 11-16 bytes less a state.
   */
  insert(hi: number, lo: number): boolean {
    return this.table.insertWith(hi, lo, this.table.size);
  }

  has(hi: number, lo: number): boolean {
    return this.table.get(hi, lo) >= 0;
  }

  /** After insert() returned false: the id of the state it found, from the same probe. */
  foundId(): number {
    return this.table.found;
  }

  /** The id of the state with this fingerprint, or -1. */
  idOf(hi: number, lo: number): number {
    return this.table.get(hi, lo);
  }

  /** The same as idOf. */
  get(hi: number, lo: number): number {
    return this.table.get(hi, lo);
  }

  /** Records that the state with this fingerprint has id `id` (ids kept beside another seen set). */
  set(hi: number, lo: number, id: number): void {
    if (!this.table.insertWith(hi, lo, id)) this.table.setPayload(hi, lo, id);
  }

  get size(): number {
    return this.table.size;
  }

  get bytes(): number {
    return this.table.bytes + this.done.byteLength;
  }

  get peakBytes(): number {
    return Math.max(this.peak, this.table.peakBytes + this.done.byteLength);
  }

  markExpanded(id: number): void {
    if (id >= this.done.length) {
      const d = new Uint8Array(Math.max(id + 1, this.done.length * 2));
      d.set(this.done);
      this.peak = Math.max(this.peak, this.table.bytes + this.done.byteLength + d.byteLength);
      this.done = d;
    }
    this.done[id] = 1;
  }

  expanded(id: number): boolean {
    return id < this.done.length && this.done[id] === 1;
  }
}
