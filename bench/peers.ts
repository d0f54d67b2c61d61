// `npm run bench:peers`: TwoPhase with N resource managers in daxmc and in the peers that can be
// installed here, side by side (not run in CI).
// - SPIN (Debian's `spin` package, and gcc): the model of bench/peers/two-phase-pml.ts, compiled
//   with -O2 -DSAFETY -DNOREDUCE (one process: partial-order reduction has nothing to do), run
//   exhaustively; its stored states are the TLA+ states (288 for N = 3).
// - Quint (npm, `quint run --backend typescript`: random simulation): run if `npx quint` works;
//   otherwise the line says why.
// - daxmc: `bench/worker.ts two-phase-rmN` in a fresh process, as `npm run bench` does.
// Options: --rms A..B (default 7..9), --quint-samples N (default 10,000). Figures go to stdout
// as a Markdown table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { twoPhasePromela } from './peers/two-phase-pml';
import type { BenchFigures } from './worker';

interface Row {
  readonly tool: string;
  readonly rms: number;
  readonly distinct: string;
  readonly transitions: string;
  readonly seconds: string;
  readonly rate: string;
  readonly note: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

function spin(n: number, dir: string): Row {
  const none = (note: string): Row => ({ tool: 'SPIN', rms: n, distinct: '-', transitions: '-', seconds: '-', rate: '-', note });
  if (!has('spin') || !has('gcc')) return none('not installed (apt-get install spin gcc)');
  const pml = join(dir, `two-phase-${n}.pml`);
  writeFileSync(pml, twoPhasePromela(n));
  const gen = spawnSync('spin', ['-a', pml], { cwd: dir, encoding: 'utf8' });
  if (gen.status !== 0) return none(`spin -a failed: ${gen.stderr.trim().split('\n').pop() ?? ''}`);
  const cc = spawnSync('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=16000', '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) return none(`gcc failed: ${cc.stderr.trim().split('\n').pop() ?? ''}`);
  const started = performance.now();
  // A hash table of 2^w slots, two per state or so (TwoPhase: 8,832 states at 5 RMs, about 6x
  // more per RM).
  const w = Math.min(28, Math.max(16, Math.ceil(Math.log2(8832) + (n - 5) * Math.log2(6)) + 1));
  const run = spawnSync('./pan', ['-m1000', `-w${w}`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = (performance.now() - started) / 1000;
  const out = run.stdout;
  // pan prints large counts in e-notation (1.2355840e+08 transitions).
  const stored = /([\d.e+]+) states, stored/.exec(out);
  const transitions = /([\d.e+]+) transitions/.exec(out);
  const vector = /State-vector (\d+) byte/.exec(out);
  const mem = /([\d.]+)\s+total actual memory usage/.exec(out);
  if (!stored || !transitions) return none(`pan printed no figures: ${out.trim().split('\n').slice(-1)[0] ?? ''}`);
  const t = Number(transitions[1]);
  return {
    tool: 'SPIN 6 (gcc -O2)',
    rms: n,
    distinct: int(Number(stored[1])),
    transitions: int(t),
    seconds: wall.toFixed(2),
    rate: int(t / wall),
    note: `state vector ${vector?.[1] ?? '?'} B, -w${w}${mem ? `, ${mem[1]} MB` : ''}; wall time of ./pan (compile excluded)`,
  };
}

function daxmc(n: number): Row {
  const child = spawnSync(process.execPath, [join(root, 'bench', 'launch.mjs'), join(root, 'bench', 'worker.ts'), `two-phase-rm${n}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) return { tool: 'daxmc', rms: n, distinct: '-', transitions: '-', seconds: '-', rate: '-', note: `failed: ${child.stderr.trim().split('\n').pop() ?? ''}` };
  const f = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as BenchFigures;
  return {
    tool: 'daxmc (1 thread)',
    rms: n,
    distinct: int(f.distinct),
    transitions: int(f.generated),
    seconds: f.seconds.toFixed(2),
    rate: int(f.generatedPerSecond),
    note: `${f.bytesPerDistinct.toFixed(1)} B/state for the seen table and parents`,
  };
}

const QUINT_SPEC = (n: number): string => `module twoPhase {
  type RM = int
  val RMs = 1.to(${n})
  var rmState: RM -> str
  var tmState: str
  var tmPrepared: Set[RM]
  var msgPrepared: Set[RM]
  var msgCommit: bool
  var msgAbort: bool
  action init = all {
    rmState' = RMs.mapBy(_ => "working"), tmState' = "init", tmPrepared' = Set(),
    msgPrepared' = Set(), msgCommit' = false, msgAbort' = false,
  }
  action tmRcvPrepared(r) = all { tmState == "init", msgPrepared.contains(r), tmPrepared' = tmPrepared.union(Set(r)),
    rmState' = rmState, tmState' = tmState, msgPrepared' = msgPrepared, msgCommit' = msgCommit, msgAbort' = msgAbort }
  action tmCommit = all { tmState == "init", tmPrepared == RMs, tmState' = "committed", msgCommit' = true,
    rmState' = rmState, tmPrepared' = tmPrepared, msgPrepared' = msgPrepared, msgAbort' = msgAbort }
  action tmAbort = all { tmState == "init", tmState' = "aborted", msgAbort' = true,
    rmState' = rmState, tmPrepared' = tmPrepared, msgPrepared' = msgPrepared, msgCommit' = msgCommit }
  action rmPrepare(r) = all { rmState.get(r) == "working", rmState' = rmState.set(r, "prepared"), msgPrepared' = msgPrepared.union(Set(r)),
    tmState' = tmState, tmPrepared' = tmPrepared, msgCommit' = msgCommit, msgAbort' = msgAbort }
  action rmChooseToAbort(r) = all { rmState.get(r) == "working", rmState' = rmState.set(r, "aborted"),
    tmState' = tmState, tmPrepared' = tmPrepared, msgPrepared' = msgPrepared, msgCommit' = msgCommit, msgAbort' = msgAbort }
  action rmRcvCommitMsg(r) = all { msgCommit, rmState' = rmState.set(r, "committed"),
    tmState' = tmState, tmPrepared' = tmPrepared, msgPrepared' = msgPrepared, msgCommit' = msgCommit, msgAbort' = msgAbort }
  action rmRcvAbortMsg(r) = all { msgAbort, rmState' = rmState.set(r, "aborted"),
    tmState' = tmState, tmPrepared' = tmPrepared, msgPrepared' = msgPrepared, msgCommit' = msgCommit, msgAbort' = msgAbort }
  action step = any { tmCommit, tmAbort, nondet r = RMs.oneOf() any {
    tmRcvPrepared(r), rmPrepare(r), rmChooseToAbort(r), rmRcvCommitMsg(r), rmRcvAbortMsg(r) } }
  val consistent = RMs.forall(r1 => RMs.forall(r2 => not(rmState.get(r1) == "aborted" and rmState.get(r2) == "committed")))
}
`;

function quint(n: number, samples: number, dir: string): Row {
  const none = (note: string): Row => ({ tool: 'Quint', rms: n, distinct: '-', transitions: '-', seconds: '-', rate: '-', note });
  const probe = spawnSync('npx', ['--no-install', 'quint', '--version'], { cwd: dir, encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = `${probe.stderr}`.split('\n').find((l) => /Error|not found|could not/i.test(l)) ?? 'not installed';
    return none(`\`npx quint\` does not run here (install: npm i -g @informalsystems/quint): ${why.trim().slice(0, 120)}`);
  }
  const file = join(dir, `twoPhase${n}.qnt`);
  writeFileSync(file, QUINT_SPEC(n));
  const started = performance.now();
  const run = spawnSync('npx', ['--no-install', 'quint', 'run', '--backend', 'typescript', `--max-samples=${samples}`, '--max-steps=30', '--init=init', '--step=step', '--invariant=consistent', file], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) return none(`quint run failed: ${(run.stderr || run.stdout).trim().split('\n').pop() ?? ''}`);
  return { tool: 'Quint (typescript backend)', rms: n, distinct: '-', transitions: int(samples * 30), seconds: wall.toFixed(2), rate: int((samples * 30) / wall), note: `random simulation: ${int(samples)} runs of up to 30 steps` };
}

function range(text: string): [number, number] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`expected N or A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

function main(): void {
  const argv = process.argv.slice(2);
  let rms: [number, number] = [7, 9];
  let samples = 10_000;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rms') rms = range(argv[++i] ?? '');
    else if (argv[i] === '--quint-samples') samples = Number(argv[++i]);
    else throw new Error(`unknown option '${argv[i]}' (use --rms A..B, --quint-samples N)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'daxmc-peers-'));
  const rows: Row[] = [];
  try {
    for (let n = rms[0]; n <= rms[1]; n++) {
      process.stderr.write(`TwoPhase with ${n} RMs...\n`);
      rows.push(daxmc(n), spin(n, dir), quint(n, samples, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = '| model | tool | distinct | transitions | seconds | transitions/s | note |\n|---|---|---:|---:|---:|---:|---|';
  const body = rows.map((r) => `| TwoPhase ${r.rms} | ${r.tool} | ${r.distinct} | ${r.transitions} | ${r.seconds} | ${r.rate} | ${r.note} |`);
  process.stdout.write(`${head}\n${body.join('\n')}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench:peers: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
