// fs/dax.c of v4.7, Jan Kara's DAX entry locking ("dax-locking-for-4.7": ac401cc78242 "dax: New
// fault locking", bc2466e42573 COW faults under the entry lock, 4d9a2c874667 i_mmap_lock removed):
// a lock bit in the radix tree's exceptional entry, waited on in hashed exclusive wait queues,
// as the page lock is used for normal faults. The entry-lock API (grab_mapping_entry,
// put_locked_mapping_entry, dax_unlock_mapping_entry, dax_delete_mapping_entry and their
// wake-ups), __dax_fault, dax_pfn_mkwrite, the page walk of truncate that deletes DAX entries,
// and the v4.6/4.7 PMD fault (no entry lock; compiled out by FS_DAX_PMD depending on BROKEN).
// Each mapping->tree_lock section is one atomic step; a wake-up after spin_unlock is its own step.
// Sources: docs/kernel-facts.md "v4.7: the entry lock"; 965d004af540 for the wake-up fix.
import type { K } from '../model/kernel';
import { NEXT, call, fn, step, type FnDef } from '../model/paths';
import { BlockMap, Pte, Slot, type LockDecl } from '../model/world';
import type { GetBlock } from './fs';
import { unmapMappingRange } from './pagecache';
import { R, type DaxWorld } from './world';

/** page_cache_tree_insert's wake-up when a hole page replaces a locked empty entry. */
export type PageInsertWake =
  /** RFC v1-v3: nobody is woken. */
  | 'none'
  /** v4.7: one waiter (dax_wake_mapping_entry_waiter(..., false)). */
  | 'one'
  /** 965d004af540: every waiter. */
  | 'all';

/** An index computed from the state (a loop cursor). */
export type IndexOf = (k: K) => number;

/** The slot holds an exceptional entry (a locked empty entry or a DAX entry). */
export function exceptional(k: K, i: number): boolean {
  const s = k.slot(i);
  return s === Slot.code['locked-empty'] || s === Slot.code.dax;
}

/**
 * grab_mapping_entry(i) with get_unlocked_mapping_entry's loop: returns with `page` set to a
 * locked hole page, or 0 and the exceptional entry of i locked (a locked empty entry if the slot
 * was NULL). A page found here is locked and returned: no wake-up is passed on.
 */
