// Scheme 1: the v4.2 DAX locking scheme, as fs/dax.c ran it at v4.2 (ce5c5d554dc4,
// e842f2903908 on top of v4.1's dax_pfn_mkwrite), with the ext2/ext4 dax_fault wrappers.
// Variants (parameters): the filesystem's get_block (ext2 allocates and zeroes under
// truncate_mutex; ext4/XFS of that time return an unwritten extent that DAX zeroes); the
// pre-v4.1 pfn write (no pfn_mkwrite); the PMD path as first merged in the v4.3 merge window;
// final v4.3 (0f90cc6609c7: do_cow_fault calls i_mmap_unlock_write, B12) and its fix
// (0df9d41ab5d4); and a COW fault that does not hold i_mmap_rwsem across the PTE install (B13).
// Source: ../shared/domain/dax-locking.md §1.2-1.6, §2.5.
// Left out: mmap_sem and VM_FAULT_RETRY, jbd2 handles (B10), XFS MMAPLOCK, partial pages,
// and data contents beyond "who stored last". [D] A write fault's vm_insert_mixed maps the pfn
// read-only (the VMA uses write notification), so the store takes a second, pfn_mkwrite fault.
import { SpecError } from '../../src/core/errors';
import type { SpecDefinition } from '../../src/core/spec';
import { compile } from '../../src/model/compile';
import { BLOCK, NEXT, call, fn, step, type FnDef } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import { BlockMap, Pte, type LockDecl } from '../../src/model/world';
import {
  R,
  daxWorld,
  freezeThaw,
  userCowStore,
  userLoad,
  userPmdAccess,
  userStore,
  type DaxWorld,
  type Fs,
  type Handlers,
} from './common';

export interface V42Options {
  readonly fs: Fs;
  /** v4.1's pfn_mkwrite (dd9061846a3b); false models v4.0 (B9). */
  readonly pfnMkwrite: boolean;
  /** How do_cow_fault unlocks a page-less COW fault: v4.2 read; final v4.3 write (B12). */
  readonly cowUnlock: 'i_mmap_unlock_read' | 'i_mmap_unlock_write';
  /** v4.2 holds i_mmap_rwsem(read) from __dax_fault into do_cow_fault; false drops it (B13). */
  readonly cowHold: boolean;
}

/** The v4.2 filesystem pieces a __dax_fault calls. */
export interface FsPieces {
  /** ext2 truncate_mutex / ext4 i_data_sem: the lock get_block takes to allocate and truncate takes to free. */
  readonly allocLock: LockDecl;
  /** get_block(create=0): looks the block up, sets bh/unwritten. */
  readonly getBlock: FnDef;
  /** get_block(create=1): allocates (ext2: zeroed; ext4/XFS: unwritten). */
  readonly getBlockCreate: FnDef;
}

export function fsPieces(d: DaxWorld, fs: Fs): FsPieces {
  const { w, L } = d;
  const allocLock = fs === 'ext2' ? w.mutex('truncate_mutex') : w.rwsem(fs === 'ext4' ? 'i_data_sem' : 'ILOCK');
  const take = (k: Parameters<Parameters<typeof step>[1]>[0]) => (allocLock.kind === 'mutex' ? k.lock(allocLock) : k.downWrite(allocLock));
  const drop = (k: Parameters<Parameters<typeof step>[1]>[0]) => (allocLock.kind === 'mutex' ? k.unlock(allocLock) : k.upWrite(allocLock));
  const lookup = step('lookup', (k) => {
    const i = k.idx;
    k.set(L.blk, k.blockAt(i));
    k.set(L.unwritten, k.mapState(i) === BlockMap.code.unwritten ? 1 : 0);
    k.set(L.isNew, 0);
  });
  const getBlock = fn(fs === 'ext2' ? 'ext2_get_block' : fs === 'ext4' ? 'ext4_get_block' : 'xfs_get_blocks', [lookup]);
  const getBlockCreate = fn(fs === 'ext2' ? 'ext2_get_block(create)' : fs === 'ext4' ? 'ext4_get_block(create)' : 'xfs_get_blocks(create)', [
    step(fs === 'ext2' ? 'mutex_lock(truncate_mutex)' : `down_write(${allocLock.name})`, (k) => take(k)),
    step('allocate', (k) => {
      const i = k.idx;
      if (k.mapState(i) === BlockMap.code.hole) {
        const b = k.allocBlock(i, fs === 'ext2' ? 'zeroed' : 'unwritten');
        if (b === 0) return k.fail('BUG', 0, 'no free block (the configuration has too few blocks)');
        k.set(L.isNew, 1);
      } else k.set(L.isNew, 0);
      k.set(L.blk, k.blockAt(i));
      k.set(L.unwritten, k.mapState(i) === BlockMap.code.unwritten ? 1 : 0);
    }),
    step(fs === 'ext2' ? 'mutex_unlock(truncate_mutex)' : `up_write(${allocLock.name})`, (k) => drop(k)),
  ]);
  return { allocLock, getBlock, getBlockCreate };
}

