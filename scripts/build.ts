// `npm run build` (also run by `npm ci` and `npm pack` through the `prepare` script): compiles
// daxmc into dist/, the JavaScript the package ships. esbuild bundles the entry points of
// src/core/package-files.ts (CLI, public API, code-path library, built-in specs, the parallel
// search's worker pieces) into ES modules with shared chunks, so that one process loads one copy
// of each module, with the dependencies bundled except tsx and esbuild (loaded only when a .ts
// spec is loaded or a worker bundle is built); the TypeScript compiler writes the declarations
// of the public entry points (dist/types/), their relative imports given the .js extension that
// Node's resolution (module nodenext) needs; dist/build-stamp.json records the inputs for the
// launcher (bin/daxmc.mjs). The new dist/ is built beside the old one and swapped in whole.
// ADR 0007. Not the worker bundle of a spec (src/check/worker-bundle.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { STAMP_FILE, stampOf } from '../bin/build-stamp.mjs';
import { BUILT_ENTRIES, type BuiltEntry } from '../src/core/package-files';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** In a bundled chunk, a CommonJS dependency's require() of a Node module needs a require. */
const REQUIRE_BANNER = "import { createRequire as __daxmcCreateRequire } from 'node:module'; const require = __daxmcCreateRequire(import.meta.url);";

function fail(message: string): never {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

/** Relative imports of a declaration file, given the extension Node's ESM resolution needs. */
export function withJsExtensions(dts: string, sourceDir: string): string {
  return dts.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g, (all, lead: string, quote: string, spec: string) => {
    if (/\.[cm]?js$/.test(spec)) return all;
    const target = resolve(sourceDir, spec);
    if (existsSync(`${target}.ts`)) return `${lead}${quote}${spec}.js${quote}`;
    if (existsSync(join(target, 'index.ts'))) return `${lead}${quote}${spec.replace(/\/$/, '')}/index.js${quote}`;
    return all;
  });
}

async function bundle(out: string, entries: Partial<Record<BuiltEntry, string>>): Promise<string[]> {
  let built: esbuild.BuildResult<{ metafile: true }>;
  try {
    built = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: entries as Record<string, string>,
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // ESM builds of the dependencies (immutable's "module"): a CommonJS module imported from
      // ESM costs Node a scan of its text (some 0.15 s for immutable's 200 kB).
      mainFields: ['module', 'main'],
      // Loaded on demand, each with its own binary or loader hooks: never bundled.
      external: ['tsx', 'tsx/*', 'esbuild'],
      chunkNames: 'chunk-[hash]',
      banner: { js: REQUIRE_BANNER },
      metafile: true,
      logLevel: 'warning',
    });
  } catch (e) {
    fail(`esbuild failed: ${(e as Error).message.split('\n')[0]}`);
  }
  return Object.keys(built.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes(`${sep}node_modules${sep}`));
}

async function declarations(out: string, entries: readonly string[]): Promise<string[]> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    fail('the type declarations need the typescript package (a devDependency): run npm ci without --omit=dev');
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  });
  if (!parsed) fail('cannot read tsconfig.json');
  const options: import('typescript').CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: ROOT,
    outDir: join(out, 'types'),
  };
  const program = ts.createProgram(entries.map((e) => join(ROOT, e)), options);
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) {
    const first = problems[0];
    const where = first.file ? `${relative(ROOT, first.file.fileName)}: ` : '';
    fail(`${problems.length} type error(s); first: ${where}${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`);
  }
  const emitted = program.emit(undefined, (file, text) => {
    const source = join(ROOT, relative(join(out, 'types'), dirname(file)));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, withJsExtensions(text, source));
  });
  if (emitted.emitSkipped) fail('the TypeScript compiler wrote no declarations');
  return program
    .getSourceFiles()
    .map((f) => relative(ROOT, f.fileName))
    .filter((f) => !f.startsWith('..') && !f.split(sep).includes('node_modules'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const present: Partial<Record<BuiltEntry, string>> = {};
  const absent: string[] = [];
  for (const [name, source] of Object.entries(BUILT_ENTRIES) as [BuiltEntry, string][]) {
    if (existsSync(join(ROOT, source))) present[name] = source;
    else if (name === 'linux') absent.push(source);
    else fail(`the entry point ${source} is missing`);
  }
  const out = join(ROOT, `dist-${process.pid}.tmp`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    const bundled = await bundle(out, present);
    const typed = await declarations(out, [BUILT_ENTRIES.index, ...(present.linux ? [present.linux] : [])]);
    writeFileSync(join(out, relative('dist', STAMP_FILE)), `${JSON.stringify(stampOf(ROOT, [...bundled, ...typed], absent))}\n`);
    const dist = join(ROOT, 'dist');
    const old = join(ROOT, `dist-${process.pid}.old`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(out, dist);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  process.stderr.write(`build: daxmc ${version} in dist/ (${Object.keys(present).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

// Run as a script (`tsx scripts/build.ts`), not when a test imports withJsExtensions.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
