// The seen set: what the search asks of the table that decides whether a state is new, and which
// table kind a run gets: fingerprints alone (probe.ts), with state ids (id-table.ts), whole
// states (exact-table.ts), spilling to disk (disk-table.ts), or, for tests, narrowed fingerprints.
// Not the parallel search's shared table (shared-table.ts), which its workers claim with atomics.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskTable } from './disk-table';
import { ExactTable } from './exact-table';
import { IdTable } from './id-table';
import { SlotTable } from './probe';

/** Figures a table kind adds to a run's stats. */
export interface SeenFigures {
  /** Exact sets: new states whose fingerprint an earlier, different state already had. */
  readonly collisions?: number;
  /** Spilling sets: fingerprints on disk, and merges made. */
  readonly spilled?: number;
  readonly merges?: number;
}

export interface SeenSet {
  /** Inserts the state with this fingerprint; true if it was not there. `key`: the packed state (exact sets compare it). */
  insert(hi: number, lo: number, key?: Uint8Array): boolean;
  /**
   * Whether the state is there. Without `key`, an exact set answers whether some state with this
   * fingerprint is (callers use that where "seen" is the conservative answer).
   */
  has(hi: number, lo: number, key?: Uint8Array): boolean;
  /** Sets that number their states in insertion order (IdTable): the id of the state with this fingerprint, or -1. */
  idOf?(hi: number, lo: number): number;
  /** Sets that number their states: after insert() returned false, the id of the state found (the same probe). */
  foundId?(): number;
  readonly size: number;
  /** Bytes held by the set's arrays, now and at most. */
  readonly bytes: number;
  readonly peakBytes: number;
  figures?(): SeenFigures;
  /** Frees what the set holds outside the heap (a spilling set's files). */
  close?(): void;
}

export interface SeenSetOptions {
  /** Store whole states too (default false: fingerprints alone). */
  readonly exact?: boolean;
  /** Number the states (the ids of states seen before are then known). */
  readonly ids?: boolean;
  /** Keep at most `memoryEntries` fingerprints in memory, the rest in sorted runs on disk, in `dir` or a fresh temporary directory removed at close(). */
  readonly spill?: { readonly memoryEntries: number; readonly dir?: string };
  /** For tests: keep only the low `fingerprintBits` bits (1..64) of each fingerprint. */
  readonly fingerprintBits?: number;
}

/** The seen set of a run. The options are exclusive where they would need two tables in one (the caller refuses those). */
export function seenSetFor(options: SeenSetOptions, width: number): SeenSet {
  let base: SeenSet;
  if (options.spill) base = spillingSet(options.spill);
  else if (options.exact) base = new ExactTable(width);
  else if (options.ids) base = new IdTable();
  else base = new SlotTable();
  const bits = options.fingerprintBits;
  if (bits === undefined || bits === 64) return base;
  return new NarrowTable(base, bits);
}

function spillingSet(spill: { readonly memoryEntries: number; readonly dir?: string }): SeenSet {
  if (spill.dir !== undefined) return new DiskTable({ dir: spill.dir, memoryEntries: spill.memoryEntries });
  return new DiskTable({ dir: mkdtempSync(join(tmpdir(), 'daxmc-fp-')), memoryEntries: spill.memoryEntries, removeDir: true });
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
    this.hiMask = bits >= 64 ? -1 : bits <= 32 ? 0 : (1 << (bits - 32)) - 1;
  }

  insert(hi: number, lo: number, key?: Uint8Array): boolean {
    return this.inner.insert(hi & this.hiMask, lo & this.loMask, key);
  }

  has(hi: number, lo: number, key?: Uint8Array): boolean {
    return this.inner.has(hi & this.hiMask, lo & this.loMask, key);
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

  figures(): SeenFigures {
    return this.inner.figures?.() ?? {};
  }

  close(): void {
    this.inner.close?.();
  }
}
