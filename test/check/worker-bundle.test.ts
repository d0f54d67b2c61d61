// The parallel search's worker script (src/check/worker-bundle.ts): one esbuild bundle of the
// worker and the spec's module, or the tsx entry when a bundle cannot stand in for the modules.
// That the bundled workers report what the sequential search reports: parallel.test.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TSX_ENTRY, workerScript } from '../../src/check/worker-bundle';
import { tempDir } from '../cli/helpers';

const REGISTRY = pathToFileURL(join(__dirname, '..', '..', 'specs', 'index.ts')).href;
const CORE = join(__dirname, '..', '..', 'src', 'core');

function specFile(name: string, extra: string): string {
  const file = join(tempDir(), name);
  writeFileSync(
    file,
    `import { defineLayout, intRange } from ${JSON.stringify(join(CORE, 'layout.ts'))};
import type { SpecDefinition } from ${JSON.stringify(join(CORE, 'spec.ts'))};
${extra}
const layout = defineLayout({ a: intRange(0, 3) });
const def: SpecDefinition = {
  id: 'one', title: 'one counter', description: '', defaultConfig: 'c',
  configs: { c: { description: '', params: {} } },
  build: () => ({ name: 'one', layout, init: [layout.encode({ a: 0 })], properties: [],
    actions: [{ name: 'Inc', apply: (s: Uint8Array, t: Uint8Array) => (s[0] < 3 ? ((t[0] = s[0] + 1), true) : false) }] }),
};
export default def;
`,
  );
  return file;
}

function decode(url: URL): string {
  return Buffer.from(url.href.slice('data:text/javascript;base64,'.length), 'base64').toString('utf8');
}

describe('the worker bundle', () => {
  it('bundles the registry of built-in specs into one data: module that starts the worker', async () => {
    const s = await workerScript({ module: REGISTRY, id: 'two-phase' }, tempDir());
    expect(s.bundled).toBe(true);
    expect(s.cached).toBe(false);
    expect(s.reason).toBeUndefined();
    expect(s.url.protocol).toBe('data:');
    const code = decode(s.url);
    // The worker, the spec registry and the entry that joins them, all in one module.
    expect(code).toContain('async function runWorker(');
    expect(code).toContain('"two-phase"');
    expect(code).toMatch(/runWorker\(\(source\) => definitionIn\(/);
    // Nothing of tsx: the loader that a bundle does without (spec-source.ts's loadDefinition is
    // left out as unused, and tsx is marked external in case it is not).
    expect(code).not.toContain('tsx/esm/api');
  });

  it('bundles a spec file', async () => {
    const s = await workerScript({ module: pathToFileURL(specFile('plain.ts', '')).href }, tempDir());
    expect(s.bundled).toBe(true);
  });

  it('keeps a bundle until one of the files it was built from changes', async () => {
    const cache = tempDir();
    const file = specFile('cached.ts', '');
    const source = { module: pathToFileURL(file).href };
    const first = await workerScript(source, cache);
    expect([first.bundled, first.cached]).toEqual([true, false]);
    expect(readdirSync(cache)).toHaveLength(1);
    const again = await workerScript(source, cache);
    expect([again.bundled, again.cached]).toEqual([true, true]);
    expect(again.url.href).toBe(first.url.href);
    // The spec changes: built again, and the new bundle has the change.
    writeFileSync(file, readFileSync(file, 'utf8').replace("name: 'Inc'", "name: 'Increment'"));
    const changed = await workerScript(source, cache);
    expect([changed.bundled, changed.cached]).toEqual([true, false]);
    expect(decode(changed.url)).toContain('"Increment"');
    expect((await workerScript(source, cache)).cached).toBe(true);
    // A cache file that is not one: built again, and replaced.
    writeFileSync(join(cache, readdirSync(cache)[0]), '{"format": 1, "key": 12');
    const corrupt = await workerScript(source, cache);
    expect([corrupt.bundled, corrupt.cached]).toEqual([true, false]);
    expect((await workerScript(source, cache)).cached).toBe(true);
    // A cache that cannot be written (its directory is a file): bundles all the same.
    const blocked = join(tempDir(), 'file');
    writeFileSync(blocked, '');
    const unwritable = await workerScript(source, join(blocked, 'cache'));
    expect([unwritable.bundled, unwritable.cached]).toEqual([true, false]);
  });

  it('hands a cached bundle over before the event loop turns (a busy coordinator reaches it only between levels)', () => {
    // In a process started as the CLI starts (tsx's loader): a dynamic import there, of esbuild
    // say, takes turns of the event loop even when the module is loaded already.
    const cache = tempDir();
    const script = join(tempDir(), 'order.mts');
    writeFileSync(
      script,
      `import { workerScript } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'check', 'worker-bundle.ts'))};
const source = { module: process.argv[3] };
await workerScript(source, process.argv[2]);
const order: string[] = [];
setImmediate(() => order.push('event loop'));
await workerScript(source, process.argv[2]).then((s) => order.push(s.cached ? 'cached' : 'built'));
process.stdout.write(JSON.stringify(order));
`,
    );
    const launcher = join(__dirname, '..', '..', 'bench', 'launch.mjs');
    const spec = pathToFileURL(specFile('soon.ts', '')).href;
    const child = spawnSync(process.execPath, [launcher, script, cache, spec], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(['cached']);
  });

  it('falls back to the tsx entry, saying why, when the modules cannot be bundled as they are', async () => {
    const notFile = await workerScript({ module: 'data:text/javascript,export default 1' }, tempDir());
    expect(notFile).toEqual({ url: TSX_ENTRY, bundled: false, reason: 'the spec module data:text/javascript,export default 1 is not a file' });

    const missing = await workerScript({ module: 'file:///nowhere/spec.ts' }, tempDir());
    expect(missing.bundled).toBe(false);
    expect(missing.url).toBe(TSX_ENTRY);
    expect(missing.reason).toMatch(/^esbuild could not bundle \/nowhere\/spec\.ts: /);

    // import.meta.url would name the data: URL in a bundle, not the file.
    const file = specFile('meta.ts', 'export const here = import.meta.url;');
    const meta = await workerScript({ module: pathToFileURL(file).href }, tempDir());
    expect(meta).toEqual({ url: TSX_ENTRY, bundled: false, reason: `${file} uses import.meta` });
  });
});
