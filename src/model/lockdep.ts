// The lock-order view, as lockdep builds it: over every transition explored, an edge "held A
// while acquiring B" between lock classes (read and write marked), with the first state and
// step that made it, and the cycles of that graph. Reported even where the bounded search
// reached no deadlock state; a cycle with no reachable deadlock is a warning, not a failure.
import type { Analysis, Finding } from '../core/spec';
import type { LockdepSink } from './kernel';
import type { DocumentedOrder } from './world';
import { chainText } from '../core/lock-chain';

export interface LockEdge {
  readonly from: number;
  readonly fromWrite: boolean;
  readonly to: number;
  readonly toWrite: boolean;
  readonly thread: number;
  /** The state expanded when the edge was first made, and the action taken from it. */
  readonly stateId: number;
  readonly action: number;
}

export class Lockdep implements LockdepSink {
  /** edge key (from*C+to)*4 + modes -> edge */
  private readonly seen: Int32Array;
  readonly edges: LockEdge[] = [];
  stateId = -1;
  action = -1;
  /**
   * Keep, per edge, the example of least (state id, action) rather than the first one made
   * (a parallel search's worker, which expands states out of id order: SpecObserver.unordered).
   */
  least = false;
  /** Per edge, when its example was made (edges replaced under `least` are made again). */
  private readonly madeAt: number[] = [];
  private made = 0;

  constructor(
    readonly classNames: readonly string[],
    /** Reads/writes of the same non-recursive class are a self-edge worth reporting. */
  ) {
    const C = classNames.length;
    this.seen = new Int32Array(C * C * 4).fill(-1);
  }

  acquire(t: number, cls: number, write: boolean, held: ArrayLike<number>, heldWrite: ArrayLike<number>, n: number): void {
    const C = this.classNames.length;
    for (let k = 0; k < n; k++) {
      const key = (held[k] * C + cls) * 4 + (heldWrite[k] !== 0 ? 2 : 0) + (write ? 1 : 0);
      let at = this.seen[key];
      if (at >= 0) {
        const e = this.edges[at];
        if (!(this.least && (this.stateId < e.stateId || (this.stateId === e.stateId && this.action < e.action)))) continue;
      } else {
        at = this.seen[key] = this.edges.length;
      }
      this.edges[at] = { from: held[k], fromWrite: heldWrite[k] !== 0, to: cls, toWrite: write, thread: t, stateId: this.stateId, action: this.action };
      this.madeAt[at] = this.made++;
    }
  }

  /**
   * The edges in the order their examples were made: with `least`, the edges one step made
   * (equal state id and action) stay in the order that step made them, as in a one-thread search.
   */
  inOrderMade(): LockEdge[] {
    const order = this.edges.map((_, i) => i).sort((a, b) => this.madeAt[a] - this.madeAt[b]);
    return order.map((i) => this.edges[i]);
  }

  /** Elementary cycles of the class graph (small graphs: a DFS from each node). */
  cycles(): LockEdge[][] {
    const C = this.classNames.length;
    const out: LockEdge[][] = [];
    const byFrom: LockEdge[][] = Array.from({ length: C }, () => []);
    for (const e of this.edges) byFrom[e.from].push(e);
    const keys = new Set<string>();
    for (let start = 0; start < C; start++) {
      const stack: LockEdge[] = [];
      const onPath = new Set<number>([start]);
      const dfs = (node: number): void => {
        for (const e of byFrom[node]) {
          if (e.to < start) continue;
          if (e.to === start) {
            const cyc = [...stack, e];
            // A read->read self-edge only deadlocks with a writer waiting between; keep it, lockdep reports it too.
            const key = cyc.map((x) => `${x.from}${x.fromWrite ? 'w' : 'r'}>${x.to}${x.toWrite ? 'w' : 'r'}`).join(',');
            if (!keys.has(key) && !cyc.every((x) => !x.fromWrite && !x.toWrite && x.from === x.to)) {
              keys.add(key);
              out.push(cyc);
            }
            continue;
          }
          if (onPath.has(e.to) || stack.length > 6) continue;
          onPath.add(e.to);
          stack.push(e);
          dfs(e.to);
          stack.pop();
          onPath.delete(e.to);
        }
      };
      dfs(start);
    }
    return out;
  }

