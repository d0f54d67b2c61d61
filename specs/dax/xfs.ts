// XFS DAX faults under the MMAPLOCK (653c60b633a9, e8e9ad42c1f1): every fault takes
// XFS_MMAPLOCK_SHARED around __dax_fault, truncate and hole punch take IOLOCK_EXCL and
// MMAPLOCK_EXCL, write(2) takes only the IOLOCK. Two eras of the filesystem's get_block:
// - xfs/v4.2 (v4.2 and v4.3): xfs_get_blocks_direct allocates an unwritten extent in a
//   transaction (sb_start_intwrite, ILOCK_EXCL) and sets buffer_new; a lookup reports an
//   unwritten extent as a hole; DAX zeroes the block and xfs_end_io_dax_write converts it in a
//   transaction of its own. XFS has no ->pfn_mkwrite yet: the MM makes a read-only pfn PTE
//   writable with no filesystem callback.
// - xfs/v4.4 (1ca191576fc8 "xfs: Don't use unwritten extents for DAX", 3fbbbea34bac
//   BMAPI_ZERO): the block is zeroed inside the allocation transaction; buffer_new is not set
//   for a fault inside EOF ("zeroing is not needed at a higher layer"), so DAX does not zero
//   again; no complete_unwritten; xfs_filemap_pfn_mkwrite re-checks i_size under the MMAPLOCK.
// Facts: docs/kernel-facts.md "XFS" (§6) and "get_block per filesystem" (§9), read from the
// 4.2-4.4 sources. Built from daxmc and daxmc/linux only.
// Assumed, [D]: the lookup's shared ILOCK is one atomic step with no lock (it nests inside
// nothing a fault could wait on); write(2) holds IOLOCK_SHARED throughout (with hole pages
// cached the kernel takes IOLOCK_EXCL and i_mutex for the first invalidation and then demotes;
// faults take neither, so the difference is not visible to them); partial pages
// (dax_truncate_page, dax_zero_page_range) are left out: the model truncates and punches whole
// pages.
import { NEXT, call, compile, fn, step, type SpecDefinition } from '../../src/index';
import {
  completeUnwritten,
  configOf,
  dax42,
  daxProperties,
  defineScheme,
  eachThreadCompletes,
  faultWrapper,
  getBlock,
  holding,
  pfnMkwrite,
  punchHole,
  spawnThreads,
  threads,
  truncate,
  truncateInodePages,
  truncatePagecacheRange,
  truncateSetsize,
  worldOf,
  type DaxWorld,
  type GetBlock,
  type HeldLock,
  type SchemeConfig,
} from '../../src/linux/index';

export type XfsEra = 'v4.2' | 'v4.4';

export interface XfsConfig extends SchemeConfig {
  readonly era: XfsEra;
}

/** xfs_get_blocks_direct (v4.2/v4.3) or xfs_get_blocks_dax_fault (v4.4) for faults. */
function xfsGetBlocks(d: DaxWorld, era: XfsEra, ilock: ReturnType<DaxWorld['w']['rwsem']>): GetBlock {
  return era === 'v4.2'
    ? getBlock(d, { name: 'xfs_get_blocks_direct', lock: ilock, allocate: 'unwritten', bufferNew: 'allocated-or-unwritten', lookupUnwritten: 'hole', intwrite: true })
    : getBlock(d, { name: 'xfs_get_blocks_dax_fault', lock: ilock, allocate: 'zeroed', bufferNew: 'never', lookupUnwritten: 'hole', intwrite: true });
}

