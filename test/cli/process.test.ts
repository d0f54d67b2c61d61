// The real process: bin/daxmc.mjs with tsx registered, exit codes, SIGINT and SIGTERM during a
// check (the figures so far, a counterexample already found), a spec stuck in an endless loop
// (the supervisor ends it after its grace), a second signal, a standard output that fails, --out
// and spill files on a disk that refuses them (ulimit -f), and what a killed run leaves behind.
// No test waits by sleeping: a child announces readiness itself (its spec writes `READY ...` to
// stderr from the code that runs at the moment wanted) and the test acts on that line; a kill
// during file writing acts on the first temporary file appearing. Also the progress display's
// throttling, with an injected clock.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/cli/progress';
import { SCRATCH_PREFIX } from '../../src/cli/scratch-dir';
import { daxmc, tempDir } from './helpers';
import { counterSpec, LAYOUT } from './spec-files';

const BIN = fileURLToPath(new URL('../../bin/daxmc.mjs', import.meta.url));

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

interface RunOptions {
  /** Called once when stderr first holds `READY <ready>` (or stdout matches `readyOut`). */
  readonly ready?: string;
  readonly readyOut?: RegExp;
  readonly onReady?: (child: ChildProcess, out: string) => void;
  readonly nodeArgs?: string[];
  /** A shell prefix run before node, e.g. `ulimit -f 1;` (bash). */
  readonly shell?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Standard output: a pipe (default) or a file descriptor. */
  readonly stdout?: number;
  readonly onStart?: (child: ChildProcess) => void;
}

function runBin(args: string[], o: RunOptions = {}): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const argv = [...(o.nodeArgs ?? []), BIN, ...args];
    const child =
      o.shell !== undefined
        ? spawn('/bin/bash', ['-c', `${o.shell} exec "$0" "$@"`, process.execPath, ...argv], { stdio: ['ignore', o.stdout ?? 'pipe', 'pipe'], env: o.env ?? process.env })
        : spawn(process.execPath, argv, { stdio: ['ignore', o.stdout ?? 'pipe', 'pipe'], env: o.env ?? process.env });
    let out = '';
    let err = '';
    let announced = false;
    child.stdout?.on('data', (d) => {
      out += d;
      if (!announced && o.readyOut !== undefined && o.readyOut.test(out)) {
        announced = true;
        o.onReady?.(child, out);
      }
    });
    child.stderr!.on('data', (d) => {
      err += d;
      if (!announced && o.ready !== undefined && err.includes(`READY ${o.ready}\n`)) {
        announced = true;
        o.onReady?.(child, out);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
    o.onStart?.(child);
  });
}

/** stderr without the spec's own READY line. */
function withoutReady(err: string): string {
  return err.replace(/^READY .*\n/m, '');
}

const STATES = / {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/;

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
});

