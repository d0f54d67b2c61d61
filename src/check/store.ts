// Per distinct state, by id (ids count up in insertion order): its parent id and the action that
// led to it. Roots have parent -1 and keep their initial-state index in the action slot. This is
// all a trace needs: walk parents back, then replay the actions forward (as TLC and Stateright).
// Also: the frontier, a chunked FIFO/LIFO of packed states with their ids, depths and
// fingerprints (a successor's fingerprint is computed from its parent's).
import type { Expander } from './expand';
import type { ActionPath } from './result';
import { copyWords } from './words';

const ID_CHUNK_BITS = 16;
const ID_CHUNK = 1 << ID_CHUNK_BITS;

/**
 * Parents and action indices in chunks of 65,536 ids: growing allocates one more chunk and never
 * copies, so the store holds about 6 bytes per state (4 for the parent, 2 for the action; 8 when
 * a spec has 65,535 actions or more) and never twice that while it grows.
 */
export class StateStore {
  private readonly parents: Int32Array[] = [];
  private readonly acts: (Uint16Array | Int32Array)[] = [];
  private n = 0;
  private readonly wide: boolean;

  /** `initialCapacity` is accepted for compatibility; chunks are always 65,536 ids. */
  constructor(actionCount: number, initialCapacity = ID_CHUNK) {
    this.wide = actionCount >= 0xffff;
    void initialCapacity;
  }

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.parents.length * ID_CHUNK * (this.wide ? 8 : 6);
  }

  add(parent: number, action: number): number {
    const k = this.n & (ID_CHUNK - 1);
    if (k === 0) {
      this.parents.push(new Int32Array(ID_CHUNK));
      this.acts.push(this.wide ? new Int32Array(ID_CHUNK) : new Uint16Array(ID_CHUNK));
    }
    const c = this.parents.length - 1;
    this.parents[c][k] = parent;
    this.acts[c][k] = action;
    return this.n++;
  }

  /** Adds `count` states at once: parents[from + k] and actions[from + k] (block copies). */
  addMany(parents: Int32Array, actions: Int32Array, from: number, count: number): void {
    let done = 0;
    while (done < count) {
      const k = this.n & (ID_CHUNK - 1);
      if (k === 0) {
        this.parents.push(new Int32Array(ID_CHUNK));
        this.acts.push(this.wide ? new Int32Array(ID_CHUNK) : new Uint16Array(ID_CHUNK));
      }
      const c = this.parents.length - 1;
      const m = Math.min(count - done, ID_CHUNK - k);
      this.parents[c].set(parents.subarray(from + done, from + done + m), k);
      // Uint16Array.set from an Int32Array converts each value (actions are below 65,535 here).
      this.acts[c].set(actions.subarray(from + done, from + done + m), k);
      this.n += m;
      done += m;
    }
  }

  parentOf(id: number): number {
    return this.parents[id >>> ID_CHUNK_BITS][id & (ID_CHUNK - 1)];
  }

  actionOf(id: number): number {
    return this.acts[id >>> ID_CHUNK_BITS][id & (ID_CHUNK - 1)];
  }

  pathTo(id: number): ActionPath {
    const actions: number[] = [];
    let cur = id;
    for (let p = this.parentOf(cur); p >= 0; p = this.parentOf(cur)) {
      actions.push(this.actionOf(cur));
      cur = p;
    }
    actions.reverse();
    return { init: this.actionOf(cur), actions };
  }
}

const CHUNK = 4096;

interface Chunk {
  readonly bytes: Uint8Array;
  /** The same memory as 32-bit words (the width is a multiple of 4): pops copy words. */
  readonly words: Int32Array;
  /** Per entry: id, depth, and the state's fingerprint (hi, lo), 4 words. */
  readonly meta: Int32Array;
}

