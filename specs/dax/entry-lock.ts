// Scheme 4: Jan Kara's exceptional-entry lock bit, as merged for v4.7 ("dax-locking-for-4.7":
// ac401cc78242 "dax: New fault locking", bc2466e42573 COW faults under the entry lock,
// 4d9a2c874667 i_mmap_lock removed from DAX), with ext2 as the filesystem: dax_sem (5726b27b09cc)
// taken for read by faults and for write by truncate, and a get_block that allocates zeroed
// blocks under truncate_mutex (DAX itself no longer zeroes in the fault).
// Variants: `rfc` (RFC v1-v3: page_cache_tree_insert wakes nobody when a hole page replaces a
// locked empty entry, E1'), `v4.7` (wakes one, E1), `fix` (965d004af540 "dax: fix deadlock with
// DAX 4k holes": wakes all), `pmd` (v4.7 with FS_DAX_PMD enabled: the PMD fault takes no entry
// lock, E2 = B7). Without `pmd`, ->pmd_fault falls back to PTE faults (FS_DAX_PMD depends on BROKEN).
// Source: ../shared/domain/dax-locking.md §4.2-4.4, B E1/E1'/E2/E3, C "Scheme 4".
// Each mapping->tree_lock section is one atomic step; wake-ups that run after spin_unlock are
// their own step. Left out: mmap_sem/VM_FAULT_RETRY, the DIRTY tag and fsync, i_mutex and
// sb_start_write around truncate (nothing else here takes them), ENOMEM/ENOSPC error paths,
// dax_map_atomic, and write(2). [D] A write fault's vm_insert_mixed maps the pfn read-only
// (write notification), so the store takes a second, pfn_mkwrite fault, as in v4-2.ts.
import type { SpecDefinition } from '../../src/core/spec';
import { compile } from '../../src/model/compile';
import type { K } from '../../src/model/kernel';
import { NEXT, call, fn, step, type FnDef } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import type { PropertyMaker } from '../../src/model/properties';
import type { LivenessMaker } from '../../src/model/liveness';
import { BlockMap, Pte, Slot, type BlockState, type LockDecl } from '../../src/model/world';
import { R, daxWorld, type DaxWorld, type Handlers } from './common';
import { LOOPING_ROLES, describeThreads, fsPieces, processesOf, spawnThreads, unmapMappingRange, type FsPieces, type ThreadSpec } from './v4-2';

/** page_cache_tree_insert's wake-up when a hole page replaces the locked empty entry. */
export type PageInsertWake = 'none' | 'one' | 'all';

export interface EntryLockOptions {
  readonly pageInsertWake: PageInsertWake;
  /** FS_DAX_PMD enabled (it depends on BROKEN in v4.7): the v4.6/4.7 __dax_pmd_fault runs. */
  readonly pmd: boolean;
}

export interface EntryLockConfig {
  readonly indices: number;
  readonly blocks: number;
  readonly iSize: number;
  readonly initialMap?: readonly BlockState[];
  readonly threads: readonly ThreadSpec[];
}

/** The pieces every path of this scheme shares. */
interface Scheme {
  readonly d: DaxWorld;
  readonly f: FsPieces;
  /** ext2_inode_info->dax_sem: the fs fault lock (XFS MMAPLOCK / ext4 i_mmap_sem play this part there). */
  readonly daxSem: LockDecl;
  readonly o: EntryLockOptions;
}

type Ix = (k: K) => number;
/** truncate_inode_pages' cursor holds index + 1 while it walks (0: not started). */
const atCursor =
  (s: Scheme): Ix =>
  (k) =>
    k.get(s.d.L.cursor) - 1;

function exceptional(k: K, i: number): boolean {
  const s = k.slot(i);
  return s === Slot.code['locked-empty'] || s === Slot.code.dax;
}

// ---- entry-lock primitives (§4.3) ----------------------------------------------------------

/**
 * grab_mapping_entry(i) with get_unlocked_mapping_entry's loop: returns with `page` set to a
 * locked hole page, or 0 and the exceptional entry of i locked (a locked empty entry if the
 * slot was NULL). A page found here is locked and returned: no wake-up is passed on.
 */
