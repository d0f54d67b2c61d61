// What every DAX scheme shares: the thread-local variables of the fault code, the return codes,
// and the generic MM plumbing of v4.1-v4.7 that calls a filesystem's handlers (do_read_fault,
// do_shared_fault, do_cow_fault, do_wp_page on a pfn or a hole page, the PMD entry points) and
// the user accesses that trigger them. Also the VFS paths that do not change between schemes
// (freeze_super/thaw_super). Each scheme file supplies its own handlers and truncate paths.
// Source: ../shared/domain/dax-locking.md §0 "Generic MM fault plumbing" and §1.3.
import { SpecError } from '../../src/core/errors';
import { BLOCK, NEXT, call, fn, step, type FnDef } from '../../src/model/paths';
import { Pte, World, type BlockState, type LockDecl, type Local } from '../../src/model/world';

/** Return codes of a ->fault handler (VM_FAULT_*), kept in the thread-local `ret`. */
export const R = { NOPAGE: 0, LOCKED: 1, SIGBUS: 2, FALLBACK: 3, DAX_LOCKED: 4, RETRY: 5 } as const;

export interface DaxLocals {
  /** The hole page pointer (`page`, `vmf->page`). */
  readonly page: Local;
  /** The block get_block returned (`bh`), 0 for a hole. */
  readonly blk: Local;
  readonly unwritten: Local;
  /** buffer_new: this get_block call allocated the block. */
  readonly isNew: Local;
  readonly major: Local;
  /** FAULT_FLAG_WRITE for the fault in progress. */
  readonly write: Local;
  /** vmf->cow_page is set (private write fault). */
  readonly cow: Local;
  readonly ret: Local;
  /** Loop cursor (truncate_inode_pages walks indices). */
  readonly cursor: Local;
  /** Scheme 2: this fault holds i_mmap_rwsem for write. */
  readonly held: Local;
  /** The kernel address of the block (`kaddr`/`addr` from bdev_direct_access); 0 = unset. */
  readonly kaddr: Local;
  /** B13 variant: the COW fault already dropped i_mmap_rwsem before returning. */
  readonly dropped: Local;
}

export type Fs = 'ext2' | 'ext4' | 'xfs';

export interface DaxWorldOptions {
  readonly indices: number;
  readonly blocks: number;
  readonly processes: readonly string[];
  readonly iSize: number;
  readonly initialMap?: readonly BlockState[];
  readonly pages?: number;
}

export interface DaxWorld {
  readonly w: World;
  readonly L: DaxLocals;
  readonly iMutex: LockDecl;
  readonly iMmap: LockDecl;
}

export function daxWorld(o: DaxWorldOptions): DaxWorld {
  const w = new World({ ...o, pages: o.pages ?? 4 });
  const iMutex = w.mutex('i_mutex');
  const iMmap = w.rwsem('i_mmap_rwsem');
  const L: DaxLocals = {
    page: w.local('page', 'page'),
    blk: w.local('bh', 'block'),
    unwritten: w.local('unwritten', 'bool'),
    isNew: w.local('new', 'bool'),
    major: w.local('major', 'bool'),
    write: w.local('write', 'bool'),
    cow: w.local('cow', 'bool'),
    ret: w.local('ret', 'int', 5, { values: ['0', 'VM_FAULT_LOCKED', 'VM_FAULT_SIGBUS', 'VM_FAULT_FALLBACK', 'VM_FAULT_DAX_LOCKED', 'VM_FAULT_RETRY'] }),
    cursor: w.local('cursor', 'int', 8),
    held: w.local('held', 'bool', 1, { ghost: true }),
    kaddr: w.local('kaddr', 'block'),
    dropped: w.local('dropped', 'bool'),
  };
  return { w, L, iMutex, iMmap };
}

/** The filesystem's entry points as the MM calls them. */
export interface Handlers {
  /** ->fault, reading the locals `write` and `cow` set by the MM. */
  readonly fault: FnDef;
  /** ->page_mkwrite on a read-only hole page. */
  readonly pageMkwrite: FnDef;
  /** ->pfn_mkwrite (v4.1 on); null before v4.1, when the MM made the PTE writable by itself. */
  readonly pfnMkwrite: FnDef | null;
  /** ->pmd_fault, if the scheme has the PMD path. */
  readonly pmdFault?: FnDef;
  /** How do_cow_fault drops what a page-less COW fault returned holding. */
  readonly cowUnlock: 'i_mmap_unlock_read' | 'i_mmap_unlock_write' | 'dax_unlock_mapping_entry';
  /** Scheme 4: unlock a DAX entry (dax_unlock_mapping_entry), used by do_cow_fault. */
  readonly unlockEntry?: FnDef;
}

