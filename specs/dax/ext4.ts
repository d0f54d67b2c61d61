// ext4 DAX faults, two eras, with the jbd2 journal:
// - ext4/v4.2: dax_fault / dax_mkwrite with ext4_get_block and ext4_end_io_unwritten, no ext4
//   lock around the fault. ext4_get_block(create) starts a jbd2 handle itself and allocates a
//   written extent that is not zeroed, flagged new (DAX zeroes it later, in dax_insert_mapping);
//   so a write fault over a hole page starts a handle under the page lock (B10), against ext4's
//   own "transaction start ranks above page lock". Hole punch has no lock against faults and
//   keeps i_size (B3, CVE-2015-8839), and purges the page cache a second time under its handle.
// - ext4/v4.5: ea3d7209ca01 "ext4: fix races between page faults and hole punching" (i_mmap_sem:
//   read in faults and pfn_mkwrite, write in truncate and punch), 01a33b4ace68 and 1e9d180ba39f
//   (the write fault and page_mkwrite start their handle before __dax_fault), ba5843f51d46 /
//   c86d8db33a92 (pre-zeroed allocation, buffer_new cleared), ext4_dax_pfn_mkwrite re-checking
//   i_size, and the documented order of e74031fd7ed0.
// Facts: docs/kernel-facts.md "ext4" (§7) and "get_block per filesystem" (§9), read from the 4.2
// and 4.5 sources. Built from daxmc and daxmc/linux only. The jbd2 commit (kjournald2) is a role
// of its own: a configuration without it cannot block a handle start.
// Assumed, [D]: in v4.5 ext4_dax_mmap_get_block's handle nests inside the fault's (h_ref++: no
// wait, no lock event) and is left out; unwritten extents from fallocate (converted on lookup in
// v4.5) are not in the configurations; ext4_setattr's orphan list, inode_dio_wait and partial
// pages (dax_zero_page_range) are left out: the model truncates and punches whole pages.
import { call, compile, fn, step, type SpecDefinition } from '../../src/index';
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
  journalCommit,
  pfnMkwrite,
  spawnThreads,
  threads,
  truncate,
  truncatePagecache,
  truncatePagecacheRange,
  worldOf,
  writeSyscall,
  type HeldLock,
  type SchemeConfig,
  type ThreadSpec,
} from '../../src/linux/index';

export type Ext4Era = 'v4.2' | 'v4.5';

export interface Ext4Config extends SchemeConfig {
  readonly era: Ext4Era;
}

export function buildExt4(c: Ext4Config, name: string) {
  const d = worldOf(c);
  const jbd2 = d.w.journal('jbd2_handle');
  const iDataSem = d.w.rwsem('i_data_sem');
  const iMmapSem = c.era === 'v4.5' ? d.w.rwsem('i_mmap_sem') : null;
  const handle: HeldLock = { lock: jbd2, mode: 'read' };
  const dataSem: HeldLock = { lock: iDataSem, mode: 'write' };
  if (c.era === 'v4.2') {
    // fs/ext4/inode.c at v4.2, above ext4_writepage: "transaction start ranks above page lock".
    d.w.documentOrder(['jbd2_handle', 'page lock', 'i_data_sem'], 'fs/ext4/inode.c (v4.2), ext4_writepage: "transaction start ranks above page lock"');
  } else {
    d.w.documentOrder(['sb_writers[PAGEFAULT]', 'i_mmap_sem', 'jbd2_handle', 'page lock', 'i_data_sem'], 'e74031fd7ed0 "ext4: document lock ordering", fs/ext4/super.c: the page fault path');
  }
  const gb =
    c.era === 'v4.2'
      ? getBlock(d, { name: 'ext4_get_block', lock: iDataSem, allocate: 'unzeroed', bufferNew: 'allocated', lookupUnwritten: 'unwritten', journal: jbd2 })
      : getBlock(d, { name: 'ext4_dax_mmap_get_block', lock: iDataSem, allocate: 'zeroed', bufferNew: 'never', lookupUnwritten: 'unwritten' });
  // v4.2: ext4_end_io_unwritten converts in a handle of its own (read faults too).
  const dax = () =>
    c.era === 'v4.2' ? dax42.daxFault(d, gb, { completeUnwritten: completeUnwritten(d, { name: 'ext4_end_io_unwritten', lock: iDataSem, journal: jbd2 }) }) : dax42.daxFault(d, gb);
  const faultLock: HeldLock | null = iMmapSem ? { lock: iMmapSem, mode: 'read' } : null;
  // v4.5: ext4_dax_fault is both ->fault and ->page_mkwrite, the handle started before __dax_fault.
  const fault = (fnName: string) => (c.era === 'v4.2' ? faultWrapper(d, fnName, dax()) : faultWrapper(d, 'ext4_dax_fault', dax(), { lock: faultLock, journal: jbd2 }));
  // ext4_setattr (shrink): i_size under a handle and i_data_sem, then the page cache, then
  // ext4_truncate frees the blocks in a handle of its own.
  const setSize = fn('ext4_setattr: i_size', holding([handle, dataSem], [step('i_size_write', (k) => k.setISize(k.arg('size')))]));
  const ext4Truncate = fn(
    'ext4_truncate',
    holding([handle, dataSem], [
      step('ext4_ext_truncate', (k) => {
        for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
      }),
    ]),
  );
  const removeSpace = holding([dataSem], [step('ext4_ext_remove_space', (k) => k.freeBlockAt(k.idx))]);
  spawnThreads(
    d,
    {
      fault: fault('ext4_dax_fault'),
      pageMkwrite: fault('ext4_dax_mkwrite'),
      pfnMkwrite: c.era === 'v4.2' ? pfnMkwrite(d, 'dax_pfn_mkwrite') : pfnMkwrite(d, 'ext4_dax_pfn_mkwrite', { lock: faultLock, recheck: true }),
      cowUnlock: { kind: 'i_mmap_unlock_read', lock: d.iMmap },
    },
    c.threads,
    {
      truncate: () =>
        truncate(
          d,
          iMmapSem
            ? [call(setSize), ...holding([{ lock: iMmapSem, mode: 'write' }], [call(truncatePagecache(d)), call(ext4Truncate)])]
            : [call(setSize), call(truncatePagecache(d)), call(ext4Truncate)],
        ),
      // fallocate(PUNCH_HOLE) -> ext4_punch_hole at the thread's index; i_size unchanged.
      punch: () =>
        fn(
          'ext4_punch_hole',
          [
            step('sb_start_write', (k) => k.sbStartWrite()),
            ...holding(
              [{ lock: d.iMutex, mode: 'write' }],
              iMmapSem
                ? holding([{ lock: iMmapSem, mode: 'write' }], [call(truncatePagecacheRange(d)), ...holding([handle], removeSpace)])
                : // v4.2: "Now release the pages again to reduce race window", under the handle.
                  [call(truncatePagecacheRange(d)), ...holding([handle], [...removeSpace, call(truncatePagecacheRange(d))])],
            ),
            step('sb_end_write', (k) => k.sbEndWrite()),
          ],
          { handler: true },
        ),
      'write(2)': () => writeSyscall(d, c.era === 'v4.2' ? gb : getBlock(d, { name: 'ext4_dio_get_block', lock: iDataSem, allocate: 'zeroed', bufferNew: 'never', journal: jbd2 })),
      // kjournald2 committing the running transaction.
      'journal commit': () => journalCommit(jbd2),
    },
  );
  return compile(d.w, name, [...daxProperties, ...eachThreadCompletes(c.threads)]);
}