function grabMappingEntry(s: Scheme): FnDef {
  const { L } = s.d;
  return fn('grab_mapping_entry', [
    step('get_unlocked_mapping_entry', (k) => {
      // spin_lock_irq(tree_lock); __radix_tree_lookup
      const i = k.idx;
      const slot = k.slot(i);
      if (slot === Slot.code.empty) return k.goto('radix_tree_insert'); // unlock, preload
      if (slot === Slot.code.page) {
        k.set(L.page, k.findPage(i)); // get_page; spin_unlock
        return k.goto('lock_page');
      }
      if (k.entryLocked(i)) {
        // prepare_to_wait_exclusive; spin_unlock_irq
        k.joinWaitQueue(i);
        return k.goto('schedule');
      }
      k.set(L.page, 0);
      k.lockEntry(i); // lock_slot; spin_unlock
      return k.ret();
    }),
    step('schedule', (k) => {
      // finish_wait; spin_lock_irq(tree_lock); look again
      const r = k.sleep(k.idx);
      return r === NEXT ? k.goto('get_unlocked_mapping_entry') : r;
    }),
    step('radix_tree_insert', (k) => {
      // spin_lock_irq(tree_lock); insert a locked empty entry; -EEXIST: restart
      if (k.slot(k.idx) !== Slot.code.empty) return k.goto('get_unlocked_mapping_entry');
      k.insertLockedEmpty(k.idx);
      k.set(L.page, 0);
      return k.ret();
    }),
    step('lock_page', (k) => k.lockPage(k.get(L.page))),
    step('page->mapping?', (k) => {
      const p = k.get(L.page);
      if (k.pageAttached(p)) return k.ret();
      // Truncated meanwhile: unlock, put, restart.
      const r = k.unlockPage(p);
      k.set(L.page, 0);
      return r === NEXT ? k.goto('get_unlocked_mapping_entry') : r;
    }),
  ]);
}

/**
 * dax_unlock_mapping_entry(i): clear the lock bit under tree_lock, then wake one. As
 * put_locked_mapping_entry it first handles a page entry (unlock_page, no entry wake-up).
 */
function unlockEntry(s: Scheme, name: 'dax_unlock_mapping_entry' | 'put_locked_mapping_entry'): FnDef {
  const { L } = s.d;
  return fn(name, [
    step(name === 'put_locked_mapping_entry' ? 'unlock_page or unlock_slot' : 'unlock_slot', (k) => {
      const i = k.idx;
      const p = k.get(L.page);
      if (name === 'put_locked_mapping_entry' && p !== 0) {
        const r = k.unlockPage(p);
        k.set(L.page, 0);
        return r === NEXT ? k.ret() : r;
      }
      if (!exceptional(k, i) || !k.entryLocked(i)) {
        k.note('warn', `WARN_ON_ONCE: entry ${i} is not a locked exceptional entry`);
        return k.ret();
      }
      k.setEntryLock(i, false);
    }),
    step('wake_up(1)', (k) => {
      // waitqueue_active(wq) -> __wake_up(wq, TASK_NORMAL, 1, &key)
      k.wakeOne(k.idx);
      return k.ret();
    }),
  ]);
}

/** dax_delete_mapping_entry(i): wait for the entry to be unlocked, delete it, wake all. */
function deleteMappingEntry(s: Scheme, ix: Ix): FnDef {
  return fn('dax_delete_mapping_entry', [
    step('get_unlocked_mapping_entry', (k) => {
      const i = ix(k);
      if (exceptional(k, i) && k.entryLocked(i)) {
        k.joinWaitQueue(i);
        return k.goto('schedule');
      }
      if (!exceptional(k, i)) {
        // "we better find it at that index as well": WARN, return 0 (no wake-up).
        k.note('warn', `WARN_ON_ONCE: dax_delete_mapping_entry finds no exceptional entry at ${i}`);
        return k.ret();
      }
      k.clearSlot(i); // radix_tree_delete; nrexceptional--; spin_unlock
      k.note('radix', `entry ${i} deleted`);
    }),
    step('wake_up(all)', (k) => {
      k.wakeAll(ix(k));
      return k.ret();
    }),
    step('schedule', (k) => {
      const r = k.sleep(ix(k));
      return r === NEXT ? k.goto('get_unlocked_mapping_entry') : r;
    }),
  ]);
}

