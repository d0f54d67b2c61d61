// Profiling harness: runs one benchmark case in this process so `node --cpu-prof` sees the engine
// with line numbers. Bundle first (npx esbuild --bundle bench/profile.ts --platform=node
// --format=esm --outfile=/tmp/profile.mjs), then: node --cpu-prof /tmp/profile.mjs NAME.
import { check } from '../src/check/explore';
import { buildSpec } from '../src/run';
import { benchCases } from './cases';

const name = process.argv[2] ?? 'two-phase-rm8';
const c = benchCases.find((x) => x.name === name);
if (!c) throw new Error(`no benchmark named '${name}'`);
const def = await c.definition();
const { spec } = buildSpec(def, c.config);
const cpu0 = process.cpuUsage();
const r = await check(spec, { deadlock: c.deadlock ?? true, ...(c.properties ? { properties: c.properties } : {}), progressIntervalMs: 3_600_000 });
const s = r.stats;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${name}: ${r.verdict} ${s.distinct} distinct ${s.generated} generated ${(s.elapsedMs / 1000).toFixed(2)} s ${(s.generated / s.elapsedMs / 1000).toFixed(2)}M gen/s ${(s.storeBytes / s.distinct).toFixed(1)} B/state; cpu ${cpuS.toFixed(2)} s ${(s.generated / cpuS / 1e6).toFixed(2)}M gen/cpu-s\n`);
