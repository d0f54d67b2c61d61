// One cell of the performance table (bench/perf-table.ts) in a fresh process: builds a DAX scheme
// with T threads over I indices (alternately a write fault and a read fault, each thread in its
// own process, thread t on index t mod I), searches its whole state space (no property, no
// deadlock check: the size of the space is the figure), and writes one JSON line.
// Run by perf-table.ts as `node --import tsx bench/perf-cell.ts SPEC T I MODE TIMEOUT_S`, MODE one
// of full, symmetry, por, both (symmetry and por together).
import { check } from '../src/check/explore';
import type { SpecDefinition } from '../src/core/spec';
import { builtinSpecs } from '../specs/index';

export type Mode = 'full' | 'symmetry' | 'por' | 'both';

export interface CellFigures {
  readonly spec: string;
  readonly threads: number;
  readonly indices: number;
  readonly mode: Mode;
  readonly verdict: string;
  readonly distinct: number;
  readonly generated: number;
  readonly seconds: number;
  readonly limit?: string;
  readonly error?: string;
}

/** The scheme's default configuration with T threads over I indices. */
export function cellParams(def: SpecDefinition, threads: number, indices: number): Record<string, unknown> {
  const template = (def.configs[def.defaultConfig].params as { config: Record<string, unknown> }).config;
  const { initialMap: _unused, ...rest } = template;
  return {
    config: {
      ...rest,
      indices,
      blocks: indices,
      iSize: indices,
      threads: Array.from({ length: threads }, (_, t) => ({ name: `T${t + 1}`, role: t % 2 === 0 ? 'store' : 'load', process: `P${t + 1}`, index: t % indices })),
    },
  };
}

async function main(): Promise<void> {
  const [id, t, i, modeArg, timeout] = process.argv.slice(2);
  if (modeArg !== 'full' && modeArg !== 'symmetry' && modeArg !== 'por' && modeArg !== 'both') throw new Error(`mode ${modeArg}: expected full, symmetry, por or both`);
  const mode: Mode = modeArg;
  const def = builtinSpecs.find((d) => d.id === id);
  if (!def) throw new Error(`no spec ${id}`);
  const threads = Number(t);
  const indices = Number(i);
  const spec = def.build(cellParams(def, threads, indices), `T${threads}-I${indices}`);
  const r = await check(spec, { properties: [], deadlock: false, symmetry: mode === 'symmetry' || mode === 'both', por: mode === 'por' || mode === 'both', timeoutMs: Number(timeout) * 1000, progressIntervalMs: 3_600_000 });
  const figures: CellFigures = {
    spec: id,
    threads,
    indices,
    mode,
    verdict: r.verdict,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    seconds: r.stats.elapsedMs / 1000,
    ...(r.limit ? { limit: r.limit.kind } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
