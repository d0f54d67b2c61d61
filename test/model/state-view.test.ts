// Properties of a spec writer's own (P.invariant, P.witness) over a StateView: the page model in
// its own words, the explanation read from the path with History, and a view asked for something
// the world does not have as a spec error naming the property.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { compile } from '../../src/model/compile';
import { call, fn } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import type { StateView } from '../../src/model/state-view';
import { replay } from '../../src/trace/trace';
import {
  dax42, faultWrapper, getBlock, pfnMkwrite, spawnThreads, threads, truncate, truncateBlocks, truncateSetsize, worldOf, type SchemeConfig,
} from '../../src/linux/index';

/** Two write faults on one hole, with get_block allocating as asked. */
function twoWriters(allocate: 'zeroed' | 'unzeroed', props: P.PropertyMaker[]) {
  const c: SchemeConfig = { indices: 1, blocks: 1, iSize: 1, threads: [threads.store('T1', 'P1'), threads.store('T2', 'P1')] };
  const d = worldOf(c);
  const gb = getBlock(d, { name: 'myfs_get_block', lock: d.w.mutex('myfs_alloc'), allocate, bufferNew: allocate === 'unzeroed' });
  const dax = dax42.daxFault(d, gb);
  spawnThreads(d, { fault: faultWrapper(d, 'myfs_fault', dax), pageMkwrite: faultWrapper(d, 'myfs_mkwrite', dax), pfnMkwrite: pfnMkwrite(d, 'myfs_pfn_mkwrite'), cowUnlock: { kind: 'none' } }, c.threads, {});
  return compile(d.w, `myfs-${allocate}/two-writers`, props).spec;
}

// The example of docs/writing-a-spec.md ("Properties of your own"), word for word.
const mapsGarbage = (v: StateView): boolean => {
  const pte = v.pte(0, 'P1');
  return (pte === 'ro-pfn' || pte === 'rw-pfn') && v.blockData(v.pteRef(0, 'P1')) === 'garbage';
};
const noStaleData = P.invariant('no stale data mapped', 'P1 never maps a block at index 0 that was neither zeroed nor written', (v) => !mapsGarbage(v), {
  explain: (h, v) => {
    const since = h.since((s) => mapsGarbage(v.of(s)));
    return { lines: [`P1 maps B${v.of(h.last).pteRef(0, 'P1')}, never zeroed, since ${h.step(since ?? 0)}`], ...(since !== undefined ? { cause: since } : {}) };
  },
});

/** A store against truncate to 0 pages, on a file system that zeroes at allocation and has a shared fault lock. */
function storeVsTruncate(props: P.PropertyMaker[]) {
  const c: SchemeConfig = { indices: 1, blocks: 1, iSize: 1, threads: [threads.store('T1', 'P1'), threads.truncate('T2', 0)] };
  const d = worldOf(c);
  const sem = d.w.rwsem('myfs_mmaplock');
  const gb = getBlock(d, { name: 'myfs_get_block', lock: d.w.mutex('myfs_alloc'), allocate: 'zeroed', bufferNew: false });
  const shared = { lock: sem, mode: 'read' as const };
  spawnThreads(
    d,
    {
      fault: faultWrapper(d, 'myfs_fault', dax42.daxFault(d, gb), { lock: shared }),
      pageMkwrite: faultWrapper(d, 'myfs_mkwrite', dax42.daxFault(d, gb), { lock: shared }),
      pfnMkwrite: pfnMkwrite(d, 'myfs_pfn_mkwrite', { lock: shared, recheck: true }),
      cowUnlock: { kind: 'none' },
    },
    c.threads,
    {
      truncate: () =>
        truncate(d, [call(fn('myfs_setsize', [call(truncateSetsize(d)), call(truncateBlocks(d, { name: 'myfs_truncate_blocks', lock: gb.lock }))]))]),
    },
  );
  return { d, sem, alloc: gb.lock, spec: compile(d.w, 'myfs/store-vs-truncate', props).spec };
}