/** unmap_mapping_range over the whole file (the PMD range), even_cows = 0. */
function unmapAll(s: Scheme): FnDef {
  const { iMmap } = s.d;
  return fn('unmap_mapping_range', [
    step('i_mmap_lock_write', (k) => k.downWrite(iMmap)),
    step('zap_page_range', (k) => {
      for (let i = 0; i < k.N; i++) k.zap(i, false);
    }),
    step('i_mmap_unlock_write', (k) => k.upWrite(iMmap)),
  ]);
}

/**
 * truncate_inode_pages_range from `size` (truncate), the thread's index (punch) or 0 (the PMD
 * range) to EOF of the model: a gang lookup of the next present entry; hole pages are locked,
 * unmapped if mapped, deleted and unlocked; exceptional entries go to dax_delete_mapping_entry
 * (clear_exceptional_entry). [D] The kernel's first pass trylocks pages and a second pass
 * locks them; one blocking pass is modelled.
 */
function truncateInodePages(s: Scheme, from: 'size' | 'index' | 'all'): FnDef {
  const { L, iMmap } = s.d;
  const cur = atCursor(s);
  const first = (k: K) => (from === 'size' ? k.arg('size') : from === 'index' ? k.idx : 0);
  const last = (k: K) => (from === 'index' ? k.idx + 1 : k.N);
  return fn('truncate_inode_pages_range', [
    step('pagevec_lookup_entries', (k) => {
      const start = k.get(L.cursor) === 0 ? first(k) : k.get(L.cursor);
      for (let i = start; i < last(k); i++) {
        const slot = k.slot(i);
        if (slot === Slot.code.empty) continue;
        k.set(L.cursor, i + 1);
        if (slot === Slot.code.page) {
          k.set(L.page, k.findPage(i));
          return k.goto('lock_page');
        }
        return k.goto('clear_exceptional_entry');
      }
      k.set(L.cursor, 0);
      return k.ret();
    }),
    call(deleteMappingEntry(s, cur), 'clear_exceptional_entry'),
    step('next', (k) => k.goto('pagevec_lookup_entries')),
    step('lock_page', (k) => k.lockPage(k.get(L.page))),
    step('truncate_inode_page', (k) => {
      const p = k.get(L.page);
      if (!k.pageAttached(p)) return k.goto('unlock_page');
      const i = cur(k);
      for (let m = 0; m < k.M; m++) if (k.pte(i, m) === Pte.code['ro-hole'] && k.pteRef(i, m) === p) return NEXT;
      return k.goto('delete_from_page_cache');
    }),
    call(
      fn('unmap_mapping_range', [
        step('i_mmap_lock_write', (k) => k.downWrite(iMmap)),
        step('zap_page_range', (k) => k.zap(cur(k), false)),
        step('i_mmap_unlock_write', (k) => k.upWrite(iMmap)),
      ]),
    ),
    step('delete_from_page_cache', (k) => k.deletePage(k.get(L.page))),
    step('unlock_page', (k) => {
      const r = k.unlockPage(k.get(L.page));
      k.set(L.page, 0);
      return r === NEXT ? k.goto('pagevec_lookup_entries') : r;
    }),
  ]);
}

// ---- __dax_fault and its helpers (§4.4) ----------------------------------------------------

/** dax_load_hole: return the page, or replace the locked empty entry with a new locked hole page. */
function loadHole(s: Scheme): FnDef {
  const { L } = s.d;
  return fn('dax_load_hole', [
    step('find_or_create_page', (k) => {
      if (k.get(L.page) === 0) {
        // page_cache_tree_insert (under tree_lock): the locked empty entry becomes a locked page.
        const i = k.idx;
        k.set(L.page, k.addHolePage(i));
        switch (s.o.pageInsertWake) {
          case 'none':
            k.note('wake', `page_cache_tree_insert wakes nobody on entry ${i}`, { queue: `entry ${i}` });
            break;
          case 'one':
            k.wakeOne(i);
            break;
          case 'all':
            k.wakeAll(i);
            break;
        }
      }
      k.set(L.ret, R.LOCKED);
      return k.ret();
    }),
  ]);
}

