// The seen set of an `--exact` run: whole states (the packed bytes of the state, or of its
// representative under symmetry or a view) stored beside their 64-bit fingerprints, so two
// different states with the same fingerprint are both kept and explored, and every such
// fingerprint collision is counted. It costs the layout's width in bytes per state on top of the
// fingerprint: meant for small models and for checking the fingerprint search. Also the
// test-only narrowed fingerprint that makes collisions happen on purpose. Not the default seen
// table (seen-table.ts), which stores fingerprints alone.
import { FingerprintTable, mixOf } from './seen-table';

/** What the search asks of its seen set; `state` is the state as the frontier holds it. */
export interface SeenSet {
  /** Inserts the state with this fingerprint; returns true if it was not there before. */
  insert(hi: number, lo: number, state?: Uint8Array): boolean;
  /**
   * Whether the state is there. Without `state`, an exact set answers whether some state with
   * this fingerprint is (the fingerprint search's answer; callers use it where "seen" is the
   * conservative answer).
   */
  has(hi: number, lo: number, state?: Uint8Array): boolean;
  readonly size: number;
  /** Bytes held by the set's arrays. */
  readonly bytes: number;
  /** The most bytes held at once. */
  readonly peakBytes: number;
  /** Exact sets only: new states whose fingerprint an earlier, different state already had. */
  readonly collisions?: number;
}

export interface SeenSetOptions {
  /** Store whole states too (default false: fingerprints alone). */
  readonly exact?: boolean;
  /** For tests: keep only the low `fingerprintBits` bits (1..64) of each fingerprint. */
  readonly fingerprintBits?: number;
}

/** The seen set a run uses. `toRepresentative` is the run's (see explore.ts representative()). */
export function seenSetFor(
  options: SeenSetOptions,
  width: number,
  toRepresentative: ((state: Uint8Array, out: Uint8Array) => void) | undefined,
): SeenSet {
  const base: SeenSet = options.exact ? new ExactTable(width, toRepresentative) : new FingerprintTable();
  const bits = options.fingerprintBits;
  if (bits === undefined || bits === 64) return base;
  return new NarrowTable(base, bits);
}

/** States per chunk of the state arena. */
const STATE_CHUNK = 4096;

/**
 * Open addressing over the fingerprints (three int32 words a slot: hi, lo, and 1 + the index of
 * the newest state with that fingerprint; 0 marks an empty slot), linear probing, doubling at
 * half load. The states sit in an arena of fixed-size chunks by index; states that share a
 * fingerprint are chained through `links` (1 + the index of the next one, 0 at the end).
 */
export class ExactTable implements SeenSet {
  private slots: Int32Array;
  private mask: number;
  private used = 0;
  private readonly chunks: Uint8Array[] = [];
  private links = new Int32Array(1024);
  private count = 0;
  private found = 0;
  private peak = 0;
  /** The key being looked up: the state, or its representative. */
  private readonly key: Uint8Array;

