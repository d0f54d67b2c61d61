// Random simulation: seeded random walks for configurations too big to search exhaustively.
// Each run starts from a random initial state and takes up to `steps` transitions, each chosen
// uniformly among the enabled ones, checking the selected properties in every state it visits
// and reporting a deadlock where no action is enabled. The walks depend only on the spec and
// the seed (a xoshiro128** PRNG, never Math.random); each run's PRNG state is reported so the
// run can be repeated alone, and a violation comes with its action path, which
// `daxmc check --path` replays. Finding nothing proves nothing: such a run is incomplete.
import { SpecError } from '../core/errors';
import type { Spec } from '../core/spec';
import { compileSpec, type CompiledSpec } from './compiled-spec';
import { Expander } from './expand';
import type { CheckOptions } from './explore';
import { Findings, planProperties } from './findings';
import { isDeadlock } from './pipeline';
import { timeLimitDetail, type ActionPath, type CheckListener, type Discovery } from './result';
import { SlotTable } from './probe';
import { Prng } from './prng';

export interface SimulateOptions extends Pick<CheckOptions, 'properties' | 'deadlock' | 'timeoutMs' | 'signal' | 'canonical' | 'symmetry'> {
  /** The PRNG seed (any safe integer). */
  readonly seed: number;
  /** Transitions per run, at most. */
  readonly steps: number;
  readonly runs: number;
  /** Start the first run from this PRNG state instead of the seed's (to repeat one run). */
  readonly state?: readonly number[];
}

export interface SimulationResult {
  /** `fail`: a violation or deadlock; `incomplete`: none met (a simulation is not exhaustive). */
  readonly verdict: 'fail' | 'incomplete' | 'error';
  readonly failure?: Discovery;
  /** The run (1-based) that met the failure, and the PRNG state it started from. */
  readonly failedRun?: { readonly run: number; readonly state: readonly [number, number, number, number] };
  /** Witnesses met, then the failure, in the order met. */
  readonly discoveries: readonly Discovery[];
  readonly unwitnessed: readonly string[];
  readonly stats: {
    /** Runs started. */
    readonly runs: number;
    /** Transitions taken over all runs. */
    readonly steps: number;
    /** Different states visited (by fingerprint), initial states included. */
    readonly distinct: number;
    /** The longest run, in transitions. */
    readonly longest: number;
    readonly elapsedMs: number;
  };
  /** Transitions taken per action. */
  readonly coverage: Uint32Array;
  readonly error?: string;
  /** Why it stopped before its runs were done (time, interrupt). */
  readonly limit?: string;
}

/** Steps checked after every action (the action contract), as the search's first expansions are. */
const CONTRACT_CHECKS = 2000;

export async function simulate(spec: Spec, options: SimulateOptions, listener: CheckListener = {}): Promise<SimulationResult> {
  const started = performance.now();
  const deadline = options.timeoutMs !== undefined ? started + options.timeoutMs : Infinity;
  // The walk's path, for the discoveries (a simulation keeps no store).
  let walk: number[] = [];
  let walkInit = 0;
  // A random walk sees no whole state graph: liveness properties are not checked here.
  const findings = new Findings(planProperties(spec, { ...options, liveness: false }), listener, true, () => ({ init: walkInit, actions: [...walk] }));
  const seen = new SlotTable();
  const prng = options.state ? new Prng(options.state) : new Prng(options.seed);
  let c: CompiledSpec;
  try {
    c = compileSpec(spec, options);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return {
      verdict: 'error',
      discoveries: [],
      unwitnessed: findings.unwitnessed(),
      stats: { runs: 0, steps: 0, distinct: 0, longest: 0, elapsedMs: performance.now() - started },
      coverage: new Uint32Array(spec.actions.length),
      error: e.message,
    };
  }
  const ex = new Expander(c);
  const cur = new Float64Array(c.slots);
  const curWords = new Int32Array(c.words);
  const curBytes = new Uint8Array(curWords.buffer);
  const fp = new Int32Array(2);
  const coverage = new Uint32Array(spec.actions.length);
  const choices = new Int32Array(Math.max(1, spec.actions.length));
  let runs = 0;
  let steps = 0;
  let longest = 0;
  let limit: string | undefined;
  let failedRun: SimulationResult['failedRun'];
  const finish = (error?: string): SimulationResult => ({
    verdict: error !== undefined ? 'error' : findings.failure ? 'fail' : 'incomplete',
    ...(findings.failure ? { failure: findings.failure } : {}),
    ...(failedRun ? { failedRun } : {}),
    discoveries: findings.discoveries,
    unwitnessed: findings.unwitnessed(),
    stats: { runs, steps, distinct: seen.size, longest, elapsedMs: performance.now() - started },
    coverage,
    ...(error !== undefined ? { error } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  // Initial states outside the constraint are never chosen.
  const starts = c.init.map((_, k) => k).filter((k) => !spec.constraint || spec.constraint(c.init[k].slice()));
  if (starts.length === 0) return finish('every initial state is outside the constraint');
  let lastYield = performance.now();
  try {
    for (let run = 1; run <= options.runs; run++) {
      if (options.signal?.aborted) {
        limit = 'interrupted';
        break;
      }
      const t = performance.now();
      if (t >= deadline) {
        limit = timeLimitDetail(options.timeoutMs);
        break;
      }
      if (t - lastYield > 25) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      runs = run;
      const runState = prng.state;
      const init = starts[prng.below(starts.length)];
      cur.set(c.init[init]);
      c.layout.pack(cur, curBytes);
      const actions: number[] = [];
      walk = actions;
      walkInit = init;
      const path = (): ActionPath => ({ init, actions: [...actions] });
      ex.fingerprint(cur, fp);
      seen.insert(fp[0], fp[1]);
      if (findings.checkState(cur, 0, path)) {
        failedRun = { run, state: runState };
        break;
      }
      for (let step = 0; step < options.steps; step++) {
        const nb = ex.expand(cur, curBytes, curWords, fp[0], fp[1], steps < CONTRACT_CHECKS ? 'action' : 'state');
        if (ex.error) throw ex.error;
        let n = 0;
        for (let k = 0; k < nb; k++) if (ex.pruned[k] === 0) choices[n++] = k;
        if (n === 0) {
          if (isDeadlock(ex, findings, spec, cur) && findings.deadlockAt(path())) failedRun = { run, state: runState };
          break;
        }
        const k = choices[prng.below(n)];
        const a = ex.acts[k];
        ex.materializePacked(k, curWords, curBytes, 0);
        ex.materialize(k, cur);
        fp[0] = ex.hi[k];
        fp[1] = ex.lo[k];
        actions.push(a);
        coverage[a]++;
        steps++;
        // Progress (transitions as `generated`) every 65,536 transitions, even inside one long run.
        if ((steps & 0xffff) === 0) listener.onProgress?.({ distinct: seen.size, generated: steps, depth: actions.length, queued: 0, elapsedMs: performance.now() - started });
        seen.insert(fp[0], fp[1]);
        if (findings.checkState(cur, 0, path)) {
          failedRun = { run, state: runState };
          break;
        }
      }
      if (actions.length > longest) longest = actions.length;
      if (failedRun) break;
    }
  } catch (e) {
    if (e instanceof SpecError) return finish(e.message);
    throw e;
  }
  return finish();
}
