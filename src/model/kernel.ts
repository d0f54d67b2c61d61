// The kernel context a step runs with: `k` in `step('lock_page', k => k.lockPage(k.get(page)))`.
// It reads and writes the packed state of one thread's world in place (the successor vector),
// with Linux semantics for locks and wait queues, and the abstract pmem page model. Blocking is
// a disabled step (BLOCK), never a busy loop. Errors (lock misuse, NULL dereference) become
// error states. When `notes` is set (replay) every operation records a lock or page event.
import { SpecError, SpecMistake } from '../core/errors';
import type { StepNote } from '../core/spec';
import type { WriteLog } from '../core/compiled';
import type { State } from '../core/layout';
import { BLOCK, EXIT, FAILED, JUMP, NEXT, RET, STAY, type Control, type FlatStep } from './paths';
import {
  BlockMap,
  BlockUse,
  DATA_GARBAGE,
  DATA_ZERO,
  ErrKind,
  MISUSE_PAGE,
  MISUSE_READ,
  misuseWords,
  PageState,
  Pte,
  Slot,
  Status,
  WAIT_WQ,
  type Journal,
  type LockDecl,
  type Local,
  type Mutex,
  type RwSem,
  type SpinLock,
  type Offsets,
  type ThreadDecl,
  type World,
} from './world';

/** What a blocked step waits for, found by probing it (for the wait-for graph). */
export type BlockedOn =
  | { readonly kind: 'lock'; readonly lock: number; readonly write: boolean }
  | { readonly kind: 'page'; readonly page: number }
  | { readonly kind: 'entry'; readonly index: number }
  | { readonly kind: 'wakeup'; readonly index: number }
  | { readonly kind: 'cond'; readonly what: string };

/** K's record of what a blocked step waits for (BlockedOn's kinds; 0: nothing). */
const BLOCKED_LOCK = 1;
const BLOCKED_PAGE = 2;
const BLOCKED_ENTRY = 3;
const BLOCKED_WAKEUP = 4;
const BLOCKED_COND = 5;

/** The lock a KernelHook is asked about when it is a hole page's lock (declared locks go by id). */
export const PAGE_LOCK = -1;

/** What a KernelHook answers for a wake-up: as written, or one / all / nobody instead. */
export const WAKE_AS_WRITTEN = 0;
export const WAKE_ONE = 1;
export const WAKE_ALL = 2;
export const WAKE_NONE = 3;

/**
 * Consulted by the operations below when set: a mutation of the code (the load-bearing analysis,
 * src/model/mutation.ts) or a recorder of which operations each step performs. Null in every
 * ordinary run, where it costs one field test per lock, wake-up or check operation.
 */
export interface KernelHook {
  /** An acquisition of `lock` (a declared lock's id, or PAGE_LOCK): true skips it (the step goes on as if it took it). */
  acquire(k: K, lock: number, write: boolean): boolean;
  /** A release; `held`: this thread holds the lock in that mode. True skips it (the step goes on as if it released it). */
  release(k: K, lock: number, write: boolean, held: boolean): boolean;
  /** A wake-up written as wake-one (`all` false) or wake-all: WAKE_AS_WRITTEN or what to do instead. */
  wake(k: K, all: boolean): number;
  /** A read of i_size: true makes it read past every index (an i_size check passes). */
  size(k: K): boolean;
  /** A page->mapping check: true makes it pass (the page is still in the file). */
  mapping(k: K): boolean;
}

/** Lock classes for the lock-order view: declared locks by id; page lock and entry lock after them. */
export interface LockdepSink {
  /** Thread t acquires class cls while holding held[0..n-1] (heldWrite[k] nonzero: held for write). */
  acquire(t: number, cls: number, write: boolean, held: ArrayLike<number>, heldWrite: ArrayLike<number>, n: number): void;
}

export class K {
  /**
   * The state being built (the successor; starts as a copy of the current state). Private: every
   * write must go through w(), which logs it for the engine (the write log, core/compiled.ts).
   */
  private s!: State;
  /** Thread index. */
  t = 0;
  /** This thread's block in the state vector. */
  base = 0;
  /** The step being run. */
  step!: FlatStep;
  notes: StepNote[] | null = null;
  probe = false;
  /**
   * What the step just run blocked on, as numbers (no object made per blocked attempt; the
   * search tries blocked steps all the time): BLOCKED_* kind, lock/page/index, write, what.
   */
  private blockedKind = 0;
  private blockedArg = 0;
  private blockedWrite = false;
  private blockedWhat = '';
  /** What the step just run blocked on (read when a blocked step is probed for diagnosis). */
  get blockedOn(): BlockedOn | undefined {
    switch (this.blockedKind) {
      case BLOCKED_LOCK:
        return { kind: 'lock', lock: this.blockedArg, write: this.blockedWrite };
      case BLOCKED_PAGE:
        return { kind: 'page', page: this.blockedArg };
      case BLOCKED_ENTRY:
        return { kind: 'entry', index: this.blockedArg };
      case BLOCKED_WAKEUP:
        return { kind: 'wakeup', index: this.blockedArg };
      case BLOCKED_COND:
        return { kind: 'cond', what: this.blockedWhat };
      default:
        return undefined;
    }
  }
  private blocked(kind: number, arg: number, write: boolean): void {
    this.blockedKind = kind;
    this.blockedArg = arg;
    this.blockedWrite = write;
  }
  lockdep: LockdepSink | null = null;
  /** A mutation or a recorder (KernelHook); null in ordinary runs. */
  hook: KernelHook | null = null;
  /** The lock classes collectHeld() found, and whether each is held for write (1) or read (0). */
  private readonly heldCls: Int32Array;
  private readonly heldW: Uint8Array;
  readonly T: number;
  readonly N: number;
  readonly M: number;
  readonly B: number;
  readonly P: number;
  readonly L: number;
  /** Lock classes: the declared locks' classes, then page lock and entry lock (World.lockClasses). */
  readonly pageClass: number;
  readonly entryClass: number;
  /** The lock class of each declared lock. */
  private readonly classOf: Int32Array;
  readonly processIndex: readonly number[];

