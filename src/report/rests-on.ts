// What a verdict rests on. For a "holds" claim: record which mechanisms the code uses over the
// claim's search (locks taken per function, wake-ups, i_size and page->mapping checks, lock
// steps in a row), then check one mutant per mechanism (src/model/mutation.ts) at the same
// configuration and properties: a mechanism whose mutant breaks the property is load-bearing (with
// the mutant's shortest counterexample), one whose mutant still holds over its whole state space
// is redundant at these bounds. For a "found" claim: check the fixed variant the claim names at
// the same configuration and property. Returns data; the CLI and the report render it.
import { SpecError, messageOf } from '../core/errors';
import type { Mechanism, SpecDefinition } from '../core/spec';
import { check } from '../check/explore';
import type { CheckResult } from '../check/result';
import { buildSpec } from '../run';
import { lockOrderData } from '../render/svg-lock-order';
import { replay, type Trace } from '../trace/trace';
import { LOCK_ORDER, fixPlace, type Claim } from './claim';
import { findSpec, lockOrderSeen, type ClaimResult } from './run-claims';

/** What one mutant did to one checked property. */
export type MutantVerdict =
  /** The property fails in the mutant: the shortest counterexample (none for a lock-order cycle). */
  | { readonly kind: 'breaks'; readonly trace?: Trace; readonly length?: number; readonly what: string }
  /** The property holds over the mutant's whole state space. */
  | { readonly kind: 'holds' }
  /** A limit cut the mutant's search before it found a violation. */
  | { readonly kind: 'unsettled'; readonly detail: string }
  /** The mutant could not be checked (a spec error: the changed code breaks a contract). */
  | { readonly kind: 'error'; readonly message: string };

export interface MutantResult {
  readonly mechanism: Mechanism;
  /** Per checked property (and 'deadlock', 'lock order'), in the order asked. */
  readonly verdicts: ReadonlyMap<string, MutantVerdict>;
  readonly distinct: number;
  /** The mutant's `sometimes` witnesses it never reached (a thread that can no longer finish). */
  readonly unwitnessed: readonly string[];
}

/** The analysis of one spec and configuration for some properties. */
export interface Analysis {
  readonly spec: string;
  readonly config: string;
  readonly properties: readonly string[];
  /** The unmutated search that recorded the mechanisms. */
  readonly baseline: CheckResult;
  /** Every mechanism the baseline met, in code order. */
  readonly met: readonly Mechanism[];
  /** The ones taken away (all met, or those about `only`). */
  readonly mechanisms: readonly Mechanism[];
  readonly mutants: readonly MutantResult[];
  /** The per-mutant state limit, if any (a mutant cut by it is unsettled). */
  readonly maxStates?: number;
}

export interface AnalysisOptions {
  /** Per mutant: stop after this many distinct states (its verdict is then unsettled unless it broke). */
  readonly maxStates?: number;
  /** Per mutant. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Only the mechanisms whose `about` meets one of these (default: every mechanism met). */
  readonly only?: readonly string[];
  /** Called as each mutant is settled. */
  readonly onMutant?: (r: MutantResult, done: number, total: number) => void;
}

/** The options of a search that checks `properties` (and the witnesses) to the end. */
function searchOptions(props: readonly string[], witnesses: readonly string[], o: AnalysisOptions) {
  return {
    // 'deadlock' stays in the list: a list without it turns the deadlock check off.
    properties: [...props.filter((p) => p !== LOCK_ORDER), ...witnesses],
    deadlock: props.includes('deadlock'),
    stopAt: 'all' as const,
    ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/** Whether a mechanism is about one of `subjects` (a claim's `about`). */
export function isAbout(m: Mechanism, subjects: readonly string[]): boolean {
  return m.about.some((a) => subjects.includes(a));
}

/**
 * Records the mechanisms of `def` at `config` over a search of `properties`, then checks a mutant
 * per mechanism. Throws SpecError when the spec has no mutations (it is not built on src/model).
 */
export async function analyse(def: SpecDefinition, config: string, properties: readonly string[], o: AnalysisOptions = {}): Promise<Analysis> {
  const base = buildSpec(def, config);
  if (!base.spec.mutants) throw new SpecError(`spec ${def.id} offers no code mutations (only worlds compiled from daxmc's kernel vocabulary do)`);
  const witnesses = base.spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
  const stop = base.spec.mutants.record();
  // The baseline searches the whole space: a mechanism met only deep in it is still met.
  const baseline = await check(base.spec, searchOptions(properties, witnesses, { ...(o.signal ? { signal: o.signal } : {}) }));
  const met = stop();
  const mechanisms = o.only ? met.filter((m) => isAbout(m, o.only!)) : met;
  const mutants: MutantResult[] = [];
  for (const m of mechanisms) {
    if (o.signal?.aborted) break;
    const r = await checkMutant(def, config, properties, witnesses, m, o);
    mutants.push(r);
    o.onMutant?.(r, mutants.length, mechanisms.length);
  }
  return { spec: def.id, config, properties, baseline, met, mechanisms, mutants, ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}) };
}

