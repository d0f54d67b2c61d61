// The liveness check over a recorded state graph: a fair behaviour that violates a temporal
// property is a fair cycle in the form's region (not-P for <>P and []<>P, not-Q for P ~> Q, any
// state with a not-P one on it for <>[]P), found as a fair strongly connected component (Tarjan,
// with the strong-fairness decomposition), and returned as a lasso: the shortest stem, then a
// fair cycle. Pure computation over the graph, never prints; the why is docs/adr/0009-liveness.md.
import { match } from 'ts-pattern';
import type { FairnessGroup, LivenessForm } from '../core/liveness';
import type { ActionPath } from './result';
import { LABEL_P, LABEL_Q, type StateGraph } from './state-graph';

/** One property to check, with its label column in the graph and its resolved fairness. */
export interface LivenessTask {
  readonly form: LivenessForm;
  /** Index of the property's labels in graph.labels. */
  readonly column: number;
  readonly groups: readonly FairnessGroup[];
}

/** What the search for a task found: a lasso, or none; with figures for the report. */
export interface LassoSearch {
  readonly lasso?: ActionPath;
  /** States of the region searched for fair cycles. */
  readonly region: number;
  /** Strongly connected components judged (decomposed parts included). */
  readonly components: number;
  /** Of which fair. */
  readonly fair: number;
}

/**
 * Searches the graph for a fair lasso that violates the task's property. `actionCount` is the
 * number of actions of the spec (fairness groups index into it).
 */
export function findLasso(graph: StateGraph, task: LivenessTask, actionCount: number): LassoSearch {
  return new FairCycles(graph, task, actionCount).run();
}

class FairCycles {
  private readonly n: number;
  private readonly first: Int32Array;
  private readonly degree: Uint16Array | Int32Array;
  private readonly succ: Int32Array;
  private readonly act: Uint16Array | Int32Array;
  private readonly label: Uint8Array;
  /** Per action: its fairness groups, as gList[gStart[a] .. gStart[a+1]-1]. */
  private readonly gStart: Int32Array;
  private readonly gList: Int32Array;
  private readonly G: number;
  private readonly strong: Uint8Array;

  /** 1 for the states where a cycle may lie (the region), reachable as the form requires. */
  private readonly region: Uint8Array;
  /** Per state: the fair component it belongs to, or -1. */
  private readonly fairComp: Int32Array;
  private readonly fairNodes: Int32Array[] = [];

  // Tarjan's working arrays, reused across runs with stamps instead of clearing.
  private readonly setStamp: Int32Array;
  private setId = 0;
  private readonly visitStamp: Int32Array;
  private visitId = 0;
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly sccStack: Int32Array;
  private readonly callNode: Int32Array;
  private readonly callEdge: Int32Array;

  // Per-group scratch for judging a component.
  private readonly enabledIn: Int32Array;
  private readonly lastNode: Int32Array;
  private readonly taken: Uint8Array;

  private components = 0;
  /** The label bits that keep a state off the cycle: P (<>P, []<>P), Q (P ~> Q), none (<>[]P). */
  private readonly forbidden: number;

  constructor(
    private readonly graph: StateGraph,
    private readonly task: LivenessTask,
    actionCount: number,
  ) {
    this.n = graph.nodes;
    const a = graph.arrays();
    this.first = a.first;
    this.degree = a.degree;
    this.succ = a.succ;
    this.act = a.act;
    this.label = graph.labels[task.column];
    this.forbidden = match(task.form)
      .with('eventually', 'infinitely-often', () => LABEL_P)
      .with('leads-to', () => LABEL_Q)
      .with('eventually-always', () => 0)
      .exhaustive();
    const G = task.groups.length;
    this.G = G;
    this.strong = Uint8Array.from(task.groups, (g) => (g.kind === 'strong' ? 1 : 0));
    const counts = new Int32Array(actionCount + 1);
    for (const g of task.groups) for (const x of g.actions) counts[x + 1]++;
    for (let i = 0; i < actionCount; i++) counts[i + 1] += counts[i];
    this.gStart = counts;
    this.gList = new Int32Array(counts[actionCount]);
    const fill = counts.slice(0, actionCount);
    task.groups.forEach((g, gi) => {
      for (const x of g.actions) this.gList[fill[x]++] = gi;
    });
    const n = this.n;
    this.region = new Uint8Array(n);
    this.fairComp = new Int32Array(n).fill(-1);
    this.setStamp = new Int32Array(n);
    this.visitStamp = new Int32Array(n);
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.sccStack = new Int32Array(n);
    this.callNode = new Int32Array(n);
    this.callEdge = new Int32Array(n);
    this.enabledIn = new Int32Array(G);
    this.lastNode = new Int32Array(G);
    this.taken = new Uint8Array(G);
  }