  constructor(
    readonly world: World,
    readonly off: Offsets,
  ) {
    this.T = world.threads.length;
    this.N = world.opts.indices;
    this.M = world.opts.processes.length;
    this.B = world.opts.blocks;
    this.P = world.pageCount;
    this.L = world.locks.length;
    const classes = world.lockClasses();
    this.classOf = Int32Array.from(classes.classOf);
    this.pageClass = classes.names.length - 2;
    this.entryClass = classes.names.length - 1;
    this.processIndex = world.threads.map((th) => world.opts.processes.indexOf(th.process));
    this.heldCls = new Int32Array(this.L + this.P + this.N);
    this.heldW = new Uint8Array(this.L + this.P + this.N);
  }

  /**
   * Every write to the state goes through here and is logged in `writes` (the engine's write
   * log: it then looks only at these slots for what a step changed). A log that would
   * overflow says "unknown" (count -1) and the engine compares the whole state.
   */
  w(off: number, v: number): void {
    // Every slot of a world is a byte: say so where a step computes something else.
    if ((v & 255) !== v) this.notByte(off, v);
    if (this.rec) this.noteAccess(off);
    this.s[off] = v;
    const log = this.writes;
    if (log.count >= 0) {
      if (log.count < log.offsets.length) log.offsets[log.count++] = off;
      else log.count = -1;
    }
  }
  private notByte(off: number, v: unknown): never {
    throw new SpecError(`${this.name}, step ${this.step.label}, wrote ${String(v)} into ${this.world.layout().layout.slots[off]?.path ?? `byte ${off}`}, which holds a byte (0..255)`);
  }

  /** The offsets written since the caller reset `writes.count` to 0. */
  readonly writes: WriteLog = { offsets: new Int32Array(256), count: 0 };

  /**
   * Every read of the state goes through here. (Not a Proxy around the state: V8 would make
   * every site that once saw one megamorphic for the rest of the run.)
   */
  private r(i: number): number {
    if (this.rec) this.noteAccess(i);
    return this.s[i];
  }

  /**
   * The partial-order reduction's footprint check (reduction.ts): while recording, a read or
   * write of any state byte outside [lo, hi), or of the byte `skip`, sets `outside`.
   */
  private rec = false;
  private recLo = 0;
  private recHi = 0;
  private recSkip = -1;
  outside = false;
  record(lo: number, hi: number, skip: number): void {
    this.rec = true;
    this.recLo = lo;
    this.recHi = hi;
    this.recSkip = skip;
    this.outside = false;
  }
  stopRecording(): void {
    this.rec = false;
  }
  private noteAccess(i: number): void {
    if (i < this.recLo || i >= this.recHi || i === this.recSkip) this.outside = true;
  }

  /**
   * The step's own code has run: what follows is the interpreter's bookkeeping (the pc, a
   * returning thread's block), not part of the step's footprint.
   */
  endStep(): void {
    this.rec = false;
  }

  /** Zeroes the n bytes from `from` on, each write logged as w() logs it (a returning thread's block; after endStep). */
  zero(from: number, n: number): void {
    const s = this.s;
    const log = this.writes;
    for (let i = from, e = from + n; i < e; i++) {
      s[i] = 0;
      if (log.count >= 0) {
        if (log.count < log.offsets.length) log.offsets[log.count++] = i;
        else log.count = -1;
      }
    }
  }

  bind(s: State, t: number, step: FlatStep): void {
    this.s = s;
    this.t = t;
    this.base = this.off.thread + t * this.off.threadWidth;
    this.step = step;
    this.blockedKind = 0;
  }

  // ---- the thread -------------------------------------------------------------------------

  get thread(): ThreadDecl {
    return this.world.threads[this.t];
  }
  /** The file index this thread works on. */
  get idx(): number {
    return this.world.threads[this.t].index;
  }
  /** The thread's process (mm) number. */
  get mm(): number {
    return this.processIndex[this.t];
  }
  get name(): string {
    return this.world.threads[this.t].name;
  }
  arg(name: string): number {
    const args = this.world.threads[this.t].args;
    // The thread's own path reads it: a mistake whatever the state, caught when the spec is built.
    if (!Object.prototype.hasOwnProperty.call(args, name)) this.mistake(`reads argument '${name}', which thread ${this.name} was not given (it has: ${Object.keys(args).join(', ') || 'none'})`, true);
    return args[name];
  }
  get(l: Local): number {
    return this.r(this.base + 4 + l.id);
  }
  set(l: Local, v: number): void {
    if (!(v >= 0 && v <= l.max)) this.mistake(`sets ${l.name} = ${String(v)}, outside its range 0..${l.max}`);
    this.w(this.base + 4 + l.id, v);
  }

