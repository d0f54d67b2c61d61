// The spec as the engine runs it, compiled once per run: the layout's slots as flat tables (each
// slot's legal range, packed offset and size), the initial states as slot values, checked
// against their domains, the engine hooks (write log, observer; src/core/compiled.ts) and the
// run's representative function (view, symmetry). Everything the search, its workers and
// simulate read about a spec comes from here. Not the search.
import { engineHooksOf, type SearchObserver, type WriteLog } from '../core/compiled';
import { SpecError } from '../core/errors';
import { initialState, type Layout, type State } from '../core/layout';
import type { Action, Spec } from '../core/spec';

/** Which representative a run fingerprints (see representative()). */
export interface RepresentativeOptions {
  /** Use the spec's canonical() (symmetry / view) when deduplicating (default true). */
  readonly canonical?: boolean;
  /** Deduplicate on the spec's symmetry() representative too (default false). */
  readonly symmetry?: boolean;
}

export type Representative = (state: State, out: State) => void;

export interface CompiledSpec {
  readonly spec: Spec;
  readonly layout: Layout;
  /** Slots per state (the length of a State). */
  readonly slots: number;
  /** Bytes and 32-bit words of a packed state. */
  readonly width: number;
  readonly words: number;
  /** Every slot is one unsigned byte, packed at the byte of its own index. */
  readonly bytesOnly: boolean;
  readonly init: readonly Float64Array[];
  readonly actions: readonly Action[];
  /** Per slot: least and greatest legal value, packed byte offset, and size (bytes, plus 8 if signed). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly offsets: Int32Array;
  readonly kinds: Uint8Array;
  readonly writes: WriteLog | undefined;
  readonly observer: SearchObserver | undefined;
  /** The actions cannot reach their input state (EngineHooks.successorOnly). */
  readonly successorOnly: boolean;
  /** The spec's one function applying action a (EngineHooks.applyAction), when it has one for these actions. */
  readonly applyAction: ((a: number, cur: State, next: State) => boolean) | undefined;
  /**
   * The byte path: states are handed to actions as their packed bytes (Uint8Array), not as
   * Float64Arrays: one-byte slots, a spec that refuses non-bytes itself and whose actions cannot
   * reach their input (EngineHooks.checksBytes and successorOnly).
   */
  readonly bytePath: boolean;
  /** The function whose output the run fingerprints instead of the state; undefined for the state itself. */
  readonly representative: Representative | undefined;
  /** A function that unpacks the packed state held in `bytes` (from byte 0) into its argument. */
  unpacker(bytes: Uint8Array): (out: Float64Array) => void;
  /**
   * The state a driver expands the packed state held in `bytes` as, and the function that makes
   * it so after each pop: on the byte path, the bytes themselves (nothing to do).
   */
  expansionState(bytes: Uint8Array): { readonly cur: State; readonly load: () => void };
}

export function compileSpec(spec: Spec, options: RepresentativeOptions = {}): CompiledSpec {
  const layout = spec.layout;
  const n = layout.slots.length;
  const hooks = engineHooksOf(spec);
  const init = spec.init.map((s, k) => initialState(layout, s, k));
  const bytePath = layout.bytesOnly && hooks.checksBytes === true && hooks.successorOnly === true;
  return {
    spec,
    layout,
    slots: n,
    width: layout.width,
    words: layout.width >> 2,
    bytesOnly: layout.bytesOnly,
    init,
    actions: spec.actions,
    lo: Float64Array.from(layout.slots.map((s) => s.minCode)),
    hi: Float64Array.from(layout.slots.map((s) => s.maxCode)),
    offsets: Int32Array.from(layout.slots.map((s) => s.offset)),
    kinds: Uint8Array.from(layout.slots.map((s) => (s.signed ? 8 : 0) | s.bytes)),
    writes: hooks.writes,
    observer: hooks.observer,
    successorOnly: hooks.successorOnly === true,
    applyAction: hooks.applyAction !== undefined && hooks.applyAction.actions === spec.actions ? hooks.applyAction.apply : undefined,
    bytePath,
    representative: representative(spec, options, bytePath ? layout.width : n),
    unpacker(bytes: Uint8Array): (out: Float64Array) => void {
      if (layout.bytesOnly) {
        // A typed-array copy converts the bytes in native code: several times faster than a loop.
        const view = bytes.subarray(0, n);
        return (out) => out.set(view);
      }
      return (out) => layout.unpack(bytes, 0, out);
    },
    expansionState(bytes: Uint8Array): { readonly cur: State; readonly load: () => void } {
      if (this.bytePath) return { cur: bytes, load: () => undefined };
      const cur = new Float64Array(n);
      const unpack = this.unpacker(bytes);
      return { cur, load: () => unpack(cur) };
    },
  };
}

/**
 * How the expansions after the contract checks check for writes of the input state: once per
 * state (`state`), or not (`none`: the run asked for sampled checks, or the actions cannot reach
 * their input). And what the result says was checked.
 */
export function inputCheckOf(c: CompiledSpec, inputChecks: 'every' | 'sampled' | undefined): { readonly check: 'state' | 'none'; readonly reported: InputWriteCheck } {
  if (c.successorOnly) return { check: 'none', reported: 'unreachable' };
  if ((inputChecks ?? 'every') === 'sampled') return { check: 'none', reported: 'sampled' };
  return { check: 'state', reported: 'every expansion' };
}

export type InputWriteCheck = 'every expansion' | 'sampled' | 'unreachable';

/**
 * The function whose output a run fingerprints instead of the state: the spec's canonical()
 * (unless turned off), then its symmetry() when asked for; undefined for the state itself.
 */
export function representative(spec: Spec, options: RepresentativeOptions, length = spec.layout.slots.length): Representative | undefined {
  const view = (options.canonical ?? true) ? spec.canonical?.bind(spec) : undefined;
  const sym = options.symmetry ? spec.symmetry?.bind(spec) : undefined;
  if (view && sym) {
    // As long as the states the engine hands it (`length`: the packed width on the byte path).
    const mid = new Float64Array(length);
    return (state, out) => {
      view(state, mid);
      sym(mid, out);
    };
  }
  return view ?? sym;
}