/** dax_insert_mapping: dax_insert_mapping_entry (hole fill or replace), then vm_insert_mixed. */
function insertMapping(s: Scheme): FnDef {
  const { L } = s.d;
  const insertEntry = fn('dax_insert_mapping_entry', [
    step('hole_fill?', (k) => (k.get(L.page) !== 0 ? NEXT : k.goto('radix_tree_replace_slot'))),
    // "The page is locked so it cannot be faulted in again."
    call(unmapMappingRange(s.d, 'page')),
    step('__delete_from_page_cache, radix_tree_insert', (k) => {
      k.deletePage(k.get(L.page));
      k.setDaxEntry(k.idx, true);
    }),
    step('unlock_page', (k) => {
      const r = k.unlockPage(k.get(L.page));
      k.set(L.page, 0);
      return r === NEXT ? k.ret() : r;
    }),
    step('radix_tree_replace_slot', (k) => {
      k.setDaxEntry(k.idx, true);
      return k.ret();
    }),
  ]);
  return fn('dax_insert_mapping', [
    call(insertEntry),
    step('vm_insert_mixed', (k) => {
      // -EBUSY if a PTE is already there ("somebody else faulted on the same PTE").
      if (k.pte(k.idx) === Pte.code.none) k.insertPfn(k.idx, k.get(L.blk), false);
      return k.ret();
    }),
  ]);
}

function daxFault(s: Scheme): FnDef {
  const { L } = s.d;
  return fn(
    '__dax_fault',
    [
      step('check_size', (k) => {
        // The caller holds dax_sem, so "this is a reliable test".
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
      }),
      call(grabMappingEntry(s)),
      call(s.f.getBlock),
      step('cow? / buffer_mapped?', (k) => {
        if (k.get(L.cow)) {
          // copy_user_dax or clear_user_highpage into cow_page; return with the entry locked.
          k.set(L.ret, k.get(L.page) !== 0 ? R.LOCKED : R.DAX_LOCKED);
          return k.ret();
        }
        if (k.get(L.blk) !== 0) return k.goto('dax_insert_mapping');
        if (!k.get(L.write)) return k.goto('dax_load_hole');
        k.set(L.major, 1);
      }),
      call(s.f.getBlockCreate),
      call(insertMapping(s)),
      call(unlockEntry(s, 'put_locked_mapping_entry')),
      step('return NOPAGE', (k) => {
        k.set(L.ret, R.NOPAGE);
        return k.ret();
      }),
      call(loadHole(s)),
    ],
    { handler: true },
  );
}