/** The MM half of a fault: sets FAULT_FLAG_WRITE / cow_page, then calls ->fault. */
function enterFault(d: DaxWorld, write: boolean, cow: boolean, label: string): FnDef {
  const { L } = d;
  return fn(label, [
    step('set_flags', (k) => {
      k.set(L.write, write ? 1 : 0);
      k.set(L.cow, cow ? 1 : 0);
      k.set(L.ret, 0);
      k.set(L.page, 0);
      k.set(L.blk, 0);
      k.set(L.unwritten, 0);
      k.set(L.isNew, 0);
      k.set(L.major, 0);
      k.set(L.held, 0);
      k.set(L.kaddr, 0);
      k.set(L.dropped, 0);
    }),
  ]);
}

/** do_read_fault: ->fault, then map a returned locked hole page read-only and unlock it. */
export function doReadFault(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  return fn('do_read_fault', [
    call(enterFault(d, false, false, 'vmf')),
    call(h.fault),
    step('do_set_pte', (k) => {
      if (k.get(L.ret) !== R.LOCKED) return k.ret();
      // The PTE is installed under the PTL only if it is still none (pte_same).
      if (k.pte(k.idx) === Pte.code.none) k.mapHolePage(k.idx, k.get(L.page));
    }),
    step('unlock_page', (k) => k.unlockPage(k.get(L.page))),
  ]);
}

/** do_shared_fault: ->fault with FAULT_FLAG_WRITE; DAX inserts the PTE itself and returns NOPAGE. */
export function doSharedFault(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  return fn('do_shared_fault', [
    call(enterFault(d, true, false, 'vmf')),
    call(h.fault),
    step('check_locked', (k) => {
      // A handler that returns a locked page on a write fault: generic code maps it and unlocks.
      if (k.get(L.ret) !== R.LOCKED) return k.ret();
      if (k.pte(k.idx) === Pte.code.none) k.mapHolePage(k.idx, k.get(L.page));
    }),
    step('unlock_page', (k) => k.unlockPage(k.get(L.page))),
  ]);
}

/** do_cow_fault: ->fault fills cow_page; install the anonymous PTE, then drop what the fault held. */
export function doCowFault(d: DaxWorld, h: Handlers): FnDef {
  const { L, iMmap } = d;
  const body = [
    call(enterFault(d, true, true, 'vmf')),
    call(h.fault),
    step('install_anon_pte', (k) => {
      const r = k.get(L.ret);
      if (r !== R.LOCKED && r !== R.DAX_LOCKED) return k.ret();
      // pte_same: the anonymous PTE goes in only if the slot is still empty.
      if (k.pte(k.idx) === Pte.code.none) k.mapAnon(k.idx);
    }),
    step('unlock', (k) => {
      if (k.get(L.page) !== 0) return k.unlockPage(k.get(L.page));
      if (k.get(L.dropped)) return k.ret();
      switch (h.cowUnlock) {
        case 'i_mmap_unlock_read':
          return k.upRead(iMmap);
        case 'i_mmap_unlock_write':
          return k.upWrite(iMmap);
        case 'dax_unlock_mapping_entry':
          return k.goto('dax_unlock_mapping_entry');
      }
    }),
    step('done', (k) => k.ret()),
  ];
  if (h.unlockEntry) body.push(call(h.unlockEntry, 'dax_unlock_mapping_entry'));
  return fn('do_cow_fault', body);
}

/** do_wp_page on a read-only pfn PTE: wp_pfn_shared (v4.1+) or, before v4.1, no callback at all. */
export function doWpPfn(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  if (!h.pfnMkwrite) {
    return fn('do_wp_page', [
      step('wp_page_reuse', (k) => {
        // Before v4.1: the MM makes the pfn PTE writable itself; no fs callback runs.
        if (k.pte(k.idx) === Pte.code['ro-pfn']) k.makeWritable(k.idx);
      }),
    ]);
  }
  return fn('wp_pfn_shared', [
    step('drop_ptl', (k) => {
      k.set(L.blk, k.pteRef(k.idx));
      k.set(L.ret, 0);
    }),
    call(h.pfnMkwrite),
    step('pte_same', (k) => {
      // Retake the PTL: if the PTE changed meanwhile, return and let the access retry.
      if (k.get(L.ret) !== R.NOPAGE) return k.ret();
      if (k.pte(k.idx) === Pte.code['ro-pfn'] && k.pteRef(k.idx) === k.get(L.blk)) k.makeWritable(k.idx);
    }),
  ]);
}

