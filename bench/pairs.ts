// The speed-up of the parallel search, measured in pairs: `npm run bench -- --speedup N` runs
// each case once on one thread and once with N workers, back to back, `--repeat` times, and
// reports the median of the per-pair ratios. Two batches (all one-thread runs, then all parallel
// runs) drift apart on a shared host: on this machine, five one-thread runs then five two-worker
// runs of TwoPhase rm9 gave 1.67x, 1.72x and 1.58x on the same code within an hour, while
// pairs taken under the same conditions agree within a few percent. The order alternates
// (one thread first in odd pairs, the workers first in even ones), so that a slow trend of the
// host weighs on both sides alike.

export interface PairRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly distinct: number;
}

export interface Pair {
  readonly alone: PairRun;
  readonly parallel: PairRun;
}

export interface PairSummary {
  readonly pairs: number;
  /** Medians of the one-thread and the parallel runs' seconds. */
  readonly aloneSeconds: number;
  readonly parallelSeconds: number;
  /** Median, least and greatest of alone / parallel over the pairs. */
  readonly speedup: number;
  readonly speedupMin: number;
  readonly speedupMax: number;
  /** Median CPU seconds of the parallel runs (every thread of the process). */
  readonly parallelCpuSeconds: number;
  /** The distinct count, when every run of both kinds found the same; else undefined. */
  readonly distinct: number | undefined;
}

/** The median of a non-empty list (the lower middle one for an even count, an observed value). */
export function medianOf(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** Whether pair i runs the parallel search first (even pairs, counting from 0, run one thread first). */
export function parallelFirst(i: number): boolean {
  return i % 2 === 1;
}

export function summarizePairs(pairs: readonly Pair[]): PairSummary {
  if (pairs.length === 0) throw new Error('no pairs to summarize');
  const ratios = pairs.map((p) => p.alone.seconds / p.parallel.seconds);
  const counts = new Set(pairs.flatMap((p) => [p.alone.distinct, p.parallel.distinct]));
  return {
    pairs: pairs.length,
    aloneSeconds: medianOf(pairs.map((p) => p.alone.seconds)),
    parallelSeconds: medianOf(pairs.map((p) => p.parallel.seconds)),
    speedup: medianOf(ratios),
    speedupMin: Math.min(...ratios),
    speedupMax: Math.max(...ratios),
    parallelCpuSeconds: medianOf(pairs.map((p) => p.parallel.cpuSeconds)),
    distinct: counts.size === 1 ? [...counts][0] : undefined,
  };
}
