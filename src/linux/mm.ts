// The generic MM half of a page fault, v4.1-v4.7 (mm/memory.c), and the user accesses that
// start one: a load, a store retried as the MM retries it, a private (COW) store, a PMD-sized
// access. The filesystem's entry points (->fault, ->page_mkwrite, ->pfn_mkwrite, ->pmd_fault)
// come in as Handlers; everything here is the same for every scheme.
// Sources: do_read_fault / do_shared_fault / do_cow_fault and __do_fault (v4.1-v4.7); 2e4cdab0584f
// (a handler may fill vmf->cow_page); dd9061846a3b (wp_pfn_shared and ->pfn_mkwrite, v4.1);
// docs/kernel-facts.md "The generic fault plumbing".
import { SpecError } from '../core/errors';
import { NEXT, call, fn, step, type FnDef, type StepBody } from '../model/paths';
import { Pte, type RwSem } from '../model/world';
import { R, type DaxWorld } from './world';

/** The filesystem's entry points as the MM calls them (struct vm_operations_struct). */
export interface Handlers {
  /** ->fault. It reads the locals `write` and `cow` the MM sets (FAULT_FLAG_WRITE, cow_page). */
  readonly fault: FnDef;
  /** ->page_mkwrite, called on a store to a read-only hole page. */
  readonly pageMkwrite: FnDef;
  /** ->pfn_mkwrite (v4.1 on); null before v4.1, when the MM made a pfn PTE writable by itself. */
  readonly pfnMkwrite: FnDef | null;
  /** ->pmd_fault, if the scheme has the PMD path. */
  readonly pmdFault?: FnDef;
  /**
   * How do_cow_fault drops what a page-less COW fault returned holding: v4.2's
   * i_mmap_unlock_read, v4.3's i_mmap_unlock_write (52a2b53ffde6), v4.7's
   * dax_unlock_mapping_entry (then `unlockEntry` is the function), or nothing.
   */
  readonly cowUnlock: { readonly kind: 'i_mmap_unlock_read' | 'i_mmap_unlock_write'; readonly lock: RwSem } | { readonly kind: 'dax_unlock_mapping_entry'; readonly unlockEntry: FnDef } | { readonly kind: 'none' };
}

/** The MM half of a fault: sets FAULT_FLAG_WRITE / cow_page and clears the fault's locals. */
export function enterFault(d: DaxWorld, write: boolean, cow: boolean): FnDef {
  const { L } = d;
  return fn('vmf', [
    step('set_flags', (k) => {
      k.set(L.write, write ? 1 : 0);
      k.set(L.cow, cow ? 1 : 0);
      k.set(L.ret, 0);
      k.set(L.page, 0);
      k.set(L.blk, 0);
      k.set(L.unwritten, 0);
      k.set(L.isNew, 0);
      k.set(L.major, 0);
      k.set(L.kaddr, 0);
      for (const l of d.extraFaultLocals) k.set(l, 0);
    }),
  ]);
}

/** Maps vmf->page read-only if the PTE is still none (do_set_pte under the PTL: pte_same). */
const mapReturnedPage = (d: DaxWorld): StepBody => (k) => {
  if (k.get(d.L.ret) !== R.LOCKED) return k.ret();
  if (k.pte(k.idx) === Pte.code.none) k.mapHolePage(k.idx, k.get(d.L.page));
};

/** do_read_fault: ->fault, then map a returned locked hole page read-only and unlock it. */
export function doReadFault(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  return fn('do_read_fault', [
    call(enterFault(d, false, false)),
    call(h.fault),
    step('do_set_pte', mapReturnedPage(d)),
    step('unlock_page', (k) => k.unlockPage(k.get(L.page))),
  ]);
}

/** do_shared_fault: ->fault with FAULT_FLAG_WRITE; DAX inserts the PTE itself and returns NOPAGE. */
export function doSharedFault(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  return fn('do_shared_fault', [
    call(enterFault(d, true, false)),
    call(h.fault),
    // A handler that returns a locked page on a write fault: generic code maps it and unlocks.
    step('check_locked', mapReturnedPage(d)),
    step('unlock_page', (k) => k.unlockPage(k.get(L.page))),
  ]);
}

/** do_cow_fault: ->fault fills cow_page; install the anonymous PTE, then drop what the fault held. */
export function doCowFault(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  const u = h.cowUnlock;
  // What the fault returned holding, when it returned no page.
  const dropHeld: StepBody =
    u.kind === 'i_mmap_unlock_read'
      ? (k) => k.upRead(u.lock)
      : u.kind === 'i_mmap_unlock_write'
        ? (k) => k.upWrite(u.lock)
        : u.kind === 'dax_unlock_mapping_entry'
          ? (k) => k.goto('dax_unlock_mapping_entry')
          : (k) => k.ret();
  const body = [
    call(enterFault(d, true, true)),
    call(h.fault),
    step('install_anon_pte', (k) => {
      const r = k.get(L.ret);
      if (r !== R.LOCKED && r !== R.DAX_LOCKED) return k.ret();
      // pte_same: the anonymous PTE goes in only if the slot is still empty.
      if (k.pte(k.idx) === Pte.code.none) k.mapAnon(k.idx);
    }),
    step('unlock', (k) => {
      if (k.get(L.page) !== 0) return k.unlockPage(k.get(L.page));
      return dropHeld(k);
    }),
    step('done', (k) => k.ret()),
  ];
  if (u.kind === 'dax_unlock_mapping_entry') body.push(call(u.unlockEntry, 'dax_unlock_mapping_entry'));
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
export function wpPageShared(d: DaxWorld, h: Handlers): FnDef {
  return fn('wp_page_shared', [call(enterFault(d, true, false)), call(h.pageMkwrite)]);
}

/** A user load at the thread's index: faults only when nothing is mapped. */
export function userLoad(d: DaxWorld, h: Handlers): FnDef {
  return fn('load', [step('access', (k) => (k.pte(k.idx) === Pte.code.none ? NEXT : k.ret())), call(doReadFault(d, h))]);
}

/**
 * A user store at the thread's index through a shared mapping, retried as the MM retries it:
 * no PTE -> write fault; read-only pfn -> pfn write fault; read-only hole page -> page_mkwrite;
 * writable -> the store lands in the block. A SIGBUS ends the store.
 */
export function userStore(d: DaxWorld, h: Handlers): FnDef {
  const { L } = d;
  const retry = (label: string) => step(label, (k) => (k.get(L.ret) === R.SIGBUS ? k.ret() : k.goto('access')));
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
    call(wpPageShared(d, h)),
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
  if (!h.pmdFault) throw new SpecError('this scheme has no PMD path (Handlers.pmdFault)');
  const { L } = d;
  return fn(write ? 'pmd store' : 'pmd load', [
    step('access', (k) => {
      const p = k.pte(k.idx);
      if (write ? p === Pte.code['pmd-pfn'] || p === Pte.code['rw-pfn'] : p !== Pte.code.none) return k.ret();
    }),
    call(enterFault(d, write, false)),
    call(h.pmdFault),
    step('fallback', (k) => (k.get(L.ret) === R.FALLBACK ? NEXT : k.ret())),
    call(write ? doSharedFault(d, h) : doReadFault(d, h)),
  ]);
}
