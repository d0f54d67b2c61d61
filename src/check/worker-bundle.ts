// The script the parallel search's workers run: one ES module bundling the worker, the engine and
// the spec's module (with everything they import), built with esbuild when the run starts and
// handed to each worker as a data: URL. Without it each worker registers tsx and loads some fifty
// TypeScript modules through tsx's loader thread: 0.3-0.4 s before a worker is ready on two
// cores, against 40 ms for the bundle (built in 50-70 ms by esbuild's own process, while the
// coordinating thread expands the first levels). When there is no bundle (esbuild missing, a
// spec that is not a file, a module that reads import.meta), the workers start from
// parallel-entry.mjs through tsx, which runs the same code. ADR 0003.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageOf } from '../core/errors';
import type { SpecSource } from './spec-source';

export interface WorkerScript {
  /** What `new Worker` is given. */
  readonly url: URL;
  /** Whether it is the bundle; if not, why not. */
  readonly bundled: boolean;
  readonly reason?: string;
}

/** The entry that loads the modules through tsx. */
export const TSX_ENTRY = new URL('./parallel-entry.mjs', import.meta.url);

const WORKER = new URL('./parallel-worker.ts', import.meta.url);
const SPEC_SOURCE = new URL('./spec-source.ts', import.meta.url);

function unbundled(reason: string): WorkerScript {
  return { url: TSX_ENTRY, bundled: false, reason };
}

/** The worker script for a spec source: the bundle, or the tsx entry when it cannot be built. */
export async function workerScript(source: SpecSource): Promise<WorkerScript> {
  if (!source.module.startsWith('file:')) return unbundled(`the spec module ${source.module} is not a file`);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    return unbundled(`esbuild cannot be loaded: ${messageOf(e)}`);
  }
  const specPath = fileURLToPath(source.module);
  const here = fileURLToPath(new URL('.', import.meta.url));
  const entry = [
    `import * as spec from ${JSON.stringify(specPath)};`,
    `import { runWorker } from ${JSON.stringify(fileURLToPath(WORKER))};`,
    `import { definitionIn } from ${JSON.stringify(fileURLToPath(SPEC_SOURCE))};`,
    'void runWorker((source) => definitionIn(spec, source));',
  ].join('\n');
  let built: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    built = await esbuild.build({
      stdin: { contents: entry, resolveDir: here, loader: 'ts', sourcefile: 'daxmc-worker-entry.ts' },
      absWorkingDir: here,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Only the tsx fallback of spec-source.ts imports it, and never in a bundle.
      external: ['tsx', 'tsx/*'],
      // A bundled CommonJS module's require() of a package: resolved from the spec's directory.
      banner: { js: `import { createRequire as __daxmcRequire } from 'node:module'; const require = __daxmcRequire(${JSON.stringify(source.module)});` },
    });
  } catch (e) {
    return unbundled(`esbuild could not bundle ${specPath}: ${messageOf(e).split('\n')[0]}`);
  }
  // In a data: module, import.meta.url is the data: URL: a module that locates files by it
  // would look in the wrong place, so such specs load through tsx. (Read synchronously: this
  // thread is busy expanding, and reaches its event loop only between levels.)
  const ours = fileURLToPath(SPEC_SOURCE);
  for (const input of Object.keys(built.metafile.inputs)) {
    if (input.startsWith('<stdin>')) continue;
    const path = resolve(here, input);
    if (path === ours) continue; // its tsx fallback, never taken in a bundle
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    if (text.includes('import.meta')) return unbundled(`${path} uses import.meta`);
  }
  const code = built.outputFiles[0].contents;
  return { url: new URL(`data:text/javascript;base64,${Buffer.from(code.buffer, code.byteOffset, code.byteLength).toString('base64')}`), bundled: true };
}