  /**
   * A spec writer's mistake in the step being run (a lock used with the wrong call, an unknown
   * label): a SpecError naming where the step was written, its call chain and label.
   */
  mistake(what: string, always = false): never {
    const st = this.step;
    const text = `${st.where}: ${st.chain.join(' > ')}: step '${st.label}' ${what}`;
    throw always ? new SpecMistake(text) : new SpecError(text);
  }
  private kindMistake(call: string, l: LockDecl, use: string): never {
    this.mistake(`calls ${call} on ${l.name}, which is a ${l.kind} (${use})`, true);
  }

  // ---- control ----------------------------------------------------------------------------

  goto(label: string): Control {
    const pc = this.step.labels.get(label);
    if (pc === undefined) this.mistake(`jumps to '${label}', which is not a step or call of ${this.step.chain[this.step.chain.length - 1]}`, true);
    return JUMP + pc;
  }
  ret(): Control {
    return RET;
  }
  exit(): Control {
    return EXIT;
  }
  /** Blocks the step until `cond` holds (a condition that is not a lock, named for diagnosis). */
  waitUntil(cond: boolean, what: string): Control {
    if (cond) return NEXT;
    this.blockedKind = BLOCKED_COND;
    this.blockedWhat = what;
    return BLOCK;
  }
  /** Puts the world into an error state: the thread stops and the state is terminal. */
  fail(kind: 'lock misuse' | 'NULL dereference' | 'BUG', info: number, text: string): Control {
    this.w(this.off.err, ErrKind.code[kind]);
    this.w(this.off.errThread, this.t + 1);
    this.w(this.off.errInfo, info & 255);
    this.w(this.base + 1, Status.code.failed);
    if (this.notes !== null) this.note('error', `${kind}: ${text}`);
    return FAILED;
  }
  /** A lock released wrongly (`info`: see MISUSE_READ): the error state, with the release in words. */
  private misuse(info: number): Control {
    return this.fail('lock misuse', info, misuseWords(this.world, this.off, (at) => this.r(at), this.t, info));
  }
  /** Dereferences a thread-local pointer: a NULL (0) value is a NULL dereference. */
  deref(l: Local): number | null {
    const v = this.get(l);
    if (v === 0) {
      this.fail('NULL dereference', 128 + l.id, `${l.name} is NULL`);
      return null;
    }
    return v;
  }

  note(kind: string, text: string, data?: Record<string, string | number | boolean | null>): void {
    if (this.notes) this.notes.push(data ? { kind, text, data } : { kind, text });
  }

  // ---- declared locks: mutex, spinlock, rwsem --------------------------------------------

  /** What to call on a lock of each kind, for the wrong-call message. */
  private static readonly USE: Record<LockDecl['kind'], string> = {
    mutex: 'use k.lock / k.unlock',
    spinlock: 'use k.lock / k.unlock',
    rwsem: 'use k.downRead / k.downWrite / k.upRead / k.upWrite',
    journal: 'use k.journalStart / k.journalStop, or k.journalLockUpdates / k.journalUnlockUpdates for a commit',
  };

  private owner(l: LockDecl): number {
    return this.r(this.off.lockOwner + l.id);
  }
  private readers(l: LockDecl): number {
    return this.r(this.off.lockReaders + l.id);
  }
  private writerQueued(l: LockDecl, except: number): boolean {
    const o = this.off;
    for (let u = 0; u < this.T; u++) {
      if (u !== except && this.r(o.thread + u * o.threadWidth + 2) === l.id + 1) return true;
    }
    return false;
  }

  /** Collects the lock classes this thread holds (for lockdep edges); returns how many. */
  private collectHeld(): number {
    const o = this.off;
    const me = this.t + 1;
    const cls = this.heldCls;
    const w = this.heldW;
    let n = 0;
    for (let l = 0; l < this.L; l++) {
      if (this.r(o.lockOwner + l) === me) {
        cls[n] = this.classOf[l];
        w[n++] = 1;
      } else if (this.r(o.lockReaders + l) & (1 << this.t)) {
        cls[n] = this.classOf[l];
        w[n++] = 0;
      }
    }
    for (let p = 0; p < this.P; p++) {
      if (this.r(o.pageOwner + p) === me) {
        cls[n] = this.pageClass;
        w[n++] = 1;
      }
    }
    for (let i = 0; i < this.N; i++) {
      if (this.r(o.entryLocked + i) && this.r(o.entryOwner + i) === me) {
        cls[n] = this.entryClass;
        w[n++] = 1;
      }
    }
    return n;
  }

  /** The lock classes this thread holds (World.lockClasses numbering); for the analysis's words, not the hot path. */
  heldClasses(): number[] {
    return Array.from(this.heldCls.subarray(0, this.collectHeld()));
  }

