// The script the parallel search's workers run: one ES module bundling the worker, the engine and
// the spec's module (with everything they import), built with esbuild when the run starts and
// handed to each worker as a data: URL. Without it each worker registers tsx and loads some fifty
// TypeScript modules through tsx's loader thread: 0.3-0.4 s before a worker is ready on two
// cores, against 40 ms for the bundle (built in 50-70 ms by esbuild's own process, while the
// coordinating thread expands the first levels). When there is no bundle (esbuild missing, a
// spec that is not a file, a module that reads import.meta), the workers start from
// parallel-entry.mjs through tsx, which runs the same code. ADR 0003.
// A bundle is kept in node_modules/.cache/daxmc/, one file per spec module, with the digest of
// every file it was built from: a run whose files are all unchanged starts its workers from it
// at once (0.1 s sooner: a run of TwoPhase rm8 with two workers takes 1.22 s instead of 1.37).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageOf } from '../core/errors';
import { BUILT, entryModule, packageFile } from '../core/package-files';
import type { SpecSource } from './spec-source';

export interface WorkerScript {
  /** What `new Worker` is given. */
  readonly url: URL;
  /** Whether it is the bundle; if not, why not. */
  readonly bundled: boolean;
  readonly reason?: string;
  /** Whether the bundle came from the cache rather than a build. */
  readonly cached?: boolean;
}

/** Where bundles are kept: this package's node_modules/.cache/daxmc/. */
export const CACHE_DIR = fileURLToPath(packageFile('node_modules/.cache/daxmc/'));

/** What a cache file holds. */
interface CacheEntry {
  readonly format: 1;
  /** The digest of what the bundle was built with: esbuild's package.json, the entry, the options. */
  readonly key: string;
  /** Every file bundled, with the digest of its contents. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly code: string;
}

function digest(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The cached bundle, if it was built with the same key from files that are all unchanged. */
function fromCache(file: string, key: string): string | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry?.format !== 1 || entry.key !== key || !Array.isArray(entry.inputs) || typeof entry.code !== 'string') return undefined;
  for (const [path, hash] of entry.inputs) {
    try {
      if (digest(readFileSync(path)) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return entry.code;
}

/** Writes a cache file whole or not at all (a file beside it, then renamed); a cache that cannot be written is skipped. */
function toCache(dir: string, file: string, entry: CacheEntry): void {
  try {
    mkdirSync(dir, { recursive: true });
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, JSON.stringify(entry));
    renameSync(part, file);
  } catch {
    // read-only or full: the next run builds again
  }
}

function dataUrl(code: string | Uint8Array): URL {
  const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : Buffer.from(code.buffer, code.byteOffset, code.byteLength);
  return new URL(`data:text/javascript;base64,${bytes.toString('base64')}`);
}

/** The entry that loads the modules through tsx. */
export const TSX_ENTRY = entryModule('parallel-entry');

const WORKER = entryModule('parallel-worker');
const SPEC_SOURCE = entryModule('spec-source');
/** The name esbuild gives the generated entry (in its metafile too). */
const ENTRY_NAME = 'daxmc-worker-entry.ts';

function unbundled(reason: string): WorkerScript {
  return { url: TSX_ENTRY, bundled: false, reason };
}

/**
 * The worker script for a spec source: the bundle (cached in `cacheDir`, or built), or the tsx
 * entry when it cannot be built.
 */
export async function workerScript(source: SpecSource, cacheDir = CACHE_DIR): Promise<WorkerScript> {
  if (!source.module.startsWith('file:')) return unbundled(`the spec module ${source.module} is not a file`);
  if (BUILT) return builtWorkerScript(source, cacheDir);
  // Nothing is awaited before the cache is read: the coordinating thread, busy expanding the
  // first levels, would carry on only between levels (a dynamic import of esbuild took until
  // the sixth level, 0.12 s into an rm9 run).
  let esbuildPackage: string;
  try {
    esbuildPackage = readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8');
  } catch (e) {
    return unbundled(`esbuild cannot be found: ${messageOf(e).split('\n')[0]}`);
  }
  const specPath = fileURLToPath(source.module);
  const here = fileURLToPath(new URL('.', import.meta.url));
  const entry = [
    `import * as spec from ${JSON.stringify(specPath)};`,
    `import { runWorker } from ${JSON.stringify(fileURLToPath(WORKER))};`,
    `import { definitionIn } from ${JSON.stringify(fileURLToPath(SPEC_SOURCE))};`,
    'void runWorker((source) => definitionIn(spec, source));',
  ].join('\n');
  const banner = `import { createRequire as __daxmcRequire } from 'node:module'; const require = __daxmcRequire(${JSON.stringify(source.module)});`;
  const key = digest(JSON.stringify([esbuildPackage, entry, banner, here]));
  const cacheFile = join(cacheDir, `${digest(specPath)}.json`);
  const hit = fromCache(cacheFile, key);
  if (hit !== undefined) return { url: dataUrl(hit), bundled: true, cached: true };
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    return unbundled(`esbuild cannot be loaded: ${messageOf(e)}`);
  }
  let built: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    built = await esbuild.build({
      stdin: { contents: entry, resolveDir: here, loader: 'ts', sourcefile: ENTRY_NAME },
      absWorkingDir: here,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Only typescript-loader.ts imports it, and a bundle never runs that import.
      external: ['tsx', 'tsx/*'],
      // A bundled CommonJS module's require() of a package: resolved from the spec's directory.
      banner: { js: banner },
    });
  } catch (e) {
    return unbundled(`esbuild could not bundle ${specPath}: ${messageOf(e).split('\n')[0]}`);
  }
  // In a data: module, import.meta.url is the data: URL: a module that locates files by it
  // would look in the wrong place, so such specs load through tsx. (Read synchronously: this
  // thread is busy expanding, and reaches its event loop only between levels.)
  const inputs: [string, string][] = [];
  let cacheable = true;
  for (const input of Object.keys(built.metafile.inputs)) {
    if (input === ENTRY_NAME || input.startsWith('<stdin>')) continue; // the entry above
    const path = resolve(here, input);
    let text: Buffer;
    try {
      text = readFileSync(path);
    } catch {
      cacheable = false; // (a file esbuild read but this thread cannot: no cache entry)
      continue;
    }
    inputs.push([path, digest(text)]);
    if (text.includes('import.meta')) return unbundled(`${path} uses import.meta`);
  }
  const code = built.outputFiles[0];
  if (cacheable) toCache(cacheDir, cacheFile, { format: 1, key, inputs, code: code.text });
  return { url: dataUrl(code.contents), bundled: true, cached: false };
}

