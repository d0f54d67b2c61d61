// One benchmark in a fresh process, so that peak RSS belongs to this spec alone: builds the
// case's spec, runs the engine, and writes one JSON line of figures to stdout. Run by
// bench/run.ts as `node --import tsx bench/worker.ts NAME`; not meant to be run by hand.
import { pathToFileURL } from 'node:url';
import { check } from '../src/check/explore';
import { checkParallel } from '../src/check/parallel';
import { buildSpec } from '../src/run';
import { benchCases, livenessCases } from './cases';

export interface BenchFigures {
  readonly name: string;
  readonly spec: string;
  readonly config: string;
  readonly verdict: string;
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly seconds: number;
  readonly distinctPerSecond: number;
  readonly generatedPerSecond: number;
  /** Seen table plus parent/action arrays, divided by distinct states. */
  readonly bytesPerDistinct: number;
  readonly storeBytes: number;
  /** The most those arrays held at once over the run (see Stats.peakStoreBytes), per distinct state. */
  readonly peakBytesPerDistinct: number;
  /** Bytes per state vector. */
  readonly stateWidth: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  readonly peakRssBytes: number;
  /** Resident memory once the spec is built, before the search starts. */
  readonly baselineRssBytes: number;
  /** CPU seconds of the search (user + system, all threads of the process). */
  readonly cpuSeconds: number;
  readonly expectedDistinct?: number;
  /** With liveness: the state graph's edges and the fair-cycle search's seconds. */
  readonly edges?: number;
  readonly livenessSeconds?: number;
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const c = [...benchCases, ...livenessCases].find((x) => x.name === name);
  if (!c) throw new Error(`no benchmark named '${name}'`);
  const def = await c.definition();
  const { spec } = buildSpec(def, c.config);
  const baselineRssBytes = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const workers = Number(process.argv[3] ?? 1);
  // A fourth argument 'safety' or 'liveness': the liveness properties left out, or required.
  const mode = process.argv[4];
  const properties = c.properties ? [...c.properties, ...(mode === 'liveness' ? (c.livenessProperties ?? []) : [])] : undefined;
  const options = {
    deadlock: c.deadlock ?? true,
    ...(properties ? { properties } : {}),
    ...(mode === 'safety' ? { liveness: false } : mode === 'liveness' ? { liveness: true } : {}),
    progressIntervalMs: 3_600_000,
  };
  // Every case is a registered spec, so worker threads find it by id in specs/index.ts.
  const registry = pathToFileURL(new URL('../specs/index.ts', import.meta.url).pathname).href;
  const r =
    workers > 1
      ? await checkParallel(spec, { ...options, workers, source: { module: registry, id: c.spec }, config: c.config })
      : await check(spec, options);
  const cpu = process.cpuUsage(cpu0);
  const s = r.stats;
  const seconds = s.elapsedMs / 1000;
  const figures: BenchFigures = {
    name: c.name,
    spec: c.spec,
    config: c.config,
    verdict: r.verdict,
    distinct: s.distinct,
    generated: s.generated,
    depth: s.depth,
    seconds,
    distinctPerSecond: s.distinct / seconds,
    generatedPerSecond: s.generated / seconds,
    bytesPerDistinct: s.storeBytes / s.distinct,
    storeBytes: s.storeBytes,
    peakBytesPerDistinct: (s.peakStoreBytes ?? s.storeBytes) / s.distinct,
    stateWidth: spec.layout.width,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(c.distinct !== undefined ? { expectedDistinct: c.distinct } : {}),
    ...(s.edges !== undefined ? { edges: s.edges, livenessSeconds: (s.livenessMs ?? 0) / 1000 } : {}),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
