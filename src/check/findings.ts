// What a run has found so far, and the checks that find it: the selected properties of each new
// state, in the order a breadth-first search meets them; deadlocks and witnesses recorded once
// each. The pipeline's StateChecks for every search that records discoveries (the sequential
// search, the parallel search's coordinator, simulate); not a search. (The domain of every
// value an action writes is checked as the successor is made: expand.ts.)
import { SpecError } from '../core/errors';
import type { State } from '../core/layout';
import type { LivenessProperty } from '../core/liveness';
import type { Property, Spec } from '../core/spec';
import type { StateChecks } from './pipeline';
import type { ActionPath, CheckListener, CheckResult, Coverage, Discovery, LimitKind, Stats } from './result';

/** Which properties a run checks, resolved once. */
export interface PropertyPlan {
  readonly invariants: readonly Property[];
  readonly witnesses: readonly Property[];
  readonly deadlockWanted: boolean;
  /** Temporal properties, checked over the state graph once the search is done. */
  readonly liveness: readonly LivenessProperty[];
}

export function planProperties(
  spec: Spec,
  options: { readonly properties?: readonly string[]; readonly deadlock?: boolean; readonly liveness?: boolean },
): PropertyPlan {
  const selected = options.properties;
  const temporal = spec.liveness ?? [];
  if (selected) {
    for (const p of selected) {
      if (p !== 'deadlock' && !spec.properties.some((q) => q.name === p) && !temporal.some((q) => q.name === p)) {
        throw new SpecError(`spec ${spec.name} has no property '${p}'`);
      }
    }
  }
  const props = spec.properties.filter((p) => !selected || selected.includes(p.name));
  return {
    invariants: props.filter((p) => p.kind === 'always'),
    witnesses: props.filter((p) => p.kind === 'sometimes'),
    deadlockWanted: (options.deadlock ?? true) && (!selected || selected.includes('deadlock') || selected.length === 0),
    liveness: (options.liveness ?? true) ? temporal.filter((p) => !selected || selected.includes(p.name)) : [],
  };
}

export class Findings implements StateChecks {
  readonly invariants: readonly Property[];
  readonly witnesses: readonly Property[];
  readonly deadlockWanted: boolean;
  readonly liveness: readonly LivenessProperty[];
  readonly violated: boolean[];
  readonly witnessed: boolean[];
  readonly discoveries: Discovery[] = [];
  failure: Discovery | undefined;
  deadlockFound = false;
  /** Whether checkNew has an invariant or a witness to check (StateChecks.looksAtStates). */
  readonly looksAtStates: boolean;

  constructor(
    plan: PropertyPlan,
    private readonly listener: CheckListener,
    readonly stopAtFirst: boolean,
    /** The action path to a state id (the run's store). */
    private readonly pathTo: (id: number) => ActionPath,
  ) {
    this.invariants = plan.invariants;
    this.witnesses = plan.witnesses;
    this.deadlockWanted = plan.deadlockWanted;
    this.liveness = plan.liveness;
    this.violated = new Array<boolean>(this.invariants.length).fill(false);
    this.witnessed = new Array<boolean>(this.witnesses.length).fill(false);
    this.looksAtStates = this.invariants.length + this.witnesses.length > 0;
  }

  record(d: Discovery): void {
    this.discoveries.push(d);
    this.listener.onDiscovery?.(d);
    if (d.kind === 'deadlock') this.deadlockFound = true;
    if (d.kind !== 'witness' && !this.failure) this.failure = d;
  }

  checkNew(state: State, id: number): boolean {
    return this.checkState(state, id, this.pathTo);
  }

  /** Checks a new state's properties; returns true if the search should stop. */
  checkState(state: State, id: number, pathTo: (id: number) => ActionPath): boolean {
    const invariants = this.invariants;
    for (let i = 0; i < invariants.length; i++) {
      if (this.violated[i]) continue;
      if (!invariants[i].holds(state)) {
        this.violated[i] = true;
        this.record({ property: invariants[i].name, kind: 'invariant', path: pathTo(id) });
        if (this.stopAtFirst) return true;
      }
    }
    const witnesses = this.witnesses;
    for (let i = 0; i < witnesses.length; i++) {
      if (this.witnessed[i]) continue;
      if (witnesses[i].holds(state)) {
        this.witnessed[i] = true;
        this.record({ property: witnesses[i].name, kind: 'witness', path: pathTo(id) });
      }
    }
    return false;
  }

  get deadlockOpen(): boolean {
    return this.deadlockWanted && !this.deadlockFound;
  }

  deadlock(id: number): boolean {
    return this.deadlockAt(this.pathTo(id));
  }

  /** Records a deadlock at the end of `path` (once per run); returns true if the search should stop. */
  deadlockAt(path: ActionPath): boolean {
    if (this.deadlockFound) return false;
    this.record({ property: 'deadlock', kind: 'deadlock', path });
    return this.stopAtFirst;
  }

  /**
   * With nothing that can fail, "every failure found" must not end the search early; nor while
   * liveness properties wait for the whole state graph.
   */
  allFailuresFound(): boolean {
    return (this.invariants.length > 0 || this.deadlockWanted) && this.liveness.length === 0 && this.violated.every(Boolean) && (!this.deadlockWanted || this.deadlockFound);
  }

  unwitnessed(): string[] {
    return this.witnesses.filter((_, i) => !this.witnessed[i]).map((w) => w.name);
  }
}

/** The result of a search (sequential or parallel) from what it found and its figures. */
export function searchResult(
  spec: Spec,
  f: Findings,
  run: {
    readonly stats: Stats;
    readonly coverage: Coverage;
    readonly limit: { readonly kind: LimitKind; readonly detail: string } | undefined;
    readonly error: string | undefined;
    readonly strategy: 'bfs' | 'dfs';
    readonly reduction?: CheckResult['reduction'];
    readonly livenessSkipped?: string;
    readonly pathTo: (id: number) => ActionPath;
    readonly contract?: CheckResult['contract'];
  },
): CheckResult {
  const verdict = run.error !== undefined ? 'error' : f.failure ? 'fail' : run.limit ? 'incomplete' : 'pass';
  return {
    verdict,
    ...(f.failure ? { failure: f.failure } : {}),
    discoveries: f.discoveries,
    unwitnessed: f.unwitnessed(),
    stats: run.stats,
    coverage: run.coverage,
    ...(run.limit ? { limit: run.limit } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    strategy: run.strategy,
    ...(run.reduction ? { reduction: run.reduction } : {}),
    ...(run.contract ? { contract: run.contract } : {}),
    ...(run.livenessSkipped !== undefined ? { livenessSkipped: run.livenessSkipped } : {}),
    analyses: run.error === undefined && spec.analyses ? spec.analyses(run.pathTo) : [],
  };
}

/** The result of a run that could not start: the spec broke the contract before any search (an initial state outside its domain). */
export function failedBeforeSearch(spec: Spec, error: string, strategy: 'bfs' | 'dfs'): CheckResult {
  const n = spec.actions.length;
  return {
    verdict: 'error',
    discoveries: [],
    unwitnessed: [],
    stats: { distinct: 0, generated: 0, depth: 0, queued: 0, elapsedMs: 0, collisionProbability: 0, storeBytes: 0 },
    coverage: { generated: new Uint32Array(n), distinct: new Uint32Array(n) },
    error,
    strategy,
    analyses: [],
  };
}
