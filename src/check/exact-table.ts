// The seen set of an `--exact` run: whole states (the packed bytes of the state, or of its
// representative under symmetry or a view) stored beside their 64-bit fingerprints, so two
// different states with the same fingerprint are both kept and explored, and every such
// fingerprint collision is counted. It costs the packed width in bytes per state on top of the
// fingerprint: meant for small models and for checking the fingerprint search. The index is
// the probing core (probe.ts) with slots of (hi, lo, 1 + the newest state with that fingerprint).
import { SlotTable } from './probe';
import type { SeenFigures, SeenSet } from './seen-set';

/** States per chunk of the state arena. */
const STATE_CHUNK = 4096;
/**
 * The index keys fingerprints with this mixed into the high half: the probing core stores the
 * empty-slot mark (0, 0) as (0, 1), and a narrowed fingerprint (high half 0) would otherwise
 * count (0, 0) and (0, 1) as one fingerprint.
 */
const KEY = 0x5bd1e995;

/**
 * States sit in an arena of fixed-size chunks by index; states that share a fingerprint are
 * chained through `links` (1 + the index of the next one, 0 at the end).
 */
export class ExactTable implements SeenSet {
  private readonly index = new SlotTable({ stride: 3, initialCapacity: 1 << 10 });
  private readonly chunks: Uint8Array[] = [];
  private links = new Int32Array(1024);
  private count = 0;
  private found = 0;
  private peak = 0;

  constructor(private readonly width: number) {}

  get size(): number {
    return this.count;
  }

  get collisions(): number {
    return this.found;
  }

  figures(): SeenFigures {
    return { collisions: this.found };
  }

  get bytes(): number {
    return this.index.bytes + this.links.byteLength + this.chunks.length * STATE_CHUNK * this.width;
  }

  get peakBytes(): number {
    return Math.max(this.peak, this.index.peakBytes + this.links.byteLength + this.chunks.length * STATE_CHUNK * this.width);
  }

  insert(hi: number, lo: number, key?: Uint8Array): boolean {
    const k = this.keyOf(key);
    const n = this.count;
    if (this.index.insertWith(hi ^ KEY, lo, n + 1)) {
      this.add(k, 0);
      return true;
    }
    const head = this.index.found;
    for (let i = head; i !== 0; i = this.links[i - 1]) if (this.equals(i - 1, k)) return false;
    this.found++;
    this.add(k, head);
    this.index.setPayload(hi ^ KEY, lo, n + 1);
    return true;
  }

  has(hi: number, lo: number, key?: Uint8Array): boolean {
    const head = this.index.get(hi ^ KEY, lo);
    if (head <= 0) return false;
    if (key === undefined) return true;
    const k = this.keyOf(key);
    for (let i = head; i !== 0; i = this.links[i - 1]) if (this.equals(i - 1, k)) return true;
    return false;
  }

  private keyOf(key: Uint8Array | undefined): Uint8Array {
    // The search always passes the packed state to an exact set's insert(); a missing one is a wiring bug.
    if (key === undefined || key.length < this.width) throw new Error('the exact seen set needs the whole state');
    return key;
  }

  /** Appends a state to the arena, chained to `next` (1 + index, or 0); returns its index. */
  private add(key: Uint8Array, next: number): number {
    const n = this.count++;
    const c = Math.floor(n / STATE_CHUNK);
    if (c === this.chunks.length) this.chunks.push(new Uint8Array(STATE_CHUNK * this.width));
    this.chunks[c].set(key.subarray(0, this.width), (n % STATE_CHUNK) * this.width);
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
}