  /**
   * collectHeld() for lockdep on the search's hot path: the same scan straight on the state.
   * Lockdep is off while a footprint is recorded (reduction.ts), so no read here is a footprint's.
   */
  private collectHeldDirect(): number {
    const s = this.s;
    const o = this.off;
    const me = this.t + 1;
    const bit = 1 << this.t;
    const cls = this.heldCls;
    const w = this.heldW;
    const classOf = this.classOf;
    let n = 0;
    const lo = o.lockOwner;
    const lr = o.lockReaders;
    for (let l = 0, L = this.L; l < L; l++) {
      if (s[lo + l] === me) {
        cls[n] = classOf[l];
        w[n++] = 1;
      } else if (s[lr + l] & bit) {
        cls[n] = classOf[l];
        w[n++] = 0;
      }
    }
    const po = o.pageOwner;
    for (let p = 0, P = this.P; p < P; p++) {
      if (s[po + p] === me) {
        cls[n] = this.pageClass;
        w[n++] = 1;
      }
    }
    const el = o.entryLocked;
    const eo = o.entryOwner;
    for (let i = 0, N = this.N; i < N; i++) {
      if (s[el + i] && s[eo + i] === me) {
        cls[n] = this.entryClass;
        w[n++] = 1;
      }
    }
    return n;
  }

  private lockdepAcquire(cls: number, write: boolean): void {
    if (this.lockdep === null || this.probe) return;
    const n = this.rec ? this.collectHeld() : this.collectHeldDirect();
    // Holding nothing makes no edge.
    if (n !== 0) this.lockdep.acquire(this.t, cls, write, this.heldCls, this.heldW, n);
  }

  /** mutex_lock / spin_lock: blocks while anyone (this thread included) holds it. */
  lock(l: Mutex | SpinLock): Control {
    if (l.kind !== 'mutex' && l.kind !== 'spinlock') this.kindMistake(`${'mutex_lock'}`, l, K.USE[(l as LockDecl).kind]);
    if (this.hook !== null && this.hook.acquire(this, l.id, true)) return NEXT;
    this.lockdepAcquire(this.classOf[l.id], true);
    if (this.owner(l) !== 0) {
      this.blocked(BLOCKED_LOCK, l.id, true);
      return BLOCK;
    }
    this.w(this.off.lockOwner + l.id, this.t + 1);
    if (this.notes !== null) this.note('acquire', `${l.name}`, { lock: l.name, mode: 'exclusive' });
    return NEXT;
  }

  unlock(l: Mutex | SpinLock): Control {
    if (l.kind !== 'mutex' && l.kind !== 'spinlock') this.kindMistake('mutex_unlock', l, K.USE[(l as LockDecl).kind]);
    if (this.hook !== null && this.hook.release(this, l.id, true, this.owner(l) === this.t + 1)) return NEXT;
    const o = this.owner(l);
    if (o !== this.t + 1) {
      return this.misuse(l.id);
    }
    this.w(this.off.lockOwner + l.id, 0);
    if (this.notes !== null) this.note('release', `${l.name}`, { lock: l.name, mode: 'exclusive' });
    return NEXT;
  }

  /** down_read: blocks while a writer holds it or waits for it (Linux rwsem fairness). Not recursive. */
  downRead(l: RwSem): Control {
    if (l.kind !== 'rwsem') this.kindMistake('down_read', l, K.USE[(l as LockDecl).kind]);
    return this.readAcquire(l);
  }
  private readAcquire(l: LockDecl): Control {
    if (this.hook !== null && this.hook.acquire(this, l.id, false)) return NEXT;
    this.lockdepAcquire(this.classOf[l.id], false);
    if (this.owner(l) !== 0 || this.writerQueued(l, this.t)) {
      this.blocked(BLOCKED_LOCK, l.id, false);
      return BLOCK;
    }
    this.w(this.off.lockReaders + l.id, this.r(this.off.lockReaders + l.id) | 1 << this.t);
    if (this.notes !== null) this.note('acquire', `${l.name} (read)`, { lock: l.name, mode: 'read' });
    return NEXT;
  }

  /**
   * down_write: takes the rwsem when free; otherwise the thread queues as a waiting writer (one
   * transition: from then on new readers block) and sleeps until it is free.
   */
  downWrite(l: RwSem): Control {
    if (l.kind !== 'rwsem') this.kindMistake('down_write', l, K.USE[(l as LockDecl).kind]);
    return this.writeAcquire(l);
  }
  private writeAcquire(l: LockDecl): Control {
    if (this.hook !== null && this.hook.acquire(this, l.id, true)) return NEXT;
    this.lockdepAcquire(this.classOf[l.id], true);
    if (this.owner(l) === 0 && this.readers(l) === 0) {
      this.w(this.off.lockOwner + l.id, this.t + 1);
      if (this.r(this.base + 2) === l.id + 1) this.w(this.base + 2, 0);
      if (this.notes !== null) this.note('acquire', `${l.name} (write)`, { lock: l.name, mode: 'write' });
      return NEXT;
    }
    this.blocked(BLOCKED_LOCK, l.id, true);
    if (this.r(this.base + 2) === l.id + 1) return BLOCK;
    this.w(this.base + 2, l.id + 1);
    if (this.notes !== null) this.note('wait', `queues for ${l.name} (write)`, { lock: l.name, mode: 'write' });
    return STAY;
  }

  upRead(l: RwSem): Control {
    if (l.kind !== 'rwsem') this.kindMistake('up_read', l, K.USE[(l as LockDecl).kind]);
    return this.readRelease(l);
  }
  private readRelease(l: LockDecl): Control {
    if (this.hook !== null && this.hook.release(this, l.id, false, (this.readers(l) & (1 << this.t)) !== 0)) return NEXT;
    const bit = 1 << this.t;
    if (!(this.readers(l) & bit)) {
      return this.misuse(MISUSE_READ + l.id);
    }
    this.w(this.off.lockReaders + l.id, this.r(this.off.lockReaders + l.id) & ~bit);
    if (this.notes !== null) this.note('release', `${l.name} (read)`, { lock: l.name, mode: 'read' });
    return NEXT;
  }

