// The world a DAX locking spec runs in: one file's page indices, the block map and free blocks,
// radix-tree slots (hole pages, locked empty entries, DAX entries with a lock bit and a FIFO wait
// queue), per-process PTEs, i_size, freeze levels, the kernel locks a scheme declares, and the
// threads with their code paths and thread-local variables. World is the builder a scheme file
// uses; compile() lays the world out as a packed state and returns an engine Spec.
import { SpecError } from '../core/errors';
import { arrayOf, bool, defineLayout, enumOf, intRange, recordOf, type Layout, type VarType } from '../core/layout';
import type { Property } from '../core/spec';
import { SourcePlace, type FnDef } from './paths';

export const MAX_THREADS = 8;

export const LockKind = { mutex: 'mutex', rwsem: 'rwsem', spinlock: 'spinlock', journal: 'journal' } as const;
export type LockKind = (typeof LockKind)[keyof typeof LockKind];

interface LockOf<K extends LockKind> {
  readonly id: number;
  readonly name: string;
  readonly kind: K;
  /**
   * The lock class lockdep files it under (default: its name). Two instances of one class (the
   * dax_sem of two inodes) are separate locks with one class: an order between them is an
   * order between the class and itself, as lockdep sees it.
   */
  readonly lockClass: string;
}

/** Options of a declared lock. */
export interface LockOptions {
  /** The lock class (default: the lock's name); see LockOf.lockClass. */
  readonly lockClass?: string;
}
/** A mutex: k.lock / k.unlock. */
export type Mutex = LockOf<'mutex'>;
/** A spinlock: k.lock / k.unlock (it never sleeps, but in the model waiting is the same). */
export type SpinLock = LockOf<'spinlock'>;
/** A read-write semaphore: k.downRead / k.downWrite / k.upRead / k.upWrite. */
export type RwSem = LockOf<'rwsem'>;
/**
 * A jbd2 journal: a handle (k.journalStart / k.journalStop) holds the running transaction open,
 * as a reader; the commit (k.journalLockUpdates / k.journalUnlockUpdates) waits for every
 * handle to stop and keeps new ones out meanwhile, as a writer. lockdep calls the class
 * `jbd2_handle`.
 */
export type Journal = LockOf<'journal'>;
/** A declared lock. Page and entry locks are built in. */
export type LockDecl = Mutex | SpinLock | RwSem | Journal;

/**
 * A lock order a subsystem documents (ext4's "i_mmap_sem -> transaction start -> page lock ->
 * i_data_sem"): lock class names, outermost first, and where it is written. The lock-order view
 * reports every explored acquisition that goes against it.
 */
export interface DocumentedOrder {
  readonly classes: readonly string[];
  readonly source: string;
  /** Where World.documentOrder was called (file:line), for an error about a name in it. */
  readonly where?: SourcePlace;
}

export type LocalKind = 'int' | 'bool' | 'page' | 'block';

/** A thread-local variable (the `page` pointer, `major`, `held`, `kaddr`). */
export interface Local {
  readonly id: number;
  readonly name: string;
  readonly kind: LocalKind;
  readonly max: number;
  /** Names of an int local's values, for traces (`ret`: 1 is VM_FAULT_LOCKED). */
  readonly values?: readonly string[];
  /** Bookkeeping for a property, not a variable of the kernel code: traces mark it as a ghost. */
  readonly ghost?: boolean;
}

export interface LocalOptions {
  readonly values?: readonly string[];
  readonly ghost?: boolean;
}

export interface ThreadDecl {
  readonly name: string;
  readonly process: string;
  readonly index: number;
  readonly path: FnDef;
  /** Small named integer arguments for the path (e.g. the new size of a truncate). */
  readonly args: Readonly<Record<string, number>>;
  /**
   * A thread whose path loops for ever (a reader that keeps faulting, a thread that keeps
   * unmapping): it never returns, and "every fault returns" leaves it out (src/model/liveness.ts).
   */
  readonly forever?: boolean;
}

export type BlockState = 'hole' | 'unwritten' | 'written';

/** The superblock's freeze levels (percpu rwsems): sb_writers[WRITE], [PAGEFAULT], [FS]. */
export interface FreezeLevels {
  readonly write: RwSem;
  readonly pagefault: RwSem;
  readonly fs: RwSem;
}

