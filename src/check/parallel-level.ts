// The buffers of one level of the parallel search, shared by the coordinator and the workers
// (parallel.ts, parallel-worker.ts; ADR 0003). Their own module, so that the coordinator does not
// load the worker's.

/**
 * A level's states, room for `capacity` of them: words per state in `states`; in `meta`, four
 * columns of `capacity` int32s: parent id, action, fingerprint hi, lo (columns, so that a chunk's
 * kept states are copied in with four block copies).
 */
export interface LevelBuffers {
  readonly capacity: number;
  readonly states: SharedArrayBuffer;
  readonly meta: SharedArrayBuffer;
}

export interface LevelViews {
  readonly states: Int32Array;
  readonly parent: Int32Array;
  readonly act: Int32Array;
  readonly hi: Int32Array;
  readonly lo: Int32Array;
}

export function levelViews(b: LevelBuffers): LevelViews {
  const n = b.capacity;
  return {
    states: new Int32Array(b.states),
    parent: new Int32Array(b.meta, 0, n),
    act: new Int32Array(b.meta, 4 * n, n),
    hi: new Int32Array(b.meta, 8 * n, n),
    lo: new Int32Array(b.meta, 12 * n, n),
  };
}

/** Int32 words between two streams' front counters (levelChunks in parallel.ts): a 64-byte line each. */
export const FRONT_STRIDE = 16;

/** Writes one word in each 4 KiB page of fresh shared memory, so that its pages are mapped now. */
export function touched(buffer: SharedArrayBuffer): SharedArrayBuffer {
  const words = new Int32Array(buffer);
  for (let i = 0; i < words.length; i += 1024) words[i] = 0;
  return buffer;
}
