// The real process: bin/daxmc.mjs with tsx registered, exit codes, and SIGINT during a check.
// Also the progress display's throttling, with an injected clock.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/cli/progress';
import { tempDir } from './helpers';

const BIN = fileURLToPath(new URL('../../bin/daxmc.mjs', import.meta.url));
const LAYOUT = fileURLToPath(new URL('../../src/core/layout.ts', import.meta.url));

interface Exited {
  code: number | null;
  out: string;
  err: string;
}

function runBin(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    onStart?.(child);
  });
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

  it('SIGINT during a check prints the figures so far and exits 5', async () => {
    const r = await runBin(['check', 'two-phase', '--config', 'rm9'], (child) => {
      setTimeout(() => child.kill('SIGINT'), 2500);
    });
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toBe('INCOMPLETE  interrupted; no violation found so far');
    expect(r.out).toMatch(/ {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
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
