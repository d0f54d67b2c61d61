// The spilling seen table (TLC's disk FPSet): exact set semantics against a JS Set over many
// merges, and whole searches that give the same counts and counterexamples with most
// fingerprints on disk as with all of them in memory; the run file is removed afterwards.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskTable } from '../../src/check/disk-table';
import { check } from '../../src/check/explore';
import { Prng } from '../../src/check/prng';
import { buildDieHard } from '../../specs/examples/die-hard';
import { buildTwoPhase } from '../../specs/examples/two-phase';
import { daxmc } from '../cli/helpers';

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'daxmc-disk-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DiskTable', () => {
  it('is a set: 40,000 fingerprints (with repeats, negative halves and zero) over 39 merges', () => {
    const dir = freshDir();
    const t = new DiskTable({ dir, memoryEntries: 1000 });
    const ref = new Set<string>();
    const rng = new Prng(42);
    const pool: [number, number][] = [[0, 0], [0, 1], [-1, -1], [0x7fffffff, 0], [-0x80000000, 5]];
    for (let i = 0; i < 40_000; i++) pool.push([rng.nextInt32(), rng.below(8) === 0 ? rng.below(4) : rng.nextInt32()]);
    for (let i = 0; i < 60_000; i++) {
      const [hi, lo] = pool[i < pool.length ? i : rng.below(pool.length)];
      const key = `${hi},${(hi | lo) === 0 ? 1 : lo}`;
      expect(t.insert(hi, lo), `insert #${i}`).toBe(!ref.has(key));
      ref.add(key);
    }
    expect(t.size).toBe(ref.size);
    expect(t.merges).toBe(Math.floor(ref.size / 1000));
    expect(t.spilled).toBe(t.merges * 1000);
    for (const [hi, lo] of pool) expect(t.has(hi, lo)).toBe(true);
    let absent = 0;
    for (let i = 0; i < 5_000; i++) {
      const hi = rng.nextInt32();
      const lo = rng.nextInt32();
      if (!ref.has(`${hi},${lo}`)) {
        absent++;
        expect(t.has(hi, lo)).toBe(false);
      }
    }
    expect(absent).toBeGreaterThan(4_990);
    t.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('searches with the seen table spilled to disk', () => {
  it('TwoPhase rm5: the same counts, depth and coverage as in memory (500 fingerprints in memory)', async () => {
    const mem = await check(buildTwoPhase(5));
    const disk = await check(buildTwoPhase(5), { spill: { memoryEntries: 500 } });
    expect(disk.verdict).toBe('pass');
    expect(disk.stats.distinct).toBe(8_832);
    expect(disk.stats.generated).toBe(mem.stats.generated);
    expect(disk.stats.depth).toBe(mem.stats.depth);
    expect(disk.stats.spilled).toBe(8_500);
    expect(disk.stats.merges).toBe(17);
    expect([...disk.coverage.distinct]).toEqual([...mem.coverage.distinct]);
  });

  it('DieHard: the same shortest counterexample, BFS and DFS, with 3 fingerprints in memory', async () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const mem = await check(buildDieHard(true), { strategy });
      const dir = freshDir();
      const disk = await check(buildDieHard(true), { strategy, spill: { memoryEntries: 3, dir } });
      expect(disk.failure).toEqual(mem.failure);
      expect(disk.stats.distinct).toBe(mem.stats.distinct);
      expect(disk.stats.generated).toBe(mem.stats.generated);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('daxmc check --spill-after N reports what went to disk', async () => {
    const r = await daxmc(['check', 'two-phase', '--config', 'rm5', '--spill-after', '1000']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('PASS  2 properties hold over 8,832 distinct states');
    expect(r.out).toContain('  disk        8,000 fingerprints on disk after 8 merges');
    const bad = await daxmc(['check', 'two-phase', '--spill-after', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^daxmc: option '--spill-after <n>' argument '0' is invalid/);
  });
});
