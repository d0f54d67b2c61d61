// `npm run perf-table`: how each DAX scheme's state space grows with threads (2..5) and indices
// (1..3), searched whole: without reduction, with symmetry reduction and with partial-order
// reduction, each cell in a fresh process with a time limit (default 120 s; a cell cut by it
// shows "> N s"). Prints a Markdown table per scheme (the one in docs/performance.md). Options:
// --timeout S, --spec ID (repeatable), --threads A..B, --indices A..B, --mode full|symmetry|por|both
// (repeatable). Not the benchmark (bench/run.ts measures speed).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CellFigures, Mode } from './perf-cell';

interface Options {
  timeout: number;
  specs: string[];
  threads: [number, number];
  indices: [number, number];
  modes: Mode[];
}

function range(text: string): [number, number] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`expected N or A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { timeout: 120, specs: [], threads: [2, 5], indices: [1, 3], modes: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--spec') o.specs.push(argv[++i] ?? '');
    else if (a === '--threads') o.threads = range(argv[++i] ?? '');
    else if (a === '--indices') o.indices = range(argv[++i] ?? '');
    else if (a === '--mode') {
      const m = argv[++i];
      if (m !== 'full' && m !== 'symmetry' && m !== 'por' && m !== 'both') throw new Error(`--mode takes full, symmetry, por or both, not '${m ?? ''}'`);
      o.modes.push(m);
    } else throw new Error(`unknown option '${a}' (use --timeout S, --spec ID, --threads A..B, --indices A..B, --mode M)`);
  }
  if (!(o.timeout > 0)) throw new Error('--timeout takes a number of seconds');
  if (o.specs.length === 0) o.specs = ['v4.2', 'i-mmap/all', 'dax-sem', 'entry-lock/fix'];
  if (o.modes.length === 0) o.modes = ['full', 'symmetry', 'por'];
  return o;
}

const cellPath = fileURLToPath(new URL('./perf-cell.ts', import.meta.url));
const launcherPath = fileURLToPath(new URL('./launch.mjs', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

function runCell(spec: string, t: number, i: number, mode: Mode, timeout: number): CellFigures | string {
  const child = spawnSync(process.execPath, [launcherPath, cellPath, spec, String(t), String(i), mode, String(timeout)], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: (timeout + 60) * 1000,
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) return child.signal ? `killed (${child.signal})` : `failed: ${child.stderr.trim().split('\n').pop() ?? ''}`;
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as CellFigures;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function cellText(c: CellFigures | string, timeout: number): string {
  if (typeof c === 'string') return c;
  if (c.error !== undefined) return 'error';
  if (c.limit === 'time') return `> ${timeout} s (${int(c.distinct)}+)`;
  if (c.limit === 'memory') return 'out of memory';
  return `${int(c.distinct)} in ${c.seconds.toFixed(1)} s`;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const out: string[] = [];
  for (const spec of o.specs) {
    const modes = o.modes;
    const n = o.indices[1] - o.indices[0] + 1;
    const head = ['threads', ...modes.flatMap((m) => Array.from({ length: n }, (_, k) => `${o.indices[0] + k} ind. ${m}`))];
    const rows: string[][] = [];
    for (let t = o.threads[0]; t <= o.threads[1]; t++) {
      const cells: string[] = [];
      for (const m of modes) {
        for (let i = o.indices[0]; i <= o.indices[1]; i++) {
          process.stderr.write(`${spec} ${t} threads ${i} indices ${m}...\n`);
          cells.push(cellText(runCell(spec, t, i, m, o.timeout), o.timeout));
        }
      }
      rows.push([String(t), ...cells]);
    }
    out.push(`### ${spec}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), '');
  }
  process.stdout.write(`${out.join('\n')}\nnode ${process.version}; distinct states searched whole (no property), ${o.timeout} s per cell at most\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`perf-table: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
