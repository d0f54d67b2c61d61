// --exact: whole states stored beside their fingerprints. Collisions are forced with a narrowed
// fingerprint (CheckOptions.fingerprintBits, test only): the exact search still reaches the
// reference's every state, finds violations at the reference's shortest distance, and counts
// exactly (reachable states) - (distinct narrowed fingerprints among them) collisions; the
// fingerprint-only search with the same narrow fingerprint loses states.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/check/compiled-spec';
import { ExactTable } from '../../src/check/exact-table';
import { Expander } from '../../src/check/expand';
import { check } from '../../src/check/explore';
import { checkParallel } from '../../src/check/parallel';
import { SlotTable as FingerprintTable } from '../../src/check/probe';
import { NarrowTable, seenSetFor } from '../../src/check/seen-set';
import type { Spec, State } from '../../src/core/spec';
import { buildSpec } from '../../src/run';
import { replay } from '../../src/trace/trace';
import { buildTwoPhase } from '../../specs/examples/two-phase';
import { builtinSpecs } from '../../specs/index';
import { daxmc } from '../cli/helpers';
import { isBad, randomModel, randomSpec, referenceSearch } from '../fixtures/random-spec';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('ExactTable', () => {
  it('keeps two different states with one fingerprint, and counts the collision once', () => {
    const t = new ExactTable(4);
    expect(t.insert(7, 9, bytes(1, 0, 0, 0))).toBe(true);
    expect(t.insert(7, 9, bytes(2, 0, 0, 0))).toBe(true);
    expect(t.insert(7, 9, bytes(1, 0, 0, 0))).toBe(false);
    expect(t.insert(7, 9, bytes(2, 0, 0, 0))).toBe(false);
    expect(t.insert(0, 0, bytes(3, 0, 0, 0))).toBe(true); // (0, 0) is an ordinary fingerprint here
    expect(t.size).toBe(3);
    expect(t.collisions).toBe(1);
    expect(t.has(7, 9, bytes(2, 0, 0, 0))).toBe(true);
    expect(t.has(7, 9, bytes(4, 0, 0, 0))).toBe(false);
    expect(t.has(7, 9)).toBe(true); // without the state: whether the fingerprint is known
    expect(t.has(7, 10)).toBe(false);
    expect(() => t.insert(1, 1)).toThrow('the exact seen set needs the whole state');
  });

  it('grows, chains and compares over many states: every insert answers right', () => {
    const t = new ExactTable(8);
    const s = new Uint8Array(8);
    const view = new DataView(s.buffer);
    for (let i = 0; i < 20_000; i++) {
      view.setUint32(0, i);
      view.setUint32(4, i * 7);
      // 1,000 fingerprints shared by 20 states each.
      expect(t.insert(i % 1000, 5, s)).toBe(true);
    }
    expect(t.size).toBe(20_000);
    expect(t.collisions).toBe(19_000);
    for (let i = 0; i < 20_000; i += 37) {
      view.setUint32(0, i);
      view.setUint32(4, i * 7);
      expect(t.insert(i % 1000, 5, s)).toBe(false);
      view.setUint32(4, i * 7 + 1);
      expect(t.has(i % 1000, 5, s)).toBe(false);
    }
    expect(t.bytes).toBeGreaterThan(20_000 * 8);
  });

  it('NarrowTable keeps the low bits; seenSetFor picks the table', () => {
    const inner = new FingerprintTable();
    const n = new NarrowTable(inner, 4);
    expect(n.insert(0x1234, 0x51, undefined)).toBe(true);
    expect(n.insert(0x9999, 0xf1)).toBe(false); // the same low 4 bits
    expect(n.size).toBe(1);
    expect(n.figures().collisions).toBeUndefined();
    const wide = new NarrowTable(new FingerprintTable(), 40);
    expect(wide.insert(0x100, 1)).toBe(true);
    expect(wide.insert(0x200, 1)).toBe(false); // hi keeps only its low 8 bits
    expect(wide.insert(0x201, 1)).toBe(true);
    expect(() => new NarrowTable(inner, 0)).toThrow('fingerprintBits');
    expect(seenSetFor({}, 4)).toBeInstanceOf(FingerprintTable);
    expect(seenSetFor({ exact: true }, 4)).toBeInstanceOf(ExactTable);
    expect(seenSetFor({ exact: true, fingerprintBits: 8 }, 4)).toBeInstanceOf(NarrowTable);
  });
});

