// Instruction-count harness: runs one benchmark case in this process with a state limit, for
// `valgrind --tool=callgrind` (or any other counter) to compare two builds on a busy machine,
// where times are noise. Bundle first: npx esbuild --bundle bench/count.ts --platform=node
// --format=esm --outfile=/tmp/count.mjs; then valgrind --tool=callgrind --smc-check=all
// node --single-threaded /tmp/count.mjs CASE MAX_STATES [every|sampled], and subtract the count
// of a run with MAX_STATES 1 (start-up and compilation). --single-threaded compiles on the main
// thread: repeated counts of one build then agree within 0.1% (4-7% apart without it).
import { check } from '../src/check/explore';
import { buildSpec } from '../src/run';
import { benchCases } from './cases';

const name = process.argv[2] ?? 'lock-page-n4-p4';
const maxStates = Number(process.argv[3] ?? 200_000);
const c = benchCases.find((x) => x.name === name);
if (!c) throw new Error(`no benchmark named '${name}'`);
const { spec } = buildSpec(await c.definition(), c.config);
const r = await check(spec, { deadlock: c.deadlock ?? true, ...(c.properties ? { properties: c.properties } : {}), maxStates, progressIntervalMs: 3_600_000, ...(process.argv[4] ? { inputChecks: process.argv[4] as 'every' | 'sampled' } : {}) });
process.stdout.write(`${name}: ${r.verdict} ${r.stats.distinct} distinct ${r.stats.generated} generated\n`);
