// `npm run bench`: runs each benchmark case (bench/cases.ts) in a fresh child process and prints
// distinct and generated states per second, bytes per distinct state and peak RSS per spec.
// Options: --only NAME (repeatable), --repeat N (report the run with the median time), --workers N
// (the parallel search with N worker threads), --speedup N (pairs of a one-thread run and an
// N-worker run, back to back, --repeat times: bench/pairs.ts), --liveness (pairs of a safety run
// and the same run with the liveness properties, on bench/cases.ts livenessCases), --json.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCases, livenessCases } from './cases';
import { parallelFirst, summarizePairs, type PairSummary } from './pairs';
import type { BenchFigures } from './worker';
import type { BenchCase } from './cases';

interface Options {
  only: string[];
  repeat: number;
  json: boolean;
  workers: number;
  /** Worker threads of the parallel side of each pair, or 0 when not measuring a speed-up. */
  speedup: number;
  /** Pairs of a safety run and a liveness run (livenessCases). */
  liveness: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { only: [], repeat: 1, json: false, workers: 1, speedup: 0, liveness: false };
  let workersGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--liveness') o.liveness = true;
    else if (a === '--only') o.only.push(argv[++i] ?? '');
    else if (a.startsWith('--only=')) o.only.push(a.slice('--only='.length));
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a.startsWith('--repeat=')) o.repeat = Number(a.slice('--repeat='.length));
    else if (a === '--workers' || a.startsWith('--workers=')) {
      o.workers = Number(a === '--workers' ? argv[++i] : a.slice('--workers='.length));
      workersGiven = true;
    } else if (a === '--speedup') o.speedup = Number(argv[++i]);
    else if (a.startsWith('--speedup=')) o.speedup = Number(a.slice('--speedup='.length));
    else throw new Error(`unknown option '${a}' (use --only NAME, --repeat N, --workers N, --speedup N, --liveness, --json)`);
  }
  if (o.speedup !== 0 && (!Number.isInteger(o.speedup) || o.speedup < 2)) throw new Error('--speedup takes a whole number of worker threads, at least 2');
  if (o.speedup !== 0 && workersGiven) throw new Error('--speedup N compares one thread with N workers: leave out --workers');
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error('--repeat takes a whole number of at least 1');
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new Error('--workers takes a whole number of at least 1');
  if (o.liveness && (o.speedup !== 0 || workersGiven)) throw new Error('--liveness runs on one thread: leave out --workers and --speedup');
  const names = new Set((o.liveness ? livenessCases : benchCases).map((c) => c.name));
  for (const n of o.only) {
    if (!names.has(n)) throw new Error(`no benchmark named '${n}' (there are: ${[...names].join(', ')})`);
  }
  return o;
}

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));
const launcherPath = fileURLToPath(new URL('./launch.mjs', import.meta.url));
// The launcher resolves tsx from the child's working directory: the project root.
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

