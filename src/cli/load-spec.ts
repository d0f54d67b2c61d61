// Resolves the <spec> argument: a built-in spec id (specs/index.ts) or the path of a user's own
// spec file (.ts/.mts/.js/.mjs) that exports a SpecDefinition as default (or as `spec`). Loading
// failures are SpecErrors naming the file; an unknown id is a UsageError. Nothing is printed.
// From the build, the TypeScript loader (tsx) is registered only when a .ts file is loaded.
import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpecError, UsageError, messageOf } from '../core/errors';
import { BUILT } from '../core/package-files';
import type { SpecDefinition } from '../core/spec';
import { registerSpecFormat, registerTypeScriptLoader, registerTypeScriptRequire } from '../core/typescript-loader';

export interface LoadedSpec {
  readonly definition: SpecDefinition;
  /** The spec file as the user named it; absent for a built-in spec. */
  readonly file?: string;
}

const SPEC_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Finds a built-in spec by id; undefined if there is none. */
export function findBuiltin(specs: readonly SpecDefinition[], id: string): SpecDefinition | undefined {
  return specs.find((s) => s.id === id);
}

export async function loadSpec(arg: string, cwd: string, specs: readonly SpecDefinition[]): Promise<LoadedSpec> {
  if (!SPEC_FILE.test(arg)) {
    const def = findBuiltin(specs, arg);
    if (def) return { definition: def };
    if (!(await isFile(resolve(cwd, arg)))) {
      throw new UsageError(`unknown spec '${arg}' (daxmc list shows the spec ids; a spec file ends in .ts, .mts, .js or .mjs)`);
    }
  }
  return { definition: await loadSpecFile(arg, cwd), file: arg };
}

export async function loadSpecFile(file: string, cwd: string): Promise<SpecDefinition> {
  return (await loadSpecModule(file, cwd)).definition;
}

/** A spec file's definition and everything else the module exports (its `claims`). */
export async function loadSpecModule(file: string, cwd: string): Promise<{ definition: SpecDefinition; exports: Record<string, unknown> }> {
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  if (!(await isFile(abs))) throw new SpecError(`spec file ${file} does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(abs);
  } catch (e) {
    throw new SpecError(`spec file ${file} failed to load: ${oneLine(messageOf(e))}`);
  }
  const exported = exportedSpec(mod);
  if (exported === undefined) {
    throw new SpecError(`spec file ${file} exports no spec: it must 'export default' a SpecDefinition (or export 'spec')`);
  }
  const wrong = shapeProblem(exported);
  if (wrong) throw new SpecError(`spec file ${file}: the exported spec definition ${wrong}`);
  // (A CommonJS module's exports may arrive only as its default.)
  const inner = mod.default;
  const cjs = !('claims' in mod) && typeof inner === 'object' && inner !== null && 'claims' in inner;
  return { definition: exported as SpecDefinition, exports: cjs ? (inner as Record<string, unknown>) : mod };
}

/**
 * The module's default export (or `spec`). A CommonJS module (.cts, .cjs) arrives as
 * { default: module.exports }: its spec is looked for one level deeper, and one compiled from
 * `export` syntax (its exports marked __esModule) without a default export has none.
 */
function exportedSpec(mod: Record<string, unknown>): unknown {
  const exported = mod.default ?? mod.spec;
  if (typeof exported !== 'object' || exported === null || 'build' in exported) return exported;
  const inner = exported as Record<string, unknown>;
  return inner.default ?? inner.spec ?? (inner.__esModule === true ? undefined : exported);
}

/**
 * import(), with the TypeScript loader registered first for a .ts or .mts file: tsx where daxmc
 * runs from its build (the sources, under bin/daxmc.mjs in an edited checkout or vitest, load
 * TypeScript already), and the hook that makes such a file an ES module in any project
 * (typescript-loader.ts). A .cts file is CommonJS, as its name says: it is require()d through
 * tsx, and its module.exports is given as an import() would give it, as the default. (Registering
 * after a failed import would not do: Node keeps the failure for that file.)
 */
async function importModule(abs: string): Promise<Record<string, unknown>> {
  if (abs.endsWith('.cts')) {
    await registerTypeScriptRequire();
    return { default: createRequire(abs)(abs) as unknown };
  }
  if (/\.m?ts$/.test(abs)) {
    if (BUILT) await registerTypeScriptLoader();
    else registerSpecFormat();
  }
  return (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
}

/** What is wrong with a would-be SpecDefinition, or undefined. */
export function shapeProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null) return `is ${x === null ? 'null' : typeof x}, not an object`;
  const d = x as Record<string, unknown>;
  if (typeof d.id !== 'string' || d.id === '') return "has no 'id' (a string)";
  if (typeof d.build !== 'function') return "has no 'build(params, configName)' function";
  if (typeof d.configs !== 'object' || d.configs === null || Object.keys(d.configs).length === 0) {
    return "has no 'configs' (an object of named configurations)";
  }
  for (const [name, c] of Object.entries(d.configs as Record<string, unknown>)) {
    if (typeof c !== 'object' || c === null || typeof (c as Record<string, unknown>).params !== 'object') {
      return `has a configuration '${name}' without 'params'`;
    }
  }
  if (typeof d.defaultConfig !== 'string' || !Object.hasOwn(d.configs as object, d.defaultConfig)) {
    return `has 'defaultConfig' ${JSON.stringify(d.defaultConfig)}, which is not one of its configurations`;
  }
  return undefined;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
