// A user's new scheme in one file, as the package tests install it into an empty project: a
// filesystem "nextfs" written only from 'daxmc' and the code-path library 'daxmc/linux' (the
// way docs/writing-a-spec.md shows): a fault lock taken shared by faults and exclusive by hole
// punch, and a get_block that zeroes blocks before they are visible. Two claims go with it.
import { call, compile, fn, type Claim, type SpecDefinition } from 'daxmc';
import {
  configOf,
  dax42,
  daxProperties,
  defineScheme,
  eachThreadCompletes,
  faultWrapper,
  getBlock,
  pfnMkwrite,
  punchHole,
  spawnThreads,
  truncate,
  truncateBlocks,
  truncatePagecacheRange,
  truncateSetsize,
  worldOf,
  type SchemeConfig,
} from 'daxmc/linux';

const nextfs: SpecDefinition = defineScheme<SchemeConfig>({
  id: 'nextfs',
  title: 'nextfs: a fault lock shared by faults, exclusive in punch and truncate',
  description: 'v4.2 __dax_fault under nextfs_fault_sem; zeroed allocation under nextfs_alloc.',
  configs: {
    'punch-vs-load': configOf('a hole punch against a fault on an allocated block', {
      indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
      threads: [{ name: 'T1', role: 'load', process: 'P1' }, { name: 'T2', role: 'punch' }],
    }),
    'two-writers': configOf('two write faults on one hole', {
      indices: 1, blocks: 1, iSize: 1,
      threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'store', process: 'P2' }],
    }),
  },
  defaultConfig: 'punch-vs-load',
  build(c, name) {
    const d = worldOf(c);
    const faultSem = d.w.rwsem('nextfs_fault_sem');
    const gb = getBlock(d, { name: 'nextfs_get_block', lock: d.w.mutex('nextfs_alloc'), allocate: 'zeroed', bufferNew: false });
    const shared = { lock: faultSem, mode: 'read' as const };
    const excl = { lock: faultSem, mode: 'write' as const };
    spawnThreads(
      d,
      {
        fault: faultWrapper(d, 'nextfs_fault', dax42.daxFault(d, gb), { lock: shared }),
        pageMkwrite: faultWrapper(d, 'nextfs_mkwrite', dax42.daxFault(d, gb), { lock: shared }),
        pfnMkwrite: pfnMkwrite(d, 'nextfs_pfn_mkwrite', { lock: shared, recheck: true }),
        cowUnlock: { kind: 'i_mmap_unlock_read', lock: d.iMmap },
      },
      c.threads,
      {
        punch: () => punchHole(d, { name: 'nextfs_punch_hole', locks: [excl], pagecache: truncatePagecacheRange(d), remove: { label: 'nextfs_free', lock: gb.lock } }),
        truncate: () => truncate(d, [call(fn('nextfs_setsize', [call(truncateSetsize(d)), call(truncateBlocks(d, { name: 'nextfs_truncate_blocks', lock: gb.lock }))]))]),
      },
    );
    return compile(d.w, name, [...daxProperties, ...eachThreadCompletes(c.threads)]);
  },
});
export default nextfs;

export const claims: Claim[] = [
  {
    id: 'nextfs/punch', scheme: 'nextfs', item: 'B3', grade: 'D', spec: 'nextfs', config: 'punch-vs-load',
    property: 'no PTE maps a freed block', expect: 'holds', distinct: 122, note: 'the fault lock excludes the punch',
  },
  {
    id: 'nextfs/two-writers', scheme: 'nextfs', item: 'B1', grade: 'D', spec: 'nextfs', config: 'two-writers',
    property: 'no store is lost', expect: 'holds', distinct: 2593, note: 'allocation zeroes the block before it is visible',
  },
];