function runOnce(name: string, workers: number, mode?: 'safety' | 'liveness'): BenchFigures {
  const child = spawnSync(process.execPath, [launcherPath, workerPath, name, String(workers), ...(mode ? [mode] : [])], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    throw new Error(`benchmark ${name} failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as BenchFigures;
}

function median(runs: BenchFigures[]): BenchFigures {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A Markdown table: the first two columns (spec, config) left-aligned, the rest right-aligned. */
function markdown(head: readonly string[], body: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

function table(rows: readonly BenchFigures[]): string {
  const head = ['spec', 'config', 'distinct', 'generated', 'depth', 'seconds', 'distinct/s', 'generated/s', 'bytes/distinct', 'peak B/distinct', 'peak RSS MiB', 'RSS growth MiB'];
  const body = rows.map((r) => [
    r.spec,
    r.config,
    int(r.distinct),
    int(r.generated),
    String(r.depth),
    r.seconds.toFixed(3),
    int(r.distinctPerSecond),
    int(r.generatedPerSecond),
    r.bytesPerDistinct.toFixed(1),
    r.peakBytesPerDistinct.toFixed(1),
    (r.peakRssBytes / 2 ** 20).toFixed(0),
    ((r.peakRssBytes - r.baselineRssBytes) / 2 ** 20).toFixed(0),
  ]);
  return markdown(head, body);
}

/** The DAX cases of the largest exhaustive claims configurations (issue 16: >= 3M generated/s per core). */
const LARGEST_DAX = ['i-mmap-writers-4t2i', 'entry-lock-fix-mix-5t2i', 'dax-sem-all-paths-5t2i', 'xfs-v4.4-all-paths-5t2i'];
const PER_CORE_TARGET = 3_000_000;

/** What the figures say about the per-core target, one line per largest DAX configuration run. */
function targetLines(rows: readonly BenchFigures[], workers: number): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (!LARGEST_DAX.includes(r.name)) continue;
    // Per core: the run's generated states over the CPU seconds it used (every thread), and
    // over its elapsed seconds divided among the threads that searched.
    const perCpu = r.generated / r.cpuSeconds;
    const threads = workers > 1 ? workers : 1;
    const perWall = r.generatedPerSecond / threads;
    const ok = perWall >= PER_CORE_TARGET ? 'meets' : 'misses';
    out.push(`per core: ${r.spec} ${r.config}: ${int(perWall)} generated/s a thread, ${int(perCpu)} per CPU second: ${ok} the ${int(PER_CORE_TARGET)}/s target`);
  }
  return out;
}

/** The speed-up target (issue 16: two workers >= 1.6x one thread on TwoPhase rm9 and a DAX configuration of >= 1M states). */
const SPEEDUP_TARGET = 1.6;

function speedupTable(rows: readonly (PairSummary & { spec: string; config: string })[], workers: number): string {
  const head = ['spec', 'config', 'distinct', '1 thread s', `${workers} workers s`, 'speed-up', 'least', 'most', `${workers} workers CPU s`];
  const body = rows.map((r) => [
    r.spec,
    r.config,
    r.distinct === undefined ? 'differ' : int(r.distinct),
    r.aloneSeconds.toFixed(3),
    r.parallelSeconds.toFixed(3),
    `${r.speedup.toFixed(2)}x`,
    `${r.speedupMin.toFixed(2)}x`,
    `${r.speedupMax.toFixed(2)}x`,
    r.parallelCpuSeconds.toFixed(2),
  ]);
  return markdown(head, body);
}

/** --speedup N: per case, --repeat pairs of a one-thread run and an N-worker run, back to back. */
function speedup(o: Options, cases: typeof benchCases): void {
  const rows: (PairSummary & { spec: string; config: string; name: string })[] = [];
  const problems: string[] = [];
  for (const c of cases) {
    const pairs: { alone: BenchFigures; parallel: BenchFigures }[] = [];
    for (let i = 0; i < o.repeat; i++) {
      if (!o.json) process.stderr.write(`running ${c.name}, pair ${i + 1}/${o.repeat}...\n`);
      let alone: BenchFigures;
      let parallel: BenchFigures;
      if (parallelFirst(i)) {
        parallel = runOnce(c.name, o.speedup);
        alone = runOnce(c.name, 1);
      } else {
        alone = runOnce(c.name, 1);
        parallel = runOnce(c.name, o.speedup);
      }
      pairs.push({ alone, parallel });
    }
    const r = { name: c.name, spec: c.spec, config: c.config, ...summarizePairs(pairs) };
    rows.push(r);
    const expected = pairs[0].alone.expectedDistinct;
    if (r.distinct === undefined) problems.push(`${c.name}: the runs found different distinct counts`);
    else if (expected !== undefined && r.distinct !== expected) problems.push(`${c.name}: ${int(r.distinct)} distinct states, expected ${int(expected)}`);
  }
  if (o.json) {
    const env = { node: process.version, platform: `${process.platform}-${process.arch}`, pairs: o.repeat, workers: o.speedup };
    process.stdout.write(JSON.stringify({ env, speedup: rows, problems }, null, 2) + '\n');
  } else {
    process.stdout.write(`${speedupTable(rows, o.speedup)}\n`);
    process.stdout.write(
      `node ${process.version}, ${process.platform}-${process.arch}; ${o.repeat} pair${o.repeat === 1 ? '' : 's'} per spec (one thread and ${o.speedup} workers back to back, fresh processes, the order alternating); seconds are medians, the speed-up the median of the pairs' ratios\n`,
    );
    for (const r of rows) {
      if (o.speedup !== 2 || r.distinct === undefined || (r.name !== 'two-phase-rm9' && !(r.name.startsWith('i-mmap') || r.name.startsWith('entry-lock')) ) || r.distinct < 1_000_000) continue;
      process.stdout.write(`speed-up target: ${r.spec} ${r.config} (${int(r.distinct)} states): ${r.speedup.toFixed(2)}x, ${r.speedup >= SPEEDUP_TARGET ? 'meets' : 'misses'} ${SPEEDUP_TARGET}x\n`);
    }
    for (const p of problems) process.stdout.write(`MISMATCH ${p}\n`);
  }
  if (problems.length > 0) process.exitCode = 1;
}

/**
 * --liveness: per case, --repeat pairs of the safety check (every state property and deadlocks)
 * and the same check with the liveness properties, back to back in fresh processes, the order
 * alternating; the cost is the median of the pairs' ratios (liveness / safety), as --speedup does.
 */