export function buildXfs(c: XfsConfig, name: string) {
  const d = worldOf(c);
  const iolock = d.w.rwsem('IOLOCK');
  const mmaplock = d.w.rwsem('MMAPLOCK');
  const ilock = d.w.rwsem('ILOCK');
  const gb = xfsGetBlocks(d, c.era, ilock);
  const shared: HeldLock = { lock: mmaplock, mode: 'read' };
  // xfs_end_io_dax_write: a transaction (sb_start_intwrite) that converts under ILOCK_EXCL.
  const convert = c.era === 'v4.2' ? completeUnwritten(d, { name: 'xfs_end_io_dax_write', lock: ilock, intwrite: true }) : undefined;
  const dax = () => dax42.daxFault(d, gb, convert ? { completeUnwritten: convert } : {});
  // truncate and punch: IOLOCK_EXCL, then MMAPLOCK_EXCL ("lock out new page faults").
  const exclusive: HeldLock[] = [
    { lock: iolock, mode: 'write' },
    { lock: mmaplock, mode: 'write' },
  ];
  // Freeing blocks: a transaction (sb_start_intwrite) under ILOCK_EXCL (xfs_itruncate_extents,
  // xfs_bunmapi).
  const freeBlocks = (label: string, from: 'size' | 'index') =>
    fn(label === 'xfs_itruncate_extents' ? 'xfs_itruncate_extents' : 'xfs_free_file_space', [
      step('sb_start_intwrite', (k) => k.sbStartIntwrite()),
      ...holding([{ lock: ilock, mode: 'write' }], [
        step(from === 'size' ? 'free_blocks' : 'xfs_bunmapi', (k) => {
          if (from === 'index') k.freeBlockAt(k.idx);
          else for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
        }),
      ]),
      step('sb_end_intwrite', (k) => k.sbEndIntwrite()),
    ]);
  spawnThreads(
    d,
    {
      // xfs_filemap_fault: a write fault goes to xfs_filemap_page_mkwrite (sb_start_pagefault,
      // file_update_time); both take MMAPLOCK_SHARED around __dax_fault.
      fault: faultWrapper(d, 'xfs_filemap_fault', dax(), { lock: shared }),
      pageMkwrite: faultWrapper(d, 'xfs_filemap_page_mkwrite', dax(), { lock: shared }),
      // v4.2/v4.3: no ->pfn_mkwrite; v4.4: xfs_filemap_pfn_mkwrite re-checks i_size under the MMAPLOCK.
      pfnMkwrite: c.era === 'v4.4' ? pfnMkwrite(d, 'xfs_filemap_pfn_mkwrite', { lock: shared, recheck: true }) : null,
      cowUnlock: { kind: 'i_mmap_unlock_read', lock: d.iMmap },
    },
    c.threads,
    {
      // xfs_vn_setattr -> xfs_setattr_size: i_size, the page cache, then the blocks.
      truncate: () => truncate(d, holding(exclusive, [call(fn('xfs_setattr_size', [call(truncateSetsize(d)), call(freeBlocks('xfs_itruncate_extents', 'size'))]))])),
      // fallocate(PUNCH_HOLE) -> xfs_free_file_space: i_size unchanged.
      punch: () =>
        fn(
          'xfs_file_fallocate',
          [
            step('sb_start_write', (k) => k.sbStartWrite()),
            ...holding(exclusive, [call(truncatePagecacheRange(d)), call(freeBlocks('xfs_free_file_space', 'index'))]),
            step('sb_end_write', (k) => k.sbEndWrite()),
          ],
          { handler: true },
        ),
      // xfs_file_dio_aio_write: DAX writes take the direct I/O path under the IOLOCK: invalidate
      // hole pages, dax_do_io with xfs_get_blocks_direct (v4.2: an unwritten extent, converted at
      // I/O completion; v4.4: a zeroed one), invalidate again.
      'write(2)': () => {
        const io = c.era === 'v4.2' ? getBlock(d, { name: 'xfs_get_blocks_direct', lock: ilock, allocate: 'unwritten', bufferNew: 'allocated-or-unwritten', lookupUnwritten: 'hole', intwrite: true }) : gb;
        return fn(
          'write',
          [
            step('sb_start_write', (k) => k.sbStartWrite()),
            ...holding([{ lock: iolock, mode: 'read' }], [
              call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
              call(io.create),
              step('dax_io: copy_from_iter_pmem', (k) => {
                const b = k.get(d.L.blk);
                if (b === 0) return k.fail('BUG', 0, 'write(2) got no block');
                k.kernelStore(k.idx, b);
              }),
              ...(convert ? [step('unwritten?', (k) => (k.get(d.L.unwritten) ? NEXT : k.goto('invalidate_inode_pages2_range#2'))), call(completeUnwritten(d, { name: 'xfs_end_io_direct_write', lock: ilock, intwrite: true }))] : []),
              call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
            ]),
            step('sb_end_write', (k) => k.sbEndWrite()),
          ],
          { handler: true },
        );
      },
    },
  );
  return compile(d.w, name, [...daxProperties, ...eachThreadCompletes(c.threads)]);
}

