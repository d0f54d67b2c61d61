// The seen set when it would not fit in memory, in the manner of TLC's disk FPSet: the newest
// fingerprints in an in-memory SlotTable (probe.ts) of bounded size; when it fills, its contents are
// sorted and merged with the sorted run on disk into a new sorted run (one file of 64-bit
// little-endian fingerprints, ordered as unsigned numbers), and the memory table starts empty
// again. A lookup that misses in memory binary-searches a small in-memory index (the first
// fingerprint of each 4 KiB page of the file) and then the one page it names. A Bloom filter of
// the file's fingerprints (10 bits each, 4 probes: about 1% false positives) answers most
// lookups of new states without reading the file. The file lives in a directory the caller
// owns; close() deletes it.
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SlotTable, mixOf } from './probe';
import type { SeenFigures, SeenSet } from './seen-set';

/** Fingerprints per index page: 512 x 8 bytes = 4 KiB. */
const PAGE = 512;
/** Fingerprints per merge chunk read from or written to disk. */
const CHUNK = 1 << 16;

export interface DiskTableOptions {
  /** Directory for the run file (created by the caller; close() removes only the files it wrote). */
  readonly dir: string;
  /** Fingerprints kept in memory before a merge to disk (at least 1). */
  readonly memoryEntries: number;
  /** close() also removes `dir` (a temporary directory made for this table). */
  readonly removeDir?: boolean;
}

export class DiskTable implements SeenSet {
  private mem: SlotTable;
  private readonly cap: number;
  private readonly file: string;
  private fd = -1;
  /** The merge output being written; left open only by a failed write (a full disk), close() closes it. */
  private pending = -1;
  /** Fingerprints in the file. */
  private onDisk = 0;
  /** First fingerprint of each page of the file, as unsigned halves. */
  private indexHi = new Uint32Array(0);
  private indexLo = new Uint32Array(0);
  private readonly page = new Uint32Array(PAGE * 2);
  private bloom = new Int32Array(0);
  private bloomBits = 0;
  private pageNo = -1;
  private peak = 0;
  private readonly removeDir: string | undefined;
  /** How many times the memory table was merged to disk. */
  merges = 0;

  constructor(options: DiskTableOptions) {
    if (!(options.memoryEntries >= 1)) throw new Error('memoryEntries must be at least 1');
    // The sort below orders the fingerprints as native 64-bit integers built from (lo, hi) words.
    if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('the disk seen table needs a little-endian machine');
    this.cap = Math.floor(options.memoryEntries);
    this.file = join(options.dir, 'fingerprints.run');
    this.removeDir = options.removeDir ? options.dir : undefined;
    this.mem = new SlotTable(Math.min(this.cap * 2, 1 << 16));
  }

  get size(): number {
    return this.onDisk + this.mem.size;
  }

  /** Fingerprints on disk. */
  get spilled(): number {
    return this.onDisk;
  }

  figures(): SeenFigures {
    return { spilled: this.onDisk, merges: this.merges };
  }

  /** Bytes in memory: the memory table and the page index (the file is not counted). */
  get bytes(): number {
    return this.mem.bytes + this.indexHi.byteLength * 2 + this.page.byteLength + this.bloom.byteLength;
  }

  get peakBytes(): number {
    return Math.max(this.peak, this.mem.peakBytes + this.indexHi.byteLength * 2 + this.page.byteLength + this.bloom.byteLength);
  }

  insert(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1; // the memory table's empty-slot convention, kept on disk too
    if (this.mem.has(hi, lo)) return false;
    if (this.onDisk > 0 && this.onDiskHas(hi >>> 0, lo >>> 0)) return false;
    this.mem.insert(hi, lo);
    if (this.mem.size >= this.cap) this.flush();
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi |= 0;
    lo |= 0;
    if ((hi | lo) === 0) lo = 1;
    return this.mem.has(hi, lo) || (this.onDisk > 0 && this.onDiskHas(hi >>> 0, lo >>> 0));
  }

  /** Deletes the run file. The table is unusable afterwards. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.pending >= 0) closeSync(this.pending);
    this.pending = -1;
    rmSync(this.file, { force: true });
    rmSync(`${this.file}.next`, { force: true });
    if (this.removeDir !== undefined) rmSync(this.removeDir, { recursive: true, force: true });
  }

  private onDiskHas(hi: number, lo: number): boolean {
    if (!this.mayHave(hi, lo)) return false;
    // The last page whose first fingerprint is <= (hi, lo).
    const ih = this.indexHi;
    const il = this.indexLo;
    let a = 0;
    let b = ih.length - 1;
    if (hi < ih[0] || (hi === ih[0] && lo < il[0])) return false;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      if (ih[m] < hi || (ih[m] === hi && il[m] <= lo)) a = m;
      else b = m - 1;
    }
    const n = this.loadPage(a);
    const p = this.page;
    let x = 0;
    let y = n - 1;
    while (x <= y) {
      const m = (x + y) >>> 1;
      const mh = p[2 * m + 1];
      const ml = p[2 * m];
      if (mh === hi && ml === lo) return true;
      if (mh < hi || (mh === hi && ml < lo)) x = m + 1;
      else y = m - 1;
    }
    return false;
  }

  private mayHave(hi: number, lo: number): boolean {
    const m = this.bloomBits;
    const h1 = mixOf(hi, lo) >>> 0;
    const h2 = (Math.imul(hi ^ (lo >>> 7), 0xc2b2ae35) | 1) >>> 0;
    for (let k = 0; k < 4; k++) {
      const bit = (h1 + k * h2) % m;
      if ((this.bloom[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Reads page k of the file into this.page (little-endian: low word first); returns its entries. */
  private loadPage(k: number): number {
    const n = Math.min(PAGE, this.onDisk - k * PAGE);
    if (this.pageNo !== k) {
      readFully(this.fd, this.page, n * 8, k * PAGE * 8);
      this.pageNo = k;
    }
    return n;
  }