describe('signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a check prints the figures so far and exits 5; --out writes nothing`, async () => {
      const dir = tempDir();
      const file = counterSpec(dir, 'big', { three: true, step: "announce('searching')" });
      const out = join(dir, 'out');
      const r = await runBin(['check', file, '--out', out], { ready: 'searching', onReady: (c) => c.kill(signal) });
      expect(r.code).toBe(5);
      expect(r.out.split('\n')[0]).toBe('INCOMPLETE  interrupted; no violation found so far');
      expect(r.out).toMatch(STATES);
      expect(r.out).not.toContain('its thread was ended');
      expect(withoutReady(r.err)).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('SIGTERM after a counterexample was found (--all): the counterexample, the figures, the stop, exit 12', async () => {
    const file = counterSpec(tempDir(), 'counters', { three: true, limit: 2, check: "if (s[0] >= 2) announce('found')" });
    const r = await runBin(['check', file, '--all'], { ready: 'found', onReady: (c) => c.kill('SIGTERM') });
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "a stays below 2" violated after 2 steps (BFS: shortest)');
    expect(r.out).toMatch(STATES);
    expect(r.out).toContain('  stopped     interrupted before the search was done: later discoveries may be missing\n');
    expect(r.out).toContain(`  daxmc check ${file} --config c --path 0/0/0\n`);
    expect(r.out).toContain('State 2: w: Inca\n* /\\ a = 2\n');
  });

  it('SIGINT while an action loops forever: ended after the 2 s grace, INCOMPLETE, exit 5', async () => {
    const file = counterSpec(tempDir(), 'spin', { step: "announce('spinning'); for (;;) {}" });
    const r = await runBin(['check', file], { ready: 'spinning', onReady: (c) => c.kill('SIGINT') });
    expect(r.code).toBe(5);
    expect(r.out).toBe(
      [
        'INCOMPLETE  interrupted; no violation found so far',
        '  spec        t/spin, configuration c',
        "  stopped     the search (the spec's code: an action, a property or the constraint) did not stop within 2 s of the interrupt: its thread was ended",
        '',
      ].join('\n'),
    );
  });

  it('a second signal ends the process at once, by that signal', async () => {
    const file = counterSpec(tempDir(), 'spin', { step: "announce('spinning'); for (;;) {}" });
    // Two different signals: the kernel would merge two of the same still pending.
    const r = await runBin(['check', file], {
      ready: 'spinning',
      onReady: (c) => {
        c.kill('SIGINT');
        c.kill('SIGTERM');
      },
    });
    expect(r.code).toBeNull();
    expect(['SIGINT', 'SIGTERM']).toContain(r.signal);
    expect(r.out).toBe('');
  });
});

describe('explore', () => {
  it('serves until SIGINT (the URL on stdout is its readiness), then stops: exit 0', async () => {
    let status = 0;
    const r = await runBin(['explore', 'die-hard', '--port', '0', '--no-check'], {
      readyOut: /at http:\/\/127\.0\.0\.1:\d+\/\n/,
      onReady: (child, out) =>
        void (async () => {
          // It answers while it serves; then the interrupt.
          try {
            status = (await fetch(`${/at (http:\S+)\n/.exec(out)![1]}.status`)).status;
          } finally {
            child.kill('SIGINT');
          }
        })(),
    });
    expect(status).toBe(200);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^daxmc explore: die-hard, configuration goal, at http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(r.err).toBe('Press Ctrl-C to stop.\ndaxmc explore: stopped\n');
  });
});

describe('standard output that fails', () => {
  it('a full disk (/dev/full): one line on stderr, no stack trace, the verdict as exit code', async () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = await runBin(['check', 'die-hard'], { stdout: fd });
      expect(r.code).toBe(12);
      expect(r.err).toBe('daxmc: cannot write to standard output: no space left on the device; the exit code still gives the verdict\n');
    } finally {
      closeSync(fd);
    }
  });

  it('a pipe whose reader went away (EPIPE): silent, the verdict as exit code', async () => {
    const r = await runBin(['check', 'die-hard'], { onStart: (c) => c.stdout!.destroy() });
    expect(r.code).toBe(12);
    expect(r.err).toBe('');
  });
});

