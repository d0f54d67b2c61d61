// The whole state graph of a small configuration, as TLC's `-dump dot` draws it: every reachable
// state (breadth first, in the engine's order: initial states, then each state's enabled actions
// in action order), every transition, and what each state shows (a violated invariant, a
// deadlock, a finished run). Built by running the spec's actions, like replay; it keeps whole
// states, so it refuses past a bound rather than grow: a drawing that big cannot be read anyway.
// Not the engine: no fingerprints, no symmetry, no limits other than the bound.
import { SpecError, messageOf } from '../core/errors';
import { formatLabel, labelOf, type Spec } from '../core/spec';

export interface GraphNode {
  readonly id: number;
  readonly state: Uint8Array;
  /** BFS level: 0 for the initial states. */
  readonly depth: number;
  readonly initial: boolean;
  /** The `always` properties (of those checked) this state violates. */
  readonly violated: readonly string[];
  /** No action is enabled and the spec does not call the state finished. */
  readonly deadlock: boolean;
  /** No action is enabled and the spec calls the state finished. */
  readonly terminal: boolean;
}

export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly action: number;
}

export interface StateGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export type StateGraphOutcome = { readonly kind: 'graph'; readonly graph: StateGraph } | { readonly kind: 'too big'; readonly bound: number };

function keyOf(s: Uint8Array): string {
  let k = '';
  for (let i = 0; i < s.length; i++) k += String.fromCharCode(s[i]);
  return k;
}

/**
 * Every reachable state and transition of `spec`, or `too big` once more than `maxStates`
 * states are found. `properties` names the `always` properties to mark (default: all).
 */
export function buildStateGraph(spec: Spec, opts: { readonly maxStates: number; readonly properties?: readonly string[] }): StateGraphOutcome {
  const props = spec.properties.filter((p) => p.kind === 'always' && (!opts.properties || opts.properties.includes(p.name)));
  const ids = new Map<string, number>();
  const states: Uint8Array[] = [];
  const depths: number[] = [];
  const edges: GraphEdge[] = [];
  const enabledCount: number[] = [];
  const add = (s: Uint8Array, depth: number): number | undefined => {
    if (spec.constraint && !spec.constraint(s)) return undefined;
    const k = keyOf(s);
    const known = ids.get(k);
    if (known !== undefined) return known;
    const id = states.length;
    ids.set(k, id);
    states.push(s);
    depths.push(depth);
    return id;
  };
  for (const s of spec.init) add(Uint8Array.from(s), 0);
  const initial = states.length;
  for (let i = 0; i < states.length; i++) {
    if (states.length > opts.maxStates) return { kind: 'too big', bound: opts.maxStates };
    const cur = states[i];
    const candidates: number[] = [];
    if (spec.candidates) spec.candidates(cur, (a) => void candidates.push(a));
    else for (let a = 0; a < spec.actions.length; a++) candidates.push(a);
    let enabled = 0;
    for (const a of candidates) {
      const next = Uint8Array.from(cur);
      let ok: boolean;
      try {
        ok = spec.actions[a].apply(cur, next);
      } catch (e) {
        throw new SpecError(`action ${formatLabel(labelOf(spec, a))} threw: ${messageOf(e)}`);
      }
      if (!ok) continue;
      enabled++;
      const to = add(next, depths[i] + 1);
      if (to !== undefined) edges.push({ from: i, to, action: a });
    }
    enabledCount[i] = enabled;
  }
  if (states.length > opts.maxStates) return { kind: 'too big', bound: opts.maxStates };
  const nodes = states.map((s, id): GraphNode => {
    const stuck = enabledCount[id] === 0;
    const finished = stuck && (spec.isTerminal?.(s) ?? false);
    return { id, state: s, depth: depths[id], initial: id < initial, violated: props.filter((p) => !p.holds(s)).map((p) => p.name), deadlock: stuck && !finished, terminal: finished };
  });
  return { kind: 'graph', graph: { nodes, edges } };
}
