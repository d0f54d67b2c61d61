// The world every DAX scheme starts from: one file on persistent memory (World), the VFS locks
// every filesystem has (i_mutex, mapping->i_mmap_rwsem, the superblock's freeze levels), and
// the thread-local variables the kernel's fault code passes around (the vm_fault fields, the
// buffer_head get_block fills in, a loop cursor). Filesystem locks are declared by the scheme.
// Not the engine, and nothing here knows a scheme.
import { SpecError } from '../core/errors';
import { World, type BlockState, type FreezeLevels, type LocalKind, type Local, type Mutex, type RwSem } from '../model/world';

/**
 * What a ->fault handler returns (VM_FAULT_*), kept in the thread-local `ret`: NOPAGE (the
 * handler mapped the page itself), LOCKED (vmf->page is a locked page for the MM to map),
 * SIGBUS (also the EIO of a fault that raced with truncate), FALLBACK (a PMD fault asks for PTE
 * faults), DAX_LOCKED (v4.7: a COW fault returns holding the DAX entry lock), RETRY.
 */
export const R = { NOPAGE: 0, LOCKED: 1, SIGBUS: 2, FALLBACK: 3, DAX_LOCKED: 4, RETRY: 5 } as const;
export type FaultResult = (typeof R)[keyof typeof R];

/** The thread-local variables of the kernel paths: the vm_fault, the buffer_head, a cursor. */
export interface FaultLocals {
  /** vmf->page / the hole page a path holds (0: NULL). */
  readonly page: Local;
  /** The block get_block mapped (bh->b_blocknr); 0 for a hole. */
  readonly blk: Local;
  /** buffer_unwritten(bh). */
  readonly unwritten: Local;
  /** buffer_new(bh): this get_block call allocated the block (if the filesystem says so). */
  readonly isNew: Local;
  /** VM_FAULT_MAJOR: this fault allocated. */
  readonly major: Local;
  /** FAULT_FLAG_WRITE of the fault in progress. */
  readonly write: Local;
  /** vmf->cow_page is set (a private write fault). */
  readonly cow: Local;
  /** The handler's return code (R). */
  readonly ret: Local;
  /** A loop cursor (truncate_inode_pages walks indices). */
  readonly cursor: Local;
  /** The kernel address of the block (`kaddr` from bdev_direct_access); 0 = not set. */
  readonly kaddr: Local;
}

export type Fs = 'ext2' | 'ext4' | 'xfs';

export interface DaxWorldOptions {
  /** Page indices of the file: 0..indices-1 (1..8). */
  readonly indices: number;
  /** Persistent-memory blocks B1..Bn. */
  readonly blocks: number;
  /** Processes (each an mm with its own page tables), in order. */
  readonly processes: readonly string[];
  /** i_size in pages. */
  readonly iSize: number;
  /** The block map per index at the start (default: every index a hole). */
  readonly initialMap?: readonly BlockState[];
  /** Hole pages that can exist over the run (default: indices + 8, one per index and one per thread at most). */
  readonly pages?: number;
}

/** A DAX world: the World plus the VFS objects and fault locals every scheme uses. */
export interface DaxWorld {
  readonly w: World;
  /** The fault locals (vm_fault fields, buffer_head, cursor). */
  readonly L: FaultLocals;
  /** inode->i_mutex (i_rwsem from v4.7): truncate and write(2) take it; faults never do. */
  readonly iMutex: Mutex;
  /** mapping->i_mmap_rwsem: unmap_mapping_range takes it for write. */
  readonly iMmap: RwSem;
  /** The superblock's freeze levels (sb_start_write, sb_start_pagefault, freeze_super). */
  readonly sb: FreezeLevels;
  /**
   * Locals the fault entry resets, beyond FaultLocals: a scheme that keeps state across one
   * fault (a ghost such as "this fault holds i_mmap_rwsem(w)") declares it with faultLocal().
   */
  readonly extraFaultLocals: readonly Local[];
  /** Declares a thread-local reset at every fault entry (see extraFaultLocals); a ghost is shown only on request. */
  faultLocal(name: string, kind?: LocalKind, max?: number, o?: { ghost?: boolean }): Local;
}

/** Builds a DAX world: the file, i_mutex, i_mmap_rwsem, the freeze levels and the fault locals. */
export function daxWorld(o: DaxWorldOptions): DaxWorld {
  if (!o || typeof o !== 'object') throw new SpecError('daxWorld needs its options: { indices, blocks, processes, iSize }');
  const w = new World({ ...o, pages: o.pages ?? 4 });
  const iMutex = w.mutex('i_mutex');
  const iMmap = w.rwsem('i_mmap_rwsem');
  const sb = w.freeze();
  const L: FaultLocals = {
    page: w.local('page', 'page'),
    blk: w.local('bh', 'block'),
    unwritten: w.local('unwritten', 'bool'),
    isNew: w.local('new', 'bool'),
    major: w.local('major', 'bool'),
    write: w.local('write', 'bool'),
    cow: w.local('cow', 'bool'),
    ret: w.local('ret', 'int', 5, { values: ['0', 'VM_FAULT_LOCKED', 'VM_FAULT_SIGBUS', 'VM_FAULT_FALLBACK', 'VM_FAULT_DAX_LOCKED', 'VM_FAULT_RETRY'] }),
    cursor: w.local('cursor', 'int', 8),
    kaddr: w.local('kaddr', 'block'),
  };
  const extra: Local[] = [];
  return {
    w,
    L,
    iMutex,
    iMmap,
    sb,
    extraFaultLocals: extra,
    faultLocal(name, kind = 'bool', max = 15, o = {}) {
      const l = w.local(name, kind, max, o.ghost ? { ghost: true } : {});
      extra.push(l);
      return l;
    },
  };
}