describe('a disk that refuses files (ulimit -f)', () => {
  it('--out files that cannot be written after the search: the result, one line, the verdict (exit 12)', async () => {
    const dir = join(tempDir(), 'out');
    const r = await runBin(['check', 'die-hard', '--out', dir], { shell: 'ulimit -f 1;' });
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)');
    expect(r.out).not.toContain('daxmc replay');
    expect(r.err).toBe(
      `daxmc: --out: cannot write ${dir}/die-hard-goal.itf.json: the file size limit of the process is reached (ulimit -f) (the result above is complete; the trace files are not all written)\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a spill file the disk refuses: INCOMPLETE with the figures (exit 5), the spill directory removed', async () => {
    const tmp = tempDir();
    const r = await runBin(['check', 'two-phase', '--config', 'rm7', '--spill-after', '10000'], { shell: 'ulimit -f 200;', env: { ...process.env, TMPDIR: tmp } });
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toBe(
      "INCOMPLETE  the disk refused the seen table's spill file: the file size limit of the process is reached (ulimit -f); no violation found so far",
    );
    expect(r.out).toMatch(STATES);
    expect(r.out).toMatch(/\n {2}disk {8}[\d,]+ fingerprints on disk after \d+ merges?\n/);
    expect(readdirSync(tmp).filter((n) => n.startsWith(SCRATCH_PREFIX))).toEqual([]);
  });
});

describe('what a killed run leaves behind', () => {
  it('SIGKILL while --out files are written: each file is complete or absent; the next run removes the temporary files', async () => {
    const args = (dir: string): string[] => ['check', 'v4.2', '--config', 'b1-two-writers', '--out', dir];
    const ref = join(tempDir(), 'ref');
    expect((await daxmc(args(ref))).code).toBe(12);
    const names = readdirSync(ref).sort();
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    // Killed when the first trace file's temporary file appears (the pre-check's probe is not one).
    const watcher = watch(dir);
    let killed = false;
    const r = await runBin(args(dir), {
      onStart: (child) =>
        watcher.on('change', (_event, name) => {
          if (!killed && typeof name === 'string' && name.startsWith('.v4.2-b1-two-writers.')) {
            killed = true;
            child.kill('SIGKILL');
          }
        }),
    }).finally(() => watcher.close());
    // Killed while writing; or, on a machine slower to deliver the kill than to write, done.
    expect(r.code === null ? r.signal : r.code).toBe(r.code === null ? 'SIGKILL' : 12);
    const left = readdirSync(dir);
    for (const n of left) {
      if (names.includes(n)) expect(readFileSync(join(dir, n), 'utf8'), n).toBe(readFileSync(join(ref, n), 'utf8').replaceAll(ref, dir));
      else expect(n).toMatch(/^\.v4\.2-b1-two-writers\.[a-z.]+\.\d+-[0-9a-f]{8}\.tmp$/);
    }
    // The next run into the same directory writes every file and removes the dead run's temporaries.
    expect((await daxmc(args(dir))).code).toBe(12);
    expect(readdirSync(dir).sort()).toEqual(names);
  });

  it("SIGKILL while spilling: the spill directory stays; the next spilling run removes it", async () => {
    const tmp = tempDir();
    const file = counterSpec(tempDir(), 'big', { three: true, step: "announce('spilling')" });
    const r = await runBin(['check', file, '--spill-after', '1000'], { env: { ...process.env, TMPDIR: tmp }, ready: 'spilling', onReady: (c) => c.kill('SIGKILL') });
    expect(r.signal).toBe('SIGKILL');
    const stale = readdirSync(tmp).filter((n) => n.startsWith(SCRATCH_PREFIX));
    expect(stale).toHaveLength(1);
    expect(readFileSync(join(tmp, stale[0], 'owner'), 'utf8')).toMatch(/^\d+ /);
    const next = await daxmc(['check', 'two-phase', '--spill-after', '100'], { tmpdir: tmp });
    expect(next.code).toBe(0);
    expect(readdirSync(tmp).filter((n) => n.startsWith(SCRATCH_PREFIX))).toEqual([]);
  });
});

describe('memory limits', () => {
  it('--memory reached: INCOMPLETE with the limit and the figures so far (exit 5)', async () => {
    const r = await daxmc(['check', 'two-phase', '--config', 'rm8', '--memory', '1']);
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toMatch(/^INCOMPLETE {2}reached the memory limit of 1 MiB \(resident memory \d+ MiB\); no violation found so far$/);
    expect(r.out).toMatch(STATES);
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
    const r = await runBin(['check', file], { nodeArgs: ['--max-old-space-size=64'] });
    expect(r.err).not.toContain('heap out of memory');
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toMatch(/^INCOMPLETE {2}the JavaScript heap is \d+% full \(\d+ of 64 MiB; node --max-old-space-size raises the limit\); no violation found so far$/);
    expect(r.out).toMatch(STATES);
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