  describeEdge(e: LockEdge, threadNames: readonly string[]): string {
    const m = (w: boolean): string => (w ? 'W' : 'R');
    return `${m(e.fromWrite)}(${this.classNames[e.from]}) -> ${m(e.toWrite)}(${this.classNames[e.to]})  [${threadNames[e.thread]}]`;
  }

  /**
   * The edges that go against a documented order: "held A while acquiring B" where the order puts
   * B before A. Each with the index of the order it breaks.
   */
  inversions(documented: readonly DocumentedOrder[]): { edge: LockEdge; order: number }[] {
    const out: { edge: LockEdge; order: number }[] = [];
    for (const e of this.edges) {
      documented.forEach((o, n) => {
        const from = o.classes.indexOf(this.classNames[e.from]);
        const to = o.classes.indexOf(this.classNames[e.to]);
        if (from >= 0 && to >= 0 && to < from) out.push({ edge: e, order: n });
      });
    }
    return out;
  }

  analysis(
    threadNames: readonly string[],
    actionName: (a: number) => string,
    pathTo: (id: number) => { init: number; actions: readonly number[] },
    documented: readonly DocumentedOrder[] = [],
    /** Whether `action` is enabled after `path` (else the edge was made by an attempt that blocked). */
    enabledAfter: (path: { init: number; actions: readonly number[] }, action: number) => boolean = () => true,
  ): Analysis {
    const cycles = this.cycles();
    // The path to the state where the acquisition is made, and the step that makes it when it
    // succeeds there; an attempt that blocks (lockdep records it all the same) ends the path
    // before that step, whose label the edge names.
    const example = (e: LockEdge): { init: number; actions: readonly number[] } => {
      const p = pathTo(e.stateId);
      return enabledAfter(p, e.action) ? { init: p.init, actions: [...p.actions, e.action] } : { init: p.init, actions: [...p.actions] };
    };
    const cls = (e: LockEdge, end: 'from' | 'to'): string => `${(end === 'from' ? e.fromWrite : e.toWrite) ? 'W' : 'R'}(${this.classNames[end === 'from' ? e.from : e.to]})`;
    const findings: Finding[] = cycles.map((cyc) => ({
      severity: 'warning',
      summary: `lock-order cycle: ${chainText(cyc.map((e) => ({ held: cls(e, 'from'), acquired: cls(e, 'to') })), '->')}`,
      details: cyc.map((e) => `${this.describeEdge(e, threadNames)} at ${actionName(e.action)}`),
      examples: cyc.map((e) => ({ caption: this.describeEdge(e, threadNames), path: example(e) })),
    }));
    const inversions = this.inversions(documented);
    for (const { edge, order } of inversions) {
      const o = documented[order];
      findings.push({
        severity: 'warning',
        summary: `against the documented order: ${cls(edge, 'from')} -> ${cls(edge, 'to')}, where ${o.classes.join(' -> ')} (${o.source})`,
        details: [`${this.describeEdge(edge, threadNames)} at ${actionName(edge.action)}`],
        examples: [{ caption: this.describeEdge(edge, threadNames), path: example(edge) }],
      });
    }
    const cited = new Set<LockEdge>([...cycles.flat(), ...inversions.map((v) => v.edge)]);
    const parts = [`${cycles.length} cycle${cycles.length === 1 ? '' : 's'}`];
    if (documented.length > 0) parts.push(`${inversions.length} acquisition${inversions.length === 1 ? '' : 's'} against a documented order`);
    return {
      name: 'lock order',
      summary: `${this.edges.length} lock-order edges over ${this.classNames.length} lock classes; ${parts.join('; ')}`,
      findings,
      data: {
        classes: this.classNames,
        // Example paths only for the edges a finding cites (a path costs a walk of the store).
        edges: this.edges.map((e) => ({
          from: this.classNames[e.from],
          fromMode: e.fromWrite ? 'write' : 'read',
          to: this.classNames[e.to],
          toMode: e.toWrite ? 'write' : 'read',
          thread: threadNames[e.thread],
          step: actionName(e.action),
          ...(cited.has(e) ? { path: example(e) } : {}),
        })),
        cycles: cycles.map((c) => c.map((e) => this.edges.indexOf(e))),
        documented: documented.map((o) => ({ classes: [...o.classes], source: o.source })),
        inversions: inversions.map(({ edge, order }) => ({ edge: this.edges.indexOf(edge), order })),
      },
    };
  }
}
