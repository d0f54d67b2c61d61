// Thread symmetry for compiled worlds: threads that run the same code path (the same FnDef
// object) on the same index with the same arguments are interchangeable within a process, and
// processes whose threads match class for class are interchangeable (their PTEs move with
// them). The canonical representative sorts interchangeable threads (and processes) by a key
// that does not depend on their numbers: the thread's own bytes plus where its number appears
// in the shared state. Every slot that holds a thread number is renumbered consistently: lock
// owners, readers bitmasks, page and entry owners, wait-queue entries, errThread, and the data
// a thread stored (t + 2). Assumes thread-local integers do not hold thread numbers (none of the
// kernel vocabulary's do). Not the engine: spec.symmetry, used by `--symmetry`.
import type { State } from '../core/layout';
import type { Offsets, World } from './world';

export function threadSymmetry(world: World, off: Offsets): ((state: State, out: State) => void) | undefined {
  const T = world.threads.length;
  const M = world.opts.processes.length;
  const N = world.opts.indices;
  const P = world.pageCount;
  const B = world.opts.blocks;
  const L = world.locks.length;
  const tw = off.threadWidth;

  // Thread classes: path identity, index, arguments.
  const pathIds = new Map<unknown, number>();
  const classIds = new Map<string, number>();
  const classOf = world.threads.map((th) => {
    if (!pathIds.has(th.path)) pathIds.set(th.path, pathIds.size);
    const args = Object.entries(th.args).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = `${pathIds.get(th.path)}|${th.index}|${JSON.stringify(args)}`;
    if (!classIds.has(key)) classIds.set(key, classIds.size);
    return classIds.get(key)!;
  });
  const procOf = world.threads.map((th) => world.opts.processes.indexOf(th.process));
  // Each process's threads, by class then number: position j of two processes in one group
  // holds threads of the same class.
  const procThreads = Array.from({ length: M }, (_, m) =>
    world.threads.map((_, t) => t).filter((t) => procOf[t] === m).sort((a, b) => classOf[a] - classOf[b] || a - b),
  );
  const signature = procThreads.map((ts) => ts.map((t) => classOf[t]).join(','));
  const groups: number[][] = [];
  for (let m = 0; m < M; m++) {
    const g = groups.find((x) => signature[x[0]] === signature[m]);
    if (g) g.push(m);
    else groups.push([m]);
  }
  // Runs of same-class threads within a process: [start, end) positions in procThreads[m].
  const runs = procThreads.map((ts) => {
    const r: [number, number][] = [];
    for (let a = 0; a < ts.length; ) {
      let b = a + 1;
      while (b < ts.length && classOf[ts[b]] === classOf[ts[a]]) b++;
      if (b - a > 1) r.push([a, b]);
      a = b;
    }
    return r;
  });
  if (groups.every((g) => g.length === 1) && runs.every((r) => r.length === 0)) return undefined;

  // A thread's key: its block in the state, then where its number appears (kept in `keys`).
  const KL = 2 * L + P + N + N * T + N + B + 1;
  const keys = new Uint8Array(T * KL);
  let cur: State = new Float64Array(0);
  const mark = (v: number, pos: number): void => {
    if (v > 0 && v <= T) keys[(v - 1) * KL + pos] = 1;
  };
  const keyOf = (s: State): void => {
    cur = s;
    keys.fill(0);
    let at = 0;
    for (let l = 0; l < L; l++) mark(s[off.lockOwner + l], at + l);
    at += L;
    for (let l = 0; l < L; l++) {
      const r = s[off.lockReaders + l];
      if (r !== 0) for (let t = 0; t < T; t++) if (r & (1 << t)) keys[t * KL + at + l] = 1;
    }
    at += L;
    for (let p = 0; p < P; p++) mark(s[off.pageOwner + p], at + p);
    at += P;
    for (let i = 0; i < N; i++) mark(s[off.entryOwner + i], at + i);
    at += N;
    for (let q = 0; q < N * T; q++) mark(s[off.wq + q], at + q);
    at += N * T;
    for (let i = 0; i < N; i++) mark(s[off.stored + i] - 1, at + i);
    at += N;
    for (let b = 0; b < B; b++) mark(s[off.blockData + b] - 1, at + b);
    at += B;
    mark(s[off.errThread], at);
  };
  const cmpThreads = (a: number, b: number): number => {
    const s = cur;
    const x = off.thread + a * tw;
    const y = off.thread + b * tw;
    for (let j = 0; j < tw; j++) if (s[x + j] !== s[y + j]) return s[x + j] - s[y + j];
    const u = a * KL;
    const v = b * KL;
    for (let j = 0; j < KL; j++) if (keys[u + j] !== keys[v + j]) return keys[u + j] - keys[v + j];
    return 0;
  };

  const order = procThreads.map((ts) => ts.slice()); // per process, threads in canonical position order
  /** Compares two processes of one group: their PTE rows, then their threads position by position. */
  const cmpProcs = (s: State, m1: number, m2: number): number => {
    for (let i = 0; i < N; i++) {
      const d = s[off.pte + m1 * N + i] - s[off.pte + m2 * N + i] || s[off.pteRef + m1 * N + i] - s[off.pteRef + m2 * N + i];
      if (d !== 0) return d;
    }
    const a = order[m1];
    const b = order[m2];
    for (let j = 0; j < a.length; j++) {
      const d = cmpThreads(a[j], b[j]);
      if (d !== 0) return d;
    }
    return 0;
  };
  const sortedProcs = groups.map((g) => g.slice());
  const sigma = new Int32Array(T); // source thread -> target thread
  const pi = new Int32Array(M); // source process -> target process
  const tmap = new Uint8Array(T + 2); // thread number + 1 -> new thread number + 1 (0 stays 0)
  const re = (v: number): number => (v > 0 && v <= T ? tmap[v] : v);

  return (s: State, out: State): void => {
    keyOf(s);
    // Interchangeable threads of a process, sorted by key (insertion sort: runs are short).
    for (let m = 0; m < M; m++) {
      const o = order[m];
      const base = procThreads[m];
      for (let j = 0; j < o.length; j++) o[j] = base[j];
      for (const [a, b] of runs[m]) {
        for (let j = a + 1; j < b; j++) {
          const t = o[j];
          let k = j - 1;
          while (k >= a && cmpThreads(o[k], t) > 0) {
            o[k + 1] = o[k];
            k--;
          }
          o[k + 1] = t;
        }
      }
    }
    // Interchangeable processes, sorted the same way; the j-th goes where the group's j-th is.
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const sp = sortedProcs[gi];
      for (let j = 0; j < g.length; j++) sp[j] = g[j];
      for (let j = 1; j < sp.length; j++) {
        const m = sp[j];
        let k = j - 1;
        while (k >= 0 && cmpProcs(s, sp[k], m) > 0) {
          sp[k + 1] = sp[k];
          k--;
        }
        sp[k + 1] = m;
      }
      for (let j = 0; j < sp.length; j++) pi[sp[j]] = g[j];
    }
    for (let m = 0; m < M; m++) {
      const target = procThreads[pi[m]];
      const o = order[m];
      for (let j = 0; j < o.length; j++) sigma[o[j]] = target[j];
    }
    tmap[0] = 0;
    let identity = true;
    for (let t = 0; t < T; t++) {
      tmap[t + 1] = sigma[t] + 1;
      if (sigma[t] !== t) identity = false;
    }
    for (let m = 0; m < M; m++) if (pi[m] !== m) identity = false;
    out.set(s);
    if (identity) return;
    for (let t = 0; t < T; t++) {
      if (sigma[t] === t) continue;
      const from = off.thread + t * tw;
      const to = off.thread + sigma[t] * tw;
      for (let j = 0; j < tw; j++) out[to + j] = s[from + j];
    }
    for (let l = 0; l < L; l++) {
      out[off.lockOwner + l] = re(s[off.lockOwner + l]);
      const r = s[off.lockReaders + l];
      let nr = 0;
      for (let t = 0; t < T; t++) if (r & (1 << t)) nr |= 1 << sigma[t];
      out[off.lockReaders + l] = nr | (r & ~((1 << T) - 1));
    }
    for (let p = 0; p < P; p++) out[off.pageOwner + p] = re(s[off.pageOwner + p]);
    for (let i = 0; i < N; i++) out[off.entryOwner + i] = re(s[off.entryOwner + i]);
    for (let q = 0; q < N * T; q++) out[off.wq + q] = re(s[off.wq + q]);
    for (let i = 0; i < N; i++) {
      const v = s[off.stored + i];
      out[off.stored + i] = v >= 2 ? re(v - 1) + 1 : v;
    }
    for (let b = 0; b < B; b++) {
      const v = s[off.blockData + b];
      out[off.blockData + b] = v >= 2 ? re(v - 1) + 1 : v;
    }
    out[off.errThread] = re(s[off.errThread]);
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < N; i++) {
        out[off.pte + pi[m] * N + i] = s[off.pte + m * N + i];
        out[off.pteRef + pi[m] * N + i] = s[off.pteRef + m * N + i];
      }
    }
  };
}
