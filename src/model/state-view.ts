// A read-only view of one packed state of a compiled world, in the page model's words: what a
// property of a spec writer's own reads (P.invariant, P.witness) instead of byte offsets. The
// answers are the names the traces print ('written', 'rw-pfn', 'returned'), or numbers where the
// model counts (block ids, hole pages, i_size). Not for the engine's hot path: the library's
// own properties read the bytes.
import type { State } from '../core/spec';
import type { LockDecl, Local, Offsets, World } from './world';
import { BlockMap, BlockUse, ErrKind, PageState, Pte, Slot, Status } from './world';

export type BlockMapName = (typeof BlockMap.values)[number];
export type PteName = (typeof Pte.values)[number];
export type SlotName = (typeof Slot.values)[number];
export type ThreadStatusName = (typeof Status.values)[number];

export class StateView {
  private s: State = new Uint8Array(0);
  private readonly N: number;
  private readonly T: number;

  constructor(
    readonly world: World,
    private readonly off: Offsets,
  ) {
    this.N = world.opts.indices;
    this.T = world.threads.length;
  }

  /** Points the view at state `s` (the view is reused from state to state). */
  of(s: State): this {
    this.s = s;
    return this;
  }

  /** i_size, in pages. */
  iSize(): number {
    return this.s[this.off.iSize];
  }
  /** The block map at index i. */
  mapState(i: number): BlockMapName {
    return BlockMap.values[this.s[this.off.bm + this.index(i)]];
  }
  /** The block mapped at index i (1 for B1, ...), 0 for none. */
  blockAt(i: number): number {
    return this.s[this.off.blk + this.index(i)];
  }
  /** Whether block b (1-based) is allocated. */
  blockAllocated(b: number): boolean {
    return this.s[this.off.blockUse + this.block(b) - 1] === BlockUse.code.allocated;
  }
  /** What block b holds: 'garbage' (never initialised), 'zeroes', or the name of the thread whose store it holds. */
  blockData(b: number): string {
    const v = this.s[this.off.blockData + this.block(b) - 1];
    return v === 0 ? 'garbage' : v === 1 ? 'zeroes' : (this.world.threads[v - 2]?.name ?? `thread ${v - 2}`);
  }
  /** The PTE of index i in process `process` (a name such as 'P1', or its number from 0). */
  pte(i: number, process: string | number = 0): PteName {
    return Pte.values[this.s[this.off.pte + this.process(process) * this.N + this.index(i)]];
  }
  /** The block (pfn PTEs) or hole page (ro-hole) the PTE of index i in `process` refers to; 0 for none. */
  pteRef(i: number, process: string | number = 0): number {
    return this.s[this.off.pteRef + this.process(process) * this.N + this.index(i)];
  }
  /** The radix-tree slot of index i. */
  slot(i: number): SlotName {
    return Slot.values[this.s[this.off.slot + this.index(i)]];
  }
  /** The hole page cached at index i (1 for H1, ...), 0 for none. */
  holePage(i: number): number {
    const ix = this.index(i);
    return this.s[this.off.slot + ix] === Slot.code.page ? this.s[this.off.slotPage + ix] : 0;
  }
  /** Whether hole page p is still in the page cache (page->mapping set). */
  pageCached(p: number): boolean {
    return this.s[this.off.pageState + p - 1] === PageState.code.cached;
  }
  /** The thread holding `lock` exclusively (a mutex, spinlock, rwsem for write), or undefined. */
  owner(lock: LockDecl): string | undefined {
    const o = this.s[this.off.lockOwner + lock.id];
    return o === 0 ? undefined : this.world.threads[o - 1]?.name;
  }
  /** Whether thread t holds `lock` in any mode (a reader of an rwsem, a jbd2 handle). */
  holds(t: number | string, lock: LockDecl): boolean {
    const ti = this.thread(t);
    return this.s[this.off.lockOwner + lock.id] === ti + 1 || (this.s[this.off.lockReaders + lock.id] & (1 << ti)) !== 0;
  }
  /** How many threads hold `lock` shared. */
  readerCount(lock: LockDecl): number {
    let v = this.s[this.off.lockReaders + lock.id];
    let n = 0;
    for (; v !== 0; v &= v - 1) n++;
    return n;
  }
  /** Thread t's status. */
  status(t: number | string): ThreadStatusName {
    return Status.values[this.s[this.off.thread + this.thread(t) * this.off.threadWidth + this.off.tStatus]];
  }
  /** Thread t's value of a local (w.local / d.faultLocal). */
  local(t: number | string, l: Local): number {
    return this.s[this.off.thread + this.thread(t) * this.off.threadWidth + this.off.tLocals + l.id];
  }
  /** The error state's kind ('lock misuse', 'NULL dereference', 'BUG'), or undefined. */
  error(): string | undefined {
    const e = this.s[this.off.err];
    return e === ErrKind.code.none ? undefined : ErrKind.values[e];
  }

  private index(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.N)) throw new RangeError(`index ${String(i)} is outside 0..${this.N - 1}`);
    return i;
  }
  private block(b: number): number {
    if (!(Number.isInteger(b) && b >= 1 && b <= this.world.opts.blocks)) throw new RangeError(`block ${String(b)} is outside 1..${this.world.opts.blocks}`);
    return b;
  }
  private process(p: string | number): number {
    const ps = this.world.opts.processes;
    const m = typeof p === 'number' ? p : ps.indexOf(p);
    if (!(Number.isInteger(m) && m >= 0 && m < ps.length)) throw new RangeError(`no process ${String(p)} (the world has ${ps.join(', ')})`);
    return m;
  }
  private thread(t: number | string): number {
    const ti = typeof t === 'number' ? t : this.world.threads.findIndex((d) => d.name === t);
    if (!(Number.isInteger(ti) && ti >= 0 && ti < this.T)) throw new RangeError(`no thread ${String(t)} (the world has ${this.world.threads.map((d) => d.name).join(', ')})`);
    return ti;
  }
}