  upWrite(l: RwSem): Control {
    if (l.kind !== 'rwsem') this.kindMistake('up_write', l, K.USE[(l as LockDecl).kind]);
    return this.writeRelease(l);
  }
  private writeRelease(l: LockDecl): Control {
    if (this.hook !== null && this.hook.release(this, l.id, true, this.owner(l) === this.t + 1)) return NEXT;
    if (this.owner(l) !== this.t + 1) {
      return this.misuse(l.id);
    }
    this.w(this.off.lockOwner + l.id, 0);
    if (this.notes !== null) this.note('release', `${l.name} (write)`, { lock: l.name, mode: 'write' });
    return NEXT;
  }

  holds(l: LockDecl): boolean {
    return this.owner(l) === this.t + 1 || (this.readers(l) & (1 << this.t)) !== 0;
  }

  // ---- jbd2 journal ----------------------------------------------------------------------

  /**
   * ext4_journal_start / jbd2__journal_start: a handle on the running transaction. It waits
   * while a commit has locked the transaction (start_this_handle -> wait_transaction_locked).
   * A thread that already has a handle nests in the kernel (h_ref++); that is not modelled.
   */
  journalStart(j: Journal): Control {
    if (j.kind !== 'journal') this.kindMistake('ext4_journal_start', j, K.USE[(j as LockDecl).kind]);
    if (this.readers(j) & (1 << this.t)) this.mistake(`starts a second handle on ${j.name} while it holds one (nested handles are not modelled)`);
    return this.readAcquire(j);
  }
  /** ext4_journal_stop: the handle ends. */
  journalStop(j: Journal): Control {
    if (j.kind !== 'journal') this.kindMistake('ext4_journal_stop', j, K.USE[(j as LockDecl).kind]);
    return this.readRelease(j);
  }
  /**
   * The commit's side (jbd2_journal_commit_transaction locking the transaction, or
   * jbd2_journal_lock_updates): waits until every handle has stopped; new handles wait meanwhile.
   */
  journalLockUpdates(j: Journal): Control {
    if (j.kind !== 'journal') this.kindMistake('jbd2_journal_lock_updates', j, K.USE[(j as LockDecl).kind]);
    return this.writeAcquire(j);
  }
  journalUnlockUpdates(j: Journal): Control {
    if (j.kind !== 'journal') this.kindMistake('jbd2_journal_unlock_updates', j, K.USE[(j as LockDecl).kind]);
    return this.writeRelease(j);
  }

  // ---- freeze protection ------------------------------------------------------------------

  private levels(): { write: RwSem; pagefault: RwSem; fs: RwSem } {
    const f = this.world.freezeLocks;
    if (!f) this.mistake('uses freeze protection, but the world never declared it (world.freeze())');
    return f;
  }
  sbStartWrite(): Control {
    return this.downRead(this.levels().write);
  }
  sbEndWrite(): Control {
    return this.upRead(this.levels().write);
  }
  sbStartPagefault(): Control {
    return this.downRead(this.levels().pagefault);
  }
  sbEndPagefault(): Control {
    return this.upRead(this.levels().pagefault);
  }
  /** sb_start_intwrite: the FS level, taken by filesystem-internal writers (a transaction, evict). */
  sbStartIntwrite(): Control {
    return this.downRead(this.levels().fs);
  }
  sbEndIntwrite(): Control {
    return this.upRead(this.levels().fs);
  }
  /** The filesystem is frozen at PAGEFAULT or above (freeze_super holds that level). */
  frozenAtPagefault(): boolean {
    const f = this.world.freezeLocks;
    return f !== undefined && this.r(this.off.lockOwner + f.pagefault.id) !== 0;
  }
  frozenAtWrite(): boolean {
    const f = this.world.freezeLocks;
    return f !== undefined && this.r(this.off.lockOwner + f.write.id) !== 0;
  }

  // ---- hole pages and their locks ---------------------------------------------------------

