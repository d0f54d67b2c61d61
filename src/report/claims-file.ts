// The claims a user's spec file exports (`export const claims: Claim[] = [...]`), checked before
// any of them runs: each has the shape of a Claim (src/report/claim.ts), and names a spec, a
// configuration of it and a property of that configuration (safety or liveness) that exist. A
// problem is a SpecError naming the file and the claim. Not the built-in claims
// (specs/dax/claims*.ts: the type checker and test/specs/claims.test.ts check those), and not how
// claims run (run-claims.ts).
import { SpecError } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import { buildSpec } from '../run';
import { LOCK_ORDER, fixPlace, type Claim } from './claim';

const GRADES: readonly string[] = ['S', 'D', 'U'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isWhole(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** A spec id, or { spec?, config } with non-empty strings and nothing else. */
function isFixRef(x: unknown): boolean {
  if (typeof x === 'string') return x !== '';
  if (!isRecord(x)) return false;
  const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';
  return nonEmpty(x.config) && (x.spec === undefined || nonEmpty(x.spec)) && Object.keys(x).every((k) => k === 'spec' || k === 'config');
}

/** What is wrong with one would-be claim's own fields, or undefined. */
function fieldProblem(c: Record<string, unknown>): string | undefined {
  for (const key of ['id', 'scheme', 'item', 'spec', 'config', 'property', 'note'] as const) {
    if (typeof c[key] !== 'string' || (key !== 'note' && c[key] === '')) return `has no '${key}' (a string)`;
  }
  if (typeof c.grade !== 'string' || !GRADES.includes(c.grade)) return `has 'grade' ${JSON.stringify(c.grade)}, not 'S', 'D' or 'U'`;
  if (c.expect !== 'found' && c.expect !== 'holds') return `has 'expect' ${JSON.stringify(c.expect)}, not 'found' or 'holds'`;
  if (!isWhole(c.distinct)) return `has 'distinct' ${JSON.stringify(c.distinct)}, not a whole number (the pinned distinct states; 0 until you know them)`;
  if (c.length !== undefined && !isWhole(c.length)) return `has 'length' ${JSON.stringify(c.length)}, not a whole number`;
  for (const key of ['diagnosis', 'smaller'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') return `has '${key}' ${JSON.stringify(c[key])}, not a string`;
  }
  if (c.about !== undefined && !(Array.isArray(c.about) && c.about.length > 0 && c.about.every((x) => typeof x === 'string' && x !== ''))) {
    return `has 'about' ${JSON.stringify(c.about)}, not a list of lock classes, functions or kinds (['dax_sem'])`;
  }
  if (c.fix !== undefined && !isFixRef(c.fix)) return `has 'fix' ${JSON.stringify(c.fix)}, not a spec id or { spec?, config } (a configuration of a spec, the claim's own without 'spec')`;
  if (c.fix !== undefined && c.expect !== 'found') return "has a 'fix', which only a 'found' claim has (the fixed variant that makes it hold)";
  for (const key of ['slow', 'heavy'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'boolean') return `has '${key}' ${JSON.stringify(c[key])}, not true or false`;
  }
  return undefined;
}

/**
 * The claims exported by a spec file, checked. `specs`: what a claim's `spec` may name (the
 * file's own definition first, then the built-in specs).
 */
export function claimsOf(exports: Readonly<Record<string, unknown>>, file: string, specs: readonly SpecDefinition[]): Claim[] {
  const raw = exports.claims;
  if (raw === undefined) {
    throw new SpecError(`spec file ${file} exports no claims: add \`export const claims: Claim[] = [...]\` (docs/writing-a-spec.md, "Claims in your own spec file")`);
  }
  if (!Array.isArray(raw)) throw new SpecError(`spec file ${file}: 'claims' is ${raw === null ? 'null' : typeof raw}, not an array of claims`);
  if (raw.length === 0) throw new SpecError(`spec file ${file}: 'claims' is empty`);
  const ids = new Set<string>();
  const properties = new Map<string, readonly string[]>();
  return raw.map((c: unknown, i) => {
    const where = `spec file ${file}: claim ${i + 1}${isRecord(c) && typeof c.id === 'string' ? ` ('${c.id}')` : ''}`;
    if (!isRecord(c)) throw new SpecError(`${where} is ${c === null ? 'null' : typeof c}, not an object`);
    const wrong = fieldProblem(c);
    if (wrong) throw new SpecError(`${where} ${wrong}`);
    const claim = c as unknown as Claim;
    if (ids.has(claim.id)) throw new SpecError(`${where}: another claim has the id '${claim.id}'`);
    ids.add(claim.id);
    const def = specs.find((s) => s.id === claim.spec);
    if (!def) throw new SpecError(`${where} names spec '${claim.spec}', which is neither the file's ('${specs[0]?.id}') nor built in`);
    for (const [key, config] of [['config', claim.config], ['smaller', claim.smaller]] as const) {
      if (config !== undefined && !(config in def.configs)) {
        throw new SpecError(`${where}: '${key}' names configuration '${config}', which spec ${def.id} does not have (it has: ${Object.keys(def.configs).join(', ')})`);
      }
    }
    const fix = fixPlace(claim);
    if (fix !== undefined) {
      const fixed = specs.find((s) => s.id === fix.spec);
      if (!fixed) throw new SpecError(`${where}: 'fix' names spec '${fix.spec}', which is neither the file's ('${specs[0]?.id}') nor built in`);
      if (!Object.hasOwn(fixed.configs, fix.config)) {
        const at = typeof claim.fix === 'string' ? "the fix is checked at the claim's configuration, or name one: fix: { spec, config }; " : '';
        throw new SpecError(`${where}: 'fix' names spec ${fixed.id}, which has no configuration '${fix.config}' (${at}it has: ${Object.keys(fixed.configs).join(', ')})`);
      }
      if (fixed.id === def.id && fix.config === claim.config) throw new SpecError(`${where}: 'fix' names the claim's own spec and configuration (${def.id}, ${claim.config}), where it is found`);
    }
    const key = `${def.id}\u0000${claim.config}`;
    let names = properties.get(key);
    if (!names) {
      // Safety and liveness properties share one namespace (docs/liveness.md), as in `check --property`.
      const { spec } = buildSpec(def, claim.config);
      names = [...spec.properties.map((p) => p.name), ...(spec.liveness ?? []).map((p) => p.name)];
      properties.set(key, names);
    }
    if (claim.property !== 'deadlock' && claim.property !== LOCK_ORDER && !names.includes(claim.property)) {
      throw new SpecError(`${where}: spec ${def.id}, configuration ${claim.config} has no property '${claim.property}' (it has: ${[...names.map((n) => JSON.stringify(n)), 'deadlock', `'${LOCK_ORDER}'`].join(', ')})`);
    }
    return claim;
  });
}
