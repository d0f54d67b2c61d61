// Symmetry reduction (--symmetry): the representative is sound (a reachable state's
// representative is reachable, the same for every member of an orbit, and a fixed point), the
// reduced counts are strictly smaller where threads are interchangeable, and every non-slow
// claim keeps its verdict with a counterexample no longer than the pinned one.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { checkParallel } from '../../src/check/parallel';
import type { Spec } from '../../src/core/spec';
import { buildSpec } from '../../src/run';
import { safetyClaims } from '../../specs/dax/claims';
import { LOCK_ORDER } from '../../src/report/claim';
import { lockOrderSeen } from '../../src/report/run-claims';
import { lockOrderData } from '../../src/render/svg-lock-order';
import { builtinSpecs } from '../../specs/index';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { daxmc } from '../cli/helpers';
import { reachable } from '../fixtures/reachable';

const specOf = (id: string, config: string): Spec => buildSpec(builtinSpecs.find((d) => d.id === id)!, config).spec;

describe('the representative', () => {
  const cases: [string, string][] = [
    ['two-phase', 'rm4'],
    ['entry-lock/fix', 'three-reads'],
    ['entry-lock/v4.7', 'two-reads-one-write'],
    ['i-mmap/all', 'two-writers'],
    ['entry-lock/fix', 'e3-truncate'],
  ];
  for (const [id, config] of cases) {
    it(`${id} ${config}: reachable, idempotent, one per orbit, and the reduced search finds them all`, async () => {
      const spec = id === 'two-phase' ? (await import('../../specs/examples/two-phase')).buildTwoPhase(4) : specOf(id, config);
      const all = reachable(spec);
      const rep = new Float64Array(spec.layout.slots.length);
      const again = new Float64Array(spec.layout.slots.length);
      const reps = new Set<string>();
      for (const s of all.values()) {
        if (!spec.symmetry) break;
        spec.symmetry(s, rep);
        const key = rep.join(',');
        reps.add(key);
        expect(all.has(key), `the representative of a reachable state of ${id} ${config} is reachable`).toBe(true);
        spec.symmetry(rep, again);
        expect(again.join(',')).toBe(key);
      }
      const full = await check(spec, { deadlock: false, properties: [] });
      const reduced = await check(spec, { deadlock: false, properties: [], symmetry: true });
      expect(full.stats.distinct).toBe(all.size);
      if (spec.symmetry) expect(reduced.stats.distinct).toBe(reps.size);
      else expect(reduced.stats.distinct).toBe(full.stats.distinct);
    });
  }

  it('exists exactly where threads are interchangeable, and reduces strictly there', async () => {
    expect(specOf('entry-lock/fix', 'mix-5t2i').symmetry).toBeUndefined(); // five different roles
    expect(specOf('die-hard', 'goal').symmetry).toBeUndefined();
    for (const [id, config, full] of [
      ['two-phase', 'rm5', 8_832],
      ['entry-lock/fix', 'four-reads', 28_632],
      ['i-mmap/all', 'two-writers', 1_033],
    ] as const) {
      const r = await check(specOf(id, config), { symmetry: true, deadlock: false });
      expect(r.stats.distinct, `${id} ${config}`).toBeLessThan(full);
    }
    expect((await check(specOf('two-phase', 'rm5'), { symmetry: true })).stats.distinct).toBe(314);
    expect((await check(specOf('entry-lock/fix', 'four-reads'), { symmetry: true, properties: ['deadlock'] })).stats.distinct).toBe(1_670);
  });

  it('gives the same results with two workers', async () => {
    const registry = pathToFileURL(join(__dirname, '..', '..', 'specs', 'index.ts')).href;
    const options = { symmetry: true, properties: ['deadlock'], deadlock: true } as const;
    const one = await check(specOf('entry-lock/v4.7', 'three-reads'), options);
    const two = await checkParallel(specOf('entry-lock/v4.7', 'three-reads'), { ...options, workers: 2, source: { module: registry, id: 'entry-lock/v4.7' }, config: 'three-reads', aloneBelow: 0 });
    expect(two.discoveries).toEqual(one.discoveries);
    expect(two.stats.distinct).toBe(one.stats.distinct);
    expect(two.stats.generated).toBe(one.stats.generated);
  });
});

describe('every non-slow claim with --symmetry', () => {
  for (const claim of safetyClaims.filter((c) => !c.slow)) {
    it(`${claim.id}: ${claim.expect}${claim.expect === 'found' ? `, in at most ${claim.length} steps` : ''}`, async () => {
      const deadlock = claim.property === 'deadlock';
      if (claim.property === LOCK_ORDER) {
        // Lock classes are not threads: the lock-order view of the reduced graph has the same cycles.
        const r = await check(specOf(claim.spec, claim.config), { properties: [], deadlock: false, symmetry: true });
        const seen = lockOrderSeen(lockOrderData(r.analyses)!);
        expect(r.stats.distinct).toBeLessThanOrEqual(claim.distinct);
        expect(seen.cycles.length + seen.inversions.length > 0).toBe(claim.expect === 'found');
        return;
      }
      const r = await check(specOf(claim.spec, claim.config), { properties: [deadlock ? 'deadlock' : claim.property], deadlock, symmetry: true });
      expect(r.stats.distinct).toBeLessThanOrEqual(claim.distinct);
      if (claim.expect === 'found') {
        expect(r.verdict).toBe('fail');
        expect(r.failure?.property).toBe(claim.property);
        expect(r.failure!.path.actions.length).toBeLessThanOrEqual(claim.length!);
      } else {
        expect(r.verdict).toBe('pass');
      }
    });
  }
});

describe('daxmc check --symmetry', () => {
  it('reduces TwoPhase and says so when a spec has nothing to reduce', async () => {
    const r = await daxmc(['check', 'two-phase', '--config', 'rm5', '--symmetry']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('PASS  2 properties hold over 314 distinct states');
    const d = await daxmc(['check', 'die-hard', '--symmetry']);
    expect(d.code).toBe(12);
    expect(d.err).toContain('die-hard, configuration goal has no interchangeable threads: --symmetry changes nothing');
  });
});