/** A queue (FIFO, for BFS) or stack (LIFO, for DFS) of states, stored in fixed-size chunks. */
export class Frontier {
  private readonly chunks: Chunk[] = [];
  private head = 0; // index into chunks[0] for FIFO
  private tail = 0; // fill of the last chunk
  private count = 0;
  private spare: Chunk | undefined;
  private outBytes: Uint8Array | undefined;
  private outWords: Int32Array = new Int32Array(0);
  private readonly wordsPer: number;

  constructor(
    private readonly width: number,
    readonly lifo: boolean,
  ) {
    this.wordsPer = width >> 2;
  }

  /** A word view of `out`, cached across pops (the engine pops into one buffer). */
  private wordsOf(out: Uint8Array): Int32Array {
    if (this.outBytes !== out) {
      this.outBytes = out;
      this.outWords = new Int32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
    }
    return this.outWords;
  }

  get size(): number {
    return this.count;
  }

  private lastForPush(): Chunk {
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.tail === CHUNK) {
      last = this.spare ?? this.newChunk();
      this.spare = undefined;
      this.chunks.push(last);
      this.tail = 0;
    }
    return last;
  }

  /** Pushes a state with its id, depth and (optionally) fingerprint. */
  push(state: Uint8Array, id: number, depth: number, fpHi = 0, fpLo = 0): void {
    const last = this.lastForPush();
    last.bytes.set(state, this.tail * this.width);
    this.setMeta(last, id, depth, fpHi, fpLo);
  }

  /** Pushes the state held in `src` from word `from` on (the engine's batch of successors). */
  pushWords(src: Int32Array, from: number, id: number, depth: number, fpHi: number, fpLo: number): void {
    const last = this.lastForPush();
    copyWords(src, from, last.words, this.tail * this.wordsPer, this.wordsPer);
    this.setMeta(last, id, depth, fpHi, fpLo);
  }

  /** Pushes successor k of the expander's last expansion, with its fingerprint. */
  pushSuccessor(ex: Expander, k: number, id: number, depth: number): void {
    const last = this.lastForPush();
    ex.materializePacked(k, last.words, last.bytes, this.tail * this.wordsPer);
    this.setMeta(last, id, depth, ex.hi[k], ex.lo[k]);
  }

  private setMeta(last: Chunk, id: number, depth: number, fpHi: number, fpLo: number): void {
    const m = this.tail << 2;
    last.meta[m] = id;
    last.meta[m + 1] = depth;
    last.meta[m + 2] = fpHi;
    last.meta[m + 3] = fpLo;
    this.tail++;
    this.count++;
  }

  /**
   * Pops the packed state into `out`; returns the id, and through `metaOut` the depth ([0]) and,
   * when it has room, the fingerprint pushed with the state ([1] hi, [2] lo).
   */
  pop(out: Uint8Array, metaOut: Int32Array): number {
    if (this.count === 0) return -1;
    this.count--;
    let c: Chunk;
    let i: number;
    if (this.lifo) {
      c = this.chunks[this.chunks.length - 1];
      i = --this.tail;
    } else {
      c = this.chunks[0];
      i = this.head++;
    }
    copyWords(c.words, i * this.wordsPer, this.wordsOf(out), 0, this.wordsPer);
    const m = i << 2;
    const id = c.meta[m];
    metaOut[0] = c.meta[m + 1];
    if (metaOut.length >= 3) {
      metaOut[1] = c.meta[m + 2];
      metaOut[2] = c.meta[m + 3];
    }
    if (this.lifo) {
      if (this.tail === 0) {
        this.spare = this.chunks.pop();
        this.tail = this.chunks.length > 0 ? CHUNK : 0;
      }
    } else {
      const filled = this.chunks.length === 1 ? this.tail : CHUNK;
      if (this.head === filled) {
        this.spare = this.chunks.shift();
        this.head = 0;
        if (this.chunks.length === 0) this.tail = 0;
      }
    }
    return id;
  }

  private newChunk(): Chunk {
    const bytes = new Uint8Array(CHUNK * this.width);
    return {
      bytes,
      words: new Int32Array(bytes.buffer),
      meta: new Int32Array(CHUNK * 4),
    };
  }
}
