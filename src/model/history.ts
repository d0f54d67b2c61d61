// Reading a path backwards for the property library's explanations: the step at which a fact
// last became true (the store, the allocation, the zeroing), and each step in kernel words
// ("T2 at dax_insert_mapping: clear_pmem (step 40)"). Used by Property.explain; not the engine.
import type { PathStates, State } from '../core/spec';
import type { FlatStep } from './paths';
import { stepWords } from './present';
import type { Offsets, World } from './world';

/** Which thread and step an action index is (given by compile). */
export type StepOf = (action: number) => { readonly thread: number; readonly step: FlatStep };

export class History {
  constructor(
    readonly world: World,
    readonly off: Offsets,
    readonly path: PathStates,
    private readonly stepOf?: StepOf,
  ) {}

  /** The number of transitions; states[n] is the state the violation is seen in. */
  get n(): number {
    return this.path.states.length - 1;
  }

  get last(): State {
    return this.path.states[this.n];
  }

  at(k: number): State {
    return this.path.states[k];
  }

  /**
   * The step after which `fact` has held ever since: the last k with fact false in state k-1 and
   * true from state k to the end; 0 when it held from the initial state; undefined when it does
   * not hold at the end.
   */
  since(fact: (s: State) => boolean): number | undefined {
    const { states } = this.path;
    if (!fact(states[this.n])) return undefined;
    for (let k = this.n; k > 0; k--) if (!fact(states[k - 1])) return k;
    return 0;
  }

  /** The thread that took step k, or undefined for the initial state. */
  actor(k: number): string | undefined {
    if (k <= 0 || !this.stepOf) return undefined;
    return this.world.threads[this.stepOf(this.path.actions[k - 1]).thread]?.name;
  }

  /** Step k in kernel words: `T2 at dax_insert_mapping: clear_pmem (step 40)`. */
  step(k: number): string {
    if (k <= 0) return 'the initial state';
    if (!this.stepOf) return `step ${k}`;
    const { thread, step } = this.stepOf(this.path.actions[k - 1]);
    return `${this.world.threads[thread]?.name ?? '?'} at ${stepWords(step).short} (step ${k})`;
  }
}