  // ---- the form's region ----------------------------------------------------------------

  /** Whether a cycle may pass through state v: expanded, and the label bits the form forbids on the cycle clear. */
  private inRegion(v: number): boolean {
    return this.first[v] >= 0 && (this.label[v] & this.forbidden) === 0;
  }

  /** A state where the region is entered: the stem reaches the cycle through the region from one. */
  private isTrigger(v: number): boolean {
    return this.task.form !== 'leads-to' || (this.label[v] & (LABEL_P | LABEL_Q)) === LABEL_P;
  }

  /** The cycle must pass through such a state (<>[]P: a not-P state). */
  private accepting(v: number): boolean {
    return this.task.form !== 'eventually-always' || (this.label[v] & LABEL_P) === 0;
  }

  /**
   * Marks the region: for <>P and P ~> Q, the region's states reachable inside it from a
   * trigger (an initial not-P state; a P-and-not-Q state); for the others, all of it.
   */
  private markRegion(): number {
    const n = this.n;
    const region = this.region;
    const form = this.task.form;
    let count = 0;
    if (form === 'infinitely-often' || form === 'eventually-always') {
      for (let v = 0; v < n; v++) {
        if (this.inRegion(v)) {
          region[v] = 1;
          count++;
        }
      }
      return count;
    }
    const queue = new Int32Array(n);
    let head = 0;
    let tail = 0;
    const seeds = form === 'eventually' ? this.graph.roots.ids : undefined;
    const push = (v: number): void => {
      if (region[v] === 0 && this.inRegion(v)) {
        region[v] = 1;
        queue[tail++] = v;
      }
    };
    if (seeds) for (const v of seeds) push(v);
    else for (let v = 0; v < n; v++) if (this.isTrigger(v)) push(v);
    const { first, degree, succ } = this;
    while (head < tail) {
      const v = queue[head++];
      const f = first[v];
      for (let e = f, end = f + degree[v]; e < end; e++) {
        const t = succ[e];
        if (t >= 0) push(t);
      }
    }
    return tail;
  }

  // ---- strongly connected components -------------------------------------------------------

