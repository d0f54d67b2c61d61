// Micro-benchmark behind docs/adr/0001-state-representation.md: the cost per state of the hot
// path's pieces on packed vectors (fingerprint, seen-table insert, duplicate lookup, successor
// copy) against a string key in a JS Set. Not the end-to-end benchmark (that is bench/run.ts).
// Run: npx tsx --expose-gc bench/micro.ts [--states N] [--width BYTES]
import { fingerprint } from '../src/check/fingerprint';
import { SlotTable as FingerprintTable } from '../src/check/probe';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('--states', 2_000_000);
const WIDTH = arg('--width', 32); // 4 threads x 8 pages of one byte each
const RUNS = 3;
const gc = (globalThis as { gc?: () => void }).gc;

/** N distinct states: a counter spread over the low bytes, small values as a spec's would be. */
function makeStates(): Uint8Array {
  const all = new Uint8Array(N * WIDTH);
  for (let k = 0; k < N; k++) {
    let x = k;
    for (let b = 0; b < WIDTH && x > 0; b++) {
      all[k * WIDTH + b] = x & 7;
      x >>>= 3;
    }
    all[k * WIDTH + WIDTH - 1] ^= 1; // every state has a nonzero byte, as real states do
  }
  return all;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => void): number {
  gc?.();
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0);
}

const states = makeStates();
const words = new Int32Array(states.buffer);
const wpw = WIDTH / 4;
const fp = new Uint32Array(2);
let sink = 0;

const results: [string, number, string][] = [];
const measure = (label: string, count: number, f: () => void, extra = ''): void => {
  f(); // warm up (JIT)
  const ns = median(Array.from({ length: RUNS }, () => time(f))) / count;
  results.push([label, ns, extra]);
};

// Each state is copied word by word into one scratch vector (no allocation), as the engine
// fingerprints its scratch successor.
const scratch = new Uint8Array(WIDTH);
const scratchWords = new Int32Array(scratch.buffer);
const load = (k: number): void => {
  const base = k * wpw;
  for (let i = 0; i < wpw; i++) scratchWords[i] = words[base + i];
};

measure('load (word copy, no allocation)', N, () => {
  for (let k = 0; k < N; k++) {
    load(k);
    sink ^= scratchWords[0];
  }
});

measure('load + fingerprint (64-bit over 32-bit words)', N, () => {
  for (let k = 0; k < N; k++) {
    load(k);
    fingerprint(scratchWords, fp);
    sink ^= fp[0];
  }
});

let tableBytes = 0;
measure('load + fingerprint + insert (new; table grows)', N, () => {
  const t = new FingerprintTable();
  for (let k = 0; k < N; k++) {
    load(k);
    fingerprint(scratchWords, fp);
    t.insert(fp[0], fp[1]);
  }
  if (t.size !== N) throw new Error(`fingerprint collision among ${N} states: ${t.size}`);
  tableBytes = t.bytes;
});
results[results.length - 1][2] = `table ${(tableBytes / N).toFixed(1)} B/state at ${N.toLocaleString('en-US')} states`;

const full = new FingerprintTable();
for (let k = 0; k < N; k++) {
  load(k);
  fingerprint(scratchWords, fp);
  full.insert(fp[0], fp[1]);
}
measure('load + fingerprint + insert (duplicate)', N, () => {
  for (let k = 0; k < N; k++) {
    load(k);
    fingerprint(scratchWords, fp);
    if (full.insert(fp[0], fp[1])) throw new Error('a duplicate was inserted');
  }
});

// What Frontier.pop does today: a subarray view per state, then set().
measure('subarray() + set() (allocates a view)', N, () => {
  for (let k = 0; k < N; k++) {
    scratch.set(states.subarray(k * WIDTH, k * WIDTH + WIDTH));
    sink ^= scratch[0];
  }
});

const cur = new Uint8Array(WIDTH);
const next = new Uint8Array(WIDTH);
measure('successor: copy + change one byte', N, () => {
  for (let k = 0; k < N; k++) {
    next.set(cur);
    next[k & (WIDTH - 1)] = k & 3;
    sink ^= next[3];
  }
});

// Baseline: the state as a string key in a JS Set (fewer states; it is slow and large).
const NS = Math.min(N, 500_000);
let setBytes = 0;
measure('baseline: join() string key into Set<string>', NS, () => {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const set = new Set<string>();
  for (let k = 0; k < NS; k++) set.add(states.subarray(k * WIDTH, k * WIDTH + WIDTH).join(','));
  gc?.();
  setBytes = process.memoryUsage().heapUsed - before;
  if (set.size !== NS) throw new Error('string keys collided');
});
results[results.length - 1][2] = gc ? `heap ${(setBytes / NS).toFixed(0)} B/state` : '(run with --expose-gc for bytes)';

const rows = results.map(([l, ns, e]) => `| ${l.padEnd(50)} | ${ns.toFixed(1).padStart(8)} | ${e} |`);
process.stdout.write(
  [
    `${N.toLocaleString('en-US')} states of ${WIDTH} bytes; median of ${RUNS} runs; node ${process.version}`,
    `| ${'operation'.padEnd(50)} | ns/state | notes |`,
    `|${'-'.repeat(52)}|---------:|-------|`,
    ...rows,
    '',
  ].join('\n'),
);
if (sink === 0.5) process.stdout.write('\n');
