// The real process: bin/daxmc.mjs with tsx registered, exit codes, SIGINT and SIGTERM during a
// check (the figures so far, a counterexample already found), and signals while --out files are
// written (each file is complete or absent). Also the progress display's throttling, with an
// injected clock.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/cli/progress';
import { daxmc, tempDir } from './helpers';

const BIN = fileURLToPath(new URL('../../bin/daxmc.mjs', import.meta.url));
const LAYOUT = fileURLToPath(new URL('../../src/core/layout.ts', import.meta.url));

interface Exited {
  code: number | null;
  out: string;
  err: string;
}

function runBin(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void, nodeArgs: string[] = []): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    onStart?.(child);
  });
}

/**
 * Runs the command and sends `signal` after `delay` ms. A child killed before main() installed
 * its handlers (a slow start) has no exit code: then it runs again with a longer delay.
 */
async function interrupted(args: string[], signal: NodeJS.Signals, delay = 2500): Promise<Exited> {
  for (let wait = delay; ; wait *= 2) {
    const r = await runBin(args, (child) => void setTimeout(() => child.kill(signal), wait));
    if (r.code !== null || wait > 4 * delay) return r;
  }
}

describe('bin/daxmc.mjs', () => {
  it('exits with the verdict code', async () => {
    const r = await runBin(['check', 'die-hard']);
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)');
    const bad = await runBin(['check', 'die-hard', '--max-states', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("daxmc: option '--max-states <n>' argument 'abc' is invalid. expected a whole number of at least 1\n");
  });

  it('loads a TypeScript spec file through tsx', async () => {
    const file = join(tempDir(), 'one.ts');
    writeFileSync(
      file,
      `import { defineLayout, bool } from ${JSON.stringify(LAYOUT)};
import type { SpecDefinition } from ${JSON.stringify(LAYOUT.replace('layout.ts', 'spec.ts'))};
const layout = defineLayout({ done: bool });
const def: SpecDefinition = {
  id: 'one', title: 'one step', description: '', defaultConfig: 'c',
  configs: { c: { description: '', params: {} } },
  build: () => ({ name: 'one', layout, init: [layout.encode({ done: false })], properties: [],
    actions: [{ name: 'Finish', apply: (s: Uint8Array, t: Uint8Array) => { if (s[0]) return false; t[0] = 1; return true; } }],
    isTerminal: (s: Uint8Array) => s[0] === 1 }),
};
export default def;
`,
    );
    const r = await runBin(['check', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('PASS  no deadlock over 2 distinct states');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a check prints the figures so far and exits 5; --out writes nothing`, async () => {
      const dir = join(tempDir(), 'out');
      const r = await interrupted(['check', 'two-phase', '--config', 'rm9', '--out', dir], signal);
      expect(r.code).toBe(5);
      expect(r.out.split('\n')[0]).toBe('INCOMPLETE  interrupted; no violation found so far');
      expect(r.out).toMatch(/ {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
      expect(() => readdirSync(dir)).toThrow(/ENOENT/);
    });
  }

  it('SIGTERM after a counterexample was found (--all): the counterexample, the figures, the stop, exit 12', async () => {
    const file = join(tempDir(), 'counters.ts');
    writeFileSync(
      file,
      `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ a: intRange(0, 255), b: intRange(0, 255), c: intRange(0, 255) });
const inc = (i: number) => ({ name: 'Inc' + 'abc'[i], apply: (s: Uint8Array, t: Uint8Array) => (s[i] < 255 ? ((t[i] = s[i] + 1), true) : false) });
export default {
  id: 'counters', title: 'three counters', description: '', defaultConfig: 'c',
  configs: { c: { description: '', params: {} } },
  build: () => ({ name: 'counters', layout, init: [layout.encode({ a: 0, b: 0, c: 0 })], actions: [inc(0), inc(1), inc(2)],
    properties: [{ name: 'a stays below 2', kind: 'always', holds: (s: Uint8Array) => s[0] < 2 }], isTerminal: () => true }),
};
`,
    );
    const r = await interrupted(['check', file, '--all'], 'SIGTERM', 3500);
    expect(r.code).toBe(12);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('FAIL  invariant "a stays below 2" violated after 2 steps (BFS: shortest)');
    expect(r.out).toMatch(/ {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
    expect(r.out).toContain('  stopped     interrupted before the search was done: later discoveries may be missing\n');
    expect(r.out).toContain(`  daxmc check ${file} --config c --path 0/0/0\n`);
    expect(r.out).toContain('State 2: Inca\n* /\\ a = 2\n');
  });
});

describe('memory limits', () => {
  it('--memory reached: INCOMPLETE with the limit and the figures so far (exit 5)', async () => {
    const r = await daxmc(['check', 'two-phase', '--config', 'rm8', '--memory', '1']);
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toMatch(/^INCOMPLETE {2}reached the memory limit of 1 MiB \(resident memory \d+ MiB\); no violation found so far$/);
    expect(r.out).toMatch(/ {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
    const j = JSON.parse((await daxmc(['check', 'two-phase', '--config', 'rm8', '--memory', '1', '--format', 'json'])).out) as { verdict: string; limit: { kind: string } };
    expect(j).toMatchObject({ verdict: 'incomplete', limit: { kind: 'memory' } });
  });

  it('a spec that fills the JavaScript heap stops as incomplete instead of crashing V8 (node --max-old-space-size=64)', async () => {
    const file = join(tempDir(), 'leak.ts');
    writeFileSync(
      file,
      `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ a: intRange(0, 255), b: intRange(0, 255), c: intRange(0, 255) });
const inc = (i: number) => ({ name: 'Inc' + 'abc'[i], apply: (s: Uint8Array, t: Uint8Array) => (s[i] < 255 ? ((t[i] = s[i] + 1), true) : false) });
const kept: number[][] = [];
export default {
  id: 'leak', title: 'keeps a JS array per state', description: '', defaultConfig: 'c',
  configs: { c: { description: '', params: {} } },
  build: () => ({ name: 'leak', layout, init: [layout.encode({ a: 0, b: 0, c: 0 })], actions: [inc(0), inc(1), inc(2)],
    properties: [{ name: 'remembered', kind: 'always', holds: (s: Uint8Array) => (kept.push(Array.from(s)), true) }], isTerminal: () => true }),
};
`,
    );
    const r = await runBin(['check', file], undefined, ['--max-old-space-size=64']);
    expect(r.err).not.toContain('heap out of memory');
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toMatch(/^INCOMPLETE {2}the JavaScript heap is \d+% full \(\d+ of 64 MiB; node --max-old-space-size raises the limit\); no violation found so far$/);
    expect(r.out).toMatch(/ {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
  });
});

describe('--out when the run is interrupted', () => {
  const args = (dir: string): string[] => ['check', 'v4.2', '--config', 'b1-two-writers', '--out', dir];
  const NAMES = ['v4.2-b1-two-writers.dot', 'v4.2-b1-two-writers.itf.json', 'v4.2-b1-two-writers.mmd', 'v4.2-b1-two-writers.svg', 'v4.2-b1-two-writers.txt'];

  /** What a finished run writes into `dir` (the text file names the directory). */
  async function reference(dir: string): Promise<Record<string, string>> {
    expect((await daxmc(args(dir))).code).toBe(12);
    const files = Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
    expect(Object.keys(files).sort()).toEqual(NAMES);
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    return files;
  }

  /** Runs the command and sends `signal` as soon as anything appears in `dir`. */
  function killWhileWriting(dir: string, signal: NodeJS.Signals): Promise<Exited> {
    let sent = false;
    const watcher = watch(dir);
    return runBin(args(dir), (child) => {
      watcher.on('change', () => {
        if (!sent) child.kill(signal);
        sent = true;
      });
    }).finally(() => watcher.close());
  }

  it('SIGTERM while the files are written: the run finishes writing them, complete (exit 12)', async () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    const want = await reference(dir);
    const r = await killWhileWriting(dir, 'SIGTERM');
    expect(r.code).toBe(12);
    expect(readdirSync(dir).sort()).toEqual(NAMES);
    for (const n of NAMES) expect(readFileSync(join(dir, n), 'utf8'), n).toBe(want[n]);
  });

  it('SIGKILL while the files are written: each file is complete or absent (only temporary files are partial)', async () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    const want = await reference(dir);
    const r = await killWhileWriting(dir, 'SIGKILL');
    expect(r.code).toBeNull();
    for (const n of readdirSync(dir)) {
      if (NAMES.includes(n)) expect(readFileSync(join(dir, n), 'utf8'), n).toBe(want[n]);
      else expect(n).toMatch(/^\.v4\.2-b1-two-writers\.[a-z.]+\.\d+-[0-9a-f]{8}\.tmp$/);
    }
  });
});

describe('progress display', () => {
  const progress = { distinct: 1000, generated: 4000, depth: 7, queued: 12, elapsedMs: 2000 };

  it('off a terminal: plain lines at most every 10 s', () => {
    let t = 0;
    let err = '';
    const p = progressDisplay({ out: () => {}, err: (s) => void (err += s), isTTY: false }, () => t);
    t = 1000;
    p.listener.onProgress!(progress);
    expect(err).toBe('');
    t = 10_000;
    p.listener.onProgress!(progress);
    expect(err).toBe('Progress: 1,000 distinct, 4,000 generated, depth 7, 12 queued, 500 states/s\n');
    t = 15_000;
    p.listener.onProgress!(progress);
    t = 20_000;
    p.listener.onProgress!(progress);
    expect(err.split('\n')).toHaveLength(3);
    p.done();
    expect(err.endsWith('\n')).toBe(true);
  });

  it('on a terminal: one line redrawn in place, cleared when done', () => {
    let err = '';
    const p = progressDisplay({ out: () => {}, err: (s) => void (err += s), isTTY: true }, () => 0);
    p.listener.onProgress!(progress);
    p.listener.onProgress!({ ...progress, distinct: 2000 });
    p.done();
    expect(err).toBe(
      '\r\x1b[KProgress: 1,000 distinct, 4,000 generated, depth 7, 12 queued, 500 states/s' +
        '\r\x1b[KProgress: 2,000 distinct, 4,000 generated, depth 7, 12 queued, 1,000 states/s\r\x1b[K',
    );
  });
});
