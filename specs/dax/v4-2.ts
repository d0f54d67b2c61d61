// Scheme 1: the v4.2 DAX locking scheme, as fs/dax.c ran it at v4.2 (ce5c5d554dc4,
// e842f2903908 on top of v4.1's dax_pfn_mkwrite), with the ext2/ext4 dax_fault wrappers:
// fault-vs-fault exclusion only through the hole page's lock, fault-vs-truncate through the
// i_size re-check under i_mmap_rwsem(read) or the page lock. Variants (parameters): the
// filesystem's get_block (ext2 allocates and zeroes under truncate_mutex; ext4 and XFS of that
// time return an unwritten extent that DAX zeroes); the pre-v4.1 pfn write (no pfn_mkwrite, before
// dd9061846a3b); the PMD path as first merged in the v4.3 merge window; final v4.3 (0f90cc6609c7:
// do_cow_fault calls i_mmap_unlock_write, B12) and its fix (0df9d41ab5d4); and a COW fault that
// does not hold i_mmap_rwsem across the PTE install (B13, hypothetical).
// Facts: docs/kernel-facts.md "v4.2" and "The final v4.3". Built from daxmc/linux only.
// Left out: mmap_sem and VM_FAULT_RETRY; ext4's jbd2 handle (the ext4 scheme has it: specs/dax/
// ext4.ts); XFS's MMAPLOCK (specs/dax/xfs.ts); partial pages; data beyond "who stored last".
// [D] A write fault's vm_insert_mixed maps the pfn read-only (the VMA uses write notification),
// so the store takes a second, pfn_mkwrite fault.
import { call, compile, type SpecDefinition } from '../../src/index';
import {
  configOf,
  dax42,
  daxProperties,
  defineScheme,
  type SchemeConfigEntry,
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
  writeSyscall,
  type DaxWorld,
  type GetBlock,
  type Handlers,
  type SchemeConfig,
} from '../../src/linux/index';

export interface V42Options {
  /** ext2 (get_block allocates zeroed blocks) or ext4 (unwritten extents that DAX zeroes). */
  readonly fs: 'ext2' | 'ext4';
  /** v4.1's pfn_mkwrite (dd9061846a3b); false models v4.0 (B9). */
  readonly pfnMkwrite: boolean;
  /** How do_cow_fault unlocks a page-less COW fault: v4.2 read; final v4.3 write (B12). */
  readonly cowUnlock: 'i_mmap_unlock_read' | 'i_mmap_unlock_write';
  /** v4.2 holds i_mmap_rwsem(read) from __dax_fault into do_cow_fault; false drops it (B13). */
  readonly cowHold: boolean;
}

export interface V42Config extends SchemeConfig {
  readonly options: V42Options;
  /** The PMD path as first merged. */
  readonly pmd?: boolean;
}

/** The v4.2-era get_block of ext2 (truncate_mutex, zeroed) or ext4 (i_data_sem, unwritten). */
export function v42GetBlock(d: DaxWorld, fs: 'ext2' | 'ext4'): GetBlock {
  return fs === 'ext2'
    ? getBlock(d, { name: 'ext2_get_block', lock: d.w.mutex('truncate_mutex'), allocate: 'zeroed', bufferNew: true })
    : getBlock(d, { name: 'ext4_get_block', lock: d.w.rwsem('i_data_sem'), allocate: 'unwritten', bufferNew: true });
}

/** The ext2/ext4 handlers of v4.2 around __dax_fault (and the PMD path, when asked). */
export function v42Handlers(d: DaxWorld, gb: GetBlock, o: V42Options, pmd = false): Handlers {
  const dax = () => dax42.daxFault(d, gb, { cow: o.cowHold ? 'hold' : 'drop' });
  return {
    fault: faultWrapper(d, `${o.fs}_dax_fault`, dax()),
    pageMkwrite: faultWrapper(d, `${o.fs}_dax_mkwrite`, dax()),
    pfnMkwrite: o.pfnMkwrite ? pfnMkwrite(d, 'dax_pfn_mkwrite') : null,
    ...(pmd ? { pmdFault: faultWrapper(d, `${o.fs}_dax_pmd_fault`, dax42.daxPmdFault(d, gb.allocate)) } : {}),
    cowUnlock: o.cowHold ? { kind: o.cowUnlock, lock: d.iMmap } : { kind: 'none' },
  };
}

/** truncate(2) of v4.2: i_size, unmap, the pages, unmap, then the blocks under the allocation lock. */
export function v42Truncate(d: DaxWorld, gb: GetBlock) {
  return truncate(d, [call(truncateSetsize(d)), call(truncateBlocks(d, { name: 'truncate_blocks', lock: gb.lock }))]);
}

