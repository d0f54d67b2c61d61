// Where daxmc's own files are, whether it runs from its sources (tsx or vitest: this module is
// src/core/package-files.ts) or from the build (scripts/build.ts bundles it into a chunk directly
// under dist/). The table of built entry points is here so that the build and the code that
// starts a module by URL (the parallel search's workers) agree. Not the launcher's choice of
// sources or build (bin/build-stamp.mjs); nothing here reads the file system.

/** Whether this code runs from the build (dist/*.js) rather than from the TypeScript sources. */
export const BUILT = !/\.[cm]?ts$/.test(new URL(import.meta.url).pathname);

/** The package root: the checkout, or node_modules/daxmc of an installed package. */
export const PACKAGE_ROOT = new URL(BUILT ? '../' : '../../', import.meta.url);

/**
 * The modules built as entry points of dist/, by output name (dist/<name>.js), with their
 * sources. `linux` is built only where src/linux/index.ts exists.
 */
export const BUILT_ENTRIES = {
  /** The command line (bin/daxmc.mjs runs its main()). */
  cli: 'src/cli/main.ts',
  /** The thread a command runs on (src/cli/supervise.ts starts it). */
  'cli-worker': 'src/cli/cli-worker.ts',
  /** The public API: `import ... from 'daxmc'`. */
  index: 'src/index.ts',
  /** The code-path library: `import ... from 'daxmc/linux'`. */
  linux: 'src/linux/index.ts',
  /** The built-in specs, which the parallel search's workers load by id. */
  specs: 'specs/index.ts',
  'parallel-worker': 'src/check/parallel-worker.ts',
  'spec-source': 'src/check/spec-source.ts',
  /** The workers' entry when there is no bundle: registers tsx, then loads the two above. */
  'parallel-entry': 'src/check/parallel-entry.mjs',
} as const;

export type BuiltEntry = keyof typeof BUILT_ENTRIES;

/** A file of the package, by its path from the package root ('package.json', 'docs/verdicts.md'). */
export function packageFile(path: string): URL {
  return new URL(path, PACKAGE_ROOT);
}

/** The module of an entry as this process runs it: its source, or its build in dist/. */
export function entryModule(entry: BuiltEntry): URL {
  return packageFile(BUILT ? `dist/${entry}.js` : BUILT_ENTRIES[entry]);
}
