// The filesystem side of a DAX scheme, as parameters a scheme chooses: the get_block flavour
// (what allocation returns: a zeroed block or an unwritten extent, whether buffer_new is set, the
// lock and journal handle it takes), the fault wrapper with the filesystem's fault lock (ext2
// dax_sem, XFS MMAPLOCK, ext4 i_mmap_sem, or none), truncate, hole punch, write(2), freeze, and
// the jbd2 commit. Every choice is a fact of one filesystem at one commit, stated by the scheme
// that makes it; nothing here is a hidden flag.
// Sources: docs/kernel-facts.md ("get_block", "Truncate", "Hole punch", "write(2)", "Freeze",
// "jbd2"); fs/ext2/inode.c, fs/ext4/inode.c, fs/xfs/xfs_aops.c at the commits the schemes name.
import { SpecError } from '../core/errors';
import type { K } from '../model/kernel';
import { NEXT, call, fn, step, type CallDef, type FnDef, type StepDef } from '../model/paths';
import { BlockMap, type Journal, type LockDecl, type Mutex, type RwSem } from '../model/world';
import { dropLabel, lockStep, take, drop, takeLabel, unlockStep, type HeldLock } from './locking';
import { truncateInodePages } from './pagecache';
import { R, type DaxWorld } from './world';

/** What get_block(create=1) hands back for a hole. */
export type Allocation =
  /** The filesystem zeroes the block before it is visible and maps it written (ext2; XFS from v4.4; ext4 DAX faults from v4.5). */
  | 'zeroed'
  /** An unwritten extent whose block still holds old contents; the caller zeroes it and converts it (XFS before v4.4, ext4 v4.3-v4.4). */
  | 'unwritten'
  /** A written extent whose block still holds old contents, visible to every lookup at once; the caller zeroes it (ext4 v4.2's EXT4_GET_BLOCKS_CREATE). */
  | 'unzeroed';

export interface GetBlockOptions {
  /** The function as the filesystem names it: ext2_get_block, ext4_get_block, xfs_get_blocks_direct. */
  readonly name: string;
  /** The lock allocation takes (ext2 truncate_mutex, ext4 i_data_sem, XFS ILOCK), exclusive. */
  readonly lock: Mutex | RwSem;
  readonly allocate: Allocation;
  /**
   * When get_block sets buffer_new (a fact of the filesystem at that commit): on a block it
   * allocated ('allocated'), also on an existing unwritten extent asked for with create=1
   * ('allocated-or-unwritten': XFS before v4.4), or never (XFS v4.4 and ext4 v4.5 clear it: the
   * block is already zeroed). `true` / `false` mean 'allocated' / 'never'.
   */
  readonly bufferNew: boolean | 'allocated' | 'allocated-or-unwritten' | 'never';
  /**
   * What a lookup (create=0) reports for an unwritten extent: BH_Unwritten with the block
   * ('unwritten', ext4, and the default), or nothing, as for a hole ('hole': XFS's
   * __xfs_get_blocks "treat as if we're reading into a hole").
   */
  readonly lookupUnwritten?: 'unwritten' | 'hole';
  /**
   * A jbd2 handle get_block starts around the allocation itself (ext4 v4.2's _ext4_get_block with
   * create: ext4_journal_start ... ext4_journal_stop), outside `lock`.
   */
  readonly journal?: Journal;
  /** The allocation is a transaction that takes freeze protection (XFS: xfs_trans_alloc -> sb_start_intwrite). */
  readonly intwrite?: boolean;
}

/** A filesystem's get_block: the lookup (create=0), the allocation (create=1), and its lock. */
export interface GetBlock {
  readonly lookup: FnDef;
  readonly create: FnDef;
  /** The lock allocation and block freeing take. */
  readonly lock: LockDecl;
  readonly allocate: Allocation;
}

