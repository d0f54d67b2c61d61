// Scheme 2: the reverted i_mmap scheme of v4.3-rc1..rc5, as fs/dax.c and mm/memory.c ran it:
// 843172978bb9 (a page-less fault holds i_mmap_rwsem for write from before get_block to the end;
// unmap_mapping_range takes no lock for DAX inodes), 52a2b53ffde6 (do_cow_fault unlocks for
// write) and 46c043ede471 (unmap_mapping_range locks again; the PMD path drops the lock around
// it and zeroes before bdev_direct_access), and 8346c416d17b (the PMD NULL fix). Everything the
// code shares with v4.2 (get_block, the dax_fault wrappers, pfn_mkwrite, truncate with locked
// unmap, the MM plumbing) comes from daxmc/linux as v4-2.ts composes it. Filesystem: ext4 of v4.3
// (ext4_get_block_dax: unwritten extents that DAX zeroes, converted by ext4_end_io_unwritten).
// Facts: docs/kernel-facts.md "The reverted v4.3-rc i_mmap scheme"; the 843172978bb9 and
// 46c043ede471 patch mails and the 0f90cc6609c7 revert diff (its "-" lines are this scheme's code).
// R8 (the unlocked walk of mapping->i_mmap) is modelled by positions only: an mmap() thread that
// inserts a VMA under i_mmap_rwsem(w) in two steps, and a property that no unmap_mapping_range is
// about to walk the tree while an insert is half done. Left out: mmap_sem, the jbd2 handle of
// ext4_dax_fault, and the VMA interval tree's contents (a new VMA maps nothing).
import { BLOCK, BlockMap, FAILED, NEXT, P, Pte, Status, call, compile, fn, step, type FnDef, type K, type Local, type PropertyMaker, type SpecDefinition } from '../../src/index';
import {
  R,
  configOf,
  dax42,
  daxProperties,
  defineScheme,
  type SchemeConfigEntry,
  eachThreadCompletes,
  faultWrapper,
  findGetPage,
  deleteFromPageCache,
  pfnMkwrite,
  spawnThreads,
  truncate,
  truncateBlocks,
  truncateSetsize,
  unmapMappingRange,
  worldOf,
  type DaxWorld,
  type GetBlock,
  type SchemeConfig,
  type ThreadSpec,
} from '../../src/linux/index';
import { v42GetBlock, v42Truncate } from './v4-2';

export interface ImmOptions {
  readonly fs: 'ext4';
  /** 46c043ede471: unmap_mapping_range takes i_mmap_rwsem(w) for DAX inodes again. */
  readonly unmapLocks: boolean;
  /** do_cow_fault's unlock of a page-less COW fault: read before 52a2b53ffde6 (R6), write after. */
  readonly cowUnlock: 'i_mmap_unlock_read' | 'i_mmap_unlock_write';
  /** The PMD path: 46c043ede471 (zeroes through an unset kaddr) or with 8346c416d17b. */
  readonly pmd?: 'kaddr-unset' | 'null-fix';
}

export interface ImmConfig extends SchemeConfig {
  readonly options: ImmOptions;
}


/**
 * __dax_fault after 843172978bb9 (§2.2). `held` is a ghost for the published account's "this fault
 * holds i_mmap_rwsem(w)"; the code itself decides every unlock on `page`, as the C does.
 */