/** The narrowed fingerprint the engine uses for each state: its (hi, lo) masked to `bits` (< 32). */
function narrowClasses(spec: Spec, states: Iterable<State>, bits: number, symmetry = false): number {
  const ex = new Expander(compileSpec(spec, { symmetry }));
  const out = new Int32Array(2);
  const classes = new Set<number>();
  for (const s of states) {
    ex.fingerprint(Float64Array.from(s), out);
    classes.add(out[1] & ((1 << bits) - 1));
  }
  return classes.size;
}

const SEEDS = Array.from({ length: 40 }, (_, i) => 5000 + i * 104_729);
const BITS = 4;

describe('check with exact: true on random specs, fingerprints narrowed to 4 bits', () => {
  it('reaches the reference set and counts every collision; fingerprints alone lose states', async () => {
    let lost = 0;
    let collided = 0;
    for (const seed of SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const want = [...ref.distance.keys()].sort();
      const got = new Set<string>();
      const spec = randomSpec(m, { spy: (k) => got.add(k) });
      const where = `seed ${seed}`;
      for (const strategy of ['bfs', 'dfs'] as const) {
        got.clear();
        const r = await check(spec, { strategy, deadlock: false, exact: true, fingerprintBits: BITS });
        expect(r.verdict, where).toBe('pass');
        expect(r.stats.distinct, where).toBe(ref.distance.size);
        expect([...got].sort(), where).toEqual(want);
        const states = want.map((k) => Float64Array.from(k.split(',').map(Number)));
        const classes = narrowClasses(spec, states, BITS);
        expect(r.stats.collisions, where).toBe(ref.distance.size - classes);
        collided += r.stats.collisions!;
      }
      const plain = await check(spec, { deadlock: false, fingerprintBits: BITS });
      expect(plain.stats.collisions, where).toBeUndefined();
      expect(plain.stats.distinct, where).toBeLessThanOrEqual(Math.min(16, ref.distance.size));
      if (plain.stats.distinct < ref.distance.size) lost++;
    }
    expect(lost).toBeGreaterThan(10);
    expect(collided).toBeGreaterThan(100);
  });

  it('finds every reachable violation at the shortest distance, where fingerprints alone miss some', async () => {
    let missed = 0;
    for (const seed of SEEDS) {
      const m = randomModel(seed);
      const ref = referenceSearch(m);
      const spec = randomSpec(m, { withInvariant: true });
      const where = `seed ${seed}`;
      const r = await check(spec, { deadlock: false, exact: true, fingerprintBits: BITS });
      expect(r.verdict, where).toBe(ref.badDistance >= 0 ? 'fail' : 'pass');
      const plain = await check(spec, { deadlock: false, fingerprintBits: BITS });
      if (ref.badDistance < 0) continue;
      expect(r.failure!.path.actions.length, where).toBe(ref.badDistance);
      const trace = replay(spec, r.failure!.path, { specId: 'random', config: String(seed), property: r.failure!.property, kind: 'invariant' });
      expect(isBad(m, Array.from(trace.steps[trace.steps.length - 1].state.subarray(0, m.max.length))), where).toBe(true);
      if (plain.verdict === 'pass') missed++;
    }
    expect(missed).toBeGreaterThan(0);
  });
});