/** Checks one mutant: a fresh build with the mechanism taken away. */
export async function checkMutant(
  def: SpecDefinition,
  config: string,
  properties: readonly string[],
  witnesses: readonly string[],
  m: Mechanism,
  o: AnalysisOptions = {},
): Promise<MutantResult> {
  const { spec } = buildSpec(def, config);
  const verdicts = new Map<string, MutantVerdict>();
  try {
    spec.mutants!.apply(m.mutation);
  } catch (e) {
    for (const p of properties) verdicts.set(p, { kind: 'error', message: messageOf(e) });
    return { mechanism: m, verdicts, distinct: 0, unwitnessed: [] };
  }
  const r = await check(spec, searchOptions(properties, witnesses, o));
  for (const p of properties) {
    if (r.verdict === 'error') {
      verdicts.set(p, { kind: 'error', message: r.error ?? 'spec error' });
      continue;
    }
    if (p === LOCK_ORDER) {
      const data = lockOrderData(r.analyses);
      const seen = data ? lockOrderSeen(data) : { cycles: [], inversions: [] };
      if (seen.cycles.length + seen.inversions.length > 0) {
        const what = [...seen.cycles.map((c) => `cycle ${c.join(' -> ')}`), ...seen.inversions.map(([a, b]) => `${a} -> ${b} against the documented order`)].join('; ');
        verdicts.set(p, { kind: 'breaks', what });
      } else verdicts.set(p, r.limit ? { kind: 'unsettled', detail: r.limit.detail } : { kind: 'holds' });
      continue;
    }
    const hit = r.discoveries.find((d) => d.property === p && d.kind !== 'witness');
    if (hit) {
      const trace = replay(spec, hit.path, { specId: def.id, config, property: hit.property, kind: hit.kind, mutant: m.mutation });
      const length = trace.steps.length - 1;
      // A mutant that trips the kernel's own check (a BUG on a lock not held, lock misuse) says so.
      const error = trace.steps.flatMap((st) => st.notes).find((x) => x.kind === 'error');
      const how = trace.diagnosis ? `: ${trace.diagnosis.kind}` : error ? `, after ${error.text}` : '';
      verdicts.set(p, { kind: 'breaks', trace, length, what: `${length} steps${how}` });
    } else verdicts.set(p, r.limit ? { kind: 'unsettled', detail: r.limit.detail } : { kind: 'holds' });
  }
  return { mechanism: m, verdicts, distinct: r.stats.distinct, unwitnessed: r.limit ? [] : r.unwitnessed };
}

/** What one claim rests on, from the analysis of its spec and configuration. */
export interface RestsOn {
  readonly claim: Claim;
  readonly analysis: Analysis;
  /** Mechanisms whose mutant breaks the claim's property, with the counterexample. */
  readonly loadBearing: readonly { readonly mechanism: Mechanism; readonly verdict: Extract<MutantVerdict, { kind: 'breaks' }> }[];
  /** Mechanisms whose mutant still holds over its whole space. */
  readonly redundant: readonly { readonly mechanism: Mechanism; readonly unwitnessed: readonly string[] }[];
  readonly unsettled: readonly Mechanism[];
  readonly errors: readonly { readonly mechanism: Mechanism; readonly message: string }[];
  /**
   * Set when the claim says what it is about and none of those mechanisms is load-bearing here:
   * the verdict says nothing about them at these bounds. The words say why.
   */
  readonly flag?: string;
  /** Only the mechanisms about these were taken away (a slow claim in the report: what its configuration's claims are about). */
  readonly only?: readonly string[];
}