  constructor(
    private readonly width: number,
    private readonly toRepresentative?: (state: Uint8Array, out: Uint8Array) => void,
    initialCapacity = 1024,
  ) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Int32Array(cap * 3);
    this.mask = cap - 1;
    this.key = new Uint8Array(width);
  }

  get size(): number {
    return this.count;
  }

  get collisions(): number {
    return this.found;
  }

  get bytes(): number {
    return this.slots.byteLength + this.links.byteLength + this.chunks.length * STATE_CHUNK * this.width;
  }

  get peakBytes(): number {
    return Math.max(this.peak, this.bytes);
  }

  insert(hi: number, lo: number, state?: Uint8Array): boolean {
    const key = this.keyOf(state);
    const s = this.find(hi | 0, lo | 0);
    const slots = this.slots;
    const head = slots[s + 2];
    if (head === 0) {
      slots[s] = hi;
      slots[s + 1] = lo;
      slots[s + 2] = this.add(key, 0) + 1;
      if (++this.used * 2 > this.mask + 1) this.grow();
      return true;
    }
    for (let i = head; i !== 0; i = this.links[i - 1]) if (this.equals(i - 1, key)) return false;
    this.found++;
    slots[s + 2] = this.add(key, head) + 1;
    return true;
  }

  has(hi: number, lo: number, state?: Uint8Array): boolean {
    const head = this.slots[this.find(hi | 0, lo | 0) + 2];
    if (head === 0) return false;
    if (state === undefined) return true;
    const key = this.keyOf(state);
    for (let i = head; i !== 0; i = this.links[i - 1]) if (this.equals(i - 1, key)) return true;
    return false;
  }

  private keyOf(state: Uint8Array | undefined): Uint8Array {
    // The search always passes the state to an exact set's insert(); a missing one is a wiring bug.
    if (state === undefined || state.length !== this.width) throw new Error('the exact seen set needs the whole state');
    if (this.toRepresentative === undefined) return state;
    this.toRepresentative(state, this.key);
    return this.key;
  }

  /** The slot (word offset) holding this fingerprint, or the empty slot where it would go. */
  private find(hi: number, lo: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = mixOf(hi, lo) & mask;
    for (;;) {
      const s = i * 3;
      if (slots[s + 2] === 0 || (slots[s] === hi && slots[s + 1] === lo)) return s;
      i = (i + 1) & mask;
    }
  }

  /** Appends a state to the arena, chained to `next` (1 + index, or 0); returns its index. */
  private add(key: Uint8Array, next: number): number {
    const n = this.count++;
    const c = Math.floor(n / STATE_CHUNK);
    if (c === this.chunks.length) this.chunks.push(new Uint8Array(STATE_CHUNK * this.width));
    this.chunks[c].set(key, (n % STATE_CHUNK) * this.width);
    if (n === this.links.length) {
      const links = new Int32Array(this.links.length * 2);
      this.peak = Math.max(this.peak, this.bytes + links.byteLength);
      links.set(this.links);
      this.links = links;
    }
    this.links[n] = next;
    return n;
  }

  private equals(index: number, key: Uint8Array): boolean {
    const chunk = this.chunks[Math.floor(index / STATE_CHUNK)];
    const at = (index % STATE_CHUNK) * this.width;
    for (let b = 0; b < this.width; b++) if (chunk[at + b] !== key[b]) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(cap * 3);
    this.peak = Math.max(this.peak, this.bytes + slots.byteLength);
    const mask = cap - 1;
    for (let s = 0; s < old.length; s += 3) {
      if (old[s + 2] === 0) continue;
      let i = mixOf(old[s], old[s + 1]) & mask;
      while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
      slots[i * 3] = old[s];
      slots[i * 3 + 1] = old[s + 1];
      slots[i * 3 + 2] = old[s + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * For tests: a seen set whose fingerprints keep only their low `bits` bits (the low word first),
 * so that different states collide as often as wanted. The search itself is unchanged.
 */
export class NarrowTable implements SeenSet {
  private readonly hiMask: number;
  private readonly loMask: number;

  constructor(
    private readonly inner: SeenSet,
    bits: number,
  ) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new Error(`fingerprintBits must be a whole number from 1 to 64, got ${bits}`);
    this.loMask = bits >= 32 ? -1 : (1 << bits) - 1;
    this.hiMask = bits <= 32 ? 0 : bits === 64 ? -1 : (1 << (bits - 32)) - 1;
  }

  get size(): number {
    return this.inner.size;
  }

  get bytes(): number {
    return this.inner.bytes;
  }

  get peakBytes(): number {
    return this.inner.peakBytes;
  }

  get collisions(): number | undefined {
    return this.inner.collisions;
  }

  insert(hi: number, lo: number, state?: Uint8Array): boolean {
    return this.inner.insert(hi & this.hiMask, lo & this.loMask, state);
  }

  has(hi: number, lo: number, state?: Uint8Array): boolean {
    return this.inner.has(hi & this.hiMask, lo & this.loMask, state);
  }
}