const cfg = configOf<Ext4Config>;
const one = { indices: 1, blocks: 1, iSize: 1 } as const;
const t = { ...threads, commit: (name: string): ThreadSpec => threads.role(name, 'journal commit') };

function configs(era: Ext4Era) {
  return {
    'two-writers': cfg('two write faults on one hole (double zeroing?)', { era, ...one, threads: [t.store('T1', 'P1'), t.store('T2', 'P2')] }),
    'one-writer': cfg('one write fault on a hole (one thread fewer)', { era, ...one, threads: [t.store('T1', 'P1')] }),
    'punch-vs-load': cfg('B3: a hole punch against a fault on an allocated block (CVE-2015-8839)', {
      era, ...one, initialMap: ['written'], threads: [t.load('T1', 'P1'), t.punch('T2')],
    }),
    'punch-only': cfg('a hole punch alone (one thread fewer)', { era, ...one, initialMap: ['written'], threads: [t.punch('T2')] }),
    'mkwrite-vs-punch': cfg('B10: a read fault then a store over its hole page (page_mkwrite), a hole punch, the jbd2 commit', {
      era, ...one, threads: [t.loadStore('T1', 'P1'), t.punch('T2'), t.commit('T3')],
    }),
    'mkwrite-vs-punch-no-commit': cfg('B10 without the jbd2 commit: only the lock order can show it', {
      era, ...one, threads: [t.loadStore('T1', 'P1'), t.punch('T2')],
    }),
    'load-then-store': cfg('a read fault, then a store through the read-only pfn PTE (c/mtime)', {
      era, ...one, initialMap: ['written'], threads: [t.loadStore('T1', 'P1')],
    }),
    'read-vs-write': cfg('a write fault and a read fault on one hole (stale hole page?)', { era, ...one, threads: [t.store('T1', 'P1'), t.load('T2', 'P2')] }),
    'truncate-3t2i': cfg('truncate safety: a store, a load then store, and a truncate over two indices', {
      era, indices: 2, blocks: 2, iSize: 2,
      threads: [t.store('T1', 'P1', 1), t.loadStore('T2', 'P2', 1), t.truncate('T3', 1)],
    }),
    'write-vs-load': cfg('write(2) and a read fault on one hole', { era, ...one, threads: [t.load('T1', 'P1'), t.write('T2')] }),
    'load-only': cfg('a read fault on a hole (one thread fewer)', { era, ...one, threads: [t.load('T1', 'P1')] }),
  };
}

function variant(id: string, title: string, description: string, era: Ext4Era): SpecDefinition {
  return defineScheme<Ext4Config>({ id, title, description, configs: configs(era), defaultConfig: 'punch-vs-load', build: buildExt4 });
}

export const ext4V42 = variant(
  'ext4/v4.2',
  'ext4 in v4.2: no fault exclusion, get_block starts a jbd2 handle under the hole-page lock',
  'dax_fault with ext4_get_block (a handle, i_data_sem, written extents not zeroed) and ext4_end_io_unwritten; ext4_punch_hole with no lock against faults, purging the page cache again under its handle.',
  'v4.2',
);

export const ext4V45 = variant(
  'ext4/v4.5',
  'ext4 in v4.5: i_mmap_sem (ea3d7209ca01), the handle before __dax_fault, pre-zeroed blocks',
  'ext4_dax_fault takes i_mmap_sem for read and starts its handle before __dax_fault; truncate and punch take i_mmap_sem for write; ext4_dax_mmap_get_block allocates zeroed blocks and clears buffer_new.',
  'v4.5',
);

export const definitions: readonly SpecDefinition[] = [ext4V42, ext4V45];