/** The claim's share of an analysis. */
export function restsOn(claim: Claim, a: Analysis): RestsOn {
  const loadBearing: RestsOn['loadBearing'][number][] = [];
  const redundant: RestsOn['redundant'][number][] = [];
  const unsettled: Mechanism[] = [];
  const errors: RestsOn['errors'][number][] = [];
  for (const m of a.mutants) {
    const v = m.verdicts.get(claim.property);
    if (!v) continue;
    switch (v.kind) {
      case 'breaks':
        loadBearing.push({ mechanism: m.mechanism, verdict: v });
        break;
      case 'holds':
        redundant.push({ mechanism: m.mechanism, unwitnessed: m.unwitnessed });
        break;
      case 'unsettled':
        unsettled.push(m.mechanism);
        break;
      case 'error':
        errors.push({ mechanism: m.mechanism, message: v.message });
        break;
    }
  }
  const about = claim.about ?? [];
  let flag: string | undefined;
  if (about.length > 0 && claim.expect === 'holds') {
    const mine = a.mutants.filter((m) => isAbout(m.mechanism, about));
    const bearing = loadBearing.filter((l) => isAbout(l.mechanism, about));
    const open = unsettled.filter((m) => isAbout(m, about));
    if (mine.length === 0) flag = `none of the code it is about (${about.join(', ')}) runs in this configuration`;
    else if (bearing.length === 0 && open.length === 0) {
      flag = `rests on none of what it is about (${about.join(', ')}): it still holds with ${mine.map((m) => `'${m.mechanism.id}'`).join(', ')}`;
    }
  }
  return { claim, analysis: a, loadBearing, redundant, unsettled, errors, ...(flag ? { flag } : {}) };
}

/** A found claim's fix: the fixed variant at the same configuration and property. */
export interface FixResult {
  readonly claim: Claim;
  /** The fixed spec id and the configuration it is checked at (Claim.fix). */
  readonly spec: string;
  readonly config: string;
  readonly status: 'holds' | 'still found' | 'no such configuration' | 'incomplete' | 'error';
  /** In words: "holds over 17 states", "still found: 13 steps", "has no configuration b12-cow". */
  readonly outcome: string;
  readonly distinct?: number;
}

