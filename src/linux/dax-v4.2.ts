// fs/dax.c as v4.2 ran it (ce5c5d554dc4, e842f2903908 on top of v4.1): __dax_fault with
// dax_load_hole and dax_insert_mapping, the PMD path as first merged in the v4.3 merge window
// (used with v4.2-style i_mmap_lock_read), and v4.1's dax_pfn_mkwrite is fs.ts's pfnMkwrite
// with no lock. Fault-vs-fault exclusion is the hole page's lock, when there is a hole page;
// fault-vs-truncate rests on re-checking i_size under i_mmap_rwsem(read) or the page lock.
// Sources: docs/kernel-facts.md "v4.2: __dax_fault" and "The PMD path as merged".
import { BLOCK, NEXT, call, fn, step, type FnDef } from '../model/paths';
import { BlockMap, Pte } from '../model/world';
import type { GetBlock } from './fs';
import { deleteFromPageCache, findGetPage, unmapMappingRange } from './pagecache';
import { R, type DaxWorld } from './world';

/** dax_load_hole (v4.2): find or create the hole page, re-check i_size under its lock, return it locked. */
export function daxLoadHole(d: DaxWorld): FnDef {
  const { L } = d;
  return fn('dax_load_hole', [
    step('find_or_create_page', (k) => {
      if (k.get(L.page) !== 0) return k.goto('return_locked');
      const p = k.findPage(k.idx);
      if (p !== 0) {
        if (k.lockPage(p) === BLOCK) return BLOCK;
        k.set(L.page, p);
        return NEXT;
      }
      k.set(L.page, k.addHolePage(k.idx));
    }),
    step('recheck_size', (k) => {
      if (k.idx >= k.iSize()) {
        k.set(L.ret, R.SIGBUS);
        const r = k.unlockPage(k.get(L.page));
        k.set(L.page, 0);
        return r === NEXT ? k.ret() : r;
      }
    }),
    step('return_locked', (k) => {
      k.set(L.ret, R.LOCKED);
      return k.ret();
    }),
  ]);
}

/**
 * dax_insert_mapping (v4.2): i_mmap_lock_read, re-check i_size ("we can't tell the filesystem to
 * free it": the block stays past EOF), bdev_direct_access, zero an unwritten or new block,
 * vm_insert_mixed (read-only: the VMA has write notification, so a store takes a pfn_mkwrite
 * fault), i_mmap_unlock_read.
 */
export function daxInsertMapping(d: DaxWorld): FnDef {
  const { L, iMmap } = d;
  return fn('dax_insert_mapping', [
    step('i_mmap_lock_read', (k) => k.downRead(iMmap)),
    step('check_size', (k) => {
      // "Check we didn't race with a truncate": EIO.
      if (k.idx >= k.iSize()) {
        k.set(L.ret, R.SIGBUS);
        return k.goto('i_mmap_unlock_read');
      }
    }),
    step('bdev_direct_access', (k) => k.set(L.kaddr, k.get(L.blk))),
    step('clear_pmem', (k) => {
      if (k.get(L.unwritten) || k.get(L.isNew)) k.zeroBlock(k.get(L.kaddr));
    }),
    step('vm_insert_mixed', (k) => {
      if (k.pte(k.idx) === Pte.code.none) k.insertPfn(k.idx, k.get(L.blk), false);
      k.set(L.ret, R.NOPAGE);
    }),
    step('i_mmap_unlock_read', (k) => k.upRead(iMmap)),
  ]);
}

export interface DaxFaultOptions {
  /**
   * The filesystem's complete_unwritten callback, run when the block was unwritten (after
   * dax_insert_mapping); without it the conversion is one atomic step.
   */
  readonly completeUnwritten?: FnDef;
  /**
   * A COW fault with no hole page returns holding i_mmap_rwsem(read) until do_cow_fault has
   * installed its PTE ('hold', v4.2), or drops it before returning ('drop', hypothetical: B13).
   */
  readonly cow?: 'hold' | 'drop';
}

/**
 * __dax_fault as v4.2 runs it: i_size check; find_get_page and, if a hole page is there, lock it
 * and re-check; get_block; a write to a hole allocates (get_block create=1); a read of a hole
 * returns dax_load_hole; a COW fault fills cow_page and returns LOCKED (with i_mmap_rwsem(read)
 * held if there is no page); a write fault looks for a hole page a racing read may have added
 * (find_lock_page), unmaps and deletes it; dax_insert_mapping; complete_unwritten.
 */