describe('check with exact: true on TwoPhase', () => {
  it('rm3: 288 distinct, no collision with full fingerprints; 288 with 6-bit ones and every collision counted', async () => {
    const full = await check(buildTwoPhase(3), { exact: true });
    expect(full.verdict).toBe('pass');
    expect(full.stats).toMatchObject({ distinct: 288, generated: 1146, depth: 11, collisions: 0 });
    const states: State[] = [];
    const base = buildTwoPhase(3);
    const spec: Spec = { ...base, properties: [...base.properties, { name: 'spy', kind: 'always', holds: (s: State) => (states.push(s.slice()), true) }] };
    const narrow = await check(spec, { exact: true, fingerprintBits: 6 });
    expect(narrow.stats).toMatchObject({ distinct: 288, generated: 1146, depth: 11 });
    expect(narrow.stats.collisions).toBe(288 - narrowClasses(spec, states, 6));
    expect(narrow.stats.collisions).toBeGreaterThan(200);
    expect((await check(buildTwoPhase(3), { fingerprintBits: 6 })).stats.distinct).toBeLessThan(64);
  });

  it('with symmetry: the representatives are compared (the same orbit count as without --exact)', async () => {
    const sym = await check(buildTwoPhase(4), { symmetry: true });
    const exact = await check(buildTwoPhase(4), { symmetry: true, exact: true });
    expect(exact.stats.distinct).toBe(sym.stats.distinct);
    expect(exact.stats.collisions).toBe(0);
    const narrow = await check(buildTwoPhase(4), { symmetry: true, exact: true, fingerprintBits: 5 });
    expect(narrow.stats.distinct).toBe(sym.stats.distinct);
    expect(narrow.stats.collisions).toBeGreaterThan(0);
  });

  it('the parallel search refuses it, saying why', async () => {
    const def = builtinSpecs.find((d) => d.id === 'two-phase')!;
    await expect(checkParallel(buildSpec(def, 'rm3').spec, { exact: true, workers: 2, source: { module: 'file:///nowhere.ts' }, config: 'rm3' })).rejects.toThrow(
      '--exact stores whole states in an arena one thread owns; the parallel search stores fingerprints only: drop --workers or --exact',
    );
  });
});

describe('daxmc check --exact', () => {
  it('prints the collisions found beside the estimate, in text and JSON', async () => {
    const r = await daxmc(['check', 'two-phase', '--exact']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  collisions  calculated (optimistic): 1.3E-14\n  exact       whole states compared: 0 fingerprint collisions found\n');
    const j = JSON.parse((await daxmc(['check', 'two-phase', '--exact', '--format', 'json'])).out);
    expect(j.stats).toMatchObject({ distinct: 288, collisions: 0 });
  });

  it('a default run prints the estimate and no exact line; its JSON has no collisions field', async () => {
    const r = await daxmc(['check', 'two-phase']);
    expect(r.out).toContain('  collisions  calculated (optimistic): 1.3E-14\n');
    expect(r.out).not.toContain('  exact ');
    expect(JSON.parse((await daxmc(['check', 'two-phase', '--format', 'json'])).out).stats.collisions).toBeUndefined();
  });

  it('finds the same counterexample as a default run', async () => {
    const strip = (s: string): string => s.replace(/^ {2}(time|exact) .*\n/gm, '');
    const plain = await daxmc(['check', 'die-hard']);
    const exact = await daxmc(['check', 'die-hard', '--exact']);
    expect(exact.code).toBe(12);
    expect(strip(exact.out)).toBe(strip(plain.out));
  });

  it('with --workers or --spill-after is a usage error (exit 2)', async () => {
    const r = await daxmc(['check', 'two-phase', '--exact', '--workers', '2']);
    expect(r).toEqual({ code: 2, out: '', err: 'daxmc: --exact stores whole states in an arena one thread owns; the parallel search stores fingerprints only: drop --workers or --exact\n' });
    const s = await daxmc(['check', 'two-phase', '--exact', '--spill-after', '1000']);
    expect(s).toEqual({ code: 2, out: '', err: 'daxmc: --exact keeps every state in memory: it cannot be combined with --spill-after\n' });
  });

  it('with --memory keeps its table in memory (no spilling)', async () => {
    const r = await daxmc(['check', 'two-phase', '--exact', '--memory', '4096']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  exact       whole states compared: 0 fingerprint collisions found\n');
    expect(r.out).not.toContain('  disk ');
  });
});
