// `npm run bench:startup`: how long `daxmc --version` takes to start and exit, against a bare
// `node -e 0`, from the build (dist/cli.js, as an installed package runs it; and bin/daxmc.mjs in
// a checkout whose build is current, with its stamp check) and from the sources through tsx (a
// checkout edited since the build). Fresh processes, interleaved, --repeat N each (default 15);
// prints the fastest and the median wall time, and the median CPU time (user + system, which
// other sessions on a shared machine disturb less), each with its ratio to node -e 0. Every
// process preloads bench/startup-cpu.mjs, which reports its CPU time. Figures, never a test.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtIsCurrent } from '../bin/build-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CPU_HOOK = new URL('./startup-cpu.mjs', import.meta.url).href;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'node dist/cli.js --version (installed package)', args: ['dist/cli.js', '--version'] },
  { name: 'node bin/daxmc.mjs --version (checkout, build current)', args: ['bin/daxmc.mjs', '--version'] },
  { name: 'sources through tsx --version (checkout, edited)', args: ['bench/launch.mjs', 'src/cli/main.ts', '--version'] },
];

function parseRepeat(argv: readonly string[]): number {
  let repeat = 15;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repeat') repeat = Number(argv[++i]);
    else if (a.startsWith('--repeat=')) repeat = Number(a.slice('--repeat='.length));
    else throw new Error(`unknown option '${a}' (use --repeat N)`);
  }
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes a whole number of at least 1');
  return repeat;
}

function main(): void {
  const repeat = parseRepeat(process.argv.slice(2));
  if (!builtIsCurrent(ROOT)) {
    process.stderr.write('bench:startup: dist/ is missing or older than the sources: run npm run build first\n');
    process.exitCode = 1;
    return;
  }
  const wall: number[][] = CASES.map(() => []);
  const cpu: number[][] = CASES.map(() => []);
  for (let r = 0; r < repeat; r++) {
    CASES.forEach((c, i) => {
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--import', CPU_HOOK, ...c.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      const ms = performance.now() - started;
      const reported = /daxmc-bench-cpu-us (\d+)\n$/.exec(child.stderr);
      if (child.status !== 0 || !reported) throw new Error(`${c.name} exited ${child.status}: ${child.stderr}`);
      wall[i].push(ms);
      cpu[i].push(Number(reported[1]) / 1000);
    });
  }
  const sorted = (t: number[]): number[] => [...t].sort((a, b) => a - b);
  const median = (t: number[]): number => sorted(t)[Math.floor(t.length / 2)];
  const rows = CASES.map((c, i) => ({ name: c.name, min: sorted(wall[i])[0], median: median(wall[i]), cpu: median(cpu[i]) }));
  const base = rows[0];
  const width = Math.max(...CASES.map((c) => c.name.length));
  const num = (n: number): string => n.toFixed(0).padStart(5);
  const x = (n: number, b: number): string => `x${(n / b).toFixed(2)}`.padStart(6);
  process.stdout.write(`startup, ${repeat} runs each (ms; xN: against node -e 0)\n`);
  process.stdout.write(`  ${''.padEnd(width)}  wall fastest      wall median       CPU median\n`);
  for (const r of rows) {
    process.stdout.write(`  ${r.name.padEnd(width)}  ${num(r.min)} ${x(r.min, base.min)}     ${num(r.median)} ${x(r.median, base.median)}     ${num(r.cpu)} ${x(r.cpu, base.cpu)}\n`);
  }
}

main();