export interface WorldOptions {
  /** Page indices of the one file: 0..indices-1. */
  readonly indices: number;
  /** Persistent-memory blocks 1..blocks. */
  readonly blocks: number;
  /** Processes (each an mm with its own page tables). */
  readonly processes: readonly string[];
  /** Initial i_size, in pages. */
  readonly iSize: number;
  /** Initial block map per index (default: every index a hole). Allocated blocks take ids 1, 2, ... */
  readonly initialMap?: readonly BlockState[];
  /** Hole pages that can be created over the run (default: indices + 8, one per index and one per thread at most). */
  readonly pages?: number;
}

// Enumerations shared by the kernel context, properties and renderers.
export const Status = enumOf('running', 'returned', 'failed');
export const ErrKind = enumOf('none', 'lock misuse', 'NULL dereference', 'BUG');
/**
 * errInfo of a lock misuse: the lock's id for mutex_unlock, spin_unlock or up_write;
 * MISUSE_PAGE + p for unlock_page(Hp); MISUSE_READ + the lock's id for up_read.
 */
export const MISUSE_PAGE = 64;
export const MISUSE_READ = 128;

/** How the releasing thread held the lock it released wrongly, and who else held it. */
export interface MisuseFacts {
  readonly held: 'write' | 'read' | 'no';
  /** The other holders, when the thread holds nothing: "T2", "T1 and T2 for read". */
  readonly others?: string;
}

/**
 * A lock misuse in words, one text for the step's note and the error state's words:
 * "up_read(dax_sem) by T3, which holds it for write"; "mutex_unlock(m) by T1, which does not
 * hold it (held by T2)".
 */
export function misuseText(op: string, what: string, who: string, f: MisuseFacts): string {
  const how = f.held === 'no' ? `which does not hold it${f.others ? ` (held by ${f.others})` : ''}` : `which holds it for ${f.held}`;
  return `${op}(${what}) by ${who}, ${how}`;
}

/**
 * The words of lock misuse `info` (see MISUSE_READ) by thread `t` (from 0), from the state as
 * `r` reads it (the kernel's live state, or an error state: a misuse releases nothing).
 */
export function misuseWords(world: World, off: Offsets, r: (at: number) => number, t: number, info: number): string {
  const name = (tid: number): string => world.threads[tid]?.name ?? `thread ${tid + 1}`;
  const who = name(t);
  if (info > MISUSE_PAGE && info < MISUSE_READ) {
    const owner = r(off.pageOwner + info - MISUSE_PAGE - 1);
    return misuseText('unlock_page', `H${info - MISUSE_PAGE}`, who, { held: 'no', ...(owner ? { others: name(owner - 1) } : {}) });
  }
  const read = info >= MISUSE_READ;
  const l = world.locks[read ? info - MISUSE_READ : info];
  if (!l) return `a lock release by ${who}`;
  const owner = r(off.lockOwner + l.id);
  const readers = l.kind === 'rwsem' ? r(off.lockReaders + l.id) : 0;
  const held = owner === t + 1 ? 'write' : readers & (1 << t) ? 'read' : 'no';
  const readerNames = world.threads.map((_, k) => k).filter((k) => readers & (1 << k)).map(name);
  const others = owner ? `${name(owner - 1)}${l.kind === 'rwsem' ? ' for write' : ''}` : readerNames.length > 0 ? `${readerNames.join(' and ')} for read` : undefined;
  const op = read ? 'up_read' : l.kind === 'rwsem' ? 'up_write' : l.kind === 'spinlock' ? 'spin_unlock' : 'mutex_unlock';
  return misuseText(op, l.name, who, { held, ...(held === 'no' && others ? { others } : {}) });
}
export const BlockMap = enumOf('hole', 'unwritten', 'written');
export const BlockUse = enumOf('free', 'allocated');
export const PageState = enumOf('free', 'cached', 'detached');
export const Slot = enumOf('empty', 'page', 'locked-empty', 'dax');
export const Pte = enumOf('none', 'ro-hole', 'ro-pfn', 'rw-pfn', 'anon', 'huge-zero', 'pmd-pfn');
/** Block contents: 0 never initialised, 1 zeroes, 2+ data stored by thread (value - 2). */
export const DATA_GARBAGE = 0;
export const DATA_ZERO = 1;