/** get_block for the thread's index: lookup and allocation, as `o` describes the filesystem. */
export function getBlock(d: DaxWorld, o: GetBlockOptions): GetBlock {
  const { L } = d;
  const newWhen = o.bufferNew === true ? 'allocated' : o.bufferNew === false ? 'never' : o.bufferNew;
  const hideUnwritten = o.lookupUnwritten === 'hole';
  const lookup = fn(o.name, [
    step('lookup', (k) => {
      const i = k.idx;
      const unwritten = k.mapState(i) === BlockMap.code.unwritten;
      k.set(L.blk, unwritten && hideUnwritten ? 0 : k.blockAt(i));
      k.set(L.unwritten, unwritten && !hideUnwritten ? 1 : 0);
      k.set(L.isNew, 0);
    }),
  ]);
  const allocate = step('allocate', (k) => {
    const i = k.idx;
    if (k.mapState(i) === BlockMap.code.hole) {
      const b = k.allocBlock(i, o.allocate);
      if (b === 0) return k.fail('BUG', 0, 'no free block (the configuration has too few blocks)');
      k.set(L.isNew, newWhen === 'never' ? 0 : 1);
    } else k.set(L.isNew, newWhen === 'allocated-or-unwritten' && k.mapState(i) === BlockMap.code.unwritten ? 1 : 0);
    k.set(L.blk, k.blockAt(i));
    k.set(L.unwritten, k.mapState(i) === BlockMap.code.unwritten ? 1 : 0);
  });
  let body: (StepDef | CallDef)[] = [lockStep(o.lock, 'write'), allocate, unlockStep(o.lock, 'write')];
  if (o.journal) body = [lockStep(o.journal, 'read'), ...body, unlockStep(o.journal, 'read')];
  if (o.intwrite) body = [step('sb_start_intwrite', (k) => k.sbStartIntwrite()), ...body, step('sb_end_intwrite', (k) => k.sbEndIntwrite())];
  return { lookup, create: fn(`${o.name}(create)`, body), lock: o.lock, allocate: o.allocate };
}

/**
 * A filesystem's complete_unwritten callback (XFS xfs_end_io_dax_write, ext4
 * ext4_end_io_unwritten): converts the thread's index from unwritten to written in a transaction
 * of its own (a jbd2 handle, or XFS's sb_start_intwrite) under the filesystem's block lock.
 */
export function completeUnwritten(d: DaxWorld, o: { name: string; lock: LockDecl; journal?: Journal; intwrite?: boolean }): FnDef {
  void d;
  let body: (StepDef | CallDef)[] = [lockStep(o.lock, 'write'), step('convert', (k) => k.convertUnwritten(k.idx)), unlockStep(o.lock, 'write')];
  if (o.journal) body = [lockStep(o.journal, 'read'), ...body, unlockStep(o.journal, 'read')];
  if (o.intwrite) body = [step('sb_start_intwrite', (k) => k.sbStartIntwrite()), ...body, step('sb_end_intwrite', (k) => k.sbEndIntwrite())];
  return fn(o.name, body);
}

/**
 * The filesystem's DAX fault wrapper (ext2_dax_fault, ext4_dax_fault, xfs_filemap_fault, and
 * their page_mkwrite / pmd_fault twins): on a write fault sb_start_pagefault and
 * file_update_time; the filesystem's fault lock, if it has one; the DAX fault; then release in
 * reverse. `lockFirst` takes the fault lock before the freeze protection (ext2's v1 posting).
 * `journal` starts a jbd2 handle around the DAX fault on write faults (ext4 from v4.3).
 */
