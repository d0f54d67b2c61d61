// The memory policy of the seen table and the parent store: at most 24 bytes per distinct state
// once past a million states, growth included (segments grow one at a time by 1.5x at 3/4 load,
// parents and actions in 65,536-id chunks). `npm run bench` measures the same on TwoPhase rm9.
// Also the memory limits: resident memory (--memory), the V8 heap's room, a failed allocation.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { allocationFailure, heapRoom, memoryLimitReached } from '../../src/check/memory';
import type { Spec } from '../../src/core/spec';
import { buildTwoPhase } from '../../specs/examples/two-phase';
import { SlotTable as FingerprintTable } from '../../src/check/probe';
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

describe('memory limits end a run as incomplete', () => {
  it('resident memory past maxMemoryBytes', async () => {
    const r = await check(buildTwoPhase(7), { maxMemoryBytes: 2 ** 20 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.kind).toBe('memory');
    expect(r.limit?.detail).toMatch(/^reached the memory limit of 1 MiB \(resident memory \d+ MiB\)$/);
    expect(r.stats.queued).toBeGreaterThan(0);
  });

  it('the V8 heap past its share of the room (maxHeapFraction), without any limit set', async () => {
    const r = await check(buildTwoPhase(7), { maxHeapFraction: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit?.detail).toMatch(/^the JavaScript heap is \d+% full \(\d+ of \d+ MiB; node --max-old-space-size raises the limit\)$/);
    expect(memoryLimitReached(Infinity)).toBeUndefined(); // this process is far from its heap limit
  });

  it("the room is the heap limit without the young generation's 48 MiB", () => {
    expect(heapRoom(112 * 2 ** 20)).toBe(64 * 2 ** 20);
    expect(heapRoom(4144 * 2 ** 20)).toBe(4096 * 2 ** 20);
    expect(heapRoom(64 * 2 ** 20)).toBe(32 * 2 ** 20);
    expect(heapRoom(getHeapStatistics().heap_size_limit)).toBeGreaterThan(0);
  });

  it('a failed allocation during the search', async () => {
    const base = buildTwoPhase(3);
    let n = 0;
    const spec: Spec = {
      ...base,
      properties: [
        ...base.properties,
        {
          name: 'allocates',
          kind: 'always',
          holds: () => {
            if (++n === 100) throw new RangeError('Array buffer allocation failed');
            return true;
          },
        },
      ],
    };
    const r = await check(spec);
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toEqual({ kind: 'memory', detail: 'out of memory (Array buffer allocation failed)' });
    expect(allocationFailure(new RangeError('Invalid typed array length: -1'))).toBeUndefined();
    await expect(check({ ...base, properties: [{ name: 'bad', kind: 'always', holds: () => { throw new RangeError('Invalid array length'); } }] })).rejects.toThrow('Invalid array length');
  });
});