export function daxFaultImm(d: DaxWorld, f: GetBlock, o: ImmOptions, held: Local): FnDef {
  const { L, iMmap } = d;
  // dax_insert_mapping with its i_mmap_lock_read / unlock removed by 843172978bb9.
  const insertMapping = fn('dax_insert_mapping', [
    step('check_size', (k) => {
      // "Check truncate didn't happen while we were allocating a block": -EIO.
      if (k.idx >= k.iSize()) {
        k.set(L.ret, R.SIGBUS);
        return k.ret();
      }
    }),
    step('bdev_direct_access', (k) => k.set(L.kaddr, k.get(L.blk))),
    step('clear_pmem', (k) => {
      if (k.get(L.unwritten) || k.get(L.isNew)) k.zeroBlock(k.get(L.kaddr));
    }),
    step('vm_insert_mixed', (k) => {
      // -EBUSY (a PTE is already there) counts as success.
      if (k.pte(k.idx) === Pte.code.none) k.insertPfn(k.idx, k.get(L.blk), false);
      k.set(L.ret, R.NOPAGE);
      return k.ret();
    }),
  ]);
  const unlockWrite = (k: K) => {
    k.set(held, 0);
    return k.upWrite(iMmap);
  };
  return fn(
    '__dax_fault',
    [
      step('check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
      }),
      findGetPage(d, { ifNone: 'i_mmap_lock_write' }),
      step('lock_page', (k) => k.lockPage(k.get(L.page))),
      step('check_mapping', (k) => {
        const p = k.get(L.page);
        if (!k.pageAttached(p)) {
          // Truncated under us: unlock, drop the reference, look again.
          const r = k.unlockPage(p);
          k.set(L.page, 0);
          return r === NEXT ? k.goto('find_get_page') : r;
        }
        if (k.idx >= k.iSize()) {
          // A hole page that raced with truncate: -EIO, goto unlock.
          k.set(L.ret, R.SIGBUS);
          return k.goto('unlock');
        }
        return k.goto(f.lookup.name);
      }),
      step('i_mmap_lock_write', (k) => {
        // } else { i_mmap_lock_write(mapping); }  -- no page: serialise against other faults.
        const r = k.downWrite(iMmap);
        if (r === NEXT) k.set(held, 1);
        return r;
      }),
      call(f.lookup),
      step('hole?', (k) => {
        // !buffer_mapped && !buffer_unwritten && !cow_page (an unwritten extent has a block).
        if (k.get(L.blk) !== 0 || k.get(L.cow)) return k.goto('cow?');
        if (!k.get(L.write)) return k.goto('read: i_mmap_unlock_write');
        k.set(L.major, 1);
      }),
      call(f.create),
      step('after_alloc', (k) => k.goto('cow?')),
      // The read branch unlocks unconditionally, whether or not this fault took the lock.
      step('read: i_mmap_unlock_write', (k) => unlockWrite(k)),
      call(dax42.daxLoadHole(d)),
      step('return dax_load_hole()', (k) => k.ret()),
      step('cow?', (k) => {
        if (!k.get(L.cow)) return k.goto('find_lock_page');
        // copy_user_bh / clear_user_highpage into cow_page; vmf->page = page.
        if (k.get(L.page) !== 0) {
          k.set(L.ret, R.LOCKED);
          return k.ret();
        }
      }),
      step('cow_check_size', (k) => {
        // No page: re-check i_size (under i_mmap_rwsem(w)), return LOCKED still holding it.
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.goto('unlock');
        }
        k.set(L.ret, R.LOCKED);
        return k.ret();
      }),
      step('find_lock_page', (k) => {
        // "Check we didn't race with a read fault installing a new page" -- under i_mmap(w).
        if (k.get(L.page) !== 0 || !k.get(L.major)) return k.goto('page?');
        const p = k.findPage(k.idx);
        if (p === 0) return k.goto('page?');
        if (k.lockPage(p) === BLOCK) return BLOCK;
        k.set(L.page, p);
      }),
      step('page?', (k) => (k.get(L.page) === 0 ? k.goto('dax_insert_mapping') : NEXT)),
      call(unmapMappingRange(d, 'page', { lock: o.unmapLocks })),
      deleteFromPageCache(d),
      // unlock_page + page_cache_release; `page` keeps its value (no page = NULL in 4.3-rc).
      step('unlock_page', (k) => k.unlockPage(k.get(L.page))),
      call(insertMapping),
      step('complete_unwritten', (k) => {
        // complete_unwritten(bh, !error): ext4 converts only on success.
        if (k.get(L.unwritten) && k.get(L.ret) !== R.SIGBUS) k.convertUnwritten(k.idx);
      }),
      step('if (!page) i_mmap_unlock_write', (k) => {
        // Tests the *current* page: a page found by find_lock_page skips the unlock.
        if (k.get(L.page) !== 0) return k.ret();
        const r = unlockWrite(k);
        return r === NEXT ? k.ret() : r;
      }),
      step('unlock', (k) => {
        // The error label: if (page) unlock it; else i_mmap_unlock_write.
        const p = k.get(L.page);
        const r = p !== 0 ? k.unlockPage(p) : unlockWrite(k);
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { handler: true },
  );
}

/**
 * __dax_pmd_fault after 843172978bb9 + "dax: ensure that zero pages are removed from other
 * processes" + 46c043ede471 (§2.3), optionally with 8346c416d17b. One PMD = every index.
 */
export function daxPmdFaultImm(d: DaxWorld, variant: 'kaddr-unset' | 'null-fix', held: Local): FnDef {
  const { L, iMmap } = d;
  const lockWrite = (k: K) => {
    const r = k.downWrite(iMmap);
    if (r === NEXT) k.set(held, 1);
    return r;
  };
  const zeroAll = (k: K) => {
    for (let i = 0; i < k.N; i++) k.zeroBlock(k.blockAt(i));
  };
  const zeroing =
    variant === 'null-fix'
      ? [
          step('zero: bdev_direct_access', (k) => {
            if (!k.get(L.unwritten) && !k.get(L.isNew)) return k.goto('buffer_new?');
            k.set(L.kaddr, k.blockAt(0));
          }),
          step('zero: clear_pmem', (k) => zeroAll(k)),
        ]
      : [
          step('zero: clear_page(kaddr)', (k) => {
            if (!k.get(L.unwritten) && !k.get(L.isNew)) return NEXT;
            // 46c043ede471 moved this loop above bdev_direct_access: kaddr is not set yet.
            if (k.deref(L.kaddr) === null) return FAILED;
            zeroAll(k);
          }),
        ];
  return fn(
    '__dax_pmd_fault',
    [
      step('check_fallback', (k) => {
        // (COW and VMA fallbacks are not modelled: every PMD access is shared and aligned.)
        if (k.iSize() === 0) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
        if (k.iSize() < k.N) {
          // The PMD would cover blocks past EOF: fall back to PTEs.
          k.set(L.ret, R.FALLBACK);
          return k.ret();
        }
      }),
      step('i_mmap_lock_write', (k) => lockWrite(k)),
      step('get_block', (k) => {
        if (k.thread.args.getBlockFails === 1) {
          // length = get_block(...); if (length) return VM_FAULT_SIGBUS;  -- i_mmap(w) still held.
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
        let holes = 0;
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) holes++;
        if (k.get(L.write) && holes > 0) {
          for (let i = 0; i < k.N; i++) {
            if (k.mapState(i) === BlockMap.code.hole && k.allocBlock(i, 'unwritten') === 0) {
              return k.fail('BUG', 0, 'no free block (the configuration has too few blocks)');
            }
          }
          k.set(L.isNew, 1);
        }
        let unwritten = 0;
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.unwritten) unwritten = 1;
        k.set(L.unwritten, unwritten);
        k.set(L.blk, k.blockAt(0));
      }),
      step('check_extent', (k) => {
        // !buffer_size_valid || b_size < PMD_SIZE: goto fallback.
        let holes = 0;
        for (let i = 0; i < k.N; i++) if (k.blockAt(i) === 0) holes++;
        if (holes > 0 && holes < k.N) {
          k.set(L.ret, R.FALLBACK);
          return k.goto('out: complete_unwritten');
        }
      }),
      ...zeroing,
      step('buffer_new?', (k) => {
        // "make sure no process has any zero pages covering this hole": drop the lock around it.
        if (!k.get(L.isNew)) return k.goto('check_size');
        k.set(held, 0);
        return k.upWrite(iMmap);
      }),
      call(unmapMappingRange(d, 'all')),
      step('i_mmap_lock_write again', (k) => lockWrite(k)),
      step('check_size', (k) => {
        // "If a truncate happened while we were allocating blocks ..."
        if (k.iSize() === 0) {
          k.set(L.ret, R.SIGBUS);
          return k.goto('out: complete_unwritten');
        }
        if (k.iSize() < k.N) {
          k.set(L.ret, R.FALLBACK);
          return k.goto('out: complete_unwritten');
        }
      }),
      step('hole?', (k) => {
        if (k.get(L.write) || k.blockAt(0) !== 0) return k.goto('bdev_direct_access');
        // Read of a hole: map the huge zero page in this mm.
        for (let i = 0; i < k.N; i++) if (k.pte(i) === Pte.code.none) k.setHugeZero(i);
        k.set(L.ret, R.NOPAGE);
        return k.goto('out: complete_unwritten');
      }),
      step('bdev_direct_access', (k) => k.set(L.kaddr, k.blockAt(0))),
      step('vmf_insert_pfn_pmd', (k) => {
        for (let i = 0; i < k.N; i++) {
          const p = k.pte(i);
          if (p === Pte.code.none || p === Pte.code['huge-zero']) k.insertPmdPfn(i, k.blockAt(i));
        }
        k.set(L.ret, R.NOPAGE);
      }),
      step('out: complete_unwritten', (k) => {
        // complete_unwritten(&bh, !(result & VM_FAULT_ERROR)): FALLBACK is not an error.
        if (k.get(L.unwritten) && k.get(L.ret) !== R.SIGBUS) for (let i = 0; i < k.N; i++) k.convertUnwritten(i);
      }),
      step('i_mmap_unlock_write', (k) => {
        k.set(held, 0);
        const r = k.upWrite(iMmap);
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { wholeFile: true },
  );
}

/**
 * Truncate with 843172978bb9's unmap_mapping_range: the same steps as v4.2's truncate, but for a
 * DAX inode no unmap takes i_mmap_rwsem, so truncate takes it nowhere.
 */
export function truncate843(d: DaxWorld, f: GetBlock): FnDef {
  return truncate(d, [call(truncateSetsize(d, { unmapLocks: false })), call(truncateBlocks(d, { name: 'truncate_blocks', lock: f.lock }))]);
}

/** mmap_region -> vma_link: insert the new VMA into mapping->i_mmap under i_mmap_rwsem(w). */
export function mmapPath(d: DaxWorld): FnDef {
  const { iMmap } = d;
  return fn('mmap', [
    call(
      fn('vma_link', [
        step('i_mmap_lock_write', (k) => k.downWrite(iMmap)),
        // vma_interval_tree_insert: link the node, then recolour/rotate (the tree is inconsistent in between).
        step('vma_interval_tree_insert: link', () => NEXT),
        step('vma_interval_tree_insert: rebalance', () => NEXT),
        step('i_mmap_unlock_write', (k) => k.upWrite(iMmap)),
      ]),
    ),
  ]);
}

/**
 * R8: no unmap_mapping_range is about to walk mapping->i_mmap (its zap step is enabled) while an
 * mmap() is between linking a VMA and rebalancing the tree. Defined by program positions; when
 * the walker holds i_mmap_rwsem(w) the state is unreachable, so only an unlocked walk can fail it.
 */
export const noWalkDuringTreeUpdate: PropertyMaker = (c) => ({
  name: 'no i_mmap walk during a tree update',
  kind: 'always',
  description: 'unmap_mapping_range never walks mapping->i_mmap while mmap() is half way through inserting a VMA',
  holds(s) {
    let walking = false;
    let updating = false;
    for (let t = 0; t < c.world.threads.length; t++) {
      const b = c.off.thread + t * c.off.threadWidth;
      if (s[b + 1] !== Status.code.running) continue;
      const st = c.programs[t][s[b]];
      const fnName = st.chain[st.chain.length - 1];
      if (fnName.startsWith('unmap_mapping_range') && st.label === 'zap_page_range') walking = true;
      if (fnName === 'vma_link' && st.label === 'vma_interval_tree_insert: rebalance') updating = true;
    }
    return !(walking && updating);
  },
});

export function buildImm(c: ImmConfig, name: string) {
  const d = worldOf(c);
  // "This fault holds i_mmap_rwsem(w)": a ghost the fault code keeps beside the lock itself.
  const held = d.faultLocal('held', 'bool', 1, { ghost: true });
  const o = c.options;
  const gb = v42GetBlock(d, o.fs);
  spawnThreads(
    d,
    {
      fault: faultWrapper(d, `${o.fs}_dax_fault`, daxFaultImm(d, gb, o, held)),
      pageMkwrite: faultWrapper(d, `${o.fs}_dax_mkwrite`, daxFaultImm(d, gb, o, held)),
      pfnMkwrite: pfnMkwrite(d, 'dax_pfn_mkwrite'),
      ...(o.pmd ? { pmdFault: faultWrapper(d, `${o.fs}_dax_pmd_fault`, daxPmdFaultImm(d, o.pmd, held)) } : {}),
      cowUnlock: { kind: o.cowUnlock, lock: d.iMmap },
    },
    c.threads,
    { truncate: () => (o.unmapLocks ? v42Truncate(d, gb) : truncate843(d, gb)), mmap: () => mmapPath(d) },
  );
  return compile(d.w, name, [...daxProperties, noWalkDuringTreeUpdate, P.noWaitForCycle, ...eachThreadCompletes(c.threads)]);
}

function immConfig(description: string, c: ImmConfig) {
  const failing = c.threads.filter((t) => t.args?.getBlockFails).map((t) => t.name);
  return configOf(failing.length ? `${description}; get_block fails for ${failing.join(', ')}` : description, c);
}

function definition(id: string, title: string, description: string, configs: Record<string, SchemeConfigEntry<ImmConfig>>, defaultConfig: string): SpecDefinition {
  return defineScheme<ImmConfig>({ id, title, description, configs, defaultConfig, build: buildImm });
}

// ---- configurations ------------------------------------------------------------------------

const only843: ImmOptions = { fs: 'ext4', unmapLocks: false, cowUnlock: 'i_mmap_unlock_read' };
const all: ImmOptions = { fs: 'ext4', unmapLocks: true, cowUnlock: 'i_mmap_unlock_write' };
const one = { indices: 1, blocks: 1, iSize: 1 } as const;
const pmdWorld = { indices: 2, blocks: 2, iSize: 2 } as const;

const t = {
  load: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'load', process, index }),
  store: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'store', process, index }),
  loadStore: (name: string, process: string): ThreadSpec => ({ name, role: 'load+store', process }),
  cow: (name: string, process: string): ThreadSpec => ({ name, role: 'cow', process }),
  truncate: (name: string, size: number): ThreadSpec => ({ name, role: 'truncate', size }),
  pmdStore: (name: string, process: string, getBlockFails = false): ThreadSpec => ({ name, role: 'pmd store', process, ...(getBlockFails ? { args: { getBlockFails: 1 } } : {}) }),
  mmap: (name: string, process: string): ThreadSpec => ({ name, role: 'mmap', process }),
};

