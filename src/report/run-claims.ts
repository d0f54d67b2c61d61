// Settles claims: runs each claim's check (only its property; deadlock checking only for
// `deadlock` claims; BFS to the first counterexample, or exhaustively for `holds`) and compares
// the outcome with what the claim pinned. Returns data; the CLI and the report render it.
import { UsageError } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import type { CheckResult } from '../check/result';
import { buildSpec, run, type RunOutcome } from '../run';
import type { Trace } from '../trace/trace';
import { lockOrderData, type LockOrderData } from '../render/svg-lock-order';
import { LOCK_ORDER, type Claim } from './claim';
import type { FixResult, NotAnalysed, RestsOn } from './rests-on';

export type ClaimStatus = 'agrees' | 'differs' | 'incomplete' | 'error';

export interface ClaimResult {
  readonly claim: Claim;
  readonly status: ClaimStatus;
  /** What the checker found, in words: "found, 47 steps", "found, 24 steps: self-deadlock", "holds over 12,304 states". */
  readonly outcome: string;
  /** Every way the result differs from the claim. */
  readonly differences: readonly string[];
  readonly result: CheckResult;
  readonly trace?: Trace;
  readonly outcomeRun: RunOutcome;
  /** For `found` claims with `smaller`: whether the smaller configuration also finds it. */
  readonly smallerFinds?: boolean;
  /** Steps that never ran in a `holds` check (the model may be vacuous there). */
  readonly unreached: readonly string[];
  /** What a `holds` verdict rests on (the load-bearing analysis), when the report ran it. */
  readonly restsOn?: RestsOn | NotAnalysed;
  /** A `found` claim's fix (Claim.fix) checked, when the report ran the analysis. */
  readonly fix?: FixResult;
}

export interface ClaimOptions {
  readonly timeoutMs?: number;
  readonly maxStates?: number;
  readonly signal?: AbortSignal;
}

export function findSpec(specs: readonly SpecDefinition[], id: string): SpecDefinition {
  const def = specs.find((s) => s.id === id);
  if (!def) throw new UsageError(`unknown spec '${id}' (see daxmc list)`);
  return def;
}

async function runFor(def: SpecDefinition, config: string, property: string, o: ClaimOptions, witnesses: boolean): Promise<RunOutcome> {
  const deadlock = property === 'deadlock';
  if (property === LOCK_ORDER) {
    // The lock-order view needs the whole state space: no property can end the search early.
    const w = buildSpec(def, config).spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
    return run(def, {
      config,
      check: {
        properties: w,
        deadlock: false,
        stopAt: 'all',
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      },
    });
  }
  // A `holds` check also runs the spec's `sometimes` witnesses: a holds over a model whose
  // paths cannot complete would be vacuous.
  const extra = witnesses ? buildSpec(def, config).spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name) : [];
  return run(def, {
    config,
    check: {
      properties: [deadlock ? 'deadlock' : property, ...extra],
      deadlock,
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    },
  });
}

export async function checkClaim(specs: readonly SpecDefinition[], claim: Claim, o: ClaimOptions = {}): Promise<ClaimResult> {
  const def = findSpec(specs, claim.spec);
  const out = await runFor(def, claim.config, claim.property, o, claim.expect === 'holds');
  return judge(specs, claim, out, out.result, out.trace, o);
}

/**
 * Settles many claims. `holds` claims on the same spec and configuration share one exhaustive
 * search that checks all their properties (and the witnesses) at once: the state space is the
 * same, so each claim's verdict and distinct count are what its own run would give.
 */
