// The page cache of a DAX file, as 2015-2016 kernels walked it: unmap_mapping_range (zap the
// PTEs of a range in every process, under mapping->i_mmap_rwsem for write), truncate_inode_pages
// (lock each hole page, unmap it if mapped, delete it, unlock), truncate_pagecache and
// truncate_setsize, and the steps that look a page up. The v4.7 walk that also deletes DAX
// entries is in dax-v4.7.ts (it needs the entry-lock API).
// Sources: mm/truncate.c (truncate_inode_page calls unmap_mapping_range under the page lock),
// mm/memory.c unmap_mapping_range; docs/kernel-facts.md "Truncate".
import type { K } from '../model/kernel';
import { BLOCK, NEXT, call, fn, step, type FnDef, type StepDef } from '../model/paths';
import { Pte } from '../model/world';
import type { DaxWorld } from './world';

/**
 * Which PTEs an unmap_mapping_range zaps: the thread's index ('page'), every index from the
 * thread's `size` argument on ('from-size', truncate's holebegin..EOF, private COW copies too),
 * every index ('all', a PMD range), or the index a function of the state gives (a loop cursor).
 */
export type UnmapRange = 'page' | 'from-size' | 'all' | ((k: K) => number);

/**
 * unmap_mapping_range: zap the range's PTEs in every process. It takes mapping->i_mmap_rwsem for
 * write around the walk of mapping->i_mmap, unless `lock` is false (843172978bb9 made it skip the
 * lock for DAX inodes).
 */
export function unmapMappingRange(d: DaxWorld, range: UnmapRange, o: { lock?: boolean } = {}): FnDef {
  const zap = step('zap_page_range', (k) => {
    if (range === 'page') k.zap(k.idx, false);
    else if (range === 'from-size') for (let i = k.arg('size'); i < k.N; i++) k.zap(i, true);
    else if (range === 'all') for (let i = 0; i < k.N; i++) k.zap(i, false);
    else k.zap(range(k), false);
  });
  if (o.lock === false) return fn('unmap_mapping_range', [zap]);
  return fn('unmap_mapping_range', [
    step('i_mmap_lock_write', (k) => k.downWrite(d.iMmap)),
    zap,
    step('i_mmap_unlock_write', (k) => k.upWrite(d.iMmap)),
  ]);
}

/** find_get_page at the thread's index into `page`; with `ifNone`, jump there when there is none. */
export function findGetPage(d: DaxWorld, o: { ifNone?: string } = {}): StepDef {
  const { L } = d;
  const ifNone = o.ifNone;
  return step('find_get_page', (k) => {
    const p = k.findPage(k.idx);
    k.set(L.page, p);
    if (p === 0 && ifNone !== undefined) return k.goto(ifNone);
  });
}

/**
 * find_lock_page at the thread's index: `page` = the page cached there, locked (the step waits
 * for its lock); with `ifNone`, jump there when there is none.
 */
export function findLockPage(d: DaxWorld, o: { ifNone?: string } = {}): StepDef {
  const { L } = d;
  const ifNone = o.ifNone;
  return step('find_lock_page', (k) => {
    const p = k.findPage(k.idx);
    if (p === 0) {
      k.set(L.page, 0);
      return ifNone !== undefined ? k.goto(ifNone) : NEXT;
    }
    if (k.lockPage(p) === BLOCK) return BLOCK;
    k.set(L.page, p);
  });
}

/**
 * find_or_create_page at the thread's index: `page` = the page cached there, locked (waiting
 * for its lock), or a new zeroed hole page inserted in the radix slot, locked.
 */
export function findOrCreatePage(d: DaxWorld): StepDef {
  const { L } = d;
  return step('find_or_create_page', (k) => {
    const p = k.findPage(k.idx);
    if (p !== 0) {
      if (k.lockPage(p) === BLOCK) return BLOCK;
      k.set(L.page, p);
      return NEXT;
    }
    k.set(L.page, k.addHolePage(k.idx));
  });
}