  /** find_get_page: the hole page in the radix slot of `i`, or 0. */
  findPage(i: number): number {
    return this.r(this.off.slot + i) === Slot.code.page ? this.r(this.off.slotPage + i) : 0;
  }
  pageState(p: number): number {
    return this.r(this.off.pageState + p - 1);
  }
  /** page->mapping == mapping: the page is still in this file's page cache. */
  pageAttached(p: number): boolean {
    if (this.hook !== null && this.hook.mapping(this)) return true;
    return this.r(this.off.pageState + p - 1) === PageState.code.cached;
  }
  pageIndex(p: number): number {
    return this.r(this.off.pageIndex + p - 1);
  }
  lockPage(p: number): Control {
    if (p === 0) return this.fail('NULL dereference', 0, 'lock_page(NULL)');
    if (this.hook !== null && this.hook.acquire(this, PAGE_LOCK, true)) return NEXT;
    this.lockdepAcquire(this.pageClass, true);
    const o = this.off.pageOwner + p - 1;
    if (this.r(o) !== 0) {
      this.blocked(BLOCKED_PAGE, p, true);
      return BLOCK;
    }
    this.w(o, this.t + 1);
    if (this.notes !== null) this.note('acquire', `page lock of H${p}`, { lock: `page lock H${p}`, mode: 'exclusive' });
    return NEXT;
  }
  unlockPage(p: number): Control {
    if (p === 0) return this.fail('NULL dereference', 0, 'unlock_page(NULL)');
    const o = this.off.pageOwner + p - 1;
    if (this.hook !== null && this.hook.release(this, PAGE_LOCK, true, this.r(o) === this.t + 1)) return NEXT;
    if (this.r(o) !== this.t + 1) return this.misuse(MISUSE_PAGE + p);
    this.w(o, 0);
    if (this.notes !== null) this.note('release', `page lock of H${p}`, { lock: `page lock H${p}`, mode: 'exclusive' });
    return NEXT;
  }
  holdsPage(p: number): boolean {
    return p !== 0 && this.r(this.off.pageOwner + p - 1) === this.t + 1;
  }
  /**
   * find_or_create_page / add_to_page_cache: a new zeroed page, locked by this thread, put in the
   * radix slot of `i` (replacing a locked empty entry, as page_cache_tree_insert does). Returns it.
   */
  addHolePage(i: number): number {
    const o = this.off;
    let p = 0;
    for (let q = 1; q <= this.P; q++) {
      if (this.r(o.pageState + q - 1) === PageState.code.free) {
        p = q;
        break;
      }
    }
    if (p === 0) throw new SpecError(`the world ran out of hole pages (pages: ${this.P}); raise WorldOptions.pages`);
    this.w(o.pageState + p - 1, PageState.code.cached);
    this.w(o.pageIndex + p - 1, i);
    this.w(o.pageOwner + p - 1, this.t + 1);
    this.w(o.slot + i, Slot.code.page);
    this.w(o.slotPage + i, p);
    this.w(o.entryLocked + i, 0);
    this.w(o.entryOwner + i, 0);
    if (this.notes !== null) this.note('page', `hole page H${p} inserted at index ${i}, locked`, { page: `H${p}`, index: i });
    if (this.notes !== null) this.note('acquire', `page lock of H${p}`, { lock: `page lock H${p}`, mode: 'exclusive' });
    return p;
  }
  /** delete_from_page_cache: the page leaves the radix tree (page->mapping = NULL). */
  deletePage(p: number): void {
    const o = this.off;
    const i = this.r(o.pageIndex + p - 1);
    this.w(o.pageState + p - 1, PageState.code.detached);
    if (this.r(o.slot + i) === Slot.code.page && this.r(o.slotPage + i) === p) {
      this.w(o.slot + i, Slot.code.empty);
      this.w(o.slotPage + i, 0);
    }
    if (this.notes !== null) this.note('page', `hole page H${p} deleted from the page cache`, { page: `H${p}`, index: i });
  }

  // ---- radix-tree DAX entries with a lock bit, and their wait queues ----------------------