export async function checkClaims(
  specs: readonly SpecDefinition[],
  claims: readonly Claim[],
  o: ClaimOptions = {},
  /** Called once per claim as its result is known (a group's claims together), in that order. */
  onResult?: (r: ClaimResult, done: number, total: number) => void,
): Promise<ClaimResult[]> {
  const results = new Map<Claim, ClaimResult>();
  const groups = new Map<string, Claim[]>();
  for (const c of claims) {
    if (c.expect !== 'holds' || c.property === LOCK_ORDER) continue;
    const key = `${c.spec}\u0000${c.config}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const c of claims) {
    if (o.signal?.aborted) break;
    if (results.has(c)) continue;
    const group = c.expect === 'holds' && c.property !== LOCK_ORDER ? groups.get(`${c.spec}\u0000${c.config}`)! : [c];
    if (group.length === 1) {
      const r = await checkClaim(specs, c, o);
      results.set(c, r);
      onResult?.(r, results.size, claims.length);
    } else {
      const def = findSpec(specs, c.spec);
      const props = [...new Set(group.map((g) => g.property))];
      const witnesses = buildSpec(def, c.config).spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
      const out = await run(def, {
        config: c.config,
        check: {
          properties: [...props, ...witnesses],
          deadlock: props.includes('deadlock'),
          stopAt: 'all',
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs * group.length } : {}),
          ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        },
      });
      for (const g of group) {
        const hit = out.traces.find((t) => t.discovery.property === g.property && t.discovery.kind !== 'witness');
        const own = out.result.verdict === 'pass' || out.result.verdict === 'fail'
          ? { ...out.result, verdict: hit ? ('fail' as const) : ('pass' as const), ...(hit ? { failure: hit.discovery } : {}) }
          : out.result;
        const r = await judge(specs, g, out, own, hit?.trace, o);
        results.set(g, r);
        onResult?.(r, results.size, claims.length);
      }
    }
  }
  return claims.filter((c) => results.has(c)).map((c) => results.get(c)!);
}

async function judge(
  specs: readonly SpecDefinition[],
  claim: Claim,
  out: RunOutcome,
  r: CheckResult,
  trace: Trace | undefined,
  o: ClaimOptions,
): Promise<ClaimResult> {
  const def = findSpec(specs, claim.spec);
  const differences: string[] = [];
  let outcome: string;
  let status: ClaimStatus;
  const length = trace ? trace.steps.length - 1 : undefined;
  if (r.verdict === 'error') {
    status = 'error';
    outcome = `error: ${r.error}`;
  } else if (r.verdict === 'incomplete') {
    status = 'incomplete';
    outcome = `incomplete after ${r.stats.distinct.toLocaleString('en-US')} states (${r.limit?.detail ?? 'limit'})`;
  } else if (claim.property === LOCK_ORDER) {
    const data = lockOrderData(r.analyses);
    const seen = data ? lockOrderSeen(data) : { cycles: [], inversions: [] };
    const found = seen.cycles.length + seen.inversions.length > 0;
    outcome = found
      ? `found: ${[...seen.cycles.map((c) => `cycle ${c.join(' -> ')}`), ...seen.inversions.map(([a, b]) => `${a} -> ${b} against the documented order`)].join('; ')}`
      : `holds: no lock-order cycle over ${r.stats.distinct.toLocaleString('en-US')} states`;
    if (!data) differences.push('the spec has no lock-order analysis');
    if (found !== (claim.expect === 'found')) differences.push(`expected ${claim.expect === 'found' ? 'a lock-order cycle' : 'no lock-order cycle'}, checker says ${outcome}`);
    if (claim.expect === 'found' && claim.cycle && !seen.cycles.some((c) => sameCycle(c, claim.cycle!))) differences.push(`no cycle ${claim.cycle.join(' -> ')}`);
    if (claim.expect === 'found' && claim.inversion && !seen.inversions.some(([a, b]) => a === claim.inversion![0] && b === claim.inversion![1])) differences.push(`no acquisition ${claim.inversion.join(' -> ')} against a documented order`);
    if (r.unwitnessed.length > 0) differences.push(`witnesses never reached (the model may be vacuous): ${r.unwitnessed.join(', ')}`);
    if (r.stats.distinct !== claim.distinct) differences.push(`distinct states ${r.stats.distinct}, pinned ${claim.distinct}`);
    status = differences.length === 0 ? 'agrees' : 'differs';
  } else {
    const found = r.verdict === 'fail';
    outcome = found
      ? `found, ${length} steps${trace?.diagnosis ? `: ${trace.diagnosis.kind}` : ''}`
      : `holds over ${r.stats.distinct.toLocaleString('en-US')} states`;
    if (found !== (claim.expect === 'found')) differences.push(`expected ${claim.expect === 'found' ? 'a counterexample' : 'the property to hold'}, checker says ${outcome}`);
    if (!found && r.unwitnessed.length > 0) differences.push(`witnesses never reached (the model may be vacuous): ${r.unwitnessed.join(', ')}`);
    if (r.stats.distinct !== claim.distinct) differences.push(`distinct states ${r.stats.distinct}, pinned ${claim.distinct}`);
    if (found && claim.length !== undefined && length !== claim.length) differences.push(`trace length ${length}, pinned ${claim.length}`);
    if (found && claim.diagnosis !== undefined && trace?.diagnosis?.kind !== claim.diagnosis) {
      differences.push(`diagnosis '${trace?.diagnosis?.kind ?? 'none'}', pinned '${claim.diagnosis}'`);
    }
    status = differences.length === 0 ? 'agrees' : 'differs';
  }
  let smallerFinds: boolean | undefined;
  if (claim.smaller && status === 'agrees') {
    const small = await runFor(def, claim.smaller, claim.property, o, false);
    if (claim.property === LOCK_ORDER) {
      const d = lockOrderData(small.result.analyses);
      const seen = d ? lockOrderSeen(d) : { cycles: [], inversions: [] };
      smallerFinds = seen.cycles.length + seen.inversions.length > 0;
    } else smallerFinds = small.result.verdict === 'fail';
    if (smallerFinds) {
      differences.push(`the smaller configuration ${claim.smaller} also finds it: ${claim.config} is not the smallest`);
      status = 'differs';
    }
  }
  const unreached: string[] = [];
  if (claim.expect === 'holds' && r.verdict === 'pass') {
    r.coverage.generated.forEach((n, a) => {
      if (n === 0) {
        const act = out.spec.actions[a];
        unreached.push(act.actor ? `${act.actor}: ${act.name}` : act.name);
      }
    });
  }
  return {
    claim,
    status,
    outcome,
    differences,
    result: r,
    ...(trace ? { trace } : {}),
    outcomeRun: out,
    ...(smallerFinds !== undefined ? { smallerFinds } : {}),
    unreached,
  };
}

/** The cycles (class names, in cycle order) and documented-order inversions ([held, acquired]) of a lock-order view. */
export function lockOrderSeen(d: LockOrderData): { cycles: string[][]; inversions: [string, string][] } {
  return {
    cycles: d.cycles.map((c) => c.map((i) => d.edges[i].from)),
    inversions: (d.inversions ?? []).map((v) => [d.edges[v.edge].from, d.edges[v.edge].to]),
  };
}

/** Two cycles of class names are the same up to where they start. */
function sameCycle(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  return a.some((_, k) => a.every((x, i) => x === b[(i + k) % b.length]));
}
