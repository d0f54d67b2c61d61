// Checking one given action path instead of searching (`daxmc check --path 0/1/5`): replay it,
// evaluate the selected properties in every state along it, and report the first violation (the
// trace stops there, as a search would), else a deadlock in its last state. Returns the same
// CheckResult shape as the engine so the renderers and exit codes apply unchanged. Never prints.
import type { Spec } from '../core/spec';
import { SpecError, TraceFileError } from '../core/errors';
import { checkLasso } from './lasso';
import type { ActionPath, CheckResult, Discovery } from '../check/result';
import { firstEnabled } from './itf';
import { replay, type Trace } from './trace';

export interface PathCheckOptions {
  /** Only these properties (default: all); 'deadlock' names the deadlock check. */
  readonly properties?: readonly string[];
  /** Report a deadlock in the last state (default true). */
  readonly deadlock?: boolean;
  /** For a lasso (a path with a loop): check the liveness properties along it (default true). */
  readonly liveness?: boolean;
}

export interface PathCheck {
  readonly result: CheckResult;
  /** The trace of the failure (cut at the violation), or of the whole path when nothing fails. */
  readonly trace: Trace;
}

export function checkPath(
  spec: Spec,
  path: ActionPath,
  info: { readonly specId: string; readonly config: string },
  opts: PathCheckOptions = {},
): PathCheck {
  const started = performance.now();
  const selected = opts.properties;
  if (selected) {
    for (const p of selected) {
      if (p !== 'deadlock' && !spec.properties.some((q) => q.name === p) && !(spec.liveness ?? []).some((q) => q.name === p)) {
        throw new SpecError(`spec ${spec.name} has no property '${p}'`);
      }
    }
  }
  const props = spec.properties.filter((p) => !selected || selected.includes(p.name));
  const invariants = props.filter((p) => p.kind === 'always');
  const witnesses = props.filter((p) => p.kind === 'sometimes');
  const deadlockWanted = (opts.deadlock ?? true) && (!selected || selected.length === 0 || selected.includes('deadlock'));

  const full = replay(spec, path, { specId: info.specId, config: info.config });
  const prefix = (k: number): ActionPath => ({ init: path.init, actions: path.actions.slice(0, k) });
  const discoveries: Discovery[] = [];
  const witnessed = new Set<string>();
  let failure: Discovery | undefined;
  for (const step of full.steps) {
    for (const w of witnesses) {
      if (!witnessed.has(w.name) && w.holds(step.state)) {
        witnessed.add(w.name);
        discoveries.push({ property: w.name, kind: 'witness', path: prefix(step.index) });
      }
    }
    const bad = invariants.find((p) => !p.holds(step.state));
    if (bad) {
      failure = { property: bad.name, kind: 'invariant', path: prefix(step.index) };
      discoveries.push(failure);
      break;
    }
  }
  // A lasso violates a liveness property when the cycle closes, the property fails along the
  // behaviour it stands for, and the cycle is fair (checkLasso); otherwise the property holds on it.
  if (!failure && path.loop !== undefined && (opts.liveness ?? true)) {
    const states = full.steps.map((st) => st.state);
    for (const lp of (spec.liveness ?? []).filter((p) => !selected || selected.includes(p.name))) {
      try {
        checkLasso(spec, lp, states, path.actions, path.loop);
      } catch (e) {
        if (e instanceof TraceFileError) continue;
        throw e;
      }
      failure = { property: lp.name, kind: 'liveness', path };
      discoveries.push(failure);
      break;
    }
  }
  const last = full.steps[full.steps.length - 1];
  if (!failure && path.loop === undefined && deadlockWanted && firstEnabled(spec, last.state) === undefined && !(spec.isTerminal?.(last.state) ?? false)) {
    failure = { property: 'deadlock', kind: 'deadlock', path };
    discoveries.push(failure);
  }
  const trace = failure
    ? replay(spec, failure.path, { specId: info.specId, config: info.config, property: failure.property, kind: failure.kind })
    : full;
  const states = trace.steps.length;
  const result: CheckResult = {
    verdict: failure ? 'fail' : 'pass',
    ...(failure ? { failure } : {}),
    discoveries,
    unwitnessed: witnesses.filter((w) => !witnessed.has(w.name)).map((w) => w.name),
    stats: {
      distinct: states,
      generated: states,
      depth: states,
      queued: 0,
      elapsedMs: performance.now() - started,
      collisionProbability: 0,
      storeBytes: 0,
    },
    coverage: { generated: new Uint32Array(spec.actions.length), distinct: new Uint32Array(spec.actions.length) },
    strategy: 'bfs',
    analyses: [],
  };
  return { result, trace };
}