const cfg = configOf<XfsConfig>;
const one = { indices: 1, blocks: 1, iSize: 1 } as const;
const t = threads;

function configs(era: XfsEra) {
  return {
    'two-writers': cfg('two write faults on one hole (double zeroing?)', { era, ...one, threads: [t.store('T1', 'P1'), t.store('T2', 'P2')] }),
    'one-writer': cfg('one write fault on a hole (one thread fewer)', { era, ...one, threads: [t.store('T1', 'P1')] }),
    'read-vs-write': cfg('a write fault and a read fault on one hole (stale hole page?)', { era, ...one, threads: [t.store('T1', 'P1'), t.load('T2', 'P2')] }),
    'punch-vs-load': cfg('a hole punch against a fault on an allocated block (B3 on XFS?)', {
      era, ...one, initialMap: ['written'], threads: [t.load('T1', 'P1'), t.punch('T2')],
    }),
    'punch-only': cfg('a hole punch alone (one thread fewer)', { era, ...one, initialMap: ['written'], threads: [t.punch('T2')] }),
    'load-then-store': cfg('a read fault, then a store through the read-only pfn PTE (c/mtime)', {
      era, ...one, initialMap: ['written'], threads: [t.loadStore('T1', 'P1')],
    }),
    'load-then-store-freeze': cfg('a read fault then a store, against freeze', {
      era, ...one, initialMap: ['written'], threads: [t.loadStore('T1', 'P1'), t.freeze('T2')],
    }),
    'write-vs-load': cfg('write(2) and a read fault on one hole (B14 on XFS?)', { era, ...one, threads: [t.load('T1', 'P1'), t.write('T2')] }),
    'load-only': cfg('a read fault on a hole (one thread fewer)', { era, ...one, threads: [t.load('T1', 'P1')] }),
    'truncate-3t2i': cfg('truncate safety: a store, a load then store, and a truncate over two indices', {
      era, indices: 2, blocks: 2, iSize: 2,
      threads: [t.store('T1', 'P1', 1), t.loadStore('T2', 'P2', 1), t.truncate('T3', 1)],
    }),
    'all-paths-5t2i': cfg('faults, page_mkwrite, truncate, hole punch, write(2) and freeze over two indices', {
      era, indices: 2, blocks: 2, iSize: 2,
      threads: [t.store('T1', 'P1', 1), t.loadStore('T2', 'P2', 1), t.truncate('T3', 1), t.punch('T4', 0), t.freeze('T5')],
    }),
  };
}

function variant(id: string, title: string, description: string, era: XfsEra): SpecDefinition {
  return defineScheme<XfsConfig>({ id, title, description, configs: configs(era), defaultConfig: 'two-writers', build: buildXfs });
}

export const xfsV42 = variant(
  'xfs/v4.2',
  'XFS with the MMAPLOCK before v4.4: unwritten extents zeroed by DAX, no pfn_mkwrite',
  'xfs_filemap_fault / xfs_filemap_page_mkwrite take MMAPLOCK_SHARED around __dax_fault (v4.2 fs/dax.c); xfs_get_blocks_direct allocates unwritten extents with buffer_new; truncate and punch take IOLOCK_EXCL + MMAPLOCK_EXCL.',
  'v4.2',
);

export const xfsV44 = variant(
  'xfs/v4.4',
  'XFS in v4.4: blocks zeroed in the allocation transaction (1ca191576fc8, 3fbbbea34bac), xfs_filemap_pfn_mkwrite',
  'As xfs/v4.2, with xfs_get_blocks_dax_fault zeroing blocks under ILOCK_EXCL before commit and no buffer_new for a fault; pfn_mkwrite takes MMAPLOCK_SHARED and re-checks i_size.',
  'v4.4',
);

export const definitions: readonly SpecDefinition[] = [xfsV42, xfsV44];