  /** Sorts the memory table's fingerprints and merges them with the file into a new file. */
  private flush(): void {
    const n = this.mem.size;
    const fresh = new BigUint64Array(n);
    const words = new Uint32Array(fresh.buffer);
    const pairs = new Int32Array(n * 2);
    this.mem.entries(pairs);
    for (let i = 0; i < n; i++) {
      words[2 * i] = pairs[2 * i + 1]; // low word first: the BigUint64 value is hi * 2^32 + lo
      words[2 * i + 1] = pairs[2 * i];
    }
    fresh.sort();
    this.peak = Math.max(this.peak, this.mem.peakBytes + fresh.byteLength + pairs.byteLength + this.indexHi.byteLength * 4);

    const total = this.onDisk + n;
    const pages = Math.ceil(total / PAGE);
    const indexHi = new Uint32Array(pages);
    const indexLo = new Uint32Array(pages);
    const bloomBits = Math.max(64, total * 10);
    const bloom = new Int32Array(Math.ceil(bloomBits / 32));
    const next = `${this.file}.next`;
    const out = (this.pending = openSync(next, 'w'));
    const outBuf = new Uint32Array(CHUNK * 2);
    const inBuf = new Uint32Array(CHUNK * 2);
    let outN = 0;
    let written = 0;
    const emit = (h: number, l: number): void => {
      if (written % PAGE === 0) {
        indexHi[written / PAGE] = h;
        indexLo[written / PAGE] = l;
      }
      const h1 = mixOf(h | 0, l | 0) >>> 0;
      const h2 = (Math.imul(h ^ (l >>> 7), 0xc2b2ae35) | 1) >>> 0;
      for (let k = 0; k < 4; k++) {
        const bit = (h1 + k * h2) % bloomBits;
        bloom[bit >>> 5] |= 1 << (bit & 31);
      }
      outBuf[2 * outN] = l;
      outBuf[2 * outN + 1] = h;
      outN++;
      written++;
      if (outN === CHUNK) {
        writeFully(out, outBuf, outN * 8);
        outN = 0;
      }
    };
    let f = 0; // next fresh entry
    let d = 0; // next disk entry
    let inN = 0;
    let inAt = 0;
    while (d < this.onDisk || f < n) {
      if (d < this.onDisk && inAt === inN) {
        inN = Math.min(CHUNK, this.onDisk - d);
        readFully(this.fd, inBuf, inN * 8, d * 8);
        inAt = 0;
      }
      const haveDisk = d < this.onDisk;
      const dh = haveDisk ? inBuf[2 * inAt + 1] : 0;
      const dl = haveDisk ? inBuf[2 * inAt] : 0;
      if (f < n) {
        const fh = words[2 * f + 1];
        const fl = words[2 * f];
        if (!haveDisk || fh < dh || (fh === dh && fl < dl)) {
          emit(fh, fl);
          f++;
          continue;
        }
      }
      emit(dh, dl);
      d++;
      inAt++;
    }
    if (outN > 0) writeFully(out, outBuf, outN * 8);
    closeSync(out);
    this.pending = -1;
    if (this.fd >= 0) closeSync(this.fd);
    renameSync(next, this.file);
    this.fd = openSync(this.file, 'r');
    this.onDisk = total;
    this.indexHi = indexHi;
    this.indexLo = indexLo;
    this.bloom = bloom;
    this.bloomBits = bloomBits;
    this.pageNo = -1;
    this.merges++;
    this.mem = new SlotTable(Math.min(this.cap * 2, 1 << 16));
  }
}

function readFully(fd: number, into: Uint32Array, bytes: number, position: number): void {
  const view = new Uint8Array(into.buffer, into.byteOffset, bytes);
  let done = 0;
  while (done < bytes) {
    const r = readSync(fd, view, done, bytes - done, position + done);
    if (r <= 0) throw new Error(`the fingerprint file ended early (${position + done} bytes)`);
    done += r;
  }
}

function writeFully(fd: number, from: Uint32Array, bytes: number): void {
  const view = new Uint8Array(from.buffer, from.byteOffset, bytes);
  let done = 0;
  while (done < bytes) done += writeSync(fd, view, done, bytes - done);
}
