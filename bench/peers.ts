// `npm run bench:peers`: the same models in daxmc and in the peers that can be installed here,
// side by side, one run after another on the same machine (not run in CI). Models: TwoPhase
// with N resource managers, LockPage (4 threads, 4 pages, written the plain way) and CoffeeCan
// (1,000 beans). Tools:
// - TLC 2.20, one worker, when `java` runs and TLC_JAR names tla2tools.jar (never committed:
//   TLC 2.20's jar is in the public GitHub repository iamaanahmad/alpenglow-verifier at commit
//   1df1d9da0fababc06aad834c1a0617c9bf843f2d); the modules are bench/peers/*.tla. Its search
//   time runs from the moment it prints "Finished computing initial states" to its exit.
// - SPIN (`spin` and gcc) for TwoPhase: bench/peers/two-phase-pml.ts, run exhaustively.
// - Quint (`npx quint run`, random simulation) for TwoPhase, where it runs.
// - daxmc: `bench/worker.ts CASE` in a fresh process, as `npm run bench` runs it (one thread).
// The last column is daxmc's generated states per second over TLC's (the target is 10x).
// Options: --models two-phase,lock-page,coffee-can (default all), --rms A..B (default 7..8),
// --quint-samples N (default 10,000). Figures go to stdout as a Markdown table.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { twoPhasePromela } from './peers/two-phase-pml';
import type { BenchFigures } from './worker';

interface Row {
  readonly model: string;
  readonly tool: string;
  readonly distinct: string;
  readonly generated: string;
  readonly seconds: string;
  readonly rate: string;
  /** Generated states per second, for the ratio column. */
  readonly perSecond?: number;
  readonly note: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const peers = join(root, 'bench', 'peers');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

const none = (model: string, tool: string, note: string): Row => ({ model, tool, distinct: '-', generated: '-', seconds: '-', rate: '-', note });

/** A model as each tool runs it: daxmc's bench case, TLC's module and constants. */
interface Model {
  readonly name: string;
  readonly benchCase: string;
  readonly module: string;
  readonly cfg: string;
}

function twoPhaseModel(n: number): Model {
  const rms = Array.from({ length: n }, (_, i) => `r${i + 1}`).join(', ');
  return {
    name: `TwoPhase ${n} RMs`,
    benchCase: `two-phase-rm${n}`,
    module: 'TwoPhase',
    cfg: `CONSTANT RM = {${rms}}\nINIT TPInit\nNEXT TPNext\nINVARIANT TPTypeOK\nINVARIANT TCConsistent\nCHECK_DEADLOCK FALSE\n`,
  };
}

const lockPageModel: Model = { name: 'LockPage 4 threads, 4 pages', benchCase: 'lock-page-n4-p4', module: 'LockPage', cfg: 'CONSTANTS N = 4 P = 4\nINIT Init\nNEXT Next\nINVARIANT Exclusive\n' };
const coffeeCanModel: Model = {
  name: 'CoffeeCan 1,000 beans',
  benchCase: 'coffee-can-1000',
  module: 'CoffeeCan',
  cfg: 'CONSTANTS Black = 600 White = 400\nINIT Init\nNEXT Next\nINVARIANT LoopInvariant\nINVARIANT LeadIsDifference\nCHECK_DEADLOCK FALSE\n',
};

function daxmc(m: Model): Row {
  const child = spawnSync(process.execPath, [join(root, 'bench', 'launch.mjs'), join(root, 'bench', 'worker.ts'), m.benchCase], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) return none(m.name, 'daxmc', `failed: ${child.stderr.trim().split('\n').pop() ?? ''}`);
  const f = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as BenchFigures;
  return {
    model: m.name,
    tool: 'daxmc (1 thread)',
    distinct: int(f.distinct),
    generated: int(f.generated),
    seconds: f.seconds.toFixed(2),
    rate: int(f.generatedPerSecond),
    perSecond: f.generatedPerSecond,
    note: `${f.bytesPerDistinct.toFixed(1)} B/state for the seen table and parents; ${f.cpuSeconds.toFixed(2)} CPU s; peak RSS ${(f.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  };
}

/** Runs TLC on one model; resolves with its row (its search time measured from its own output). */
function tlc(m: Model, jar: string, dir: string): Promise<Row> {
  return new Promise((resolve) => {
    copyFileSync(join(peers, `${m.module}.tla`), join(dir, `${m.module}.tla`));
    const cfg = `${m.module}-${m.benchCase}.cfg`;
    writeFileSync(join(dir, cfg), m.cfg);
    const started = performance.now();
    let searchFrom: number | undefined;
    let out = '';
    // Through sh, whose `times` then prints the CPU seconds java used (every thread of it).
    const args = ['-XX:+UseParallelGC', '-cp', jar, 'tlc2.TLC', '-workers', '1', '-metadir', join(dir, `meta-${m.benchCase}`), '-config', cfg, `${m.module}.tla`];
    let err = '';
    const child = spawn('sh', ['-c', 'java "$@"; code=$?; times >&2; exit $code', 'sh', ...args], { cwd: dir });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (searchFrom === undefined && out.includes('Finished computing initial states')) searchFrom = performance.now();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => void (err += chunk));
    child.on('error', (e) => resolve(none(m.name, 'TLC', `java failed to start: ${e.message}`)));
    child.on('close', (code) => {
      const ended = performance.now();
      const figures = /([\d,]+) states generated, ([\d,]+) distinct states found, ([\d,]+) states left on queue/.exec(out);
      if (code !== 0 || !figures) {
        resolve(none(m.name, 'TLC', `TLC exited with ${code}: ${out.trim().split('\n').slice(-1)[0] ?? ''}`));
        return;
      }
      const generated = Number(figures[1].replace(/,/g, ''));
      const distinct = Number(figures[2].replace(/,/g, ''));
      const search = (ended - (searchFrom ?? started)) / 1000;
      const version = /TLC2 Version (\S+)/.exec(out)?.[1] ?? '?';
      // `times`: the shell's own times, then its children's: "0m46.900s 0m2.652s".
      const t = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(err.trim());
      const cpu = t ? Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4]) : undefined;
      resolve({
        model: m.name,
        tool: `TLC ${version} (1 worker)`,
        distinct: int(distinct),
        generated: int(generated),
        seconds: search.toFixed(2),
        rate: int(generated / search),
        perSecond: generated / search,
        note: `search from "Finished computing initial states" to exit; ${((ended - started) / 1000).toFixed(2)} s with the JVM's start and parsing${cpu !== undefined ? `; ${cpu.toFixed(2)} CPU s (every JVM thread)` : ''}`,
      });
    });
  });
}