/** Configurations every PTE variant shares (the same threads on 843172978bb9 alone and on all three). */
const pteConfigs = (options: ImmOptions) => ({
  'r1-two-readers': immConfig('R1: two processes read-fault one hole; the second finds the first one\'s hole page', {
    options, ...one, threads: [t.load('T1', 'P1'), t.load('T2', 'P2')],
  }),
  'r1-one-reader': immConfig('R1 with one thread fewer', { options, ...one, threads: [t.load('T1', 'P1')] }),
  'r2-read-vs-write': immConfig('R2/R3: a write fault and a read fault on one hole', {
    options, ...one, threads: [t.store('T1', 'P1'), t.load('T2', 'P2')],
  }),
  'one-writer': immConfig('one write fault on a hole (one thread fewer than R2/R3/R5)', { options, ...one, threads: [t.store('T1', 'P1')] }),
  'r2-reader-writes-after': immConfig('R2 as a deadlock: the reader then stores, and faults again after the leak', {
    options, ...one, threads: [t.store('T1', 'P1'), t.loadStore('T2', 'P2')],
  }),
  'r4-abba': immConfig('R4: a write fault vs a read fault that then writes through its hole page', {
    options, ...one, threads: [t.store('T1', 'P1'), t.loadStore('T2', 'P2')],
  }),
  'load-then-store': immConfig('one read fault then a store through the hole page (page_mkwrite)', { options, ...one, threads: [t.loadStore('T1', 'P1')] }),
  'r5-store-vs-truncate': immConfig('R5 without a hole page: a write fault vs truncate to 0', {
    options, ...one, threads: [t.store('T1', 'P1'), t.truncate('T2', 0)],
  }),
  'r5-mkwrite-vs-truncate': immConfig('R5: page_mkwrite over a hole page vs truncate to 0', {
    options, ...one, threads: [t.loadStore('T1', 'P1'), t.truncate('T2', 0)],
  }),
  'r8-truncate-vs-mmap': immConfig('R8: truncate to 0 while another process mmap()s the file', {
    options, ...one, threads: [t.truncate('T1', 0), t.mmap('T2', 'P2')],
  }),
  'truncate-only': immConfig('truncate to 0 alone (one thread fewer than R8/R5)', { options, ...one, threads: [t.truncate('T1', 0)] }),
  'r6-cow': immConfig('R6: one private write fault on a hole, no hole page', { options, ...one, threads: [t.cow('T1', 'P1')] }),
  'two-writers': immConfig('two write faults on one hole, no hole page (843172978bb9\'s purpose)', {
    options, ...one, threads: [t.store('T1', 'P1'), t.store('T2', 'P2')],
  }),
  'writers-3t2i': immConfig('three write faults over two holes, no hole page', {
    options, indices: 2, blocks: 2, iSize: 2, threads: [t.store('T1', 'P1', 0), t.store('T2', 'P2', 0), t.store('T3', 'P3', 1)],
  }),
  'writers-4t2i': immConfig('four write faults over two holes, no hole page', {
    options, indices: 2, blocks: 2, iSize: 2, threads: [t.store('T1', 'P1', 0), t.store('T2', 'P2', 0), t.store('T3', 'P3', 1), t.store('T4', 'P4', 1)],
  }),
  'writers-5t2i': immConfig('five write faults over two holes, no hole page', {
    options, indices: 2, blocks: 2, iSize: 2,
    threads: [t.store('T1', 'P1', 0), t.store('T2', 'P2', 0), t.store('T3', 'P3', 0), t.store('T4', 'P4', 1), t.store('T5', 'P5', 1)],
  }),
});

