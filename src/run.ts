// The library's front door: resolve a spec definition and configuration, build the spec, run
// the engine, and rebuild the trace of each discovery. The CLI, the report and tests call this;
// it returns data and never prints.
import { SpecError, UsageError, messageOf } from './core/errors';
import { initialState } from './core/layout';
import { userPlaceOf } from './core/source-place';
import type { Params, Spec, SpecDefinition } from './core/spec';
import { check, type CheckOptions } from './check/explore';
import type { CheckListener, CheckResult, Discovery } from './check/result';
import { replay, type Trace } from './trace/trace';

export interface RunOutcome {
  readonly definition: SpecDefinition;
  readonly config: string;
  readonly params: Params;
  readonly spec: Spec;
  readonly result: CheckResult;
  /** The trace of the first failure (shortest with BFS). */
  readonly trace?: Trace;
  /** Traces of every discovery, in the order found. */
  readonly traces: readonly { readonly discovery: Discovery; readonly trace: Trace }[];
}

export function resolveConfig(def: SpecDefinition, config?: string): { name: string; params: Params } {
  const name = config ?? def.defaultConfig;
  // Own properties only: `--config constructor` or `__proto__` names no configuration.
  const c = Object.hasOwn(def.configs, name) ? def.configs[name] : undefined;
  if (!c) {
    throw new UsageError(
      `spec ${def.id} has no configuration '${name}' (it has: ${Object.keys(def.configs).join(', ')})`,
    );
  }
  return { name, params: c.params };
}

export function buildSpec(def: SpecDefinition, config?: string): { spec: Spec; name: string; params: Params } {
  const { name, params } = resolveConfig(def, config);
  let spec: Spec;
  try {
    spec = def.build(params, name);
  } catch (e) {
    // Errors from the layout or the vocabulary say what is wrong, not in which spec: say so too
    // (the same message whether the spec file shares this process's SpecError class or not).
    const message = messageOf(e);
    if (e instanceof SpecError && message.startsWith(`spec ${def.id}`)) throw e;
    // An exception of the spec's own code (a TypeError in build()) says where it was thrown.
    const place = e instanceof SpecError || (e instanceof Error && e.name === 'SpecError') ? undefined : userPlaceOf(e);
    throw new SpecError(`spec ${def.id}, configuration ${name}: ${place ? `${place}: ` : ''}${message}`);
  }
  const wrong = builtProblem(spec);
  if (wrong) throw new SpecError(`spec ${def.id}, configuration ${name}: build() ${wrong}`);
  validateSpec(spec, def.id);
  return { spec, name, params };
}

/** What is wrong with what build() returned, if it is not a spec (null, {}, a Promise...). */
export function builtProblem(x: unknown): string | undefined {
  if (x === null || x === undefined) return `returned ${String(x)}, not a spec`;
  if (typeof x !== 'object') return `returned ${typeof x === 'function' ? 'a function' : `a ${typeof x}`}, not a spec`;
  if (typeof (x as { then?: unknown }).then === 'function') return 'returned a Promise: build() must return the spec itself, not asynchronously';
  const s = x as Record<string, unknown>;
  const layout = s.layout as Record<string, unknown> | null | undefined;
  if (typeof layout !== 'object' || layout === null || !Number.isInteger(layout.width) || !Array.isArray(layout.names)) {
    return "returned an object without a 'layout' (made with defineLayout)";
  }
  if (!Array.isArray(s.init)) return "returned an object without 'init' (an array of initial states)";
  if (!Array.isArray(s.actions)) return "returned an object without 'actions' (an array)";
  if (!Array.isArray(s.properties)) return "returned an object without 'properties' (an array)";
  return undefined;
}

/** Contract checks that are cheap to do once, before the search. */
export function validateSpec(spec: Spec, id: string): void {
  if (!Array.isArray(spec.init) || spec.init.length === 0) throw new SpecError(`spec ${id} has no initial state`);
  spec.init.forEach((s, i) => {
    if (!(s instanceof Float64Array || s instanceof Uint8Array)) throw new SpecError(`spec ${id}: initial state ${i} is not an encoded state (use layout.encode)`);
    try {
      initialState(spec.layout, s, i);
    } catch (e) {
      throw new SpecError(`spec ${id}: ${messageOf(e)}`);
    }
  });
  const names = new Set<string>();
  for (const p of spec.properties) {
    if (names.has(p.name)) throw new SpecError(`spec ${id}: two properties are named '${p.name}'`);
    if (p.name === 'deadlock') throw new SpecError(`spec ${id}: 'deadlock' is reserved for the engine's deadlock check`);
    names.add(p.name);
  }
  spec.actions.forEach((a, i) => {
    if (typeof a.apply !== 'function') throw new SpecError(`spec ${id}: action ${i} (${a.name}) has no apply()`);
  });
  validateLiveness(spec, id, names);
}

const FORMS: readonly string[] = ['eventually', 'infinitely-often', 'eventually-always', 'leads-to'];

/** The liveness properties' shape: names unique among all properties, a known form, P (and Q for leads-to), fairness that says what it covers. */
function validateLiveness(spec: Spec, id: string, names: Set<string>): void {
  if (spec.liveness === undefined) return;
  if (!Array.isArray(spec.liveness)) throw new SpecError(`spec ${id}: liveness must be an array of liveness properties`);
  for (const p of spec.liveness) {
    const what = `spec ${id}: liveness property '${String(p?.name)}'`;
    if (typeof p?.name !== 'string' || p.name === '') throw new SpecError(`spec ${id}: a liveness property has no name`);
    if (names.has(p.name)) throw new SpecError(`spec ${id}: two properties are named '${p.name}'`);
    if (p.name === 'deadlock') throw new SpecError(`spec ${id}: 'deadlock' is reserved for the engine's deadlock check`);
    names.add(p.name);
    if (!FORMS.includes(p.form)) throw new SpecError(`${what} has form '${String(p.form)}' (expected one of ${FORMS.join(', ')})`);
    if (typeof p.holds !== 'function') throw new SpecError(`${what} has no holds(state)`);
    if (p.form === 'leads-to' && typeof p.target !== 'function') throw new SpecError(`${what} is a leads-to (P ~> Q) without target(state), its Q`);
    if (!Array.isArray(p.fairness)) throw new SpecError(`${what}: fairness must be an array (empty for none)`);
    for (const f of p.fairness) {
      if (f?.kind !== 'weak' && f?.kind !== 'strong') throw new SpecError(`${what}: a fairness condition's kind is '${String(f?.kind)}' (expected weak or strong)`);
      if (f.per !== 'action' && f.per !== 'actor' && f.per !== 'group') throw new SpecError(`${what}: a fairness condition's per is '${String(f.per)}' (expected action, actor or group)`);
      if (f.per === 'group' && (typeof f.name !== 'string' || f.name === '')) throw new SpecError(`${what}: a fairness group needs a name`);
    }
  }
}

export async function run(
  def: SpecDefinition,
  opts: { config?: string; check?: CheckOptions; listener?: CheckListener } = {},
): Promise<RunOutcome> {
  const { spec, name, params } = buildSpec(def, opts.config);
  const result = await check(spec, opts.check ?? {}, opts.listener ?? {});
  const traces = result.discoveries.map((discovery) => ({
    discovery,
    trace: replay(spec, discovery.path, {
      specId: def.id,
      config: name,
      property: discovery.property,
      kind: discovery.kind,
    }),
  }));
  const trace = result.failure ? traces.find((t) => t.discovery === result.failure)?.trace : undefined;
  return { definition: def, config: name, params, spec, result, ...(trace ? { trace } : {}), traces };
}