  slot(i: number): number {
    return this.r(this.off.slot + i);
  }
  entryLocked(i: number): boolean {
    return this.r(this.off.entryLocked + i) !== 0;
  }
  /** Sets the slot to a locked empty entry (grab_mapping_entry on NULL). */
  insertLockedEmpty(i: number): void {
    this.lockdepAcquire(this.entryClass, true);
    this.w(this.off.slot + i, Slot.code['locked-empty']);
    this.w(this.off.slotPage + i, 0);
    this.setEntryLock(i, true);
  }
  /** Sets the slot to a DAX entry for the block mapped at i, locked or not. */
  setDaxEntry(i: number, locked: boolean): void {
    this.w(this.off.slot + i, Slot.code.dax);
    this.w(this.off.slotPage + i, 0);
    this.setEntryLock(i, locked);
  }
  /** Takes the lock bit of an existing unlocked exceptional entry. */
  lockEntry(i: number): Control {
    this.lockdepAcquire(this.entryClass, true);
    if (this.entryLocked(i)) {
      this.blocked(BLOCKED_ENTRY, i, true);
      return BLOCK;
    }
    this.setEntryLock(i, true);
    return NEXT;
  }
  setEntryLock(i: number, locked: boolean): void {
    this.w(this.off.entryLocked + i, locked ? 1 : 0);
    this.w(this.off.entryOwner + i, locked ? this.t + 1 : 0);
    if (this.notes !== null) this.note(locked ? 'acquire' : 'release', `entry lock of index ${i}`, { lock: `entry ${i}`, mode: 'exclusive' });
  }
  clearSlot(i: number): void {
    this.w(this.off.slot + i, Slot.code.empty);
    this.w(this.off.slotPage + i, 0);
    this.w(this.off.entryLocked + i, 0);
    this.w(this.off.entryOwner + i, 0);
  }
  /** prepare_to_wait_exclusive: join the tail of entry(i)'s wait queue and mark this thread asleep. */
  joinWaitQueue(i: number): void {
    const q = this.off.wq + i * this.T;
    let k = 0;
    while (k < this.T && this.r(q + k) !== 0) {
      if (this.r(q + k) === this.t + 1) break;
      k++;
    }
    if (k < this.T && this.r(q + k) === 0) this.w(q + k, this.t + 1);
    this.w(this.base + 2, WAIT_WQ + i);
    if (this.notes !== null) this.note('wait', `sleeps on the wait queue of entry ${i}`, { queue: `entry ${i}` });
  }
  /** True once a wake-up removed this thread from the queue (schedule() returns). */
  woken(): boolean {
    return this.r(this.base + 2) < WAIT_WQ;
  }
  /** schedule(): enabled only after a wake-up. */
  sleep(i: number): Control {
    if (this.woken()) return NEXT;
    this.blocked(BLOCKED_WAKEUP, i, false);
    return BLOCK;
  }
  /** __wake_up(..., nr_exclusive=1): wakes the head of entry(i)'s FIFO queue. Returns the thread woken or -1. */
  wakeOne(i: number): number {
    if (this.hook !== null) {
      const how = this.hook.wake(this, false);
      if (how !== WAKE_AS_WRITTEN) return this.wakeAs(i, how);
    }
    return this.wakeHead(i);
  }
  /** __wake_up(..., nr_exclusive=0): wakes every waiter of entry(i). */
  wakeAll(i: number): void {
    if (this.hook !== null) {
      const how = this.hook.wake(this, true);
      if (how !== WAKE_AS_WRITTEN) {
        this.wakeAs(i, how);
        return;
      }
    }
    this.wakeEvery(i);
  }
  /** A mutant's wake-up: one, every or no waiter instead of what the code says. */
  private wakeAs(i: number, how: number): number {
    if (how === WAKE_ONE) return this.wakeHead(i);
    if (how === WAKE_ALL) {
      this.wakeEvery(i);
      return -1;
    }
    if (this.notes !== null) this.note('wake', `wakes nobody on entry ${i} (the wake-up is removed)`, { queue: `entry ${i}` });
    return -1;
  }
  private wakeHead(i: number): number {
    const q = this.off.wq + i * this.T;
    const head = this.r(q);
    if (head === 0) {
      if (this.notes !== null) this.note('wake', `wake one on entry ${i}: nobody waits`, { queue: `entry ${i}` });
      return -1;
    }
    for (let k = 0; k + 1 < this.T; k++) this.w(q + k, this.r(q + k + 1));
    this.w(q + this.T - 1, 0);
    const u = head - 1;
    this.w(this.off.thread + u * this.off.threadWidth + 2, 0);
    if (this.notes !== null) this.note('wake', `wakes ${this.world.threads[u].name} (entry ${i})`, { queue: `entry ${i}`, target: this.world.threads[u].name });
    return u;
  }
  private wakeEvery(i: number): void {
    let n = 0;
    while (this.r(this.off.wq + i * this.T) !== 0) {
      this.wakeHead(i);
      n++;
    }
    if (n === 0 && this.notes !== null) this.note('wake', `wake all on entry ${i}: nobody waits`, { queue: `entry ${i}` });
  }
  waiters(i: number): number {
    let n = 0;
    for (let k = 0; k < this.T; k++) if (this.r(this.off.wq + i * this.T + k) !== 0) n++;
    return n;
  }

  // ---- block map, blocks, i_size -----------------------------------------------------------

  iSize(): number {
    if (this.hook !== null && this.hook.size(this)) return 255;
    return this.r(this.off.iSize);
  }
  setISize(n: number): void {
    this.w(this.off.iSize, n);
    if (this.notes !== null) this.note('size', `i_size = ${n} pages`);
  }
  /** The block map at i: BlockMap.code.hole / unwritten / written. */
  mapState(i: number): number {
    return this.r(this.off.bm + i);
  }
  blockAt(i: number): number {
    return this.r(this.off.blk + i);
  }
  /**
   * get_block(create=1) allocation: takes the lowest free block for index i. 'zeroed': the
   * filesystem zeroes it before it is visible (ext2, XFS/ext4 from v4.4/v4.5) and maps it
   * written; 'unwritten': an unwritten extent whose block still holds old contents; 'unzeroed':
   * a written extent whose block still holds old contents (ext4 v4.2). Returns the block, or 0
   * when none is free (ENOSPC).
   */
  allocBlock(i: number, mode: 'zeroed' | 'unwritten' | 'unzeroed'): number {
    const o = this.off;
    let b = 0;
    for (let q = 1; q <= this.B; q++) {
      if (this.r(o.blockUse + q - 1) === BlockUse.code.free) {
        b = q;
        break;
      }
    }
    if (b === 0) return 0;
    this.w(o.blockUse + b - 1, BlockUse.code.allocated);
    this.w(o.blockData + b - 1, mode === 'zeroed' ? DATA_ZERO : DATA_GARBAGE);
    this.w(o.bm + i, mode === 'unwritten' ? BlockMap.code.unwritten : BlockMap.code.written);
    this.w(o.blk + i, b);
    if (this.notes !== null) this.note('block', `allocates B${b} for index ${i} (${mode === 'unzeroed' ? 'written, not zeroed' : mode})`, { block: `B${b}`, index: i });
    return b;
  }
  /** clear_page / dax_clear_blocks on block b. A user store already there is lost. */
  zeroBlock(b: number): void {
    this.w(this.off.blockData + b - 1, DATA_ZERO);
    if (this.notes !== null) this.note('block', `zeroes B${b}`, { block: `B${b}` });
  }
  /** complete_unwritten / extent conversion: unwritten -> written. */
  convertUnwritten(i: number): void {
    if (this.r(this.off.bm + i) === BlockMap.code.unwritten) this.w(this.off.bm + i, BlockMap.code.written);
    if (this.notes !== null) this.note('block', `converts index ${i} to written`, { index: i });
  }
  /** Frees the block mapped at index i (truncate / punch): the map becomes a hole. */
  freeBlockAt(i: number): void {
    const o = this.off;
    const b = this.r(o.blk + i);
    if (b !== 0) {
      this.w(o.blockUse + b - 1, BlockUse.code.free);
      if (this.notes !== null) this.note('block', `frees B${b} (index ${i})`, { block: `B${b}`, index: i });
    }
    this.w(o.bm + i, BlockMap.code.hole);
    this.w(o.blk + i, 0);
    this.w(o.stored + i, 0);
  }
  /** Marks that a truncate finished truncating the page cache (for the truncate-safety property). */
  markTruncated(): void {
    this.w(this.off.truncated, 1);
  }