/** delete_from_page_cache(page): the page leaves the radix tree (page->mapping = NULL). */
export function deleteFromPageCache(d: DaxWorld): StepDef {
  return step('delete_from_page_cache', (k) => k.deletePage(k.get(d.L.page)));
}

/**
 * truncate_inode_pages from the thread's `size` argument ('size', truncate) or over the thread's
 * index ('index', a punch or an invalidation): for each hole page, lock it; if it is still in the
 * file and mapped, unmap_mapping_range its index (under the page lock); delete it; unlock it.
 */
export function truncateInodePages(d: DaxWorld, from: 'size' | 'index', o: { unmapLocks?: boolean } = {}): FnDef {
  const { L } = d;
  const start = (k: K) => (from === 'size' ? k.arg('size') : k.idx);
  const end = (k: K) => (from === 'size' ? k.N : k.idx + 1);
  return fn('truncate_inode_pages', [
    step('start', (k) => k.set(L.cursor, start(k))),
    step('find_page', (k) => {
      const i = k.get(L.cursor);
      if (i >= end(k)) return k.goto('done');
      const p = k.findPage(i);
      if (p === 0) {
        k.set(L.cursor, i + 1);
        return k.goto('find_page');
      }
      k.set(L.page, p);
    }),
    step('lock_page', (k) => k.lockPage(k.get(L.page))),
    step('page_mapped?', (k) => {
      const p = k.get(L.page);
      if (!k.pageAttached(p)) return k.goto('unlock_page');
      for (let m = 0; m < k.M; m++) if (k.pte(k.get(L.cursor), m) === Pte.code['ro-hole'] && k.pteRef(k.get(L.cursor), m) === p) return NEXT;
      return k.goto('delete_from_page_cache');
    }),
    call(unmapMappingRange(d, (k) => k.get(L.cursor), { lock: o.unmapLocks ?? true })),
    step('delete_from_page_cache', (k) => {
      if (k.pageAttached(k.get(L.page))) k.deletePage(k.get(L.page));
    }),
    step('unlock_page', (k) => {
      const r = k.unlockPage(k.get(L.page));
      k.set(L.page, 0);
      k.set(L.cursor, k.get(L.cursor) + 1);
      return r === NEXT ? k.goto('find_page') : r;
    }),
    step('done', (k) => k.set(L.cursor, 0)),
  ]);
}

/**
 * truncate_pagecache(inode, newsize): unmap from the new EOF, truncate_inode_pages, unmap again
 * (a racing fault may have mapped a page meanwhile). `pages` replaces the page walk (v4.7 walks
 * DAX entries too); `unmapLocks` as in unmapMappingRange.
 */
export function truncatePagecache(d: DaxWorld, o: { pages?: FnDef; unmapLocks?: boolean } = {}): FnDef {
  const lock = { lock: o.unmapLocks ?? true };
  return fn('truncate_pagecache', [
    call(unmapMappingRange(d, 'from-size', lock)),
    call(o.pages ?? truncateInodePages(d, 'size', { unmapLocks: lock.lock })),
    call(unmapMappingRange(d, 'from-size', lock)),
    // A ghost mark for the "no PTE beyond EOF after truncate" property.
    step('truncated', (k) => k.markTruncated()),
  ]);
}

/** truncate_setsize(inode, newsize): i_size_write, then truncate_pagecache. */
export function truncateSetsize(d: DaxWorld, o: { pages?: FnDef; unmapLocks?: boolean } = {}): FnDef {
  return fn('truncate_setsize', [step('i_size_write', (k) => k.setISize(k.arg('size'))), call(truncatePagecache(d, o))]);
}

/** truncate_pagecache_range over the thread's index: unmap it, then truncate its pages. */
export function truncatePagecacheRange(d: DaxWorld, o: { pages?: FnDef } = {}): FnDef {
  return fn('truncate_pagecache_range', [call(unmapMappingRange(d, 'page')), call(o.pages ?? truncateInodePages(d, 'index'))]);
}