/**
 * The worker script when daxmc runs from its build (dist/, an installed package): daxmc's own
 * modules are JavaScript, so a worker imports them by URL, as the coordinating thread did. A
 * JavaScript spec module (the built-in registry dist/specs.js, a .js spec file) needs no bundle:
 * a small entry imports the worker and the spec. A TypeScript spec file is bundled with every
 * import that resolves into dist/ left external (`import 'daxmc'` included), so the worker
 * holds one copy of daxmc's modules and esbuild compiles only the user's files. A spec that
 * cannot be bundled starts from dist/parallel-entry.js, which registers tsx.
 */
async function builtWorkerScript(source: SpecSource, cacheDir: string): Promise<WorkerScript> {
  const specPath = fileURLToPath(source.module);
  const entry = (spec: string): string =>
    [
      `import * as spec from ${JSON.stringify(spec)};`,
      `import { runWorker } from ${JSON.stringify(WORKER.href)};`,
      `import { definitionIn } from ${JSON.stringify(SPEC_SOURCE.href)};`,
      'void runWorker((source) => definitionIn(spec, source));',
    ].join('\n');
  if (!/\.[cm]?ts$/.test(specPath)) return { url: dataUrl(entry(source.module)), bundled: false, reason: 'a JavaScript spec module: the worker imports it' };
  let esbuildPackage: string;
  try {
    esbuildPackage = readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8');
  } catch (e) {
    return unbundled(`esbuild cannot be found: ${messageOf(e).split('\n')[0]}`);
  }
  const dist = fileURLToPath(packageFile('dist/'));
  const here = dirname(specPath);
  const code = entry(specPath);
  const banner = `import { createRequire as __daxmcRequire } from 'node:module'; const require = __daxmcRequire(${JSON.stringify(source.module)});`;
  const key = digest(JSON.stringify([esbuildPackage, code, banner, dist, 'built']));
  const cacheFile = join(cacheDir, `${digest(specPath)}.json`);
  const hit = fromCache(cacheFile, key);
  if (hit !== undefined) return { url: dataUrl(hit), bundled: true, cached: true };
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    return unbundled(`esbuild cannot be loaded: ${messageOf(e)}`);
  }
  const resolving = Symbol('resolving');
  const daxmcExternal: import('esbuild').Plugin = {
    name: 'daxmc-dist-external',
    setup(b) {
      b.onResolve({ filter: /^file:/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === resolving || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: resolving });
        if (r.errors.length > 0 || r.external || !r.path.startsWith(dist)) return undefined;
        return { path: pathToFileURL(r.path).href, external: true };
      });
    },
  };
  let built: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    built = await esbuild.build({
      stdin: { contents: code, resolveDir: here, loader: 'ts', sourcefile: ENTRY_NAME },
      absWorkingDir: here,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['tsx', 'tsx/*'],
      plugins: [daxmcExternal],
      banner: { js: banner },
    });
  } catch (e) {
    return unbundled(`esbuild could not bundle ${specPath}: ${messageOf(e).split('\n')[0]}`);
  }
  const inputs: [string, string][] = [];
  let cacheable = true;
  for (const input of Object.keys(built.metafile.inputs)) {
    if (input === ENTRY_NAME || input.startsWith('<stdin>')) continue;
    const path = resolve(here, input);
    let text: Buffer;
    try {
      text = readFileSync(path);
    } catch {
      cacheable = false;
      continue;
    }
    inputs.push([path, digest(text)]);
    if (text.includes('import.meta')) return unbundled(`${path} uses import.meta`);
  }
  const out = built.outputFiles[0];
  if (cacheable) toCache(cacheDir, cacheFile, { format: 1, key, inputs, code: out.text });
  return { url: dataUrl(out.contents), bundled: true, cached: false };
}
