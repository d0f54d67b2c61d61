// The memory policy of the seen table and the parent store: at most 24 bytes per distinct state
// once past a million states, growth included (segments grow one at a time by 1.5x at 3/4 load,
// parents and actions in 65,536-id chunks). `npm run bench` measures the same on TwoPhase rm9.
import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../src/check/seen-table';
import { StateStore } from '../../src/check/store';
import { prng } from '../fixtures/random-spec';

describe('bytes per distinct state', () => {
  it('stay at or under 24 from 1M to 3M states, and at or under 26 while a segment grows', () => {
    const table = new FingerprintTable();
    const store = new StateStore(50);
    const r = prng(2026);
    let worst = 0;
    let worstPeak = 0;
    for (let n = 1; n <= 3_000_000; n++) {
      const hi = (r() * 2 ** 32) | 0;
      const lo = (r() * 2 ** 32) | 0;
      if (!table.insert(hi, lo)) continue;
      store.add(n - 2, n % 50);
      if (table.size >= 1_000_000 && (table.size & 1023) === 0) {
        worst = Math.max(worst, (table.bytes + store.bytes) / table.size);
        worstPeak = Math.max(worstPeak, (table.peakBytes + store.bytes) / table.size);
      }
    }
    expect(worst).toBeLessThanOrEqual(24);
    expect(worstPeak).toBeLessThanOrEqual(26);
    expect(worst).toBeGreaterThan(14); // 8 bytes a slot at 3/4 load, 6 for the parent link
  });
});