function spin(n: number, dir: string): Row {
  const model = `TwoPhase ${n} RMs`;
  if (!has('spin') || !has('gcc')) return none(model, 'SPIN', 'not installed (apt-get install spin gcc)');
  const pml = join(dir, `two-phase-${n}.pml`);
  writeFileSync(pml, twoPhasePromela(n));
  const gen = spawnSync('spin', ['-a', pml], { cwd: dir, encoding: 'utf8' });
  if (gen.status !== 0) return none(model, 'SPIN', `spin -a failed: ${gen.stderr.trim().split('\n').pop() ?? ''}`);
  const cc = spawnSync('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=16000', '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) return none(model, 'SPIN', `gcc failed: ${cc.stderr.trim().split('\n').pop() ?? ''}`);
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
  if (!stored || !transitions) return none(model, 'SPIN', `pan printed no figures: ${out.trim().split('\n').slice(-1)[0] ?? ''}`);
  const t = Number(transitions[1]);
  return {
    model,
    tool: 'SPIN 6 (gcc -O2)',
    distinct: int(Number(stored[1])),
    generated: int(t),
    seconds: wall.toFixed(2),
    rate: int(t / wall),
    note: `transitions, not generated states; state vector ${vector?.[1] ?? '?'} B, -w${w}${mem ? `, ${mem[1]} MB` : ''}; wall time of ./pan (compile excluded)`,
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
  const model = `TwoPhase ${n} RMs`;
  const probe = spawnSync('npx', ['--no-install', 'quint', '--version'], { cwd: dir, encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = `${probe.stderr}`.split('\n').find((l) => /Error|not found|could not/i.test(l)) ?? 'not installed';
    return none(model, 'Quint', `\`npx quint\` does not run here (install: npm i -g @informalsystems/quint): ${why.trim().slice(0, 120)}`);
  }
  const file = join(dir, `twoPhase${n}.qnt`);
  writeFileSync(file, QUINT_SPEC(n));
  const started = performance.now();
  const run = spawnSync('npx', ['--no-install', 'quint', 'run', '--backend', 'typescript', `--max-samples=${samples}`, '--max-steps=30', '--init=init', '--step=step', '--invariant=consistent', file], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) return none(model, 'Quint', `quint run failed: ${(run.stderr || run.stdout).trim().split('\n').pop() ?? ''}`);
  return { model, tool: 'Quint (typescript backend)', distinct: '-', generated: int(samples * 30), seconds: wall.toFixed(2), rate: int((samples * 30) / wall), note: `random simulation: ${int(samples)} runs of up to 30 steps` };
}

function range(text: string): [number, number] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`expected N or A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

const MODELS = ['two-phase', 'lock-page', 'coffee-can'] as const;

/** Why TLC cannot run here, or undefined. */
function tlcMissing(): string | undefined {
  const jar = process.env.TLC_JAR;
  if (jar === undefined || jar === '') return 'TLC_JAR is not set: set it to the path of TLC 2.20\'s tla2tools.jar (the public GitHub repository iamaanahmad/alpenglow-verifier has it at commit 1df1d9da0fababc06aad834c1a0617c9bf843f2d; never commit the jar)';
  if (!existsSync(jar)) return `TLC_JAR names ${jar}, which does not exist`;
  if (!has('java')) return 'java is not installed (a JRE 11 or later runs TLC)';
  return undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let rms: [number, number] = [7, 8];
  let samples = 10_000;
  let models: readonly string[] = MODELS;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rms') rms = range(argv[++i] ?? '');
    else if (argv[i] === '--quint-samples') samples = Number(argv[++i]);
    else if (argv[i] === '--models') {
      models = (argv[++i] ?? '').split(',');
      for (const m of models) if (!(MODELS as readonly string[]).includes(m)) throw new Error(`no model '${m}' (there are: ${MODELS.join(', ')})`);
    } else throw new Error(`unknown option '${argv[i]}' (use --models ${MODELS.join(',')}, --rms A..B, --quint-samples N)`);
  }
  const missing = tlcMissing();
  if (missing) process.stderr.write(`bench:peers: TLC is not run: ${missing}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'daxmc-peers-'));
  const rows: Row[] = [];
  const run = async (m: Model, extra: () => Row[] = () => []): Promise<void> => {
    process.stderr.write(`${m.name}...\n`);
    const d = daxmc(m);
    const t = missing ? none(m.name, 'TLC', `not run: ${missing.split(':')[0]}`) : await tlc(m, process.env.TLC_JAR!, dir);
    rows.push(d, t, ...extra());
  };
  try {
    if (models.includes('two-phase')) for (let n = rms[0]; n <= rms[1]; n++) await run(twoPhaseModel(n), () => [spin(n, dir), quint(n, samples, dir)]);
    if (models.includes('lock-page')) await run(lockPageModel);
    if (models.includes('coffee-can')) await run(coffeeCanModel);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = (r: Row): string => {
    if (!r.tool.startsWith('daxmc') || r.perSecond === undefined) return '';
    const t = rows.find((x) => x.model === r.model && x.tool.startsWith('TLC') && x.perSecond !== undefined);
    return t?.perSecond ? `${(r.perSecond / t.perSecond).toFixed(1)}x` : '';
  };
  const head = '| model | tool | distinct | generated | search s | generated/s | daxmc / TLC | note |\n|---|---|---:|---:|---:|---:|---:|---|';
  const body = rows.map((r) => `| ${r.model} | ${r.tool} | ${r.distinct} | ${r.generated} | ${r.seconds} | ${r.rate} | ${ratio(r)} | ${r.note} |`);
  process.stdout.write(`${head}\n${body.join('\n')}\n`);
  process.stdout.write(`node ${process.version}; runs one after another on this machine; the target is daxmc >= 10x TLC's generated states/s on every model\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:peers: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
