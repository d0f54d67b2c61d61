// Where a worker thread finds the spec definition the coordinating thread runs: a module URL and,
// for a registry module (specs/index.ts exports `builtinSpecs`), the spec id. A spec file's module
// exports its definition as default (or as `spec`). Loading a TypeScript module needs tsx; the
// worker entry registers it, and loadDefinition the hook that makes a .ts file an ES module. Not the CLI's loader (src/cli/load-spec.ts), whose messages are for
// users; this one runs where the CLI has already checked the file.
import { SpecError, messageOf } from '../core/errors';
import type { Params, Spec, SpecDefinition } from '../core/spec';
import { registerSpecFormat } from '../core/typescript-loader';

export interface SpecSource {
  /** A module URL (file:). */
  readonly module: string;
  /** A spec id to find in the module's `builtinSpecs` (or `definitions`) array. */
  readonly id?: string;
}

function isDefinition(x: unknown): x is SpecDefinition {
  return typeof x === 'object' && x !== null && typeof (x as SpecDefinition).build === 'function' && typeof (x as SpecDefinition).id === 'string';
}

export async function loadDefinition(source: SpecSource): Promise<SpecDefinition> {
  // A .ts file is an ES module in any project, as the CLI loaded it (typescript-loader.ts).
  if (/\.ts$/.test(new URL(source.module).pathname)) registerSpecFormat();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(source.module)) as Record<string, unknown>;
  } catch (e) {
    throw new SpecError(`cannot load ${source.module}: ${messageOf(e)}`);
  }
  return definitionIn(mod, source);
}

/** The definition a loaded module holds for `source` (its `builtinSpecs` entry, or its export). */
export function definitionIn(mod: Record<string, unknown>, source: SpecSource): SpecDefinition {
  if (source.id !== undefined) {
    for (const list of [mod.builtinSpecs, mod.definitions, (mod.default as Record<string, unknown> | undefined)?.builtinSpecs]) {
      if (!Array.isArray(list)) continue;
      const def = list.find((d: unknown) => isDefinition(d) && d.id === source.id);
      if (def) return def as SpecDefinition;
    }
    throw new SpecError(`${source.module} has no spec '${source.id}'`);
  }
  let exported: unknown = mod.default ?? mod.spec;
  if (typeof exported === 'object' && exported !== null && !isDefinition(exported)) {
    const inner = exported as Record<string, unknown>;
    exported = inner.default ?? inner.spec ?? exported;
  }
  if (!isDefinition(exported)) throw new SpecError(`${source.module} exports no spec definition`);
  return exported;
}

/** Builds a configuration of a definition, as src/run.ts buildSpec does. */
export function buildFromDefinition(def: SpecDefinition, config: string): Spec {
  const c = Object.hasOwn(def.configs, config) ? def.configs[config] : undefined;
  if (!c) throw new SpecError(`spec ${def.id} has no configuration '${config}'`);
  const params: Params = c.params;
  try {
    return def.build(params, config);
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw new SpecError(`spec ${def.id}, configuration ${config}: ${messageOf(e)}`);
  }
}