  // ---- page tables --------------------------------------------------------------------------

  pte(i: number, mm = this.mm): number {
    return this.r(this.off.pte + mm * this.N + i);
  }
  pteRef(i: number, mm = this.mm): number {
    return this.r(this.off.pteRef + mm * this.N + i);
  }
  private setPte(i: number, kind: number, ref: number, mm = this.mm): void {
    this.w(this.off.pte + mm * this.N + i, kind);
    this.w(this.off.pteRef + mm * this.N + i, ref);
  }
  /** vm_insert_mixed: maps block b at i in this thread's mm (read-only or writable). */
  insertPfn(i: number, b: number, writable: boolean): void {
    if (writable) this.checkMakeWritable();
    this.setPte(i, writable ? Pte.code['rw-pfn'] : Pte.code['ro-pfn'], b);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PTE ${i} -> B${b} ${writable ? 'RW' : 'RO'}`, { index: i, block: `B${b}`, writable });
  }
  /** The generic fault code maps a locked hole page read-only. */
  mapHolePage(i: number, p: number): void {
    this.setPte(i, Pte.code['ro-hole'], p);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PTE ${i} -> hole page H${p} RO`, { index: i, page: `H${p}` });
  }
  /** do_cow_fault: installs a private anonymous copy at i. */
  mapAnon(i: number): void {
    this.setPte(i, Pte.code.anon, 0);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PTE ${i} -> private COW page`, { index: i });
  }
  /** wp_pfn_shared / pre-v4.1 do_wp_page: the read-only pfn PTE becomes writable. */
  makeWritable(i: number): void {
    this.checkMakeWritable();
    this.w(this.off.pte + this.mm * this.N + i, Pte.code['rw-pfn']);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PTE ${i} made writable`, { index: i });
  }
  private checkMakeWritable(): void {
    if (this.r(this.base + 3) === 0) this.w(this.off.vNoTime, 1);
    if (this.frozenAtPagefault()) this.w(this.off.vFrozenWritable, 1);
  }
  /** file_update_time: c/mtime updated by this thread's current fault. */
  fileUpdateTime(): void {
    this.w(this.base + 3, 1);
    if (this.notes !== null) this.note('time', 'file_update_time');
  }
  /** Zaps the PTEs of index i in every process (unmap_mapping_range's effect on one page). */
  zap(i: number, evenCows = true): void {
    let any = false;
    for (let m = 0; m < this.M; m++) {
      const k = this.pte(i, m);
      if (k === Pte.code.none || (k === Pte.code.anon && !evenCows)) continue;
      this.setPte(i, Pte.code.none, 0, m);
      any = true;
    }
    if (any && this.notes !== null) this.note('unmap', `zaps the PTEs of index ${i} in every process`, { index: i });
  }
  /** A user store through this thread's mapping of i: needs a writable PTE. */
  userStore(i: number): void {
    if (this.pte(i) === Pte.code.anon) {
      if (this.notes !== null) this.note('store', `stores into its private COW copy of index ${i}`, { index: i });
      return;
    }
    const b = this.pteRef(i);
    this.w(this.off.blockData + b - 1, this.t + 2);
    this.w(this.off.stored + i, this.t + 2);
    if (this.frozenAtPagefault()) this.w(this.off.vFrozenStore, 1);
    if (this.notes !== null) this.note('store', `stores ${this.name}'s data through PTE ${i} into B${b}`, { index: i, block: `B${b}` });
  }
  /** A store by the kernel into block b at index i (write(2) copying through the kernel mapping). */
  kernelStore(i: number, b: number): void {
    this.w(this.off.blockData + b - 1, this.t + 2);
    this.w(this.off.stored + i, this.t + 2);
    if (this.notes !== null) this.note('store', `write(2) copies ${this.name}'s data into B${b} (index ${i})`, { index: i, block: `B${b}` });
  }
  /** set_huge_zero_page: this mm's PMD over the range maps the huge zero page (index i's share of it). */
  setHugeZero(i: number): void {
    this.setPte(i, Pte.code['huge-zero'], 0);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PMD -> huge zero page (index ${i})`, { index: i });
  }
  /** vmf_insert_pfn_pmd: this mm's PMD maps block b at index i (writable for a write fault). */
  insertPmdPfn(i: number, b: number): void {
    this.setPte(i, Pte.code['pmd-pfn'], b);
    if (this.notes !== null) this.note('map', `${this.world.opts.processes[this.mm]}: PMD -> B${b} (index ${i})`, { index: i, block: `B${b}` });
  }
  static readonly Pte = Pte;
  static readonly BlockMap = BlockMap;
  static readonly Slot = Slot;
}

export { BLOCK, NEXT, STAY, RET, EXIT, FAILED, JUMP };
export { DATA_GARBAGE, DATA_ZERO };