export function buildV42(c: V42Config, name: string) {
  const d = worldOf(c);
  const o = c.options;
  const gb = v42GetBlock(d, o.fs);
  const h = v42Handlers(d, gb, o, c.pmd ?? false);
  spawnThreads(d, h, c.threads, {
    truncate: () => v42Truncate(d, gb),
    // ext4 hole punch (v4.2): no lock against faults, no i_size change.
    ...(o.fs === 'ext4'
      ? { punch: () => punchHole(d, { name: 'ext4_punch_hole', locks: [{ lock: d.iMutex, mode: 'write' }], pagecache: truncatePagecacheRange(d), remove: { label: 'ext4_ext_remove_space', lock: gb.lock } }) }
      : {}),
    'write(2)': () => writeSyscall(d, gb),
  });
  return compile(d.w, name, [...daxProperties, ...eachThreadCompletes(c.threads)]);
}

const base: V42Options = { fs: 'ext4', pfnMkwrite: true, cowUnlock: 'i_mmap_unlock_read', cowHold: true };
const ext2: V42Options = { ...base, fs: 'ext2' };

export const v42Configs = {
  'b1-two-writers': configOf('B1: two write faults on one hole, unwritten-extent get_block', {
    options: base, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'store', process: 'P2' }],
  }),
  'b1-one-writer': configOf('B1 with one thread fewer', {
    options: base, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'store', process: 'P1' }],
  }),
  'b1-ext2': configOf('B1 configuration on ext2 (get_block zeroes under truncate_mutex)', {
    options: ext2, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'store', process: 'P2' }],
  }),
  'b2-read-vs-write': configOf('B2: read fault vs write fault on one hole', {
    options: ext2, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'load', process: 'P2' }],
  }),
  'b3-punch': configOf('B3: ext4 hole punch vs a fault on an allocated block', {
    options: base, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
    threads: [{ name: 'T1', role: 'load', process: 'P1' }, { name: 'T2', role: 'punch' }],
  }),
  'b8-freeze': configOf('B8: freeze vs a store through a PTE made writable before the freeze', {
    options: ext2, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'freeze' }],
  }),
  'b11-truncate': configOf('B11: write fault vs truncate below the index', {
    options: ext2, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'store', process: 'P1' }, { name: 'T2', role: 'truncate', size: 0 }],
  }),
  'b14-write-syscall': configOf('B14: read fault vs write(2) on one hole', {
    options: ext2, indices: 1, blocks: 1, iSize: 1,
    threads: [{ name: 'T1', role: 'load', process: 'P1' }, { name: 'T2', role: 'write(2)' }],
  }),
  'b2-one-writer': configOf('B2 with one thread fewer', {
    options: ext2, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'store', process: 'P1' }],
  }),
  'b3-punch-only': configOf('B3 with one thread fewer', {
    options: base, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'], threads: [{ name: 'T2', role: 'punch' }],
  }),
  'b14-load-only': configOf('B14 with one thread fewer', {
    options: ext2, indices: 1, blocks: 1, iSize: 1, threads: [{ name: 'T1', role: 'load', process: 'P1' }],
  }),
  'b9-mtime': configOf('B9\'s configuration on v4.1+ (pfn_mkwrite)', {
    options: ext2, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
    threads: [{ name: 'T1', role: 'load+store', process: 'P1' }],
  }),
  'b9-freeze': configOf('B9\'s freeze configuration on v4.1+ (pfn_mkwrite)', {
    options: ext2, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
    threads: [{ name: 'T1', role: 'load+store', process: 'P1' }, { name: 'T2', role: 'freeze' }],
  }),
  'mkwrite-freeze-3t2i': configOf('c/mtime and freeze on read->write transitions over two indices', {
    options: ext2, indices: 2, blocks: 2, iSize: 2, initialMap: ['written', 'hole'],
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1', index: 0 },
      { name: 'T2', role: 'store', process: 'P2', index: 1 },
      { name: 'T3', role: 'freeze (stays frozen)' },
    ],
  }),
  'truncate-3t2i': configOf('truncate safety: a store, a load and a truncate over two indices', {
    options: ext2, indices: 2, blocks: 2, iSize: 2,
    threads: [
      { name: 'T1', role: 'store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
  'cow-truncate-3t2i': configOf('COW vs truncate: a private store, a load and a truncate over two indices', {
    options: ext2, indices: 2, blocks: 2, iSize: 2, initialMap: ['hole', 'written'],
    threads: [
      { name: 'T1', role: 'cow', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
};

function variant(id: string, title: string, description: string, configs: Record<string, SchemeConfigEntry<V42Config>>, defaultConfig: string): SpecDefinition {
  return defineScheme<V42Config>({ id, title, description, configs, defaultConfig, build: buildV42 });
}

export const v42 = variant(
  'v4.2',
  'v4.2 DAX locking (i_mmap_rwsem read in dax_insert_mapping, hole-page lock)',
  'fs/dax.c at v4.2 with the ext2/ext4 dax_fault wrappers; get_block behaviour per configuration.',
  v42Configs,
  'b1-two-writers',
);

const pmdOpts: V42Options = { ...base, fs: 'ext4' };
export const v42Pmd = variant(
  'v4.2/pmd',
  'v4.2 with the PMD path as first merged (v4.3 merge window, before the September changes)',
  '__dax_pmd_fault with i_mmap_lock_read and unmap_mapping_range of the huge zero page.',
  {
    'b4-zero-then-write': configOf('B4: one process reads a PMD hole, then writes it', {
      options: pmdOpts, pmd: true, indices: 2, blocks: 2, iSize: 2,
      threads: [{ name: 'T1', role: 'pmd load+store', process: 'P1' }],
    }),
    'b5-two-processes': configOf('B5: P1 maps the huge zero page, P2 writes the PMD', {
      options: pmdOpts, pmd: true, indices: 2, blocks: 2, iSize: 2,
      threads: [{ name: 'T1', role: 'pmd load', process: 'P1' }, { name: 'T2', role: 'pmd store', process: 'P2' }],
    }),
    'b5-one-process': configOf('B5 with one thread fewer', {
      options: pmdOpts, pmd: true, indices: 2, blocks: 2, iSize: 2,
      threads: [{ name: 'T2', role: 'pmd store', process: 'P2' }],
    }),
  },
  'b4-zero-then-write',
);

export const v42Pre41 = variant(
  'v4.2/pre-v4.1',
  'v4.0 pfn write: no pfn_mkwrite (before dd9061846a3b)',
  'A store to a read-only pfn PTE is made writable by the MM with no filesystem callback.',
  {
    'b9-mtime': configOf('B9: a load, then a store, in one thread', {
      options: { ...ext2, pfnMkwrite: false }, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
      threads: [{ name: 'T1', role: 'load+store', process: 'P1' }],
    }),
    'b9-freeze': configOf('B9: a load then a store, against freeze', {
      options: { ...ext2, pfnMkwrite: false }, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
      threads: [{ name: 'T1', role: 'load+store', process: 'P1' }, { name: 'T2', role: 'freeze' }],
    }),
  },
  'b9-mtime',
);

const cowCfg = (options: V42Options) =>
  configOf('a private store to an allocated block, a truncate below it', {
    options, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
    threads: [{ name: 'T1', role: 'cow', process: 'P1' }, { name: 'T2', role: 'truncate', size: 0 }],
  });

export const v43 = variant(
  'v4.3',
  'final v4.3 (0f90cc6609c7): the v4.2 PTE path with do_cow_fault still calling i_mmap_unlock_write',
  'The revert left 52a2b53ffde6 in place (B12, fixed by 0df9d41ab5d4).',
  {
    'b12-cow': configOf('B12: one private write fault on an allocated block', {
      options: { ...ext2, cowUnlock: 'i_mmap_unlock_write' }, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
      threads: [{ name: 'T1', role: 'cow', process: 'P1' }],
    }),
  },
  'b12-cow',
);

export const v43CowFix = variant(
  'v4.3/cow-fix',
  'v4.3 with 0df9d41ab5d4 (do_cow_fault back to i_mmap_unlock_read)',
  'The fix of B12, on B12\'s configuration and against truncate.',
  {
    'b12-cow': configOf('B12\'s configuration with the fix', {
      options: ext2, indices: 1, blocks: 1, iSize: 1, initialMap: ['written'],
      threads: [{ name: 'T1', role: 'cow', process: 'P1' }],
    }),
    'cow-truncate': cowCfg(ext2),
  },
  'b12-cow',
);

export const v42CowNoHold = variant(
  'v4.2/cow-no-hold',
  'v4.2 with the i_mmap_rwsem hold across the COW PTE install dropped (B13, hypothetical)',
  'What v4.2 protects against by returning from __dax_fault with i_mmap_rwsem(read) held.',
  { 'b13-cow-truncate': cowCfg({ ...ext2, cowHold: false }) },
  'b13-cow-truncate',
);

export const v42Cow = variant(
  'v4.2/cow',
  'v4.2 COW fault against truncate (the hold that B13 drops)',
  'The v4.2 code on B13\'s configuration.',
  { 'b13-cow-truncate': cowCfg(ext2) },
  'b13-cow-truncate',
);

export const definitions: readonly SpecDefinition[] = [v42, v42Pmd, v42Pre41, v43, v43CowFix, v42CowNoHold, v42Cow];