export function faultWrapper(d: DaxWorld, name: string, inner: FnDef, o: { lock?: HeldLock | null; lockFirst?: boolean; journal?: Journal } = {}): FnDef {
  const { L } = d;
  const lock = o.lock ?? null;
  // sb_start_pagefault(sb); file_update_time(file): one step, since nothing between the two
  // calls is seen by another thread.
  const freezeIn = step('sb_start_pagefault', (k) => {
    if (!k.get(L.write)) return NEXT;
    const r = k.sbStartPagefault();
    if (r === NEXT) k.fileUpdateTime();
    return r;
  });
  // A handle only on a write fault: the step before it jumps over it on a read fault (see
  // takeLock below), and the stop is the kernel's `if (write) ext4_journal_stop(handle)`.
  const journalIn = o.journal ? [step(takeLabel(o.journal, 'read'), (k) => (k.get(L.write) ? k.journalStart(o.journal!) : NEXT))] : [];
  const journalOut = o.journal ? [step(`if (write) ${dropLabel(o.journal, 'read')}`, (k) => (k.get(L.write) ? k.journalStop(o.journal!) : NEXT))] : [];
  if (!lock) {
    return fn(
      name,
      [
        freezeIn,
        ...journalIn,
        call(inner),
        ...journalOut,
        step('sb_end_pagefault', (k) => {
          if (k.get(L.write)) return k.sbEndPagefault();
          return k.ret();
        }),
      ],
      { handler: true },
    );
  }
  // With a handle, a read fault goes from the fault lock straight to the DAX fault.
  const innerLabel = inner.name;
  const takeLock = o.journal && !o.lockFirst
    ? step(takeLabel(lock.lock, lock.mode), (k) => {
        const r = take(k, lock.lock, lock.mode);
        return r === NEXT && !k.get(L.write) ? k.goto(innerLabel) : r;
      })
    : lockStep(lock.lock, lock.mode);
  if (o.lockFirst) {
    return fn(
      name,
      [takeLock, freezeIn, ...journalIn, call(inner), ...journalOut, step('sb_end_pagefault', (k) => (k.get(L.write) ? k.sbEndPagefault() : NEXT)), unlockStep(lock.lock, lock.mode)],
      { handler: true },
    );
  }
  return fn(
    name,
    [
      freezeIn,
      takeLock,
      ...journalIn,
      call(inner),
      ...journalOut,
      // A read fault returns here: it took no freeze protection.
      step(dropLabel(lock.lock, lock.mode), (k) => {
        const r = drop(k, lock.lock, lock.mode);
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

/**
 * The filesystem's ->pfn_mkwrite: sb_start_pagefault and file_update_time, the fault lock if any
 * (shared), the i_size re-check if `recheck` ("check that the faulting page hasn't raced with
 * truncate": SIGBUS past EOF), `inner` if given (v4.7's dax_pfn_mkwrite), then release. With
 * neither lock nor re-check it is v4.1's dax_pfn_mkwrite (no fs lock, no i_size check).
 */
export function pfnMkwrite(d: DaxWorld, name: string, o: { lock?: HeldLock | null; recheck?: boolean; inner?: FnDef } = {}): FnDef {
  const { L } = d;
  const lock = o.lock ?? null;
  const after = lock ? dropLabel(lock.lock, lock.mode) : 'sb_end_pagefault';
  const body: (StepDef | CallDef)[] = [
    step('sb_start_pagefault', (k) => {
      const r = k.sbStartPagefault();
      if (r === NEXT) k.fileUpdateTime();
      return r;
    }),
  ];
  if (lock) body.push(lockStep(lock.lock, lock.mode));
  if (o.recheck) {
    body.push(
      step('check_size', (k) => {
        if (k.idx >= k.iSize()) {
          k.set(L.ret, R.SIGBUS);
          return k.goto(after);
        }
        k.set(L.ret, R.NOPAGE);
      }),
    );
  }
  if (o.inner) body.push(call(o.inner));
  if (lock) body.push(unlockStep(lock.lock, lock.mode));
  body.push(step('sb_end_pagefault', (k) => k.sbEndPagefault()));
  return fn(name, body, { handler: true });
}

/**
 * Frees the blocks from the thread's `size` argument to EOF under the filesystem's block lock
 * (ext2 __ext2_truncate_blocks under truncate_mutex; XFS xfs_itruncate_extents under ILOCK;
 * ext4 ext4_truncate under i_data_sem), inside a jbd2 handle if `journal` is given.
 */
export function truncateBlocks(d: DaxWorld, o: { name: string; lock: LockDecl; journal?: Journal; heldByCaller?: boolean }): FnDef {
  void d;
  const free = step('free_blocks', (k) => {
    // The filesystems WARN or BUG when their block lock is not held here.
    if (!k.holds(o.lock)) return k.fail('BUG', 2, `${o.name} without ${o.lock.name}`);
    for (let i = k.arg('size'); i < k.N; i++) k.freeBlockAt(i);
  });
  const inner = o.heldByCaller ? [free] : [lockStep(o.lock, 'write'), free, unlockStep(o.lock, 'write')];
  const body = o.journal ? [lockStep(o.journal, 'read'), ...inner, unlockStep(o.journal, 'read')] : inner;
  return fn(o.name, body);
}

/**
 * truncate(2) shrinking the file to the thread's `size` argument (do_truncate -> notify_change ->
 * ->setattr): sb_start_write, i_mutex, then the filesystem's `body` (its locks, truncate_setsize,
 * freeing the blocks), i_mutex and sb_end_write released. A whole-file handler.
 */
export function truncate(d: DaxWorld, body: readonly (StepDef | CallDef)[]): FnDef {
  return fn(
    'truncate',
    [
      step('sb_start_write', (k) => k.sbStartWrite()),
      step('mutex_lock(i_mutex)', (k) => k.lock(d.iMutex)),
      ...body,
      step('mutex_unlock(i_mutex)', (k) => k.unlock(d.iMutex)),
      step('sb_end_write', (k) => k.sbEndWrite()),
    ],
    { wholeFile: true },
  );
}

/** Steps that take `locks` in order, then `body`, then drop them in reverse. */
export function holding(locks: readonly HeldLock[], body: readonly (StepDef | CallDef)[]): (StepDef | CallDef)[] {
  return [...locks.map((l) => lockStep(l.lock, l.mode)), ...body, ...[...locks].reverse().map((l) => unlockStep(l.lock, l.mode))];
}

/**
 * A hole punch at the thread's index, i_size unchanged: the filesystem's `locks` in order (i_mutex;
 * XFS IOLOCK_EXCL + MMAPLOCK_EXCL; ext4 i_mmap_sem from v4.5), truncate_pagecache_range, then the
 * blocks freed (`remove`: its label, the block lock, a jbd2 handle around it), released in reverse.
 */
export function punchHole(
  d: DaxWorld,
  o: { name: string; locks: readonly HeldLock[]; pagecache: FnDef; remove: { label: string; lock: LockDecl; journal?: Journal } },
): FnDef {
  const removal = [lockStep(o.remove.lock, 'write'), step(o.remove.label, (k) => k.freeBlockAt(k.idx)), unlockStep(o.remove.lock, 'write')];
  const removeSteps = o.remove.journal ? [lockStep(o.remove.journal, 'read'), ...removal, unlockStep(o.remove.journal, 'read')] : removal;
  return fn(o.name, holding(o.locks, [call(o.pagecache), ...removeSteps]), { handler: true });
}

/**
 * write(2) of one whole page at the thread's index on a DAX file (generic_file_direct_write
 * around dax_do_io): sb_start_write, the filesystem's `locks` (i_mutex; XFS IOLOCK), invalidate
 * the page cache of the range, get_block(create), copy through the kernel mapping (converting an
 * unwritten extent), invalidate again. [U] The v4.2-v4.7 write paths differ in detail between
 * filesystems; docs/kernel-facts.md "write(2)" says what each scheme assumes.
 */
export function writeSyscall(d: DaxWorld, gb: GetBlock, o: { locks?: readonly HeldLock[] } = {}): FnDef {
  const { L } = d;
  const locks = o.locks ?? [{ lock: d.iMutex, mode: 'write' as const }];
  return fn(
    'write',
    [
      step('sb_start_write', (k) => k.sbStartWrite()),
      ...holding(locks, [
        call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
        call(gb.create),
        step('dax_io_copy', (k) => {
          // The page is written whole through the kernel mapping; an unwritten extent is converted.
          const b = k.get(L.blk);
          if (b === 0) return k.fail('BUG', 0, 'write(2) got no block');
          k.kernelStore(k.idx, b);
          if (k.get(L.unwritten)) k.convertUnwritten(k.idx);
        }),
        call(truncateInodePages(d, 'index'), 'invalidate_inode_pages2_range'),
      ]),
      step('sb_end_write', (k) => k.sbEndWrite()),
    ],
    { handler: true },
  );
}

/** freeze_super (each level for write, in order), then thaw_super unless the filesystem stays frozen. */
export function freezeThaw(d: DaxWorld, thaw: boolean): FnDef {
  const f = d.sb;
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

/**
 * The jbd2 commit of the running transaction (kjournald2: jbd2_journal_commit_transaction): it
 * locks the transaction, waits for every handle to stop (new handles wait meanwhile), commits,
 * and lets handles start again. With it in a configuration, a thread that waits for a page lock
 * while holding a handle can stall a handle start behind the commit: the inversion of "page lock
 * -> transaction start" becomes a reachable deadlock.
 */
export function journalCommit(journal: Journal): FnDef {
  return fn('jbd2_journal_commit_transaction', [
    step('T_LOCKED: wait for t_updates == 0', (k) => k.journalLockUpdates(journal)),
    step('T_FLUSH: commit, unlock', (k) => k.journalUnlockUpdates(journal)),
  ]);
}

/** A step that takes `l` and then runs `then` in the same atomic step (rarely needed). */
export function takeThen(l: LockDecl, mode: 'read' | 'write', then: (k: K) => void): StepDef {
  return step(takeLabel(l, mode), (k) => {
    const r = take(k, l, mode);
    if (r === NEXT) then(k);
    return r;
  });
}

/** Refuses a lock that is not of the kind a filesystem part needs, when the scheme is built. */
export function requireKind(l: LockDecl, kinds: readonly LockDecl['kind'][], what: string): void {
  if (!kinds.includes(l.kind)) throw new SpecError(`${what} needs a ${kinds.join(' or ')}; ${l.name} is a ${l.kind}`);
}
