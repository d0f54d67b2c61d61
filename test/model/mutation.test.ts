// Code mutations of a compiled world (src/model/mutation.ts): the mechanisms a search meets, in
// code order, and what each mutation does, pinned where the kernel history gives the answer: the
// fix 965d004af540 with its wake-all turned back into a wake-one is v4.7 (E1, same states, same
// trace length); dax-sem's fault with sb_start_pagefault and dax_sem swapped is the v1 posting's
// order (the same lock-order cycle against an evict); bad mutations are spec errors.
import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../../specs/index';
import { check } from '../../src/check/explore';
import { SpecError } from '../../src/core/errors';
import type { Mutation, Spec } from '../../src/core/spec';
import { lockOrderData } from '../../src/render/svg-lock-order';
import { lockOrderSeen } from '../../src/report/run-claims';
import { buildSpec } from '../../src/run';
import { replay } from '../../src/trace/trace';

function built(id: string, config: string): Spec {
  const def = builtinSpecs.find((s) => s.id === id)!;
  return buildSpec(def, config).spec;
}

async function mechanismsOf(id: string, config: string, properties: string[]): Promise<string[]> {
  const spec = built(id, config);
  const stop = spec.mutants!.record();
  await check(spec, { properties, stopAt: 'all' });
  return stop().map((m) => (m.context ? `${m.id} (${m.context})` : m.id));
}

describe('recording the mechanisms a search meets', () => {
  it('lists them once each, in code order, with the locks held at every check', async () => {
    expect(await mechanismsOf('dax-sem', 'b11-truncate', ['no block is allocated past EOF'])).toEqual([
      'drop sb_start_pagefault in ext2_dax_fault',
      'swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_fault',
      'drop dax_sem(read) in ext2_dax_fault',
      'drop the i_size check at __dax_fault: check_size (under sb_writers[PAGEFAULT], dax_sem)',
      'drop truncate_mutex in ext2_get_block(create)',
      'drop i_mmap_rwsem(read) in dax_insert_mapping',
      'drop the i_size check at dax_insert_mapping: check_size (under i_mmap_rwsem, sb_writers[PAGEFAULT], dax_sem)',
      'drop sb_start_pagefault in ext2_dax_pfn_mkwrite',
      'swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_pfn_mkwrite',
      'drop dax_sem(read) in ext2_dax_pfn_mkwrite',
      'drop the i_size check at ext2_dax_pfn_mkwrite: check_size (under sb_writers[PAGEFAULT], dax_sem)',
      'drop sb_start_write in truncate',
      'swap sb_start_write and mutex_lock(i_mutex) in truncate',
      'drop i_mutex in truncate',
      'drop dax_sem(write) in ext2_setsize',
      'drop i_mmap_rwsem(write) in unmap_mapping_range',
      'drop truncate_mutex in __ext2_truncate_blocks',
    ]);
  });
  it('records a wake-up as two mutations: the other width, and none', async () => {
    expect(await mechanismsOf('entry-lock/fix', 'three-reads', ['deadlock'])).toEqual([
      'drop dax_sem(read) in ext2_dax_fault',
      'drop the i_size check at __dax_fault: check_size (under dax_sem)',
      'drop page lock in grab_mapping_entry',
      'drop the page->mapping check at grab_mapping_entry: page->mapping? (under dax_sem, page lock)',
      'wake one instead of all at dax_load_hole: find_or_create_page',
      'no wake-up at dax_load_hole: find_or_create_page',
    ]);
  });
  it('leaves an unmutated spec alone: the recorder is off after the search', async () => {
    const spec = built('v4.2', 'b11-truncate');
    const stop = spec.mutants!.record();
    const a = await check(spec, { properties: ['no block is allocated past EOF'] });
    stop();
    const b = await check(spec, { properties: ['no block is allocated past EOF'] });
    expect(b.stats.distinct).toBe(a.stats.distinct);
    expect(b.failure?.path).toEqual(a.failure?.path);
  });
});

