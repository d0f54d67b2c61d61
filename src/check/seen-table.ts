// The seen set: an open-addressing hash table of 64-bit fingerprints in a typed array (two
// 32-bit words per slot, linear probing, grows by doubling at 3/4 load). It stores fingerprints
// only; parents and actions live in the state store, indexed by state id.

export interface SeenTable {
  /** Inserts the fingerprint; returns true if it was not there before. */
  insert(hi: number, lo: number): boolean;
  has(hi: number, lo: number): boolean;
  readonly size: number;
  /** Bytes held by the table's arrays. */
  readonly bytes: number;
}

export class FingerprintTable implements SeenTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  insert(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const slots = this.slots;
    const mask = this.mask;
    let i = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      const sh = slots[2 * i];
      const sl = slots[2 * i + 1];
      if (sh === 0 && sl === 0) break;
      if (sh === hi && sl === lo) return false;
      i = (i + 1) & mask;
    }
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    if (++this.count > this.limit) this.grow();
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    const slots = this.slots;
    const mask = this.mask;
    let i = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      const sh = slots[2 * i];
      const sl = slots[2 * i + 1];
      if (sh === 0 && sl === 0) return false;
      if (sh === hi && sl === lo) return true;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
    const slots = this.slots;
    const mask = this.mask;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j];
      const lo = old[j + 1];
      if (hi === 0 && lo === 0) continue;
      let i = (lo ^ (hi >>> 7)) & mask;
      while (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = hi;
      slots[2 * i + 1] = lo;
    }
  }
}
