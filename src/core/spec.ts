// The spec contract: what a model hands the engine. A spec is data (a layout, initial states,
// actions, properties) built from a definition and one named configuration. Nothing here knows
// about DAX, files or the console; the kernel vocabulary (src/model) compiles onto this. What
// only the engine needs from a spec (a write log, search observers) is not here: see compiled.ts.
import type { Layout, State } from './layout';
import type { LivenessProperty } from './liveness';

export type { State } from './layout';

/** What a transition is called in traces: the action and the actor (thread) that took it. */
export interface ActionLabel {
  readonly name: string;
  readonly actor: string | null;
}

/**
 * One deterministic transition family member. `apply` receives the current state and a scratch
 * state already holding a copy of it; it returns false when the action is disabled (then the
 * scratch is ignored) or true after writing the successor into `next`. It must not write `cur`.
 * States hold one value per slot (layout.ts): `next[layout.at.x] = 1000` for an int slot.
 */
export interface Action {
  readonly name: string;
  readonly actor?: string | null;
  apply(cur: State, next: State): boolean;
}

/** Extra facts about a transition (lock events, call chain), recomputed on replay for renderers. */
export interface StepNote {
  readonly kind: string;
  readonly text: string;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

export type PropertyKind = 'always' | 'sometimes';

/** The states along a path, for a property that explains its violation (Property.explain). */
export interface PathStates {
  /** states[0] is the initial state; states[k] the state after the k-th transition. */
  readonly states: readonly State[];
  /** actions[k - 1] is the action index of the k-th transition. */
  readonly actions: readonly number[];
}

/**
 * Why a property is violated at the end of a path, in the spec's own words: the facts one per
 * line, and the step that caused it, which need not be the step after which the check failed
 * (a hole page inserted over an allocated block is the cause; the fault that returns last is
 * only where "once every fault has returned" first fails).
 */
export interface Explanation {
  readonly lines: readonly string[];
  /** The transition (1 for the first) that made the state bad. */
  readonly cause?: number;
  /** Other transitions the explanation cites (the store that was lost), with a word each. */
  readonly related?: readonly { readonly step: number; readonly role: string }[];
}

export interface Property {
  /** A claim that reads as a sentence: "no PTE maps a freed block". */
  readonly name: string;
  readonly kind: PropertyKind;
  /** For `always`: true while the claim holds. For `sometimes`: true in a witness state. */
  holds(state: State): boolean;
  readonly description?: string;
  /** For `always`: explains a violation in the last state of `path` (see Explanation). */
  explain?(path: PathStates): Explanation | undefined;
}

/**
 * One fact of a state in the spec's words, for people: "T1 holds i_mmap_rwsem (read)", "B1 =
 * allocated, zeroes". Renderers list these instead of the raw variables when a spec has them,
 * and compare them by key from state to state (a diff prints the facts whose text changed).
 */
export interface ShownField {
  /** Stable from state to state: what a diff compares. */
  readonly key: string;
  /** What the fact is about: a thread's name, `index 0`, `blocks`; panels group by it. */
  readonly group: string;
  /** The name printed before the value: `T1 holds`, `index 0 radix slot`, `B1`. */
  readonly label: string;
  readonly text: string;
  /** A ghost variable: bookkeeping a property reads, not state of the system modelled. */
  readonly ghost?: boolean;
  /** Longer words for a tooltip (the whole call chain of a thread's step). */
  readonly detail?: string;
}

export interface ShownGroup {
  readonly name: string;
  /** A thread (the explorer draws a panel per thread), or shared state. */
  readonly thread: boolean;
  /** A line about the group: `process P1, index 0, runs store`. */
  readonly about?: string;
}

/** A state in the spec's words (Spec.present): the groups in order, and the facts. */
export interface StateWords {
  readonly groups: readonly ShownGroup[];
  /** Facts that cannot exist in this state (an unused hole page, an empty wait queue) are left out. */
  readonly fields: readonly ShownField[];
}

/** Why a state is stuck, as the spec explains it (a wait-for cycle, a lost wake-up). */
export interface Diagnosis {
  /** Short class: "deadlock", "lost wake-up", "self-deadlock". */
  readonly kind: string;
  readonly summary: string;
  readonly details: readonly string[];
  /** Actors involved, for highlighting in diagrams. */
  readonly actors?: readonly string[];
}

export type Params = Readonly<Record<string, unknown>>;

export interface Spec {
  readonly name: string;
  readonly layout: Layout;
  /** Initial states (layout.encode), in a deterministic order. */
  readonly init: readonly State[];
  /** Every action, in the deterministic order successors are enumerated. */
  readonly actions: readonly Action[];
  readonly properties: readonly Property[];
  /**
   * Temporal properties (src/core/liveness.ts), checked over the whole state graph under their
   * fairness. Their names share one namespace with `properties`.
   */
  readonly liveness?: readonly LivenessProperty[];
  /**
   * Explains a liveness counterexample in the spec's own words (starvation, livelock, a stuck
   * state): given the states of the cycle (the first is where it starts; for stuttering, the one
   * state) and the actions between them (one fewer than the states for stuttering, as many as
   * the states otherwise: the last one closes the cycle).
   */
  diagnoseCycle?(property: string, states: readonly State[], actions: readonly number[]): Diagnosis | undefined;
  /** A state with no successor is a deadlock unless this says every thread finished. */
  isTerminal?(state: State): boolean;
  /** States outside the constraint are counted as generated but neither stored nor expanded. */
  constraint?(state: State): boolean;
  /**
   * Writes the canonical representative of `state` into `out` (symmetry reduction and views).
   * The engine fingerprints the representative and keeps walking the original.
   */
  canonical?(state: State, out: State): void;
  /**
   * Writes the representative of `state` under the spec's symmetry (interchangeable threads,
   * resource managers) into `out`. Used only when a run asks for symmetry reduction: it is then
   * a canonical() (applied after the spec's own, if any). Every property must be symmetric for
   * the verdicts to stand; a `sometimes` property about one thread may go unwitnessed.
   */
  symmetry?(state: State, out: State): void;
  /**
   * Optional dispatch: pushes the indices of the actions that may be enabled in `state`, in
   * ascending order. Without it every action is tried. It must not omit an enabled action.
   */
  candidates?(state: State, push: (actionIndex: number) => void): void;
  /**
   * Optional partial-order reduction, used only when a run asks for it (`--por`). Given the
   * names of the properties the run checks, returns the ample-set function for that run, or
   * undefined when the spec cannot reduce for those properties. The function may push a subset
   * of the candidate actions of `state` and return true; it promises conditions C1 and C2 of
   * the ample-set method: no action outside the subset that depends on one inside it can run
   * first from `state`, and the subset's actions change nothing a checked property reads (and
   * cannot disable the deadlock check). The engine adds C0 (the subset has an enabled action)
   * and C3 (no successor through the subset has been expanded already; otherwise the state is
   * expanded in full), so the reduced search keeps every verdict, deadlocks included.
   */
  reduction?(checked: ReadonlySet<string>): AmpleSet | undefined;
  /** Explains a stuck state (deadlock) for the report. */
  diagnose?(state: State): Diagnosis | undefined;
  /**
   * Explains a deadlock from its path when the path says more than the stuck state: the step
   * that caused it (the return of a thread that still held the lock the others wait for).
   */
  explainDeadlock?(path: PathStates): Explanation | undefined;
  /** Explains a violation of the named property in `state`, one line per fact. */
  explain?(property: string, state: State): readonly string[];
  /**
   * A state in the spec's own words (thread positions as function and step, who holds which
   * lock, block contents), for traces, lane diagrams and the explorer. Without it renderers
   * print the decoded variables.
   */
  present?(state: State): StateWords;
  /** Notes for the transition `action` from `before` to `after` (lock events and the like). */
  notes?(action: number, before: State, after: State): readonly StepNote[];
  /**
   * Analyses the spec collected over every transition explored (such as a lock-order graph),
   * read after the search. `pathTo` turns an explored state id into an action path.
   */
  analyses?(pathTo: (stateId: number) => { init: number; actions: readonly number[] }): readonly Analysis[];
  /**
   * Optional: the code mutations of the load-bearing analysis (src/report/rests-on.ts), on a
   * freshly built spec. The engine never uses it; a spec without it is not analysed.
   */
  readonly mutants?: MutantHost;
}

/**
 * A change to a spec's code, as data that survives JSON (an ITF trace's "#meta".mutant): its
 * `kind` and the fields that kind needs (src/model/mutation.ts says which).
 */
export type Mutation = Readonly<Record<string, string>>;

/** A mechanism of the code the analysis can take away: the words, what it is about, and the mutation. */
export interface Mechanism {
  /** Stable words: "drop dax_sem(write) in ext2_setsize". */
  readonly id: string;
  /** "lock", "freeze level", "wake-up", "i_size check", "page->mapping check", "lock order". */
  readonly kind: string;
  /** What a claim's `about` may name to mean it: lock classes, function names, the kind. */
  readonly about: readonly string[];
  /** Words about where it is met: "under i_mmap_rwsem" (the locks held at every check). */
  readonly context?: string;
  readonly mutation: Mutation;
}

/** Spec.mutants: record which mechanisms a search meets, or change the code by one. */
export interface MutantHost {
  /** Starts recording what the steps do; call the result after the search for the mechanisms met, in code order. */
  record(): () => readonly Mechanism[];
  /** Changes this spec's code (once, before any search); a SpecError when `m` names nothing in it. */
  apply(m: Mutation): Mechanism;
}

/** A finding of a spec's own analysis: e.g. a lock-order cycle with an example chain per edge. */
export interface Finding {
  /** `error`: the finding fails the run (a lock-order cycle under `check --lock-order`). */
  readonly severity: 'error' | 'warning' | 'info';
  readonly summary: string;
  readonly details: readonly string[];
  /** Example action paths that demonstrate it (by edge or step), with a caption each. */
  readonly examples?: readonly { readonly caption: string; readonly path: { init: number; actions: readonly number[] } }[];
}

export interface Analysis {
  readonly name: string;
  readonly summary: string;
  readonly findings: readonly Finding[];
  /** Structured data for renderers (e.g. the graph's nodes and edges). */
  readonly data?: unknown;
}

/** A run's ample-set function (see Spec.reduction): pushes a subset of the candidates, or returns false. */
export type AmpleSet = (state: State, push: (actionIndex: number) => void) => boolean;

/** A named set of parameters (threads, sizes, constants). */
export interface Config {
  readonly description: string;
  readonly params: Params;
}

/** A spec definition: a spec id, its configurations, and how to build a spec from one. */
export interface SpecDefinition {
  /** The spec id used on the command line: `two-phase`, `entry-lock/v4.7`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly configs: Readonly<Record<string, Config>>;
  readonly defaultConfig: string;
  build(params: Params, configName: string): Spec;
}

export function labelOf(spec: Spec, action: number): ActionLabel {
  const a = spec.actions[action];
  return { name: a.name, actor: a.actor ?? null };
}

export function formatLabel(l: ActionLabel): string {
  return l.actor ? `${l.actor}: ${l.name}` : l.name;
}