/** ext2_dax_fault / ext2_dax_mkwrite / ext2_dax_pmd_fault: freeze protection on writes, dax_sem(read). */
function ext2Wrapper(s: Scheme, name: string, inner: FnDef): FnDef {
  const { L } = s.d;
  return fn(
    name,
    [
      step('sb_start_pagefault', (k) => {
        if (!k.get(L.write)) return NEXT;
        const r = k.sbStartPagefault();
        if (r === NEXT) k.fileUpdateTime();
        return r;
      }),
      step('down_read(dax_sem)', (k) => k.downRead(s.daxSem)),
      call(inner),
      step('up_read(dax_sem)', (k) => {
        const r = k.upRead(s.daxSem);
        if (r !== NEXT || k.get(L.write)) return r;
        return k.ret();
      }),
      step('sb_end_pagefault', (k) => {
        const r = k.sbEndPagefault();
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { handler: true },
  );
}

/** dax_pfn_mkwrite (v4.7) inside ext2_dax_pfn_mkwrite. */
function pfnMkwrite(s: Scheme): FnDef {
  const { L } = s.d;
  const dax = fn('dax_pfn_mkwrite', [
    step('get_unlocked_mapping_entry', (k) => {
      const i = k.idx;
      if (exceptional(k, i) && k.entryLocked(i)) {
        k.joinWaitQueue(i);
        return k.goto('schedule');
      }
      k.set(L.ret, R.NOPAGE);
      // E3 [D]: NULL or a hole page: `goto out` without passing the wake-up on.
      if (!exceptional(k, i)) return k.goto('out: no wake-up passed on');
      // radix_tree_tag_set(DIRTY); put_unlocked_mapping_entry wakes the next waiter (under tree_lock).
      k.wakeOne(i);
      return k.ret();
    }),
    step('schedule', (k) => {
      const r = k.sleep(k.idx);
      return r === NEXT ? k.goto('get_unlocked_mapping_entry') : r;
    }),
    // A step of its own (spin_unlock) so that coverage shows whether the baton drop is reached.
    step('out: no wake-up passed on', (k) => {
      k.note('radix', `entry ${k.idx} is not exceptional: dax_pfn_mkwrite passes no wake-up on`);
      return k.ret();
    }),
  ]);
  return fn(
    'ext2_dax_pfn_mkwrite',
    [
      step('sb_start_pagefault', (k) => {
        const r = k.sbStartPagefault();
        if (r === NEXT) k.fileUpdateTime();
        return r;
      }),
      step('down_read(dax_sem)', (k) => k.downRead(s.daxSem)),
      step('check_size', (k) => {
        // "check that the faulting page hasn't raced with truncate"
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.goto('up_read(dax_sem)');
        }
      }),
      call(dax),
      step('up_read(dax_sem)', (k) => k.upRead(s.daxSem)),
      step('sb_end_pagefault', (k) => {
        const r = k.sbEndPagefault();
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { handler: true },
  );
}

/**
 * __dax_pmd_fault of v4.6/4.7 with FS_DAX_PMD enabled (§4.4 "PMD", B7): no entry lock at all.
 * One PMD covers every index of the file. get_block over the range; a write to a hole allocates
 * (ext2: zeroed) and then truncate_pagecache_range removes hole pages and entries in the range.
 * [D] Simplified: a range that is partly mapped falls back to PTEs.
 */
function pmdFault(s: Scheme): FnDef {
  const { L } = s.d;
  const alloc = s.f.allocLock;
  return fn(
    '__dax_pmd_fault',
    [
      step('check_size', (k) => {
        if (k.iSize() < k.N) {
          k.set(L.ret, R.FALLBACK); // the PMD would extend past EOF
          return k.ret();
        }
      }),
      step('get_block', (k) => {
        let holes = 0;
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) holes++;
        if (holes > 0 && holes < k.N) {
          k.set(L.ret, R.FALLBACK); // bh.b_size < PMD_SIZE
          return k.ret();
        }
        if (holes === 0 || !k.get(L.write)) return k.goto('hole?');
      }),
      step('mutex_lock(truncate_mutex)', (k) => k.lock(alloc)),
      step('get_block(create)', (k) => {
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) k.allocBlock(i, 'zeroed');
        k.set(L.isNew, 1);
      }),
      step('mutex_unlock(truncate_mutex)', (k) => k.unlock(alloc)),
      // "If we allocated new storage, make sure no process has any zero pages covering this hole"
      call(fn('truncate_pagecache_range', [call(unmapAll(s)), call(truncateInodePages(s, 'all'))])),
      step('hole?', (k) => {
        if (k.get(L.write) || k.blockAt(0) !== 0) return NEXT;
        // Read of a hole: the huge zero page, if the PMD is still none.
        if (k.pte(0) === Pte.code.none) for (let i = 0; i < k.N; i++) k.setHugeZero(i);
        k.set(L.ret, R.NOPAGE);
        return k.ret();
      }),
      step('vmf_insert_pfn_pmd', (k) => {
        // "We should insert radix-tree entry and dirty it here. For now this is broken..."
        for (let i = 0; i < k.N; i++) {
          const p = k.pte(i);
          if (p === Pte.code.none || p === Pte.code['huge-zero']) k.insertPmdPfn(i, k.blockAt(i));
        }
        k.set(L.ret, R.NOPAGE);
        return k.ret();
      }),
    ],
    { wholeFile: true },
  );
}

/** dax_pmd_fault with FS_DAX_PMD off: VM_FAULT_FALLBACK, and the MM retries with PTE faults. */
function pmdFallback(s: Scheme): FnDef {
  return fn('__dax_pmd_fault', [
    step('VM_FAULT_FALLBACK', (k) => {
      k.set(s.d.L.ret, R.FALLBACK);
      return k.ret();
    }),
  ]);
}

// ---- truncate and punch ----------------------------------------------------------------------

/** ext2_setsize (shrink to `size` pages): dax_sem(write), truncate_setsize, free the blocks. */
function truncate(s: Scheme): FnDef {
  const { f, daxSem } = s;
  return fn(
    'truncate',
    [
      step('down_write(dax_sem)', (k) => k.downWrite(daxSem)),
      call(
        fn('truncate_setsize', [
          step('i_size_write', (k) => k.setISize(k.arg('size'))),
          call(
            fn('truncate_pagecache', [
              call(unmapMappingRange(s.d, 'from-size')),
              call(truncateInodePages(s, 'size')),
              call(unmapMappingRange(s.d, 'from-size')),
              step('truncated', (k) => k.markTruncated()),
            ]),
          ),
        ]),
      ),
      call(
        fn('__ext2_truncate_blocks', [
          step('mutex_lock(truncate_mutex)', (k) => k.lock(f.allocLock)),
          step('free_blocks', (k) => {
            for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
          }),
          step('mutex_unlock(truncate_mutex)', (k) => k.unlock(f.allocLock)),
        ]),
      ),
      step('up_write(dax_sem)', (k) => {
        const r = k.upWrite(daxSem);
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { wholeFile: true },
  );
}

/**
 * Hole punch at the thread's index, i_size unchanged, as XFS (MMAPLOCK) and ext4 (i_mmap_sem,
 * v4.5) do it: the fs fault lock exclusive, truncate_pagecache_range, free the block. ext2 has no
 * punch; dax_sem stands in for the fs fault lock. Used for E3.
 */
function punch(s: Scheme): FnDef {
  const { f, daxSem } = s;
  return fn(
    'punch_hole',
    [
      step('down_write(dax_sem)', (k) => k.downWrite(daxSem)),
      call(fn('truncate_pagecache_range', [call(unmapMappingRange(s.d, 'page')), call(truncateInodePages(s, 'index'))])),
      step('mutex_lock(truncate_mutex)', (k) => k.lock(f.allocLock)),
      step('free_block', (k) => k.freeBlockAt(k.idx)),
      step('mutex_unlock(truncate_mutex)', (k) => k.unlock(f.allocLock)),
      step('up_write(dax_sem)', (k) => {
        const r = k.upWrite(daxSem);
        return r === NEXT ? k.ret() : r;
      }),
    ],
    { handler: true },
  );
}

// ---- the spec --------------------------------------------------------------------------------

export const entryLockProperties: readonly PropertyMaker[] = [
  P.noLockMisuse,
  P.noNullDereference,
  P.noBug,
  P.entryExclusion,
  P.noPteToFreedBlock,
  P.noStaleHolePage,
  P.noLostStore,
  P.writableUpdatesTime,
  P.noBlockPastEof,
  P.noPteBeyondEof,
  P.noLockLeak,
];

const LOADS = new Set(['load', 'load+store', 'pmd load', 'pmd load+store', 'load loop']);

export function buildEntryLock(o: EntryLockOptions, c: EntryLockConfig, name: string, extra: readonly (PropertyMaker | LivenessMaker)[] = []) {
  // Each read fault creates at most one hole page.
  const pages = Math.max(1, c.threads.filter((t) => LOADS.has(t.role)).length);
  const d = daxWorld({
    indices: c.indices,
    blocks: c.blocks,
    processes: processesOf(c.threads),
    iSize: c.iSize,
    pages,
    ...(c.initialMap ? { initialMap: c.initialMap } : {}),
  });
  d.w.freeze();
  const f = fsPieces(d, 'ext2');
  const daxSem = d.w.rwsem('dax_sem');
  const s: Scheme = { d, f, daxSem, o };
  const dax = daxFault(s);
  const h: Handlers = {
    fault: ext2Wrapper(s, 'ext2_dax_fault', dax),
    pageMkwrite: ext2Wrapper(s, 'ext2_dax_mkwrite', dax),
    pfnMkwrite: pfnMkwrite(s),
    pmdFault: ext2Wrapper(s, 'ext2_dax_pmd_fault', o.pmd ? pmdFault(s) : pmdFallback(s)),
    cowUnlock: 'dax_unlock_mapping_entry',
    unlockEntry: unlockEntry(s, 'dax_unlock_mapping_entry'),
  };
  const fsPaths = { truncate: () => truncate(s), punch: () => punch(s) };
  spawnThreads(d, h, c.threads, fsPaths);
  // A background loop never returns: no "can return" witness for it.
  const props = [...entryLockProperties, ...extra, ...c.threads.flatMap((t, i) => (LOOPING_ROLES.has(t.role) ? [] : [P.completes(i)]))];
  return compile(d.w, name, props);
}

function cfg(description: string, c: EntryLockConfig): { description: string; params: Record<string, unknown> } {
  return { description: `${description} (${describeThreads(c.threads)})`, params: { config: c } };
}

const reads = (n: number): ThreadSpec[] => Array.from({ length: n }, (_, t) => ({ name: `T${t}`, role: 'load' as const, process: 'P1' }));

/** Configurations of the PTE-only variants (rfc, v4.7, fix). */
export const entryLockConfigs = {
  'one-read': cfg('one read fault on a hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(1) }),
  'two-reads': cfg("E1': two read faults on one hole", { indices: 1, blocks: 1, iSize: 1, threads: reads(2) }),
  'three-reads': cfg('E1: three read faults on one hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(3) }),
  'four-reads': cfg('four read faults on one hole', { indices: 1, blocks: 1, iSize: 1, threads: reads(4) }),
  // Liveness (specs/dax/claims-liveness.ts): a reader that keeps running at index 1 beside the
  // faults at index 0, so that a sleeper left behind is starvation, not a deadlock.
  'two-reads+reader': cfg("E1' with a reader that keeps faulting index 1 and unmapping it", {
    indices: 2,
    blocks: 1,
    iSize: 2,
    threads: [...reads(2), { name: 'R', role: 'load loop', process: 'P2', index: 1 }],
  }),
  'three-reads+reader': cfg('E1 with a reader that keeps faulting index 1 and unmapping it', {
    indices: 2,
    blocks: 1,
    iSize: 2,
    threads: [...reads(3), { name: 'R', role: 'load loop', process: 'P2', index: 1 }],
  }),
  // Liveness: the store's retry loop (access -> fault -> retry) against unmaps that never stop.
  'store+unmapper': cfg('a store, and a thread that keeps unmapping its index', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T1', role: 'store', process: 'P1' },
      { name: 'U', role: 'unmap loop' },
    ],
  }),
  'read-vs-write': cfg('B2/S1 shape: a read fault and a write fault on one hole', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T1', role: 'store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
  'two-reads-one-write': cfg('two read faults and a write fault on one hole', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    threads: [
      { name: 'T0', role: 'load', process: 'P1' },
      { name: 'T1', role: 'load', process: 'P1' },
      { name: 'T2', role: 'store', process: 'P2' },
    ],
  }),
  'mix-3t2i': cfg('a store, a load and a truncate over two indices', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
  'cow-3t2i': cfg('a private store, a load and a truncate over two indices', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'cow', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'truncate', size: 1 },
    ],
  }),
  'mix-5t2i': cfg('a load then store, a load and a store at index 1, a private store at index 0, a truncate to 0', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'cow', process: 'P3', index: 0 },
      { name: 'T4', role: 'store', process: 'P2', index: 1 },
      { name: 'T5', role: 'truncate', size: 0 },
    ],
  }),
  'mix-4t2i': cfg('mix-5t2i without the truncate', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1', index: 1 },
      { name: 'T2', role: 'load', process: 'P2', index: 1 },
      { name: 'T3', role: 'cow', process: 'P3', index: 0 },
      { name: 'T4', role: 'store', process: 'P2', index: 1 },
    ],
  }),
  'e3-truncate': cfg('E3: pfn_mkwrite against truncate and a read fault', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    initialMap: ['written'],
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1' },
      { name: 'T2', role: 'truncate', size: 0 },
      { name: 'T3', role: 'load', process: 'P2' },
    ],
  }),
  'e3-punch': cfg('E3: two pfn_mkwrite faults against a hole punch and a read fault', {
    indices: 1,
    blocks: 1,
    iSize: 1,
    initialMap: ['written'],
    threads: [
      { name: 'T1', role: 'load+store', process: 'P1' },
      { name: 'T2', role: 'punch' },
      { name: 'T3', role: 'load', process: 'P2' },
      { name: 'T4', role: 'load+store', process: 'P3' },
    ],
  }),
  'e2-pmd-vs-read': cfg('E2/B7 threads with PMD compiled out: a PMD write falls back to PTEs', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'pmd store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
};