/** do_wp_page on a read-only hole page: wp_page_shared -> ->page_mkwrite. */
export function doWpHolePage(d: DaxWorld, h: Handlers): FnDef {
  return fn('wp_page_shared', [call(enterFault(d, true, false, 'vmf')), call(h.pageMkwrite)]);
}

/** A user load at the thread's index: faults only when nothing is mapped. */
export function userLoad(d: DaxWorld, h: Handlers): FnDef {
  return fn('load', [
    step('access', (k) => (k.pte(k.idx) === Pte.code.none ? NEXT : k.ret())),
    call(doReadFault(d, h)),
  ]);
}

/**
 * A user store at the thread's index through a shared mapping, retried as the MM retries it:
 * no PTE -> write fault; read-only pfn -> pfn write fault; read-only hole page -> page_mkwrite;
 * writable -> the store lands in the block.
 */
export function userStore(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  const retry = (label: string) =>
    step(label, (k) => (k.get(L.ret) === R.SIGBUS ? k.ret() : k.goto('access')));
  return fn('store', [
    step('access', (k) => {
      const p = k.pte(k.idx);
      if (p === Pte.code['rw-pfn'] || p === Pte.code.anon) {
        k.userStore(k.idx);
        return k.ret();
      }
      if (p === Pte.code.none) return k.goto('do_shared_fault');
      if (p === Pte.code['ro-pfn']) return k.goto(h.pfnMkwrite ? 'wp_pfn_shared' : 'do_wp_page');
      if (p === Pte.code['ro-hole']) return k.goto('wp_page_shared');
      // A huge zero page / PMD is only reached through the PMD entry points.
      return k.fail('BUG', 0, 'PTE store path reached a PMD mapping');
    }),
    call(doSharedFault(d, h)),
    retry('retry_after_fault'),
    call(doWpPfn(d, h)),
    retry('retry_after_pfn_mkwrite'),
    call(doWpHolePage(d, h)),
    retry('retry_after_page_mkwrite'),
  ]);
}

/** A store through a private (MAP_PRIVATE) mapping: the first store is a COW fault. */
export function userCowStore(d: DaxWorld, h: Handlers): FnDef {
  return fn('private store', [
    step('access', (k) => {
      const p = k.pte(k.idx);
      if (p === Pte.code.anon) {
        k.userStore(k.idx);
        return k.ret();
      }
      // Only a first private store (no PTE yet) is modelled.
      if (p !== Pte.code.none) return k.ret();
    }),
    call(doCowFault(d, h)),
    step('retry', (k) => (k.get(d.L.ret) === R.SIGBUS ? k.ret() : k.goto('access'))),
  ]);
}

/** A PMD-sized access (load or store) at the start of the range: ->pmd_fault, falling back to PTEs. */
export function userPmdAccess(d: DaxWorld, h: Handlers, write: boolean): FnDef {
  if (!h.pmdFault) throw new SpecError('this scheme has no PMD path');
  const { L } = d;
  return fn(write ? 'pmd store' : 'pmd load', [
    step('access', (k) => {
      const p = k.pte(k.idx);
      if (write ? p === Pte.code['pmd-pfn'] || p === Pte.code['rw-pfn'] : p !== Pte.code.none) return k.ret();
    }),
    call(enterFault(d, write, false, 'vmf')),
    call(h.pmdFault),
    step('fallback', (k) => (k.get(L.ret) === R.FALLBACK ? NEXT : k.ret())),
    call(write ? doSharedFault(d, h) : doReadFault(d, h)),
  ]);
}

/** freeze_super, then thaw_super unless the configuration keeps the filesystem frozen. */
export function freezeThaw(w: World, thaw: boolean): FnDef {
  const f = w.freeze();
  const freeze = fn('freeze_super', [
    step('sb_wait_write(WRITE)', (k) => k.downWrite(f.write)),
    step('sb_wait_write(PAGEFAULT)', (k) => k.downWrite(f.pagefault)),
    step('sb_wait_write(FS)', (k) => k.downWrite(f.fs)),
  ]);
  const thawFn = fn('thaw_super', [
    step('unlock(FS)', (k) => k.upWrite(f.fs)),
    step('unlock(PAGEFAULT)', (k) => k.upWrite(f.pagefault)),
    step('unlock(WRITE)', (k) => k.upWrite(f.write)),
  ]);
  return fn('freeze', thaw ? [call(freeze), call(thawFn)] : [call(freeze)]);
}

/** A step that never enables (for paths that must wait for good). */
export const never = step('never', () => BLOCK);
