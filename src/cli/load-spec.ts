// Resolves the <spec> argument: a built-in spec id (specs/index.ts) or the path of a user's own
// spec file (.ts/.mts/.js/.mjs) that exports a SpecDefinition as default (or as `spec`). Loading
// failures are SpecErrors naming the file; an unknown id is a UsageError. Nothing is printed.
// From the build, the TypeScript loader (tsx) is registered only when a .ts file is loaded.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpecError, UsageError, messageOf } from '../core/errors';
import { BUILT } from '../core/package-files';
import type { SpecDefinition } from '../core/spec';

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
  let exported = exportedSpec(mod);
  // A file loaded as CommonJS arrives as { default: module.exports }: look one level deeper.
  if (typeof exported === 'object' && exported !== null && !('build' in exported)) exported = exportedSpec(exported as Record<string, unknown>) ?? exported;
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

function exportedSpec(mod: Record<string, unknown>): unknown {
  return mod.default ?? mod.spec;
}

async function importModule(abs: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(abs).href;
  try {
    return (await importTypeScriptAware(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_REQUIRE_CYCLE_MODULE') throw e;
    // tsx compiles a .ts file outside an ESM package ("type": "module") as CommonJS, and Node
    // 20.19+ then refuses the require() of it; tsx's tsImport loads it in its own namespace.
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * import(), with the TypeScript loader (tsx) registered first where daxmc runs from its build
 * and the file is TypeScript. The sources (bin/daxmc.mjs in an edited checkout, vitest) load
 * TypeScript already. (Registering after a failed import would not do: Node keeps the failure
 * for that file, and tsx's CommonJS path then meets a half-loaded module.)
 */
async function importTypeScriptAware(url: string): Promise<unknown> {
  if (BUILT && /\.[cm]?ts$/.test(url)) await registerTypeScriptLoader();
  return import(url);
}

/**
 * Registers tsx's loader hooks in this process, once: the hooks belong to the process (not to a
 * check), so the mark that they are registered is kept on globalThis, where every copy of this
 * module in the process sees it.
 */
async function registerTypeScriptLoader(): Promise<void> {
  const mark = Symbol.for('daxmc.typescript-loader');
  const g = globalThis as { [mark]?: Promise<void> };
  g[mark] ??= import('tsx/esm/api').then(({ register }) => void register());
  await g[mark];
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