describe('mutations', () => {
  it("965d004af540 undone (wake one instead of all in dax_load_hole) is v4.7's E1: the same states and trace", async () => {
    const spec = built('entry-lock/fix', 'three-reads');
    const m = spec.mutants!.apply({ kind: 'wake', fn: 'dax_load_hole', step: 'find_or_create_page', written: 'all', as: 'one' });
    expect(m.id).toBe('wake one instead of all at dax_load_hole: find_or_create_page');
    expect(m.about).toEqual(['wake-up', 'dax_load_hole']);
    const r = await check(spec, { properties: ['deadlock'] });
    const v47 = await check(built('entry-lock/v4.7', 'three-reads'), { properties: ['deadlock'] });
    expect(r.verdict).toBe('fail');
    expect(r.stats.distinct).toBe(2432);
    expect(r.failure!.path).toEqual(v47.failure!.path);
    const trace = replay(spec, r.failure!.path, { specId: 'entry-lock/fix', config: 'three-reads', kind: 'deadlock', mutant: m.mutation });
    expect(trace.steps.length - 1).toBe(35);
    expect(trace.diagnosis?.kind).toBe('lost wake-up');
    expect(trace.mutant).toEqual(m.mutation);
    // The wake-up step's note says what the mutant did.
    expect(trace.steps.flatMap((s) => s.notes).some((n) => n.kind === 'wake' && n.text === 'wakes T1 (entry 0)')).toBe(true);
  });

  it("swapping sb_start_pagefault and dax_sem in ext2_dax_fault gives the v1 posting's lock-order cycle", async () => {
    const spec = built('dax-sem', 'evict-freeze-3t');
    spec.mutants!.apply({ kind: 'swap', fn: 'ext2_dax_fault', first: 'sb_start_pagefault', second: 'down_read(dax_sem)' });
    expect(spec.actions.map((a) => a.name).filter((n) => n.startsWith('store > do_shared_fault > ext2_dax_fault: ')).slice(0, 2)).toEqual([
      'store > do_shared_fault > ext2_dax_fault: down_read(dax_sem)',
      'store > do_shared_fault > ext2_dax_fault: sb_start_pagefault',
    ]);
    const r = await check(spec, { properties: [], deadlock: false, stopAt: 'all' });
    const seen = lockOrderSeen(lockOrderData(r.analyses)!);
    expect(seen.cycles).toContainEqual(['sb_writers[PAGEFAULT]', 'sb_writers[FS]', 'dax_sem']);
    const unmutated = await check(built('dax-sem', 'evict-freeze-3t'), { properties: [], deadlock: false, stopAt: 'all' });
    expect(lockOrderSeen(lockOrderData(unmutated.analyses)!).cycles).toEqual([]);
  });

  it("dropping truncate's dax_sem (write) lets v4.2's B11 back: a block allocated past EOF", async () => {
    const spec = built('dax-sem', 'b11-truncate');
    spec.mutants!.apply({ kind: 'drop-lock', lock: 'dax_sem', mode: 'write', fn: 'ext2_setsize' });
    const r = await check(spec, { properties: ['no block is allocated past EOF'] });
    expect(r.failure?.property).toBe('no block is allocated past EOF');
    expect(r.failure!.path.actions.length).toBe(43);
    const fine = await check(built('dax-sem', 'b11-truncate'), { properties: ['no block is allocated past EOF'] });
    expect(fine.verdict).toBe('pass');
  });

  it("dropping v4.2's i_size re-check in dax_load_hole maps a hole page past EOF after truncate", async () => {
    const spec = built('v4.2', 'truncate-3t2i');
    spec.mutants!.apply({ kind: 'drop-check', check: 'i_size', fn: 'dax_load_hole', step: 'recheck_size' });
    const r = await check(spec, { properties: ['no PTE beyond EOF after truncate'] });
    expect(r.failure!.path.actions.length).toBe(27);
  });

  it('refuses a mutation that names nothing, a second mutation, or a malformed one (spec errors)', () => {
    const spec = built('dax-sem', 'b11-truncate');
    const bad = (m: Mutation): string => {
      try {
        built('dax-sem', 'b11-truncate').mutants!.apply(m);
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(SpecError);
        return (e as Error).message;
      }
    };
    expect(bad({ kind: 'drop-lock', lock: 'no_such_lock', mode: 'read', fn: 'x' })).toMatch(/^the mutation names the lock 'no_such_lock', which this world does not declare \(it has: i_mutex, i_mmap_rwsem, /);
    expect(bad({ kind: 'drop-lock', lock: 'dax_sem', mode: 'read', fn: 'no_such_function' })).toBe("the mutation 'drop dax_sem(read) in no_such_function' names code no thread of this configuration runs");
    expect(bad({ kind: 'swap', fn: 'truncate', first: 'a', second: 'b' })).toBe("no function truncate here has the consecutive steps 'a' and 'b'");
    expect(bad({ kind: 'wake', fn: 'f', step: 's', written: 'one', as: 'one' })).toMatch(/needs 'written' one or all and a different 'as'/);
    expect(bad({ kind: 'explode' })).toBe("the mutation kind 'explode' is not one of drop-lock, wake, drop-check, swap");
    expect(bad({ kind: 'drop-check', check: 'i_size', fn: 'f' })).toBe(`the mutation {"kind":"drop-check","check":"i_size","fn":"f"} has no 'step'`);
    spec.mutants!.apply({ kind: 'drop-lock', lock: 'dax_sem', mode: 'read', fn: 'ext2_dax_fault' });
    expect(() => spec.mutants!.apply({ kind: 'drop-lock', lock: 'dax_sem', mode: 'write', fn: 'ext2_setsize' })).toThrow('a spec takes one mutation: build a fresh one for the next');
  });
});
