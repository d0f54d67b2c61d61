// Per distinct state, by id (ids count up in insertion order): its parent id and the action that
// led to it. Roots have parent -1 and keep their initial-state index in the action slot. This is
// all a trace needs: walk parents back, then replay the actions forward (as TLC and Stateright).
// Also: the frontier, a chunked FIFO/LIFO of full state vectors with their ids and depths.
import type { ActionPath } from './result';

export class StateStore {
  private parents: Int32Array;
  private acts: Uint16Array | Int32Array;
  private n = 0;
  private readonly wide: boolean;

  constructor(actionCount: number, initialCapacity = 1 << 16) {
    this.wide = actionCount >= 0xffff;
    this.parents = new Int32Array(initialCapacity);
    this.acts = this.wide ? new Int32Array(initialCapacity) : new Uint16Array(initialCapacity);
  }

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.parents.byteLength + this.acts.byteLength;
  }

  add(parent: number, action: number): number {
    if (this.n === this.parents.length) this.grow();
    this.parents[this.n] = parent;
    this.acts[this.n] = action;
    return this.n++;
  }

  pathTo(id: number): ActionPath {
    const actions: number[] = [];
    let cur = id;
    while (this.parents[cur] >= 0) {
      actions.push(this.acts[cur]);
      cur = this.parents[cur];
    }
    actions.reverse();
    return { init: this.acts[cur], actions };
  }

  private grow(): void {
    const cap = this.parents.length * 2;
    const p = new Int32Array(cap);
    p.set(this.parents);
    this.parents = p;
    const a = this.wide ? new Int32Array(cap) : new Uint16Array(cap);
    a.set(this.acts);
    this.acts = a;
  }
}

const CHUNK = 4096;

interface Chunk {
  readonly bytes: Uint8Array;
  /** The same memory as 32-bit words (the width is a multiple of 4): pops copy words. */
  readonly words: Int32Array;
  readonly ids: Int32Array;
  readonly depths: Int32Array;
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

  push(state: Uint8Array, id: number, depth: number): void {
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.tail === CHUNK) {
      last = this.spare ?? this.newChunk();
      this.spare = undefined;
      this.chunks.push(last);
      this.tail = 0;
    }
    last.bytes.set(state, this.tail * this.width);
    last.ids[this.tail] = id;
    last.depths[this.tail] = depth;
    this.tail++;
    this.count++;
  }

  /** Pops into `out`; returns the id, and the depth through `depthOut[0]`. */
  pop(out: Uint8Array, depthOut: Int32Array): number {
    if (this.count === 0) return -1;
    this.count--;
    if (this.lifo) {
      const last = this.chunks[this.chunks.length - 1];
      const i = --this.tail;
      copyWords(last.words, i * this.wordsPer, this.wordsOf(out), this.wordsPer);
      depthOut[0] = last.depths[i];
      const id = last.ids[i];
      if (this.tail === 0) {
        this.spare = this.chunks.pop();
        this.tail = this.chunks.length > 0 ? CHUNK : 0;
      }
      return id;
    }
    const first = this.chunks[0];
    const i = this.head++;
    copyWords(first.words, i * this.wordsPer, this.wordsOf(out), this.wordsPer);
    depthOut[0] = first.depths[i];
    const id = first.ids[i];
    const filled = this.chunks.length === 1 ? this.tail : CHUNK;
    if (this.head === filled) {
      this.spare = this.chunks.shift();
      this.head = 0;
      if (this.chunks.length === 0) this.tail = 0;
    }
    return id;
  }

  private newChunk(): Chunk {
    const bytes = new Uint8Array(CHUNK * this.width);
    return {
      bytes,
      words: new Int32Array(bytes.buffer),
      ids: new Int32Array(CHUNK),
      depths: new Int32Array(CHUNK),
    };
  }
}

/** Copies n words without allocating a subarray view. */
function copyWords(src: Int32Array, from: number, out: Int32Array, n: number): void {
  for (let j = 0; j < n; j++) out[j] = src[from + j];
}