export const pmdConfigs = {
  'e2-pmd-vs-read': cfg('E2/B7: a PMD write fault and a PTE read fault in the PMD range', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [
      { name: 'T1', role: 'pmd store', process: 'P1' },
      { name: 'T2', role: 'load', process: 'P2' },
    ],
  }),
  'e2-pmd-only': cfg('E2 with one thread fewer: the PMD write fault alone', {
    indices: 2,
    blocks: 2,
    iSize: 2,
    threads: [{ name: 'T1', role: 'pmd store', process: 'P1' }],
  }),
};

function variant(
  id: string,
  title: string,
  description: string,
  o: EntryLockOptions,
  configs: Record<string, { description: string; params: Record<string, unknown> }>,
  defaultConfig: string,
): SpecDefinition {
  return {
    id,
    title,
    description,
    configs,
    defaultConfig,
    build(params, name) {
      return buildEntryLock(o, params.config as EntryLockConfig, `${id}/${name}`).spec;
    },
  };
}

export const entryLockRfc = variant(
  'entry-lock/rfc',
  "entry lock bit, RFC v1-v3: a hole page replaces the locked empty entry and wakes nobody (E1')",
  'Jan Kara\'s DAX page fault locking as reviewed in April-May 2016, before "fixed missed wakeups on exceptional entry locks (Ross)".',
  { pageInsertWake: 'none', pmd: false },
  entryLockConfigs,
  'two-reads',
);

