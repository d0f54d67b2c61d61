// What verdicts rest on (src/report/rests-on.ts), pinned for a few small claims (the rest run in
// `npm run traces`, docs/verdicts.md): which mechanisms are load-bearing with their counterexample
// lengths, how many are redundant, the flag of a claim that rests on none of what it is about
// (dax_sem's truncate safety), and the fixes of found claims, including one that does not fix.
import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../../specs/index';
import { allClaims } from '../../specs/dax/claims';
import type { Claim } from '../../src/report/claim';
import { analyse, analyseClaims, checkFix, isRestsOn, restsOn, withAnalysis } from '../../src/report/rests-on';
import { checkClaim } from '../../src/report/run-claims';
import { findSpec } from '../../src/report/run-claims';

const claim = (id: string): Claim => allClaims.find((c) => c.id === id)!;

async function analysed(id: string) {
  const c = claim(id);
  const a = await analyse(findSpec(builtinSpecs, c.spec), c.config, [c.property]);
  return restsOn(c, a);
}

const bearing = (r: Awaited<ReturnType<typeof analysed>>): string[] => r.loadBearing.map((l) => `${l.mechanism.id}: ${l.verdict.what}`);

describe('the load-bearing analysis', () => {
  it('dax-sem/B11-2t rests on dax_sem in the fault and in truncate (v4.2 B11 comes back without either)', async () => {
    const r = await analysed('dax-sem/B11-2t');
    expect(r.analysis.baseline.stats.distinct).toBe(574);
    expect(r.analysis.mechanisms).toHaveLength(17);
    expect(bearing(r)).toEqual([
      'drop dax_sem(read) in ext2_dax_fault: 43 steps',
      'drop the i_size check at __dax_fault: check_size: 43 steps',
      'drop dax_sem(write) in ext2_setsize: 43 steps',
      'drop truncate_mutex in __ext2_truncate_blocks: 52 steps, after BUG: __ext2_truncate_blocks without truncate_mutex',
    ]);
    expect(r.redundant).toHaveLength(13);
    expect(r.unsettled).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.flag).toBeUndefined();
    // Each counterexample is the mutant's: it replays only with the mutation, which it records.
    const t = r.loadBearing[2].verdict.trace!;
    expect(t.mutant).toEqual({ kind: 'drop-lock', lock: 'dax_sem', mode: 'write', fn: 'ext2_setsize' });
    expect(t.property).toBe('no block is allocated past EOF');
  });

  it('dax-sem/C3-1-3t2i is flagged: truncate safety holds with each dax_sem taken away (the i_size re-check carries it)', async () => {
    const r = await analysed('dax-sem/C3-1-3t2i');
    expect(r.analysis.mechanisms).toHaveLength(27);
    expect(r.loadBearing).toEqual([]);
    expect(r.redundant).toHaveLength(27);
    expect(r.flag).toBe(
      "rests on none of what it is about (dax_sem): it still holds with 'drop dax_sem(read) in ext2_dax_fault', 'drop dax_sem(read) in ext2_dax_pfn_mkwrite', 'drop dax_sem(read) in ext2_dax_mkwrite', 'drop dax_sem(write) in ext2_setsize'",
    );
  });

  it('entry-lock/C4-6-cow-unlock-wakeup notices the unlock wake-up taken away (a lost wake-up)', async () => {
    const r = await analysed('entry-lock/C4-6-cow-unlock-wakeup');
    expect(bearing(r)).toEqual(['no wake-up at dax_unlock_mapping_entry: wake_up(1): 24 steps: lost wake-up', 'no wake-up at dax_load_hole: find_or_create_page: 20 steps: lost wake-up']);
    expect(r.redundant).toHaveLength(15);
    expect(r.flag).toBeUndefined();
  });

  it("entry-lock/E1-fixed (three reads) rests on dax_load_hole's wake-all but never meets the unlock wake-up", async () => {
    const r = await analysed('entry-lock/E1-fixed');
    expect(bearing(r)).toEqual(['wake one instead of all at dax_load_hole: find_or_create_page: 35 steps: lost wake-up', 'no wake-up at dax_load_hole: find_or_create_page: 20 steps: lost wake-up']);
    expect(r.analysis.met.some((m) => m.about.includes('put_locked_mapping_entry') || m.about.includes('dax_unlock_mapping_entry'))).toBe(false);
  });

  it('a lock-order claim rests on the order of two lock steps (dax-sem/evict-no-cycle: the v1 order makes the cycle)', async () => {
    const r = await analysed('dax-sem/evict-no-cycle');
    expect(bearing(r)).toEqual([
      'swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_fault: cycle sb_writers[PAGEFAULT] -> sb_writers[FS] -> dax_sem; cycle sb_writers[PAGEFAULT] -> dax_sem',
      'swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_pfn_mkwrite: cycle sb_writers[PAGEFAULT] -> sb_writers[FS] -> dax_sem; cycle sb_writers[PAGEFAULT] -> dax_sem',
    ]);
  });

  it('with a state limit per mutant, a mutant cut before it breaks is unsettled, never redundant', async () => {
    const c = claim('dax-sem/B11-2t');
    const a = await analyse(findSpec(builtinSpecs, c.spec), c.config, [c.property], { maxStates: 100, only: ['dax_sem'] });
    const r = restsOn(c, a);
    expect(a.mechanisms.map((m) => m.id)).toEqual(['drop dax_sem(read) in ext2_dax_fault', 'drop dax_sem(read) in ext2_dax_pfn_mkwrite', 'drop dax_sem(write) in ext2_setsize']);
    expect(r.loadBearing).toEqual([]);
    expect(r.redundant).toEqual([]);
    expect(r.unsettled.map((m) => m.id)).toEqual(a.mechanisms.map((m) => m.id));
    expect(r.flag).toBeUndefined();
  });
});