/** waitOn codes: 0 none; 1..63 queued as a writer on declared rwsem (code-1); 64+i asleep on entry(i)'s wait queue. */
export const WAIT_WQ = 64;

export interface Offsets {
  readonly err: number;
  readonly errThread: number;
  readonly errInfo: number;
  readonly iSize: number;
  readonly truncated: number;
  readonly vNoTime: number;
  readonly vFrozenWritable: number;
  readonly vFrozenStore: number;
  readonly lockOwner: number; // + lock id
  readonly lockReaders: number; // + lock id
  readonly thread: number; // + t * threadWidth
  readonly threadWidth: number;
  readonly tPc: 0;
  readonly tStatus: 1;
  readonly tWait: 2;
  readonly tTime: 3;
  readonly tLocals: 4;
  readonly pageState: number; // + p-1
  readonly pageIndex: number;
  readonly pageOwner: number;
  readonly bm: number; // + i
  readonly blk: number;
  readonly slot: number;
  readonly slotPage: number;
  readonly entryLocked: number;
  readonly entryOwner: number;
  readonly wq: number; // + i * T + k
  readonly stored: number;
  readonly blockUse: number; // + b-1
  readonly blockData: number;
  readonly pte: number; // + m * N + i
  readonly pteRef: number;
}

export class World {
  readonly locks: LockDecl[] = [];
  readonly documentedOrders: DocumentedOrder[] = [];
  readonly locals: Local[] = [];
  readonly threads: ThreadDecl[] = [];
  readonly properties: Property[] = [];
  private freezeLevels: FreezeLevels | undefined;

  constructor(readonly opts: WorldOptions) {
    if (opts.indices < 1 || opts.indices > 8) throw new SpecError(`indices must be 1..8, got ${opts.indices}`);
    if (opts.blocks < 0 || opts.blocks > 16) throw new SpecError(`blocks must be 0..16, got ${opts.blocks}`);
    // A lock misuse's errInfo names a hole page as MISUSE_PAGE + p, below MISUSE_READ.
    if (opts.pages !== undefined && !(Number.isInteger(opts.pages) && opts.pages >= 1 && opts.pages < MISUSE_READ - MISUSE_PAGE)) {
      throw new SpecError(`pages must be 1..${MISUSE_READ - MISUSE_PAGE - 1}, got ${opts.pages}`);
    }
    if (opts.processes.length < 1 || opts.processes.length > 8) throw new SpecError('a world needs 1..8 processes');
    if (opts.iSize < 0 || opts.iSize > opts.indices) throw new SpecError(`i_size must be 0..${opts.indices} pages`);
    if (opts.initialMap && opts.initialMap.length !== opts.indices) throw new SpecError('initialMap needs one entry per index');
  }

  get indices(): number {
    return this.opts.indices;
  }

  private addLock<Kd extends LockKind>(name: string, kind: Kd, o: LockOptions = {}): LockOf<Kd> {
    if (typeof name !== 'string' || name === '') throw new SpecError(`a ${kind} needs a name`);
    const lockClass = o.lockClass ?? name;
    for (const n of [name, lockClass]) {
      if (n === 'page lock' || n === 'entry lock') throw new SpecError(`'${n}' is a built-in lock class; name the ${kind} otherwise`);
    }
    if (this.locks.some((l) => l.name === name)) throw new SpecError(`two locks are named ${name}`);
    const sameClass = this.locks.find((l) => l.lockClass === lockClass);
    if (sameClass && sameClass.kind !== kind) throw new SpecError(`lock class ${lockClass} has a ${sameClass.kind} (${sameClass.name}) and a ${kind} (${name})`);
    if (this.locks.length >= 60) throw new SpecError('at most 60 declared locks');
    const l = { id: this.locks.length, name, kind, lockClass };
    this.locks.push(l as LockDecl);
    return l;
  }

  mutex(name: string, o?: LockOptions): Mutex {
    return this.addLock(name, 'mutex', o);
  }

  rwsem(name: string, o?: LockOptions): RwSem {
    return this.addLock(name, 'rwsem', o);
  }

  spinlock(name: string, o?: LockOptions): SpinLock {
    return this.addLock(name, 'spinlock', o);
  }

  /** A jbd2 journal (see Journal); lockdep calls its class jbd2_handle. */
  journal(name = 'jbd2_handle', o?: LockOptions): Journal {
    return this.addLock(name, 'journal', o);
  }

