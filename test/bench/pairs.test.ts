import { describe, expect, it } from 'vitest';
import { medianOf, parallelFirst, summarizePairs } from '../../bench/pairs';

const run = (seconds: number, distinct = 100, cpuSeconds = 2 * seconds) => ({ seconds, cpuSeconds, distinct });

describe('bench pairs (npm run bench -- --speedup N)', () => {
  it('takes the median of the per-pair ratios, not the ratio of the medians', () => {
    // Pair ratios 1.5, 2.0, 1.6: median 1.6. The medians of each side (11 and 6) would give 1.83.
    const s = summarizePairs([
      { alone: run(12), parallel: run(8) },
      { alone: run(10), parallel: run(5) },
      { alone: run(11.2), parallel: run(7) },
    ]);
    expect(s.pairs).toBe(3);
    expect(s.aloneSeconds).toBe(11.2);
    expect(s.parallelSeconds).toBe(7);
    expect(s.speedup).toBeCloseTo(1.6, 12);
    expect(s.speedupMin).toBeCloseTo(1.5, 12);
    expect(s.speedupMax).toBeCloseTo(2, 12);
    expect(s.parallelCpuSeconds).toBe(14);
    expect(s.distinct).toBe(100);
  });

  it('reports no distinct count when any run found another one', () => {
    const s = summarizePairs([
      { alone: run(2), parallel: run(1) },
      { alone: run(2), parallel: run(1, 99) },
    ]);
    expect(s.distinct).toBeUndefined();
  });

  it('takes the lower middle value of an even count (a value that was measured)', () => {
    expect(medianOf([4, 1, 3, 2])).toBe(2);
    expect(medianOf([5])).toBe(5);
    expect(() => medianOf([])).toThrow('median of no values');
    expect(() => summarizePairs([])).toThrow('no pairs');
  });

  it('alternates which side runs first', () => {
    expect([0, 1, 2, 3].map(parallelFirst)).toEqual([false, true, false, true]);
  });
});