/** Checks that the claim's fixed variant holds where the claim finds the bug. */
export async function checkFix(specs: readonly SpecDefinition[], claim: Claim, o: { timeoutMs?: number; signal?: AbortSignal; maxStates?: number } = {}): Promise<FixResult | undefined> {
  const place = fixPlace(claim);
  if (place === undefined) return undefined;
  const def = findSpec(specs, place.spec);
  const config = place.config;
  if (!Object.hasOwn(def.configs, config)) {
    return { claim, spec: def.id, config, status: 'no such configuration', outcome: `${def.id} has no configuration ${config}` };
  }
  const { spec } = buildSpec(def, config);
  const witnesses = spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
  const deadlock = claim.property === 'deadlock';
  const r = await check(spec, {
    properties: claim.property === LOCK_ORDER ? witnesses : [claim.property, ...witnesses],
    deadlock,
    stopAt: claim.property === LOCK_ORDER ? 'all' : 'first',
    ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const states = r.stats.distinct.toLocaleString('en-US');
  if (r.verdict === 'error') return { claim, spec: def.id, config, status: 'error', outcome: `error: ${r.error}` };
  if (claim.property === LOCK_ORDER) {
    const data = lockOrderData(r.analyses);
    const seen = data ? lockOrderSeen(data) : { cycles: [], inversions: [] };
    if (seen.cycles.length + seen.inversions.length > 0) return { claim, spec: def.id, config, status: 'still found', outcome: `still found: cycle ${seen.cycles.map((c) => c.join(' -> ')).join('; ')}`, distinct: r.stats.distinct };
  } else {
    const hit = r.discoveries.find((d) => d.property === claim.property && d.kind !== 'witness');
    if (hit) return { claim, spec: def.id, config, status: 'still found', outcome: `still found: ${hit.path.actions.length} steps`, distinct: r.stats.distinct };
  }
  if (r.verdict === 'incomplete') return { claim, spec: def.id, config, status: 'incomplete', outcome: `incomplete after ${states} states`, distinct: r.stats.distinct };
  return { claim, spec: def.id, config, status: 'holds', outcome: `holds over ${states} states`, distinct: r.stats.distinct };
}


/** Why a claim was not analysed (heavy, slow without --full, a found claim, a spec without mutations). */
export interface NotAnalysed {
  readonly claim: Claim;
  readonly reason: string;
}

export interface ClaimsAnalysisOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called as each claim's analysis (or fix check) is known. */
  readonly onClaim?: (r: RestsOn | NotAnalysed | FixResult) => void;
}

/**
 * The report's analysis of many claims: one analysis per spec and configuration of `holds`
 * claims (their properties together), and the fix check of every `found` claim that names one.
 * Heavy claims are not analysed; a slow claim's analysis covers only the mechanisms it is
 * `about` (`daxmc why CLAIM` takes every one away, in minutes).
 */
export async function analyseClaims(
  specs: readonly SpecDefinition[],
  claims: readonly Claim[],
  o: ClaimsAnalysisOptions = {},
): Promise<{ readonly restsOn: ReadonlyMap<Claim, RestsOn | NotAnalysed>; readonly fixes: ReadonlyMap<Claim, FixResult> }> {
  const restsOnOf = new Map<Claim, RestsOn | NotAnalysed>();
  const fixes = new Map<Claim, FixResult>();
  const groups = new Map<string, Claim[]>();
  const note = (r: RestsOn | NotAnalysed): void => {
    restsOnOf.set(r.claim, r);
    o.onClaim?.(r);
  };
  for (const c of claims) {
    if (c.expect !== 'holds') continue;
    if (c.heavy) {
      note({ claim: c, reason: 'heavy: not analysed' });
      continue;
    }
    const key = `${c.spec}\u0000${c.config}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const group of groups.values()) {
    if (o.signal?.aborted) break;
    const first = group[0];
    const slow = group.some((c) => c.slow);
    const about = [...new Set(group.flatMap((c) => c.about ?? []))];
    if (slow && about.length === 0) {
      for (const c of group) note({ claim: c, reason: 'slow: not analysed here (daxmc why CLAIM analyses it, in minutes)' });
      continue;
    }
    const def = findSpec(specs, first.spec);
    let a: Analysis;
    try {
      a = await analyse(def, first.config, [...new Set(group.map((c) => c.property))], {
        ...(slow ? { only: about } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      for (const c of group) note({ claim: c, reason: `not analysed: ${messageOf(e)}` });
      continue;
    }
    if (o.signal?.aborted) break;
    for (const c of group) note(slow ? { ...restsOn(c, a), only: about } : restsOn(c, a));
  }
  for (const c of claims) {
    if (o.signal?.aborted) break;
    if (c.expect !== 'found' || c.fix === undefined) continue;
    const f = await checkFix(specs, c, { ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    if (f) {
      fixes.set(c, f);
      o.onClaim?.(f);
    }
  }
  return { restsOn: restsOnOf, fixes };
}

/** The fix by its spec, and its configuration when it is not the claim's: "v4.3/cow-fix", "abba at two-fixed". */
export function fixWords(fix: FixResult, quote = (x: string): string => x): string {
  return fix.config === fix.claim.config ? quote(fix.spec) : `${quote(fix.spec)} at ${quote(fix.config)}`;
}

/** A RestsOn or a reason it is missing. */
export function isRestsOn(r: RestsOn | NotAnalysed): r is RestsOn {
  return 'analysis' in r;
}

/**
 * A claim's result with its analysis and fix. A fix that does not hold where the claim finds the
 * bug is a difference (the claim names the wrong variant, or the fix is incomplete).
 */
export function withAnalysis(r: ClaimResult, rests: RestsOn | NotAnalysed | undefined, fix: FixResult | undefined): ClaimResult {
  const fixWrong = fix !== undefined && fix.status !== 'holds' && fix.status !== 'incomplete';
  const differences = fixWrong ? [...r.differences, `the fix ${fixWords(fix)} ${fix.outcome}`] : r.differences;
  return {
    ...r,
    differences,
    ...(fixWrong && r.status === 'agrees' ? { status: 'differs' as const } : {}),
    ...(rests ? { restsOn: rests } : {}),
    ...(fix ? { fix } : {}),
  };
}