  /**
   * The lock classes, for the lock-order view: the declared locks' classes in declaration order,
   * then the built-in 'page lock' and 'entry lock'; and each declared lock's class index.
   */
  lockClasses(): { readonly names: readonly string[]; readonly classOf: readonly number[] } {
    const names: string[] = [];
    const classOf = this.locks.map((l) => {
      let c = names.indexOf(l.lockClass);
      if (c < 0) c = names.push(l.lockClass) - 1;
      return c;
    });
    names.push('page lock', 'entry lock');
    return { names, classOf };
  }

  /** The declared lock named `name`, or undefined. */
  lockNamed(name: string): LockDecl | undefined {
    return this.locks.find((l) => l.name === name);
  }

  /**
   * Records a documented lock order (class names outermost first: declared locks by name, and
   * the built-in classes 'page lock' and 'entry lock'); the lock-order view reports every
   * acquisition against it. Names must be declared by the time the world is compiled.
   */
  documentOrder(classes: readonly string[], source: string): void {
    if (classes.length < 2) throw new SpecError('a documented lock order needs at least two lock classes');
    if (new Set(classes).size !== classes.length) throw new SpecError(`a documented lock order names a class twice: ${classes.join(' -> ')}`);
    this.documentedOrders.push({ classes: [...classes], source, where: new SourcePlace(this.documentOrder) });
  }

  /**
   * The superblock freeze levels as Linux has them: percpu rwsems taken for read by
   * sb_start_write / sb_start_pagefault / sb_start_intwrite and for write, level by level, by
   * freeze_super. A new reader blocks once freeze_super waits on its level.
   */
  freeze(): FreezeLevels {
    if (!this.freezeLevels) {
      this.freezeLevels = {
        write: this.addLock('sb_writers[WRITE]', 'rwsem'),
        pagefault: this.addLock('sb_writers[PAGEFAULT]', 'rwsem'),
        fs: this.addLock('sb_writers[FS]', 'rwsem'),
      };
    }
    return this.freezeLevels;
  }

  get freezeLocks(): FreezeLevels | undefined {
    return this.freezeLevels;
  }

  local(name: string, kind: LocalKind = 'int', max = 15, o: LocalOptions = {}): Local {
    if (this.locals.some((l) => l.name === name)) throw new SpecError(`two thread-local variables are named ${name}`);
    const m = kind === 'bool' ? 1 : kind === 'page' ? this.pageCount : kind === 'block' ? this.opts.blocks : max;
    if (o.values && (kind !== 'int' || o.values.length !== m + 1)) throw new SpecError(`local ${name}: values names each of 0..${m} of an int local`);
    const l = { id: this.locals.length, name, kind, max: m, ...(o.values ? { values: o.values } : {}), ...(o.ghost ? { ghost: true } : {}) };
    this.locals.push(l);
    return l;
  }

  thread(name: string, t: { process: string; index?: number; path: FnDef; args?: Record<string, number>; forever?: boolean }): ThreadDecl {
    if (this.threads.length >= MAX_THREADS) throw new SpecError(`at most ${MAX_THREADS} threads`);
    if (this.threads.some((d) => d.name === name)) throw new SpecError(`two threads are named '${name}' (each thread needs its own name)`);
    if (!this.opts.processes.includes(t.process)) throw new SpecError(`thread ${name}: no process ${t.process}`);
    const index = t.index ?? 0;
    if (index < 0 || index >= this.opts.indices) throw new SpecError(`thread ${name}: index ${index} is outside 0..${this.opts.indices - 1}`);
    const d = { name, process: t.process, index, path: t.path, args: t.args ?? {}, ...(t.forever ? { forever: true } : {}) };
    this.threads.push(d);
    return d;
  }

  property(p: Property): void {
    this.properties.push(p);
  }

  get pageCount(): number {
    return this.opts.pages ?? this.opts.indices + MAX_THREADS;
  }

