// The loader hooks that let this thread import a user's TypeScript spec file: tsx's, and one of
// daxmc's own that makes every .ts file outside node_modules an ES module, whatever the nearest
// package.json says. Not where spec files are found or checked (src/cli/load-spec.ts,
// src/check/spec-source.ts). ADR 0012.
import { register } from 'node:module';

/**
 * The format hook, a module of its own (hooks run on Node's loader thread). It runs before tsx's
 * hooks (it is registered after them) and overrides the format tsx's resolve gives a .ts file.
 * Without it a .ts file in a CommonJS project ("type": "commonjs", or no "type") would be
 * compiled to CommonJS: its `import`s would become require()s (a missing export undefined
 * instead of an error) and Node 20.19+ refuses the require() of an ES module in a cycle, where
 * tsx's fallback loads the file and a second copy of daxmc from data: URLs without file:line.
 */
const FORMAT_HOOK = `
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith('file:')) return resolved;
  const path = new URL(resolved.url).pathname;
  if (!path.endsWith('.ts') || path.includes('/node_modules/')) return resolved;
  return { ...resolved, format: 'module' };
}
`;

/** Registers the format hook in this thread, once; tsx's hooks must be registered already. */
export function registerSpecFormat(): void {
  const mark = Symbol.for('daxmc.spec-format-hook');
  const g = globalThis as { [mark]?: true };
  if (g[mark]) return;
  register(`data:text/javascript,${encodeURIComponent(FORMAT_HOOK)}`);
  g[mark] = true;
}

/**
 * Registers tsx's hooks and then the format hook in this thread, once: the hooks belong to the
 * thread (not to a check), so the mark that they are registered is kept on globalThis, where
 * every copy of this module in the thread sees it.
 */
export async function registerTypeScriptLoader(): Promise<void> {
  const mark = Symbol.for('daxmc.typescript-loader');
  const g = globalThis as { [mark]?: Promise<void> };
  g[mark] ??= import('tsx/esm/api').then(({ register: registerTsx }) => {
    registerTsx();
    registerSpecFormat();
  });
  await g[mark];
}

/**
 * Registers tsx's require() hook in this thread, once: a .cts file is CommonJS, and is loaded with
 * require(), which compiles it and what it requires. (Its import() through the ES module hooks
 * fails in Node 20 where it requires daxmc's ES modules: "request for 'node:module' is not in
 * cache".)
 */
export async function registerTypeScriptRequire(): Promise<void> {
  const mark = Symbol.for('daxmc.typescript-require');
  const g = globalThis as { [mark]?: Promise<void> };
  g[mark] ??= import('tsx/cjs/api').then(({ register: registerTsx }) => void registerTsx());
  await g[mark];
}