export const entryLockV47 = variant(
  'entry-lock/v4.7',
  'entry lock bit as merged for v4.7: page_cache_tree_insert wakes one waiter (E1)',
  'fs/dax.c of v4.7 (ac401cc78242, bc2466e42573, 4d9a2c874667) with ext2 dax_sem; FS_DAX_PMD off.',
  { pageInsertWake: 'one', pmd: false },
  entryLockConfigs,
  'three-reads',
);

export const entryLockFix = variant(
  'entry-lock/fix',
  'v4.7 with 965d004af540 "dax: fix deadlock with DAX 4k holes": page_cache_tree_insert wakes all',
  'The v4.10-rc fix, backported to stable 4.7+: dax_wake_mapping_entry_waiter(..., wake_all = true).',
  { pageInsertWake: 'all', pmd: false },
  entryLockConfigs,
  'three-reads',
);

export const entryLockPmd = variant(
  'entry-lock/pmd',
  'v4.7 with FS_DAX_PMD enabled: the PMD fault takes no entry lock (E2 = B7)',
  'The v4.6/4.7 __dax_pmd_fault ("We should insert radix-tree entry and dirty it here. For now this is broken...").',
  { pageInsertWake: 'one', pmd: true },
  pmdConfigs,
  'e2-pmd-vs-read',
);

export const definitions: readonly SpecDefinition[] = [entryLockRfc, entryLockV47, entryLockFix, entryLockPmd];