  /** Lays the world out as variables; threads must all be declared. */
  layout(): { layout: Layout; off: Offsets } {
    const T = this.threads.length;
    if (T === 0) throw new SpecError('a world needs at least one thread');
    const N = this.opts.indices;
    const B = this.opts.blocks;
    const P = this.pageCount;
    const M = this.opts.processes.length;
    const L = this.locks.length;
    const threadNames = this.threads.map((t) => t.name);
    const tid = intRange(0, T); // 0 none, t+1 thread t
    const locals: Record<string, VarType> = {};
    for (const l of this.locals) locals[l.name] = l.kind === 'bool' ? bool : intRange(0, l.max);
    const vars = {
      err: ErrKind,
      errThread: tid,
      errInfo: intRange(0, 255),
      i_size: intRange(0, N),
      truncated: bool,
      ghostWritableWithoutTimeUpdate: bool,
      ghostWritableWhileFrozen: bool,
      ghostStoreWhileFrozen: bool,
      lockOwner: arrayOf(L, tid, this.locks.map((l) => l.name)),
      lockReaders: arrayOf(L, intRange(0, 255), this.locks.map((l) => l.name)),
      threads: arrayOf(
        T,
        recordOf({ pc: intRange(0, 255), status: Status, waitOn: intRange(0, 255), timeUpdated: bool, ...locals }),
        threadNames,
      ),
      pageState: arrayOf(P, PageState, pageNames(P)),
      pageIndex: arrayOf(P, intRange(0, N - 1), pageNames(P)),
      pageLock: arrayOf(P, tid, pageNames(P)),
      blockMap: arrayOf(N, BlockMap),
      blockOf: arrayOf(N, intRange(0, B)),
      slot: arrayOf(N, Slot),
      slotPage: arrayOf(N, intRange(0, P)),
      entryLocked: arrayOf(N, bool),
      entryOwner: arrayOf(N, tid),
      waitQueue: arrayOf(N, arrayOf(T, tid)),
      stored: arrayOf(N, intRange(0, T + 1)),
      blockUse: arrayOf(B, BlockUse, blockNames(B)),
      blockData: arrayOf(B, intRange(0, T + 1), blockNames(B)),
      pte: arrayOf(M, arrayOf(N, Pte), this.opts.processes),
      pteRef: arrayOf(M, arrayOf(N, intRange(0, Math.max(P, B))), this.opts.processes),
    };
    const layout = defineLayout(vars);
    const at = layout.at;
    const off: Offsets = {
      err: at.err,
      errThread: at.errThread,
      errInfo: at.errInfo,
      iSize: at.i_size,
      truncated: at.truncated,
      vNoTime: at.ghostWritableWithoutTimeUpdate,
      vFrozenWritable: at.ghostWritableWhileFrozen,
      vFrozenStore: at.ghostStoreWhileFrozen,
      lockOwner: at.lockOwner,
      lockReaders: at.lockReaders,
      thread: at.threads,
      threadWidth: 4 + this.locals.length,
      tPc: 0,
      tStatus: 1,
      tWait: 2,
      tTime: 3,
      tLocals: 4,
      pageState: at.pageState,
      pageIndex: at.pageIndex,
      pageOwner: at.pageLock,
      bm: at.blockMap,
      blk: at.blockOf,
      slot: at.slot,
      slotPage: at.slotPage,
      entryLocked: at.entryLocked,
      entryOwner: at.entryOwner,
      wq: at.waitQueue,
      stored: at.stored,
      blockUse: at.blockUse,
      blockData: at.blockData,
      pte: at.pte,
      pteRef: at.pteRef,
    };
    return { layout, off };
  }

  /** The initial state: every thread at pc 0, the block map as configured, nothing mapped. */
  initialState(layout: Layout, off: Offsets): Float64Array {
    const s = layout.blank();
    s[off.iSize] = this.opts.iSize;
    const map = this.opts.initialMap ?? [];
    let nextBlock = 1;
    for (let i = 0; i < this.opts.indices; i++) {
      const st = map[i] ?? 'hole';
      if (st === 'hole') continue;
      if (nextBlock > this.opts.blocks) throw new SpecError('initialMap allocates more blocks than the world has');
      s[off.bm + i] = BlockMap.code[st];
      s[off.blk + i] = nextBlock;
      s[off.blockUse + nextBlock - 1] = BlockUse.code.allocated;
      s[off.blockData + nextBlock - 1] = DATA_ZERO;
      nextBlock++;
    }
    return s;
  }
}

export function pageNames(P: number): string[] {
  return Array.from({ length: P }, (_, i) => `H${i + 1}`);
}

export function blockNames(B: number): string[] {
  return Array.from({ length: B }, (_, i) => `B${i + 1}`);
}