export function daxFault(d: DaxWorld, gb: GetBlock, o: DaxFaultOptions = {}): FnDef {
  const { L, iMmap } = d;
  const dropEarly = o.cow === 'drop';
  return fn(
    '__dax_fault',
    [
      step('check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
      }),
      findGetPage(d, { ifNone: gb.lookup.name }),
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
          k.set(L.ret, R.SIGBUS);
          const r = k.unlockPage(p);
          k.set(L.page, 0);
          return r === NEXT ? k.ret() : r;
        }
      }),
      call(gb.lookup),
      step('hole?', (k) => {
        if (k.get(L.blk) !== 0 || k.get(L.cow)) return k.goto('cow?');
        if (!k.get(L.write)) return k.goto('dax_load_hole');
        k.set(L.major, 1);
      }),
      call(gb.create),
      step('after_alloc', (k) => k.goto('cow?')),
      call(daxLoadHole(d)),
      step('return dax_load_hole()', (k) => k.ret()),
      step('cow?', (k) => {
        if (!k.get(L.cow)) return k.goto('find_lock_page');
        // copy_user_page / clear_user_highpage into cow_page, vmf->page = page.
        if (k.get(L.page) !== 0) {
          k.set(L.ret, R.LOCKED);
          return k.ret();
        }
      }),
      step('cow_i_mmap_lock_read', (k) => k.downRead(iMmap)),
      step('cow_check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          const r = k.upRead(iMmap);
          return r === NEXT ? k.ret() : r;
        }
        k.set(L.ret, R.LOCKED);
        if (!dropEarly) return k.ret();
      }),
      ...(dropEarly
        ? [
            step('cow_drop_i_mmap', (k) => {
              // B13: the lock is dropped before do_cow_fault installs the PTE; do_cow_fault then
              // has nothing to unlock (Handlers.cowUnlock 'none').
              const r = k.upRead(iMmap);
              k.set(L.ret, R.LOCKED);
              return r === NEXT ? k.ret() : r;
            }),
          ]
        : []),
      step('find_lock_page', (k) => {
        // "Check we didn't race with a read fault installing a new page"
        if (k.get(L.page) !== 0 || !k.get(L.major)) return k.goto('page?');
        const p = k.findPage(k.idx);
        if (p === 0) return k.goto('dax_insert_mapping');
        if (k.lockPage(p) === BLOCK) return BLOCK;
        k.set(L.page, p);
      }),
      step('page?', (k) => (k.get(L.page) === 0 ? k.goto('dax_insert_mapping') : NEXT)),
      call(unmapMappingRange(d, 'page')),
      deleteFromPageCache(d),
      step('unlock_page', (k) => {
        const r = k.unlockPage(k.get(L.page));
        k.set(L.page, 0);
        return r;
      }),
      call(daxInsertMapping(d)),
      ...(o.completeUnwritten
        ? [
            step('buffer_unwritten?', (k) => {
              if (k.get(L.ret) !== R.SIGBUS) k.set(L.ret, R.NOPAGE);
              return k.get(L.unwritten) ? NEXT : k.ret();
            }),
            call(o.completeUnwritten),
          ]
        : [
            step('complete_unwritten', (k) => {
              if (k.get(L.unwritten)) k.convertUnwritten(k.idx);
              if (k.get(L.ret) !== R.SIGBUS) k.set(L.ret, R.NOPAGE);
              return k.ret();
            }),
          ]),
    ],
    { handler: true },
  );
}

/**
 * __dax_pmd_fault as first merged (v4.3 merge window), with v4.2-style i_mmap_lock_read: one PMD
 * covers every index of the file. get_block over the range with no DAX lock; i_mmap_lock_read;
 * fall back if the extent is short; a write over the huge zero page unmaps it, taking
 * i_mmap_rwsem for write while this thread holds it for read; a read of a hole maps the huge zero
 * page; otherwise zero new or unwritten blocks and insert the PMD; complete_unwritten.
 */
export function daxPmdFault(d: DaxWorld, allocate: GetBlock['allocate']): FnDef {
  const { L, iMmap } = d;
  return fn(
    '__dax_pmd_fault',
    [
      step('check_fallback', (k) => {
        if (k.iSize() < k.N) {
          // The PMD would extend past EOF: fall back to PTEs.
          k.set(L.ret, R.FALLBACK);
          return k.ret();
        }
      }),
      step('get_block', (k) => {
        // get_block(pgoff, PMD_SIZE, create=write), with no DAX lock.
        let holes = 0;
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) holes++;
        if (k.get(L.write) && holes > 0) {
          for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) k.allocBlock(i, allocate);
          k.set(L.isNew, 1);
        }
        let unwritten = 0;
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.unwritten) unwritten = 1;
        k.set(L.unwritten, unwritten);
        k.set(L.blk, k.blockAt(0));
      }),
      step('i_mmap_lock_read', (k) => k.downRead(iMmap)),
      step('check_extent', (k) => {
        let holes = 0;
        for (let i = 0; i < k.N; i++) if (k.blockAt(i) === 0) holes++;
        if (holes > 0 && holes < k.N) {
          k.set(L.ret, R.FALLBACK);
          return k.goto('i_mmap_unlock_read');
        }
        if (k.iSize() < k.N) {
          k.set(L.ret, R.SIGBUS);
          return k.goto('i_mmap_unlock_read');
        }
      }),
      step('is_huge_zero_pmd?', (k) => (k.pte(0) === Pte.code['huge-zero'] && k.get(L.write) ? NEXT : k.goto('hole?'))),
      call(unmapMappingRange(d, 'all')),
      step('hole?', (k) => {
        if (k.get(L.write) || k.blockAt(0) !== 0) return k.goto('bdev_direct_access');
        // Read of a hole: map the huge zero page in this mm.
        for (let i = 0; i < k.N; i++) if (k.pte(i) === Pte.code.none) k.setHugeZero(i);
        k.set(L.ret, R.NOPAGE);
        return k.goto('i_mmap_unlock_read');
      }),
      step('bdev_direct_access', (k) => k.set(L.kaddr, k.blockAt(0))),
      step('clear_pmem', (k) => {
        if (k.get(L.unwritten) || k.get(L.isNew)) for (let i = 0; i < k.N; i++) k.zeroBlock(k.blockAt(i));
      }),
      step('vmf_insert_pfn_pmd', (k) => {
        for (let i = 0; i < k.N; i++) {
          const p = k.pte(i);
          if (p === Pte.code.none || p === Pte.code['huge-zero']) k.insertPmdPfn(i, k.blockAt(i));
        }
        k.set(L.ret, R.NOPAGE);
      }),
      step('i_mmap_unlock_read', (k) => k.upRead(iMmap)),
      step('complete_unwritten', (k) => {
        if (k.get(L.unwritten) && k.get(L.ret) === R.NOPAGE) for (let i = 0; i < k.N; i++) k.convertUnwritten(i);
        return k.ret();
      }),
    ],
    { wholeFile: true },
  );
}
