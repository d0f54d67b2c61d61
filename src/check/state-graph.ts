// The state graph a liveness check needs, recorded by the search as it goes: every (state,
// action, successor) edge of each expanded state, seen-before successors and several actions
// between the same two states included (fairness is about steps), and each liveness property's
// predicates per state. Compact arrays by state id (6 bytes a state, 6 an edge, 1 a label). Not
// the search (explore.ts) and not the cycle search (fair-cycles.ts).
import type { State } from '../core/layout';
import type { LivenessProperty } from '../core/liveness';

/** Bits of a state's label per property: P holds, Q holds (leads-to). */
export const LABEL_P = 1;
export const LABEL_Q = 2;

/** What the search calls while it explores (the recording hook). */
export interface GraphRecorder {
  /** State `id` is the initial state number `init`. */
  root(id: number, init: number): void;
  /** A new state got `id`: label it. */
  label(id: number, state: State): void;
  /** The successors of state `id` follow. */
  begin(id: number): void;
  /**
   * An enabled action's successor of the state begun: its id, or -1 when the constraint pruned
   * it (the action is enabled there but the graph has no such state). A step back to the state
   * itself is stuttering and is not kept.
   */
  edge(action: number, to: number): void;
  /** Every successor of the state begun has been given: it counts as expanded. */
  end(): void;
}

export class StateGraph implements GraphRecorder {
  /** Per state id: the first edge, or -1 while the state is not (fully) expanded. */
  private first = new Int32Array(1024).fill(-1);
  private degree: Uint16Array | Int32Array;
  private succ = new Int32Array(4096);
  private act: Uint16Array | Int32Array;
  /** Per property: a byte per state id (LABEL_P | LABEL_Q). */
  readonly labels: Uint8Array[];
  private edgeCount = 0;
  private nodeCount = 0;
  private cur = -1;
  private curFirst = 0;
  private peak = 0;
  private readonly rootIds: number[] = [];
  private readonly rootInits: number[] = [];
  private readonly wide: boolean;

  constructor(
    private readonly properties: readonly LivenessProperty[],
    actionCount: number,
  ) {
    this.wide = actionCount >= 0xffff;
    this.degree = this.wide ? new Int32Array(1024) : new Uint16Array(1024);
    this.act = this.wide ? new Int32Array(4096) : new Uint16Array(4096);
    this.labels = properties.map(() => new Uint8Array(1024));
    this.peak = this.bytes;
  }

  /** State ids seen (expanded or not). */
  get nodes(): number {
    return this.nodeCount;
  }

  get edges(): number {
    return this.edgeCount;
  }

  get bytes(): number {
    return this.first.byteLength + this.degree.byteLength + this.succ.byteLength + this.act.byteLength + this.labels.reduce((n, l) => n + l.byteLength, 0);
  }

  /** The most bytes held at once (an array and its doubled copy both count while it grows). */
  get peakBytes(): number {
    return Math.max(this.peak, this.bytes);
  }

  root(id: number, init: number): void {
    this.rootIds.push(id);
    this.rootInits.push(init);
  }

  /** Initial states' ids, and their indices in spec.init, in the order met. */
  get roots(): { readonly ids: readonly number[]; readonly inits: readonly number[] } {
    return { ids: this.rootIds, inits: this.rootInits };
  }

  label(id: number, state: State): void {
    if (id >= this.first.length) this.growNodes(id + 1);
    if (id >= this.nodeCount) this.nodeCount = id + 1;
    const props = this.properties;
    for (let k = 0; k < props.length; k++) {
      const p = props[k];
      let bits = p.holds(state) ? LABEL_P : 0;
      if (p.target !== undefined && p.target(state)) bits |= LABEL_Q;
      this.labels[k][id] = bits;
    }
  }

  begin(id: number): void {
    this.cur = id;
    this.curFirst = this.edgeCount;
  }

  edge(action: number, to: number): void {
    if (to === this.cur) return;
    const e = this.edgeCount;
    if (e === this.succ.length) this.growEdges();
    this.succ[e] = to;
    this.act[e] = action;
    this.edgeCount = e + 1;
  }

  end(): void {
    const id = this.cur;
    if (id >= this.first.length) this.growNodes(id + 1);
    this.first[id] = this.curFirst;
    this.degree[id] = this.edgeCount - this.curFirst;
    this.cur = -1;
  }

  /** Whether state `id` was fully expanded (its edges are all known). */
  expanded(id: number): boolean {
    return this.first[id] >= 0;
  }

  firstEdge(id: number): number {
    return this.first[id];
  }

  /** One past the last edge of state `id` (equal to firstEdge when it has none or was not expanded). */
  endEdge(id: number): number {
    const f = this.first[id];
    return f < 0 ? f : f + this.degree[id];
  }

  /** The successor of edge e (-1: pruned by the constraint). */
  target(e: number): number {
    return this.succ[e];
  }

  action(e: number): number {
    return this.act[e];
  }

  /** Raw arrays for the cycle search's inner loops (valid until the next recording call). */
  arrays(): { readonly first: Int32Array; readonly degree: Uint16Array | Int32Array; readonly succ: Int32Array; readonly act: Uint16Array | Int32Array } {
    return { first: this.first, degree: this.degree, succ: this.succ, act: this.act };
  }

  private growNodes(min: number): void {
    let n = this.first.length;
    while (n < min) n *= 2;
    const before = this.bytes;
    const first = new Int32Array(n).fill(-1);
    first.set(this.first);
    const degree = this.wide ? new Int32Array(n) : new Uint16Array(n);
    degree.set(this.degree);
    const grown = this.labels.map((l) => {
      const x = new Uint8Array(n);
      x.set(l);
      return x;
    });
    this.peak = Math.max(this.peak, before + first.byteLength + degree.byteLength + grown.reduce((s, l) => s + l.byteLength, 0));
    this.first = first;
    this.degree = degree;
    for (let k = 0; k < grown.length; k++) this.labels[k] = grown[k];
  }

  private growEdges(): void {
    const n = this.succ.length * 2;
    const succ = new Int32Array(n);
    succ.set(this.succ);
    const act = this.wide ? new Int32Array(n) : new Uint16Array(n);
    act.set(this.act);
    this.peak = Math.max(this.peak, this.bytes + succ.byteLength + act.byteLength);
    this.succ = succ;
    this.act = act;
  }
}
