// What a spec may tell the engine beyond the spec contract (spec.ts): a log of the slots each
// action wrote, and an observer of the search (the kernel vocabulary's lock-order view). These
// are engine internals, attached by a spec compiler (src/model/compile.ts) under a symbol, so
// the Spec a user writes never sees them; the engine reads them with engineHooksOf(). Not the
// engine's compiled spec itself (src/check/compiled-spec.ts).
import type { Action, Spec, State } from './spec';

/**
 * The slots an action wrote: after each apply(), `offsets[0..count-1]` (repeats and unchanged
 * slots allowed); the action's code resets `count` to 0 as it starts. A count of -1 means "not
 * known" for that apply: the engine then compares the whole state. The engine checks the log
 * against a whole comparison during the first expansions of a run (CheckOptions.contractChecks).
 */
export interface WriteLog {
  readonly offsets: Int32Array;
  count: number;
}

/** Per-run instrumentation: sees the id of each state expanded, so it can cite example paths. */
export interface SearchObserver {
  beforeExpand(stateId: number): void;
  /**
   * The search applies every action of a state before it inserts the successors, then stopped
   * after action `action` of state `stateId`: forget what the actions after it were seen doing,
   * so the observations are those of a search that stopped right there.
   */
  rewind?(stateId: number, action: number): void;
  /**
   * Parallel search: what this observer has seen, as data that can be posted between threads
   * (structured clone). Each worker thread's copy of the spec observes the states it expands.
   */
  save?(): unknown;
  /**
   * Parallel search: called in each worker thread before it expands anything. A worker expands
   * its share of each level in no fixed id order (it may move to chunks below the ones it has
   * expanded), so an observer that keeps the first example of something must keep, from then
   * on, the least (state id, action) it sees instead of the first, for merge to find the first
   * of a one-thread search.
   */
  unordered?(): void;
  /**
   * Parallel search: adds the workers' saved observations to this observer's own, keeping only
   * those made while expanding states for which `keep(stateId)` holds (the coordinator observes
   * the rest itself), so the result is what one thread expanding every state in id order sees.
   */
  merge?(saved: readonly unknown[], keep: (stateId: number) => boolean): void;
}

export interface EngineHooks {
  /** For speed: the spec logs the slots its actions write (WriteLog). */
  readonly writes?: WriteLog;
  readonly observer?: SearchObserver;
  /**
   * For speed: the spec's actions cannot reach their input state (the kernel vocabulary hands
   * a step only its successor, through K). The engine then checks for writes of the input only
   * while it checks the action contract (the first expansions), not at every expansion.
   */
  readonly successorOnly?: boolean;
  /**
   * For speed: the spec refuses to write anything but a byte (a whole number 0..255) into a
   * state, throwing a SpecError that names the write (the kernel vocabulary does, in K.w). With
   * a layout of one-byte slots and `successorOnly`, the engine then runs the search on the
   * packed bytes themselves (the byte path: no unpacking, four slots compared a word), since no
   * write can be wrapped into another byte; the domain check of every changed slot stays.
   */
  readonly checksBytes?: boolean;
  /**
   * For speed: one function that applies action `a` of `actions` (the spec's own array, which
   * it must be for the engine to use it) exactly as `actions[a].apply(cur, next)` does. The
   * engine's call of it is then one call site with one target, where the actions' own apply
   * methods are as many closures as there are actions (the kernel vocabulary: one per step).
   */
  readonly applyAction?: ActionApplier;
}

export interface ActionApplier {
  readonly actions: readonly Action[];
  apply(a: number, cur: State, next: State): boolean;
}

/** A registered symbol, so that a spec module loaded twice (a user's file, a worker's bundle) agrees. */
const HOOKS: unique symbol = Symbol.for('daxmc.engine-hooks') as never;

/** The spec with the engine hooks attached (an enumerable symbol key: `{ ...spec }` keeps them). */
export function withEngineHooks<S extends Spec>(spec: S, hooks: EngineHooks): S {
  return Object.assign(spec, { [HOOKS]: hooks });
}

export function engineHooksOf(spec: Spec): EngineHooks {
  return (spec as Spec & { [HOOKS]?: EngineHooks })[HOOKS] ?? {};
}