describe('P.invariant and P.witness over a StateView', () => {
  it("the guide's example: a block mapped before it is zeroed leaks its old contents with an unzeroed allocation, not with a zeroing one", async () => {
    const leaky = twoWriters('unzeroed', [noStaleData]);
    const r = await check(leaky, {});
    expect(r.verdict).toBe('fail');
    const trace = replay(leaky, r.failure!.path, { specId: 'myfs', config: 'two-writers', property: r.failure!.property, kind: r.failure!.kind });
    expect([trace.steps.length - 1, trace.cause, trace.explanation]).toEqual(LEAK);
    const safe = await check(twoWriters('zeroed', [noStaleData]), {});
    expect([safe.verdict, safe.stats.distinct]).toEqual(['pass', SAFE_DISTINCT]);
  });

  it('a violated invariant of your own: the shortest path, explained with History in kernel words', async () => {
    const never = P.invariant('i_size stays one page', 'i_size never drops below one page', (v) => v.iSize() >= 1, {
      explain: (h, v) => {
        const since = h.since((s) => v.of(s).iSize() === 0);
        return { lines: [`i_size is ${v.of(h.last).iSize()} since ${h.step(since ?? 0)}`], ...(since !== undefined ? { cause: since } : {}) };
      },
    });
    const { spec } = storeVsTruncate([never]);
    const r = await check(spec, {});
    expect(r.verdict).toBe('fail');
    const f = r.failure!;
    expect(f.property).toBe('i_size stays one page');
    const trace = replay(spec, f.path, { specId: 'myfs', config: 'store-vs-truncate', property: f.property, kind: f.kind });
    expect(trace.steps.length).toBe(4);
    expect(trace.explanation).toEqual(['i_size is 0 since T2 at truncate_setsize: i_size_write (step 3)']);
    expect(trace.cause).toBe(3);
  });

  it('what a view reads: block map, data, PTEs, slots, lock holders, thread status, as the traces name them', async () => {
    const seen = new Set<string>();
    const { spec, sem, alloc } = storeVsTruncate([
      P.invariant('record', 'records what the view reads', (v) => {
        seen.add(`${v.mapState(0)} B${v.blockAt(0)} ${v.blockAt(0) ? `${v.blockAllocated(v.blockAt(0))} ${v.blockData(v.blockAt(0))}` : '-'} pte=${v.pte(0, 'P1')}:${v.pteRef(0, 'P1')} slot=${v.slot(0)} alloc=${v.owner(alloc) ?? '-'} readers=${v.readerCount(sem)} T1=${v.status('T1')} T2holds=${v.holds('T2', alloc)} err=${v.error() ?? '-'}`);
        return true;
      }),
      P.witness("T1's data in B1", 'the store reaches the block', (v) => v.blockAt(0) === 1 && v.blockData(1) === 'T1'),
    ]);
    const r = await check(spec, {});
    expect(r.verdict).toBe('pass');
    expect(r.discoveries.map((w) => `${w.kind} ${w.property}`)).toEqual(["witness T1's data in B1"]);
    expect(r.unwitnessed).toEqual([]);
    expect(r.stats.distinct).toBe(STORE_VS_TRUNCATE_DISTINCT);
    expect(seen.has('hole B0 - pte=none:0 slot=empty alloc=- readers=0 T1=running T2holds=false err=-')).toBe(true);
    expect(seen.has('written B1 true T1 pte=rw-pfn:1 slot=empty alloc=- readers=0 T1=returned T2holds=false err=-')).toBe(true);
    expect([...seen].some((x) => x.includes('alloc=T2') && x.includes('T2holds=true'))).toBe(true);
    expect([...seen].some((x) => x.includes('alloc=T1') && x.includes('readers=1'))).toBe(true);
  });

  it('a view asked for an index the world does not have is a spec error naming the property', async () => {
    const { spec } = storeVsTruncate([P.invariant('index 3 stays a hole', 'x', (v) => v.mapState(3) === 'hole')]);
    const r = await check(spec, {});
    expect(r.verdict).toBe('error');
    expect(r.error).toBe("property 'index 3 stays a hole': index 3 is outside 0..0");
  });
});

/** Pinned: the store-vs-truncate world's reachable states (the property library adds none). */
const STORE_VS_TRUNCATE_DISTINCT = 1199;

/** Pinned: the leak's shortest trace (steps, cause, explanation), and the zeroing world's states. */
const LEAK: unknown[] = [24, 24, ['P1 maps B1, never zeroed, since T2 at dax_insert_mapping: vm_insert_mixed (step 24)']];
const SAFE_DISTINCT = 2018;
