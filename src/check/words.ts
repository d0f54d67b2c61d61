// Word copies for the hot path. V8 does not unroll loops; copying four 32-bit words per turn is
// about twice as fast as one per turn at state widths of 8-40 words, and a typed array's set()
// costs a view allocation when it copies part of an array. Nothing else lives here.

/** Copies n words from src[from..] to dst[to..]. */
export function copyWords(src: Int32Array, from: number, dst: Int32Array, to: number, n: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    dst[to + j] = src[from + j];
    dst[to + j + 1] = src[from + j + 1];
    dst[to + j + 2] = src[from + j + 2];
    dst[to + j + 3] = src[from + j + 3];
  }
  for (; j < n; j++) dst[to + j] = src[from + j];
}