export const imm843 = definition(
  'i-mmap/843172978bb9',
  'v4.3-rc: 843172978bb9 alone (page-less faults hold i_mmap_rwsem(w); unmap_mapping_range unlocked for DAX)',
  'fs/dax.c after "dax: fix race between simultaneous faults", before 52a2b53ffde6 and 46c043ede471; ext4 (unwritten extents).',
  pteConfigs(only843),
  'r1-two-readers',
);

export const immAll = definition(
  'i-mmap/all',
  'v4.3-rc: 843172978bb9 + 52a2b53ffde6 + 46c043ede471 (the scheme the revert removed)',
  'unmap_mapping_range takes i_mmap_rwsem(w) again; do_cow_fault unlocks for write; ext4 (unwritten extents).',
  pteConfigs(all),
  'r2-read-vs-write',
);

const pmdConfigs = (options: ImmOptions) => ({
  'r7-pmd-write': immConfig('R7: one PMD write fault over two holes', { options, ...pmdWorld, threads: [t.pmdStore('T1', 'P1')] }),
  'r9-get-block-fails': immConfig('R9: one PMD write fault whose get_block fails', { options, ...pmdWorld, threads: [t.pmdStore('T1', 'P1', true)] }),
  'r9-leak-blocks-a-reader': immConfig('R9 as a deadlock: a read fault in another process after the failed PMD fault', {
    options, ...pmdWorld, threads: [t.pmdStore('T1', 'P1', true), t.load('T2', 'P2')],
  }),
  'pmd-write-vs-read': immConfig('a PMD write fault and a PTE read fault over two holes', {
    options, ...pmdWorld, threads: [t.pmdStore('T1', 'P1'), t.load('T2', 'P2')],
  }),
});

export const immPmd = definition(
  'i-mmap/pmd',
  'v4.3-rc PMD path with 46c043ede471, before 8346c416d17b (zeroing through an unset kaddr)',
  '__dax_pmd_fault holding i_mmap_rwsem(w), dropping it around unmap_mapping_range; the PTE path as in i-mmap/all; ext4.',
  pmdConfigs({ ...all, pmd: 'kaddr-unset' }),
  'r7-pmd-write',
);

export const immPmdNullFix = definition(
  'i-mmap/pmd-null-fix',
  'v4.3-rc PMD path with 8346c416d17b (bdev_direct_access before zeroing)',
  'The PMD path as it stood when the revert came; the PTE path as in i-mmap/all; ext4.',
  pmdConfigs({ ...all, pmd: 'null-fix' }),
  'r9-get-block-fails',
);

export const definitions: readonly SpecDefinition[] = [imm843, immAll, immPmd, immPmdNullFix];
