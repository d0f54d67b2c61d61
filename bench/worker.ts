// One benchmark in a fresh process, so that peak RSS belongs to this spec alone: builds the
// case's spec, runs the engine, and writes one JSON line of figures to stdout. Run by
// bench/run.ts as `node --import tsx bench/worker.ts NAME`; not meant to be run by hand.
import { check } from '../src/check/explore';
import { buildSpec } from '../src/run';
import { benchCases } from './cases';

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
  /** Bytes per state vector. */
  readonly stateWidth: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  readonly peakRssBytes: number;
  readonly expectedDistinct?: number;
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const c = benchCases.find((x) => x.name === name);
  if (!c) throw new Error(`no benchmark named '${name}'`);
  const def = await c.definition();
  const { spec } = buildSpec(def, c.config);
  const r = await check(spec, { deadlock: c.deadlock ?? true, ...(c.properties ? { properties: c.properties } : {}), progressIntervalMs: 3_600_000 });
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
    stateWidth: spec.layout.width,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(c.distinct !== undefined ? { expectedDistinct: c.distinct } : {}),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