export function grabMappingEntry(d: DaxWorld): FnDef {
  const { L } = d;
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
export function unlockMappingEntry(d: DaxWorld, name: 'dax_unlock_mapping_entry' | 'put_locked_mapping_entry'): FnDef {
  const { L } = d;
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
export function deleteMappingEntry(ix: IndexOf): FnDef {
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

/**
 * truncate_inode_pages_range (v4.7) from the thread's `size` argument ('size'), over its index
 * ('index') or over the whole file ('all', the PMD range): a gang lookup of the next present
 * entry; hole pages are locked, unmapped if mapped, deleted and unlocked; exceptional entries go
 * to dax_delete_mapping_entry (clear_exceptional_entry). The cursor holds index + 1 while it
 * walks (0: not started). [D] The kernel's first pass trylocks pages and a second pass locks
 * them; one blocking pass is modelled.
 */
export function truncateInodePagesRange(d: DaxWorld, from: 'size' | 'index' | 'all'): FnDef {
  const { L } = d;
  const cur: IndexOf = (k) => k.get(L.cursor) - 1;
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
    call(deleteMappingEntry(cur), 'clear_exceptional_entry'),
    step('next', (k) => k.goto('pagevec_lookup_entries')),
    step('lock_page', (k) => k.lockPage(k.get(L.page))),
    step('truncate_inode_page', (k) => {
      const p = k.get(L.page);
      if (!k.pageAttached(p)) return k.goto('unlock_page');
      const i = cur(k);
      for (let m = 0; m < k.M; m++) if (k.pte(i, m) === Pte.code['ro-hole'] && k.pteRef(i, m) === p) return NEXT;
      return k.goto('delete_from_page_cache');
    }),
    call(unmapMappingRange(d, cur)),
    step('delete_from_page_cache', (k) => k.deletePage(k.get(L.page))),
    step('unlock_page', (k) => {
      const r = k.unlockPage(k.get(L.page));
      k.set(L.page, 0);
      return r === NEXT ? k.goto('pagevec_lookup_entries') : r;
    }),
  ]);
}

/** dax_load_hole (v4.7): return the page, or replace the locked empty entry with a new locked hole page. */
export function daxLoadHole(d: DaxWorld, wake: PageInsertWake): FnDef {
  const { L } = d;
  return fn('dax_load_hole', [
    step('find_or_create_page', (k) => {
      if (k.get(L.page) === 0) {
        // page_cache_tree_insert (under tree_lock): the locked empty entry becomes a locked page.
        const i = k.idx;
        k.set(L.page, k.addHolePage(i));
        switch (wake) {
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

/** dax_insert_mapping (v4.7): dax_insert_mapping_entry (hole fill or replace), then vm_insert_mixed. */
export function daxInsertMapping(d: DaxWorld): FnDef {
  const { L } = d;
  const insertEntry = fn('dax_insert_mapping_entry', [
    step('hole_fill?', (k) => (k.get(L.page) !== 0 ? NEXT : k.goto('radix_tree_replace_slot'))),
    // "The page is locked so it cannot be faulted in again."
    call(unmapMappingRange(d, 'page')),
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

/**
 * __dax_fault (v4.7): i_size check (the caller's fs lock makes it reliable); grab_mapping_entry;
 * get_block; a COW fault returns with the entry (or the page) locked; a mapped block is inserted;
 * a read of a hole loads the hole page; a write allocates (the filesystem zeroes), inserts, and
 * put_locked_mapping_entry wakes the next waiter.
 */
export function daxFault(d: DaxWorld, gb: GetBlock, wake: PageInsertWake): FnDef {
  const { L } = d;
  return fn(
    '__dax_fault',
    [
      step('check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
      }),
      call(grabMappingEntry(d)),
      call(gb.lookup),
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
      call(gb.create),
      call(daxInsertMapping(d)),
      call(unlockMappingEntry(d, 'put_locked_mapping_entry')),
      step('return NOPAGE', (k) => {
        k.set(L.ret, R.NOPAGE);
        return k.ret();
      }),
      call(daxLoadHole(d, wake)),
    ],
    { handler: true },
  );
}

/**
 * dax_pfn_mkwrite (v4.7): wait for the entry to be unlocked; if it is exceptional, tag it dirty
 * and pass the wake-up on (put_unlocked_mapping_entry); if it is NULL or a hole page, return
 * without passing it on.
 */
export function daxPfnMkwrite(d: DaxWorld): FnDef {
  const { L } = d;
  return fn('dax_pfn_mkwrite', [
    step('get_unlocked_mapping_entry', (k) => {
      const i = k.idx;
      if (exceptional(k, i) && k.entryLocked(i)) {
        k.joinWaitQueue(i);
        return k.goto('schedule');
      }
      k.set(L.ret, R.NOPAGE);
      // NULL or a hole page: `goto out` without passing the wake-up on.
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
}

/**
 * __dax_pmd_fault of v4.6/4.7 with FS_DAX_PMD enabled: no entry lock at all. One PMD covers every
 * index of the file. get_block over the range; a write to a hole allocates under `allocLock`
 * (zeroed), then truncate_pagecache_range removes hole pages and entries in the range.
 * [D] Simplified: a range that is partly mapped falls back to PTEs.
 */
export function daxPmdFault(d: DaxWorld, allocLock: LockDecl & { kind: 'mutex' }): FnDef {
  const { L } = d;
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
      step('mutex_lock(truncate_mutex)', (k) => k.lock(allocLock)),
      step('get_block(create)', (k) => {
        for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) k.allocBlock(i, 'zeroed');
        k.set(L.isNew, 1);
      }),
      step('mutex_unlock(truncate_mutex)', (k) => k.unlock(allocLock)),
      // "If we allocated new storage, make sure no process has any zero pages covering this hole"
      call(fn('truncate_pagecache_range', [call(unmapMappingRange(d, 'all')), call(truncateInodePagesRange(d, 'all'))])),
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
export function daxPmdFallback(d: DaxWorld): FnDef {
  return fn('__dax_pmd_fault', [
    step('VM_FAULT_FALLBACK', (k) => {
      k.set(d.L.ret, R.FALLBACK);
      return k.ret();
    }),
  ]);
}