/** unmap_mapping_range over one index (the fault's) or from i_size on (truncate), under i_mmap_rwsem(w). */
export function unmapMappingRange(d: DaxWorld, range: 'page' | 'from-size', lock = true): FnDef {
  const { iMmap, L } = d;
  const zap = step('zap_page_range', (k) => {
    if (range === 'page') k.zap(k.idx, false);
    else for (let i = k.arg('size'); i < k.N; i++) k.zap(i, true);
    void L;
  });
  if (!lock) return fn('unmap_mapping_range', [zap]);
  return fn('unmap_mapping_range', [
    step('i_mmap_lock_write', (k) => k.downWrite(iMmap)),
    zap,
    step('i_mmap_unlock_write', (k) => k.upWrite(iMmap)),
  ]);
}

/** dax_load_hole (§1.4 step 4r): find or create the hole page, re-check i_size under its lock. */
export function daxLoadHoleV42(d: DaxWorld): FnDef {
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

/** __dax_fault as v4.2 runs it (§1.4), with dax_insert_mapping inlined as a sub-path. */
export function daxFaultV42(d: DaxWorld, f: FsPieces, o: V42Options): FnDef {
  const { L, iMmap } = d;
  const insertMapping = fn('dax_insert_mapping', [
    step('i_mmap_lock_read', (k) => k.downRead(iMmap)),
    step('check_size', (k) => {
      // "Check we didn't race with a truncate": EIO, the block may stay allocated past EOF.
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
  const loadHole = daxLoadHoleV42(d);
  const cowUnlockEarly = !o.cowHold;
  return fn(
    '__dax_fault',
    [
      step('check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.ret();
        }
      }),
      step('find_get_page', (k) => {
        const p = k.findPage(k.idx);
        k.set(L.page, p);
        if (p === 0) return k.goto(f.getBlock.name);
      }),
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
      call(f.getBlock),
      step('hole?', (k) => {
        if (k.get(L.blk) !== 0 || k.get(L.cow)) return k.goto('cow?');
        if (!k.get(L.write)) return k.goto('dax_load_hole');
        k.set(L.major, 1);
      }),
      call(f.getBlockCreate),
      step('after_alloc', (k) => k.goto('cow?')),
      call(loadHole),
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
        if (!cowUnlockEarly) return k.ret();
      }),
      step('cow_drop_i_mmap', (k) => {
        // B13 variant: the lock is dropped before do_cow_fault installs the PTE; do_cow_fault
        // then finds nothing to unlock (page == NULL, and the scheme's cowUnlock is skipped).
        const r = k.upRead(iMmap);
        k.set(L.ret, R.LOCKED);
        k.set(L.dropped, 1);
        return r === NEXT ? k.ret() : r;
      }),
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
      step('delete_from_page_cache', (k) => k.deletePage(k.get(L.page))),
      step('unlock_page', (k) => {
        const r = k.unlockPage(k.get(L.page));
        k.set(L.page, 0);
        return r;
      }),
      call(insertMapping),
      step('complete_unwritten', (k) => {
        if (k.get(L.unwritten)) k.convertUnwritten(k.idx);
        if (k.get(L.ret) !== R.SIGBUS) k.set(L.ret, R.NOPAGE);
        return k.ret();
      }),
    ],
    { handler: true },
  );
}

/** The ext2/ext4 dax_fault / dax_mkwrite wrapper of v4.2 (§1.3). */
export function daxFaultWrapper(d: DaxWorld, name: string, dax: FnDef): FnDef {
  const { L, w } = d;
  const lv = w.freeze();
  void lv;
  return fn(
    name,
    [
      step('sb_start_pagefault', (k) => (k.get(L.write) ? k.sbStartPagefault() : NEXT)),
      step('file_update_time', (k) => {
        if (k.get(L.write)) k.fileUpdateTime();
      }),
      call(dax),
      step('sb_end_pagefault', (k) => {
        if (k.get(L.write)) return k.sbEndPagefault();
        return k.ret();
      }),
    ],
    { handler: true },
  );
}

/** dax_pfn_mkwrite (v4.1): freeze protection and c/mtime, no fs lock, no i_size check. */
export function daxPfnMkwriteV41(): FnDef {
  return fn(
    'dax_pfn_mkwrite',
    [
      step('sb_start_pagefault', (k) => k.sbStartPagefault()),
      step('file_update_time', (k) => k.fileUpdateTime()),
      step('sb_end_pagefault', (k) => k.sbEndPagefault()),
    ],
    { handler: true },
  );
}

/** truncate_inode_pages(size): lock each hole page, unmap it if mapped, delete it, unlock. */
export function truncateInodePages(d: DaxWorld, from: 'size' | 'index'): FnDef {
  const { L } = d;
  const start = (k: { arg(n: string): number; idx: number }) => (from === 'size' ? k.arg('size') : k.idx);
  const end = (k: { N: number; idx: number }) => (from === 'size' ? k.N : k.idx + 1);
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
    call(
      fn('unmap_mapping_range', [
        step('i_mmap_lock_write', (k) => k.downWrite(d.iMmap)),
        step('zap_page_range', (k) => k.zap(k.get(L.cursor), false)),
        step('i_mmap_unlock_write', (k) => k.upWrite(d.iMmap)),
      ]),
    ),
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

/** Truncate (shrink to `size` pages), §1.6: i_size first, then unmap, pages, unmap, free blocks. */
export function truncateV42(d: DaxWorld, f: FsPieces, extra: { before?: FnDef[]; after?: FnDef[] } = {}): FnDef {
  const { L, iMutex, w } = d;
  const lv = w.freeze();
  const takeAlloc = (k: Parameters<Parameters<typeof step>[1]>[0]) => (f.allocLock.kind === 'mutex' ? k.lock(f.allocLock) : k.downWrite(f.allocLock));
  const dropAlloc = (k: Parameters<Parameters<typeof step>[1]>[0]) => (f.allocLock.kind === 'mutex' ? k.unlock(f.allocLock) : k.upWrite(f.allocLock));
  void L;
  return fn(
    'truncate',
    [
      step('sb_start_write', (k) => k.downRead(lv.write)),
      step('mutex_lock(i_mutex)', (k) => k.lock(iMutex)),
      ...(extra.before ?? []).map((b) => call(b)),
      call(
        fn('truncate_setsize', [
          step('i_size_write', (k) => k.setISize(k.arg('size'))),
          call(
            fn('truncate_pagecache', [
              call(unmapMappingRange(d, 'from-size')),
              call(truncateInodePages(d, 'size')),
              call(unmapMappingRange(d, 'from-size')),
              step('truncated', (k) => k.markTruncated()),
            ]),
          ),
        ]),
      ),
      call(
        fn('truncate_blocks', [
          step(f.allocLock.kind === 'mutex' ? `mutex_lock(${f.allocLock.name})` : `down_write(${f.allocLock.name})`, (k) => takeAlloc(k)),
          step('free_blocks', (k) => {
            for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
          }),
          step(f.allocLock.kind === 'mutex' ? `mutex_unlock(${f.allocLock.name})` : `up_write(${f.allocLock.name})`, (k) => dropAlloc(k)),
        ]),
      ),
      ...(extra.after ?? []).map((b) => call(b)),
      step('mutex_unlock(i_mutex)', (k) => k.unlock(iMutex)),
      step('sb_end_write', (k) => k.upRead(lv.write)),
    ],
    { wholeFile: true },
  );
}

/** ext4 hole punch at the thread's index (v4.2): no lock against faults, no i_size change (§1.6). */
export function punchHoleExt4(d: DaxWorld, f: FsPieces): FnDef {
  const { iMutex } = d;
  return fn(
    'ext4_punch_hole',
    [
      step('mutex_lock(i_mutex)', (k) => k.lock(iMutex)),
      call(
        fn('truncate_pagecache_range', [call(unmapMappingRange(d, 'page')), call(truncateInodePages(d, 'index'))]),
      ),
      step(`down_write(${f.allocLock.name})`, (k) => k.downWrite(f.allocLock)),
      step('ext4_ext_remove_space', (k) => k.freeBlockAt(k.idx)),
      step(`up_write(${f.allocLock.name})`, (k) => k.upWrite(f.allocLock)),
      step('mutex_unlock(i_mutex)', (k) => k.unlock(iMutex)),
    ],
    { handler: true },
  );
}

/**
 * write(2) of one whole page at the thread's index: generic_file_direct_write around dax_do_io.
 * [U] The v4.2 write paths were not read closely; this follows generic_file_direct_write, which
 * invalidates page-cache pages of the range before and after ->direct_IO.
 */
export function writeSyscall(d: DaxWorld, f: FsPieces): FnDef {
  const { L, iMutex, w } = d;
  const lv = w.freeze();
  return fn(
    'write',
    [
      step('sb_start_write', (k) => k.downRead(lv.write)),
      step('mutex_lock(i_mutex)', (k) => k.lock(iMutex)),
      call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
      call(f.getBlockCreate),
      step('dax_io_copy', (k) => {
        // The page is written whole through the kernel mapping; an unwritten extent is converted.
        const b = k.get(L.blk);
        if (b === 0) return k.fail('BUG', 0, 'write(2) got no block');
        k.kernelStore(k.idx, b);
        if (k.get(L.unwritten)) k.convertUnwritten(k.idx);
      }),
      call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
      step('mutex_unlock(i_mutex)', (k) => k.unlock(iMutex)),
      step('sb_end_write', (k) => k.upRead(lv.write)),
    ],
    { handler: true },
  );
}

/** __dax_pmd_fault as first merged (§1.5), with v4.2-style i_mmap_lock_read. One PMD = every index. */
export function daxPmdFaultAsMerged(d: DaxWorld, f: FsPieces, fs: Fs): FnDef {
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
          for (let i = 0; i < k.N; i++) if (k.mapState(i) === BlockMap.code.hole) k.allocBlock(i, fs === 'ext2' ? 'zeroed' : 'unwritten');
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
      call(
        fn('unmap_mapping_range', [
          step('i_mmap_lock_write', (k) => k.downWrite(iMmap)),
          step('zap_page_range', (k) => {
            for (let i = 0; i < k.N; i++) k.zap(i, false);
          }),
          step('i_mmap_unlock_write', (k) => k.upWrite(iMmap)),
        ]),
      ),
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

// ---- the spec definition ---------------------------------------------------------------------

export type ThreadRole =
  | 'load'
  | 'store'
  | 'load+store'
  | 'cow'
  | 'truncate'
  | 'punch'
  | 'write(2)'
  | 'freeze'
  | 'freeze (stays frozen)'
  | 'pmd load'
  | 'pmd store'
  | 'pmd load+store'
  // Background threads that loop for ever (liveness configurations: a thread that keeps running
  // beside the others). They never return; "every fault and syscall returns" leaves them out.
  | 'load loop'
  | 'unmap loop';

/** Roles whose path loops for ever. */
export const LOOPING_ROLES: ReadonlySet<ThreadRole> = new Set<ThreadRole>(['load loop', 'unmap loop']);

export interface ThreadSpec {
  readonly name: string;
  readonly role: ThreadRole;
  readonly process?: string;
  readonly index?: number;
  /** New size in pages (truncate). */
  readonly size?: number;
}

export interface V42Config {
  readonly options: V42Options;
  readonly pmd?: boolean;
  readonly indices: number;
  readonly blocks: number;
  readonly iSize: number;
  readonly initialMap?: readonly ('hole' | 'written' | 'unwritten')[];
  readonly threads: readonly ThreadSpec[];
}

export const v42Properties = [
  P.noLockMisuse,
  P.noNullDereference,
  P.noBug,
  P.noPteToFreedBlock,
  P.noStaleHolePage,
  P.noLostStore,
  P.writableUpdatesTime,
  P.noWritableWhileFrozen,
  P.noStoreWhileFrozen,
  P.noBlockPastEof,
  P.noPteBeyondEof,
  P.noLockLeak,
];

/** Builds the user and fs paths a thread role runs, from a scheme's handlers and fs paths. */
export function rolePath(
  d: DaxWorld,
  h: Handlers,
  role: ThreadRole,
  fsPaths: { truncate: () => FnDef; punch?: () => FnDef; write?: () => FnDef },
): FnDef {
  switch (role) {
    case 'load':
      return userLoad(d, h);
    case 'store':
      return userStore(d, h);
    case 'load+store':
      return fn('load, then store', [call(userLoad(d, h)), call(userStore(d, h))]);
    case 'cow':
      return userCowStore(d, h);
    case 'truncate':
      return fsPaths.truncate();
    case 'punch':
      if (!fsPaths.punch) throw new SpecError('this filesystem has no hole punch in this scheme');
      return fsPaths.punch();
    case 'write(2)':
      if (!fsPaths.write) throw new SpecError('this scheme has no write(2) path');
      return fsPaths.write();
    case 'freeze':
      return freezeThaw(d.w, true);
    case 'freeze (stays frozen)':
      return freezeThaw(d.w, false);
    case 'pmd load':
      return userPmdAccess(d, h, false);
    case 'pmd store':
      return userPmdAccess(d, h, true);
    case 'pmd load+store':
      return fn('pmd load, then pmd store', [call(userPmdAccess(d, h, false)), call(userPmdAccess(d, h, true))]);
    case 'load loop':
      // A reader that keeps faulting its page in and unmapping it (munmap of its own mapping).
      return fn('reader loop', [
        call(userLoad(d, h), 'load'),
        step('munmap: zap_page_range', (k) => k.zap(k.idx, false)),
        step('again', (k) => k.goto('load')),
      ]);
    case 'unmap loop':
      // A thread that keeps unmapping the index from every process, as unmap_mapping_range does
      // (a truncate or hole punch of the same range, again and again).
      return fn('unmapper loop', [step('unmap_mapping_range', (k) => k.zap(k.idx)), step('again', (k) => k.goto('unmap_mapping_range'))]);
  }
}

/** Declares each configured thread with the code path of its role. */
export function spawnThreads(
  d: DaxWorld,
  h: Handlers,
  threads: readonly ThreadSpec[],
  fsPaths: { truncate: () => FnDef; punch?: () => FnDef; write?: () => FnDef },
): void {
  // Threads of one role share one code path (one FnDef): the symmetry reduction recognises
  // interchangeable threads by it.
  const paths = new Map<ThreadRole, FnDef>();
  for (const t of threads) {
    const path = paths.get(t.role) ?? rolePath(d, h, t.role, fsPaths);
    paths.set(t.role, path);
    d.w.thread(t.name, {
      process: t.process ?? 'P1',
      index: t.index ?? 0,
      path,
      args: t.size !== undefined ? { size: t.size } : {},
      ...(LOOPING_ROLES.has(t.role) ? { forever: true } : {}),
    });
  }
}

export function processesOf(threads: readonly ThreadSpec[]): string[] {
  const ps: string[] = [];
  for (const t of threads) {
    const p = t.process ?? 'P1';
    if (!ps.includes(p)) ps.push(p);
  }
  return ps;
}

export function buildV42(c: V42Config, name: string) {
  const d = daxWorld({ indices: c.indices, blocks: c.blocks, processes: processesOf(c.threads), iSize: c.iSize, ...(c.initialMap ? { initialMap: c.initialMap } : {}) });
  d.w.freeze();
  const f = fsPieces(d, c.options.fs);
  const dax = daxFaultV42(d, f, c.options);
  const fsName = c.options.fs;
  const fault = daxFaultWrapper(d, `${fsName}_dax_fault`, dax);
  const pageMkwrite = daxFaultWrapper(d, `${fsName}_dax_mkwrite`, daxFaultV42(d, f, c.options));
  const h: Handlers = {
    fault,
    pageMkwrite,
    pfnMkwrite: c.options.pfnMkwrite ? daxPfnMkwriteV41() : null,
    ...(c.pmd ? { pmdFault: daxFaultWrapper(d, `${fsName}_dax_pmd_fault`, daxPmdFaultAsMerged(d, f, fsName)) } : {}),
    cowUnlock: c.options.cowUnlock,
  };
  const fsPaths = {
    truncate: () => truncateV42(d, f),
    ...(fsName === 'ext4' ? { punch: () => punchHoleExt4(d, f) } : {}),
    write: () => writeSyscall(d, f),
  };
  spawnThreads(d, h, c.threads, fsPaths);
  const props = [...v42Properties, ...c.threads.map((_, i) => P.completes(i))];
  return compile(d.w, name, props);
}

export function describeThreads(threads: readonly ThreadSpec[]): string {
  return threads
    .map((t) => {
      const where = t.role === 'truncate' ? `to ${t.size} page${t.size === 1 ? '' : 's'}` : t.role.startsWith('freeze') ? '' : `on index ${t.index ?? 0}`;
      return `${t.name}: ${t.role}${where ? ` ${where}` : ''}${t.role.startsWith('freeze') || t.role === 'truncate' || t.role === 'punch' || t.role === 'write(2)' || t.role === 'unmap loop' ? '' : ` in ${t.process ?? 'P1'}`}`;
    })
    .join('; ');
}

export function configOf(description: string, c: V42Config): { description: string; params: Record<string, unknown> } {
  return { description: `${description} (${describeThreads(c.threads)})`, params: { config: c } };
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

function variant(id: string, title: string, description: string, configs: Record<string, { description: string; params: Record<string, unknown> }>, defaultConfig: string): SpecDefinition {
  return {
    id,
    title,
    description,
    configs,
    defaultConfig,
    build(params, name) {
      return buildV42(params.config as V42Config, `${id}/${name}`).spec;
    },
  };
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
