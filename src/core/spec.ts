// The spec contract: what a model hands the engine. A spec is data (a layout, initial states,
// actions, properties) built from a definition and one named configuration. Nothing here knows
// about DAX, files or the console; the kernel vocabulary (src/model) compiles onto this. What
// only the engine needs from a spec (a write log, search observers) is not here: see compiled.ts.
import type { Layout, State } from './layout';

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

export interface Property {
  /** A claim that reads as a sentence: "no PTE maps a freed block". */
  readonly name: string;
  readonly kind: PropertyKind;
  /** For `always`: true while the claim holds. For `sometimes`: true in a witness state. */
  holds(state: State): boolean;
  readonly description?: string;
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
  /** Explains a violation of the named property in `state`, one line per fact. */
  explain?(property: string, state: State): readonly string[];
  /** Notes for the transition `action` from `before` to `after` (lock events and the like). */
  notes?(action: number, before: State, after: State): readonly StepNote[];
  /**
   * Analyses the spec collected over every transition explored (such as a lock-order graph),
   * read after the search. `pathTo` turns an explored state id into an action path.
   */
  analyses?(pathTo: (stateId: number) => { init: number; actions: readonly number[] }): readonly Analysis[];
}

/** A finding of a spec's own analysis: e.g. a lock-order cycle with an example chain per edge. */
export interface Finding {
  readonly severity: 'warning' | 'info';
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