describe('the fix of a found claim', () => {
  it('checks the fixed variant at the same configuration and property', async () => {
    const f = await checkFix(builtinSpecs, claim('v4.2/B12'));
    expect(f).toMatchObject({ spec: 'v4.3/cow-fix', status: 'holds', outcome: 'holds over 17 states', distinct: 17 });
    const e1 = await checkFix(builtinSpecs, claim('entry-lock/E1'));
    expect(e1).toMatchObject({ spec: 'entry-lock/fix', status: 'holds', outcome: 'holds over 2,327 states' });
    const order = await checkFix(builtinSpecs, claim('dax-sem/v1-order-evict-cycle'));
    expect(order).toMatchObject({ spec: 'dax-sem', status: 'holds', outcome: 'holds over 1,896 states' });
  });

  it('says so when the named variant does not fix it, or lacks the configuration; the report counts it as a difference', async () => {
    // dd9061846a3b cured B9's c/mtime but leaves the freeze window (v4.2/B9-fixed-freeze).
    const wrong: Claim = { ...claim('v4.2/B9-freeze'), fix: 'v4.2' };
    const f = (await checkFix(builtinSpecs, wrong))!;
    expect(f).toMatchObject({ status: 'still found', outcome: 'still found: 26 steps' });
    const missing = (await checkFix(builtinSpecs, { ...claim('v4.2/B12'), fix: 'v4.2' }))!;
    expect(missing).toMatchObject({ status: 'no such configuration', outcome: 'v4.2 has no configuration b12-cow' });
    const r = withAnalysis(await checkClaim(builtinSpecs, wrong), undefined, f);
    expect(r.status).toBe('differs');
    expect(r.differences).toEqual(['the fix v4.2 still found: 26 steps']);
    expect(await checkFix(builtinSpecs, claim('v4.2/B1'))).toBeUndefined();
  });

  it('every found claim that names a fix is fixed by it (the report checks the slow ones)', async () => {
    const { fixes } = await analyseClaims(builtinSpecs, allClaims.filter((c) => c.fix !== undefined && !c.slow));
    expect(fixes.size).toBe(allClaims.filter((c) => c.fix !== undefined && !c.slow).length);
    for (const [c, f] of fixes) expect(f.status, `${c.id}: ${f.outcome}`).toBe('holds');
  });
});

describe('the report analysis of many claims', () => {
  it('groups holds claims by configuration, leaves heavy ones out, and names why', async () => {
    const ids = ['v4.2/C1-1', 'v4.2/C1-1-freed', 'i-mmap/C2-5t2i', 'entry-lock/E3-punch'];
    const { restsOn: out } = await analyseClaims(builtinSpecs, ids.map(claim));
    const c1 = out.get(claim('v4.2/C1-1'))!;
    const freed = out.get(claim('v4.2/C1-1-freed'))!;
    expect(isRestsOn(c1) && isRestsOn(freed) && c1.analysis === freed.analysis).toBe(true);
    expect(out.get(claim('i-mmap/C2-5t2i'))).toEqual({ claim: claim('i-mmap/C2-5t2i'), reason: 'heavy: not analysed' });
    expect(out.get(claim('entry-lock/E3-punch'))).toEqual({ claim: claim('entry-lock/E3-punch'), reason: 'slow: not analysed here (daxmc why CLAIM analyses it, in minutes)' });
  });
});