function livenessPairs(o: Options, cases: readonly BenchCase[]): void {
  const head = ['spec', 'config', 'distinct', 'edges', 'safety s', 'liveness s', 'of which fair cycles s', 'cost', 'least', 'most', 'safety B/state', 'liveness B/state', 'safety RSS MiB', 'liveness RSS MiB'];
  const body: string[][] = [];
  const problems: string[] = [];
  const results: unknown[] = [];
  for (const c of cases) {
    const pairs: { alone: BenchFigures; parallel: BenchFigures }[] = [];
    for (let i = 0; i < o.repeat; i++) {
      if (!o.json) process.stderr.write(`running ${c.name}, pair ${i + 1}/${o.repeat}...\n`);
      let safety: BenchFigures;
      let live: BenchFigures;
      if (parallelFirst(i)) {
        live = runOnce(c.name, 1, 'liveness');
        safety = runOnce(c.name, 1, 'safety');
      } else {
        safety = runOnce(c.name, 1, 'safety');
        live = runOnce(c.name, 1, 'liveness');
      }
      if (live.verdict !== safety.verdict) problems.push(`${c.name}: safety says ${safety.verdict}, with liveness ${live.verdict}`);
      // As a "speed-up" of liveness over safety: the ratio is liveness seconds / safety seconds.
      pairs.push({ alone: live, parallel: safety });
    }
    const r = summarizePairs(pairs);
    const mid = (xs: BenchFigures[], f: (b: BenchFigures) => number): number => xs.map(f).sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const lives = pairs.map((p) => p.alone);
    const safeties = pairs.map((p) => p.parallel);
    body.push([
      c.spec,
      c.config,
      r.distinct === undefined ? 'differ' : int(r.distinct),
      int(lives[0].edges ?? 0),
      r.parallelSeconds.toFixed(2),
      r.aloneSeconds.toFixed(2),
      mid(lives, (b) => b.livenessSeconds ?? 0).toFixed(2),
      `${r.speedup.toFixed(2)}x`,
      `${r.speedupMin.toFixed(2)}x`,
      `${r.speedupMax.toFixed(2)}x`,
      mid(safeties, (b) => b.bytesPerDistinct).toFixed(1),
      mid(lives, (b) => b.bytesPerDistinct).toFixed(1),
      (mid(safeties, (b) => b.peakRssBytes) / 2 ** 20).toFixed(0),
      (mid(lives, (b) => b.peakRssBytes) / 2 ** 20).toFixed(0),
    ]);
    results.push({ name: c.name, ...r, lives, safeties });
    if (r.distinct !== undefined && c.distinct !== undefined && r.distinct !== c.distinct) problems.push(`${c.name}: ${int(r.distinct)} distinct states, expected ${int(c.distinct)}`);
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ env: { node: process.version, platform: `${process.platform}-${process.arch}`, pairs: o.repeat }, liveness: results, problems }, null, 2) + '\n');
  } else {
    process.stdout.write(`${markdown(head, body)}\n`);
    process.stdout.write(`node ${process.version}, ${process.platform}-${process.arch}; ${o.repeat} pair${o.repeat === 1 ? '' : 's'} per spec (safety, then with liveness, back to back in fresh processes, the order alternating); seconds are medians, the cost the median of the pairs' ratios\n`);
    for (const p of problems) process.stdout.write(`MISMATCH ${p}\n`);
  }
  if (problems.length > 0) process.exitCode = 1;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  if (o.liveness) return livenessPairs(o, o.only.length > 0 ? livenessCases.filter((c) => o.only.includes(c.name)) : livenessCases);
  const cases = o.only.length > 0 ? benchCases.filter((c) => o.only.includes(c.name)) : benchCases;
  if (o.speedup > 0) return speedup(o, cases);
  const rows: BenchFigures[] = [];
  const problems: string[] = [];
  for (const c of cases) {
    const runs: BenchFigures[] = [];
    for (let i = 0; i < o.repeat; i++) {
      if (!o.json) process.stderr.write(`running ${c.name}${o.repeat > 1 ? ` (${i + 1}/${o.repeat})` : ''}...\n`);
      runs.push(runOnce(c.name, o.workers));
    }
    const r = median(runs);
    rows.push(r);
    if (r.expectedDistinct !== undefined && r.distinct !== r.expectedDistinct) {
      problems.push(`${c.name}: ${int(r.distinct)} distinct states, expected ${int(r.expectedDistinct)}`);
    }
  }
  if (o.json) {
    const env = { node: process.version, platform: `${process.platform}-${process.arch}`, repeat: o.repeat, workers: o.workers };
    process.stdout.write(JSON.stringify({ env, results: rows, problems }, null, 2) + '\n');
  } else {
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(`node ${process.version}, ${process.platform}-${process.arch}; ${o.workers > 1 ? `${o.workers} worker threads, ` : ''}${o.repeat > 1 ? `median of ${o.repeat} runs, ` : ''}one fresh process per spec\n`);
    for (const line of targetLines(rows, o.workers)) process.stdout.write(`${line}\n`);
    for (const p of problems) process.stdout.write(`MISMATCH ${p}\n`);
  }
  if (problems.length > 0) process.exitCode = 1;
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