  /**
   * Tarjan's algorithm over the states listed in `nodes` (all of them in set `setId`), edges
   * inside the set only; calls `found` with each component (a fresh array).
   */
  private tarjan(nodes: Int32Array, found: (scc: Int32Array) => void): void {
    const { first, degree, succ, setStamp, visitStamp, index, low, onStack, sccStack, callNode, callEdge } = this;
    const set = this.setId;
    const visit = ++this.visitId;
    let counter = 0;
    let sp = 0;
    for (let r = 0; r < nodes.length; r++) {
      const root = nodes[r];
      if (visitStamp[root] === visit) continue;
      let cp = 0;
      visitStamp[root] = visit;
      index[root] = low[root] = counter++;
      sccStack[sp++] = root;
      onStack[root] = 1;
      callNode[0] = root;
      callEdge[0] = first[root];
      cp = 1;
      while (cp > 0) {
        const v = callNode[cp - 1];
        const end = first[v] + degree[v];
        let e = callEdge[cp - 1];
        let descended = false;
        while (e < end) {
          const t = succ[e++];
          if (t < 0 || setStamp[t] !== set) continue;
          if (visitStamp[t] !== visit) {
            callEdge[cp - 1] = e;
            visitStamp[t] = visit;
            index[t] = low[t] = counter++;
            sccStack[sp++] = t;
            onStack[t] = 1;
            callNode[cp] = t;
            callEdge[cp] = first[t];
            cp++;
            descended = true;
            break;
          }
          if (onStack[t] === 1 && index[t] < low[v]) low[v] = index[t];
        }
        if (descended) continue;
        cp--;
        if (low[v] === index[v]) {
          let k = sp;
          do k--;
          while (sccStack[k] !== v);
          const scc = sccStack.slice(k, sp);
          for (let i = k; i < sp; i++) onStack[sccStack[i]] = 0;
          sp = k;
          found(scc);
        }
        if (cp > 0) {
          const u = callNode[cp - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
  }

  // ---- judging a component ----------------------------------------------------------------

  /**
   * Judges the component `scc` (its states carry set stamp `set`): fills enabledIn (states of
   * the component where each group is enabled) and taken (a step of the group stays inside).
   */
  private measure(scc: Int32Array, set: number): void {
    const { first, degree, succ, act, gStart, gList, enabledIn, lastNode, taken, setStamp } = this;
    enabledIn.fill(0);
    lastNode.fill(-1);
    taken.fill(0);
    for (let i = 0; i < scc.length; i++) {
      const v = scc[i];
      const f = first[v];
      for (let e = f, end = f + degree[v]; e < end; e++) {
        const a = act[e];
        const gs = gStart[a];
        const ge = gStart[a + 1];
        if (gs === ge) continue;
        const t = succ[e];
        const inside = t >= 0 && setStamp[t] === set;
        for (let j = gs; j < ge; j++) {
          const g = gList[j];
          if (lastNode[g] !== v) {
            lastNode[g] = v;
            enabledIn[g]++;
          }
          if (inside) taken[g] = 1;
        }
      }
    }
  }

  /** Whether group g is enabled in state v (some step of it leaves v). */
  private enabledAt(g: number, v: number): boolean {
    const { first, degree, act, gStart, gList } = this;
    const f = first[v];
    for (let e = f, end = f + degree[v]; e < end; e++) {
      const a = act[e];
      for (let j = gStart[a], je = gStart[a + 1]; j < je; j++) if (gList[j] === g) return true;
    }
    return false;
  }

  /** Finds the fair components of the marked region, decomposing on strong fairness. */
  private findFair(): void {
    const n = this.n;
    const list: number[] = [];
    for (let v = 0; v < n; v++) if (this.region[v] === 1) list.push(v);
    const work: Int32Array[] = [Int32Array.from(list)];
    while (work.length > 0) {
      const nodes = work.pop()!;
      const set = ++this.setId;
      for (let i = 0; i < nodes.length; i++) this.setStamp[nodes[i]] = set;
      this.tarjan(nodes, (scc) => this.judge(scc, work));
    }
  }

  private judge(scc: Int32Array, work: Int32Array[]): void {
    this.components++;
    const G = this.G;
    // A state on its own: fair when no group is enabled there (it can only stutter).
    if (scc.length === 1) {
      const v = scc[0];
      if (!this.accepting(v)) return;
      const { first, degree, act, gStart } = this;
      for (let e = first[v], end = first[v] + degree[v]; e < end; e++) {
        const a = act[e];
        if (gStart[a] !== gStart[a + 1]) return;
      }
      this.addFair(scc);
      return;
    }
    let accepts = false;
    for (let i = 0; i < scc.length && !accepts; i++) accepts = this.accepting(scc[i]);
    if (!accepts) return;
    // Re-stamp the component so that "inside" means inside it.
    const set = ++this.setId;
    for (let i = 0; i < scc.length; i++) this.setStamp[scc[i]] = set;
    this.measure(scc, set);
    const cut: number[] = [];
    for (let g = 0; g < G; g++) {
      if (this.taken[g] === 1 || this.enabledIn[g] === 0) continue;
      if (this.strong[g] === 0) {
        if (this.enabledIn[g] === scc.length) return;
      } else cut.push(g);
    }
    if (cut.length === 0) {
      this.addFair(scc);
      return;
    }
    const rest: number[] = [];
    for (let i = 0; i < scc.length; i++) {
      const v = scc[i];
      if (!cut.some((g) => this.enabledAt(g, v))) rest.push(v);
    }
    if (rest.length > 0) work.push(Int32Array.from(rest));
  }

  private addFair(scc: Int32Array): void {
    const id = this.fairNodes.length;
    this.fairNodes.push(scc);
    for (let i = 0; i < scc.length; i++) this.fairComp[scc[i]] = id;
  }

  // ---- the lasso ------------------------------------------------------------------------

  /**
   * The shortest stem from an initial state to a state of a fair component, breadth-first in
   * two phases for leads-to (anywhere, then inside the region from a trigger) and one for the
   * other forms (inside the region for <>P, anywhere otherwise).
   */
  private stem(): { init: number; edges: number[]; end: number } | undefined {
    const n = this.n;
    const form = this.task.form;
    const { first, degree, succ, region, fairComp } = this;
    // Keys: 2 * state + phase. Phase 1 is the region's corridor (for <>P and P ~> Q).
    const seen = new Uint8Array(2 * n);
    const parent = new Int32Array(2 * n);
    const via = new Int32Array(2 * n);
    const queue = new Int32Array(2 * n);
    let head = 0;
    let tail = 0;
    const corridor = form === 'eventually' || form === 'leads-to';
    const enter = (key: number, from: number, edge: number): boolean => {
      if (seen[key] === 1) return false;
      seen[key] = 1;
      parent[key] = from;
      via[key] = edge;
      queue[tail++] = key;
      const v = key >> 1;
      // A target: a fair state, reached in the corridor where there is one.
      return fairComp[v] >= 0 && (!corridor || (key & 1) === 1);
    };
    const { ids, inits } = this.graph.roots;
    let hit = -1;
    const arrive = (v: number, fromKey: number, edge: number, phase: number): void => {
      if (hit >= 0) return;
      if (!corridor) {
        if (enter(2 * v + 1, fromKey, edge)) hit = 2 * v + 1;
        return;
      }
      if (form === 'leads-to' && phase === 0) {
        if (enter(2 * v, fromKey, edge)) hit = 2 * v;
        if (hit < 0 && region[v] === 1 && this.isTrigger(v) && enter(2 * v + 1, fromKey, edge)) hit = 2 * v + 1;
        return;
      }
      if (region[v] === 1 && enter(2 * v + 1, fromKey, edge)) hit = 2 * v + 1;
    };
    for (let r = 0; r < ids.length && hit < 0; r++) arrive(ids[r], -1 - r, -1, form === 'leads-to' ? 0 : 1);
    while (head < tail && hit < 0) {
      const key = queue[head++];
      const v = key >> 1;
      const phase = key & 1;
      const f = first[v];
      if (f < 0) continue;
      for (let e = f, end = f + degree[v]; e < end && hit < 0; e++) {
        const t = succ[e];
        if (t >= 0) arrive(t, key, e, phase);
      }
    }
    if (hit < 0) return undefined;
    const edges: number[] = [];
    let key = hit;
    while (parent[key] >= 0) {
      edges.push(via[key]);
      key = parent[key];
    }
    edges.reverse();
    return { init: inits[-1 - parent[key]], edges, end: hit >> 1 };
  }

  /**
   * A cycle through x inside its fair component that meets every fairness condition and, for
   * <>[]P, passes a not-P state: grown from x by breadth-first detours, each meeting one unmet
   * condition, then closed back to x (and grown again if closing made a new condition apply).
   * Empty when x may stutter for ever.
   */
  private cycle(x: number): number[] {
    const comp = this.fairNodes[this.fairComp[x]];
    const set = ++this.setId;
    for (let i = 0; i < comp.length; i++) this.setStamp[comp[i]] = set;
    const path: number[] = [];
    const nodes: number[] = [x];
    let cur = x;
    for (let guard = 0; guard < 4 * (this.G + 2); guard++) {
      const need = this.unmet(nodes, path);
      if (need === undefined) {
        if (cur === x) return path;
        const back = this.bfs(cur, set, (v) => v === x, undefined);
        for (const e of back) {
          path.push(e);
          nodes.push(this.succ[e]);
        }
        cur = x;
        continue;
      }
      const detour = this.bfs(cur, set, need.node, need.edge);
      for (const e of detour) {
        path.push(e);
        nodes.push(this.succ[e]);
      }
      cur = nodes[nodes.length - 1];
    }
    // Each round meets a condition for good (states and steps are only added): unreachable.
    throw new Error('fair cycle construction did not converge');
  }

  /** The first fairness or acceptance condition the cycle so far does not meet, as a goal. */
  private unmet(
    nodes: readonly number[],
    path: readonly number[],
  ): { node?: (v: number) => boolean; edge?: (e: number) => boolean } | undefined {
    if (!nodes.some((v) => this.accepting(v))) return { node: (v) => this.accepting(v) };
    for (let g = 0; g < this.G; g++) {
      const inGroup = (e: number): boolean => {
        const a = this.act[e];
        for (let j = this.gStart[a], je = this.gStart[a + 1]; j < je; j++) if (this.gList[j] === g) return true;
        return false;
      };
      if (path.some(inGroup)) continue;
      if (this.strong[g] === 1) {
        if (nodes.some((v) => this.enabledAt(g, v))) return { edge: inGroup };
      } else if (nodes.every((v) => this.enabledAt(g, v))) {
        return { node: (v) => !this.enabledAt(g, v), edge: inGroup };
      }
    }
    return undefined;
  }

  /**
   * Breadth-first inside set `set` from `from`: the edges of a shortest path to a state meeting
   * `node`, or ending with an edge meeting `edge` (whose target is inside), whichever is first.
   */
  private bfs(from: number, set: number, node: ((v: number) => boolean) | undefined, edge: ((e: number) => boolean) | undefined): number[] {
    if (node?.(from)) return [];
    const { first, degree, succ, setStamp } = this;
    /** For each state reached: the edge that reached it and its source. */
    const prevEdge = new Map<number, number>();
    const prevNode = new Map<number, number>();
    const order = [from];
    const seen = new Set<number>([from]);
    const pathTo = (v: number, last: number): number[] => {
      const out = [last];
      for (let u = v; u !== from; u = prevNode.get(u)!) out.push(prevEdge.get(u)!);
      return out.reverse();
    };
    for (let h = 0; h < order.length; h++) {
      const v = order[h];
      for (let e = first[v], end = first[v] + degree[v]; e < end; e++) {
        const t = succ[e];
        if (t < 0 || setStamp[t] !== set) continue;
        if (edge?.(e) || (!seen.has(t) && node?.(t))) return pathTo(v, e);
        if (seen.has(t)) continue;
        seen.add(t);
        prevEdge.set(t, e);
        prevNode.set(t, v);
        order.push(t);
      }
    }
    // The component is strongly connected and the goal lies inside it: unreachable.
    throw new Error('fair component is not strongly connected');
  }

  run(): LassoSearch {
    const region = this.markRegion();
    this.findFair();
    const figures = { region, components: this.components, fair: this.fairNodes.length };
    if (this.fairNodes.length === 0) return figures;
    const stem = this.stem();
    // Every fair state lies in the region, reached as the form requires: a stem exists.
    if (!stem) throw new Error('a fair component has no stem');
    const cyc = this.cycle(stem.end);
    const actions = [...stem.edges, ...cyc].map((e) => this.act[e]);
    return { ...figures, lasso: { init: stem.init, actions, loop: stem.edges.length } };
  }
}
