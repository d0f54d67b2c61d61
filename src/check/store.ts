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

  constructor(
    private readonly width: number,
    readonly lifo: boolean,
  ) {}

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
    const w = this.width;
    if (this.lifo) {
      const last = this.chunks[this.chunks.length - 1];
      const i = --this.tail;
      copyOut(last.bytes, i * w, out, w);
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
    copyOut(first.bytes, i * w, out, w);
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
    return {
      bytes: new Uint8Array(CHUNK * this.width),
      ids: new Int32Array(CHUNK),
      depths: new Int32Array(CHUNK),
    };
  }
}

/** Copies w bytes (a multiple of 4) without allocating a subarray view. */
function copyOut(src: Uint8Array, from: number, out: Uint8Array, w: number): void {
  for (let j = 0; j < w; j++) out[j] = src[from + j];
}
