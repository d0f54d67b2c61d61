// Commands on a supervised worker thread (supervise.ts), in-process: an abort (what SIGINT does)
// or the time limit always ends the run, even when the spec's code never returns; a spec that
// calls process.exit or throws outside any action is a spec error, never a pass; an abort while
// the --out files are written lets them finish. Every abort is given at a stage the command
// reports (onStage), never after a sleep; a spec stuck in an endless loop stays stuck whenever
// the abort arrives, so each output is exact.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/cli/io';
import { superviseCli } from '../../src/cli/supervise';
import { daxmc, tempDir } from './helpers';
import { counterSpec } from './spec-files';

interface Supervised {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly stages: string[];
}

/**
 * Runs `args` supervised; aborts when the command reports `abortAt` (a stage step); with
 * `limitAt`, the time limit's timer fires when the command reports that stage (no clock).
 */
async function supervised(args: string[], o: { abortAt?: Stage['step']; limitAt?: Stage['step']; graceMs?: number } = {}): Promise<Supervised> {
  let out = '';
  let err = '';
  const stages: string[] = [];
  const controller = new AbortController();
  let fireLimit: (() => void) | undefined;
  const code = await superviseCli(args, {
    io: { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false },
    cwd: process.cwd(),
    signal: controller.signal,
    graceMs: o.graceMs ?? 500,
    onStage: (s) => {
      stages.push(s.step);
      if (s.step === o.abortAt) controller.abort();
      if (s.step === o.limitAt) fireLimit?.();
    },
    ...(o.limitAt !== undefined
      ? {
          timer: (_ms: number, fire: () => void, what: 'grace' | 'limit') => {
            if (what === 'limit') fireLimit = fire;
            return () => {
              if (fireLimit === fire) fireLimit = undefined;
            };
          },
        }
      : {}),
  });
  return { code, out, err, stages };
}

describe('a supervised command that does not return', () => {
  it('an action with an endless loop, interrupted: INCOMPLETE, what did not stop, exit 5', async () => {
    const file = counterSpec(tempDir(), 'spin', { step: 'for (;;) {}' });
    const r = await supervised(['check', file], { abortAt: 'searching' });
    expect(r.code).toBe(5);
    expect(r.out).toBe(
      [
        'INCOMPLETE  interrupted; no violation found so far',
        '  spec        t/spin, configuration c',
        "  stopped     the search (the spec's code: an action, a property or the constraint) did not stop within 0.5 s of the interrupt: its thread was ended",
        '',
      ].join('\n'),
    );
    expect(r.err).toBe('');
  });

  it('the same with --format json: the partial result object', async () => {
    const file = counterSpec(tempDir(), 'spin', { step: 'for (;;) {}' });
    const r = await supervised(['check', file, '--format', 'json'], { abortAt: 'searching' });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.out)).toEqual({
      schema: 'daxmc.result/1',
      spec: 't/spin',
      config: 'c',
      verdict: 'incomplete',
      exitCode: 5,
      failure: null,
      discoveries: [],
      stats: null,
      limit: { kind: 'interrupted', detail: 'interrupted' },
      error: null,
      stopped: "the search (the spec's code: an action, a property or the constraint) did not stop within 0.5 s of the interrupt: its thread was ended",
    });
  });

  it('build() with an endless loop and --timeout 0.2: the time limit ends it (exit 5), no signal needed', async () => {
    const file = counterSpec(tempDir(), 'slow', { build: 'for (;;) {}' });
    // The limit's timer fires once build() has started, whatever the machine's speed.
    const r = await supervised(['check', file, '--timeout', '0.2'], { limitAt: 'building' });
    expect(r.code).toBe(5);
    expect(r.out).toBe(
      [
        'INCOMPLETE  reached the time limit of 0.2 s; no violation found so far',
        '  spec        t/slow, configuration c',
        '  stopped     build() of spec t/slow, configuration c did not stop within 0.5 s of the time limit: its thread was ended',
        '',
      ].join('\n'),
    );
    expect(r.stages).toEqual(['loading', 'building']);
  });

  it('a failure found before the spec got stuck (--all): FAIL with the command that replays it, exit 12', async () => {
    // The invariant fails at a = 2; the action loops forever once c reaches 1.
    const file = counterSpec(tempDir(), 'late', { limit: 2, step: 'if (s[2] === 1) for (;;) {}', three: true });
    const r = await supervised(['check', file, '--all'], { abortAt: 'searching' });
    expect(r.code).toBe(12);
    expect(r.out).toBe(
      [
        'FAIL  invariant "a stays below 2" violated after 2 steps (BFS: shortest)',
        '  spec        t/late, configuration c',
        "  stopped     the search (the spec's code: an action, a property or the constraint) did not stop within 0.5 s of the interrupt: its thread was ended; the trace is not printed",
        '',
        'Replay:',
        `  daxmc check ${file} --config c --path 0/0/0`,
        '',
      ].join('\n'),
    );
  });

  it('a simulation run of 10^9 steps, interrupted: INCOMPLETE with the transitions reported so far, exit 5', async () => {
    const r = await supervised(['simulate', 'die-hard', '--property', 'TypeOK', '--no-deadlock', '--steps', '1000000000', '--runs', '1'], { abortAt: 'simulating' });
    expect(r.code).toBe(5);
    // The simulation reports its figures every 65,536 transitions: a line if one came in time.
    expect(r.out).toMatch(
      /^INCOMPLETE {2}interrupted; no violation found so far\n {2}spec {8}die-hard, configuration goal\n( {2}simulation {2}[\d,]+ transitions so far, \d+ distinct states seen\n)? {2}stopped {5}the simulation \(the spec's code: an action, a property or the constraint\) did not stop within 0\.5 s of the interrupt: its thread was ended\n$/,
    );
  });

  it('a replay whose spec never returns, interrupted: one line, exit 5', async () => {
    const dir = tempDir();
    // A trace of 3 steps from the plain counter, replayed against one whose action loops at a = 2.
    const plain = counterSpec(dir, 'plain', { limit: 3 });
    expect((await daxmc(['check', plain, '--out', dir])).code).toBe(12);
    const stuck = counterSpec(dir, 'plain-stuck', { limit: 3, step: 'if (s[0] === 2) for (;;) {}' });
    const trace = join(dir, 't_plain-c.itf.json');
    writeFileSync(trace, readFileSync(trace, 'utf8').replace('"spec": "t/plain"', '"spec": "t/plain-stuck"'));
    const r = await supervised(['replay', trace, '--spec', stuck], { abortAt: 'replaying' });
    expect(r.code).toBe(5);
    expect(r.out).toBe('');
    expect(r.err).toBe(`daxmc: interrupted: the replay of ${trace} did not stop within 0.5 s of the interrupt: its thread was ended\n`);
  });
});

describe('a supervised command whose spec breaks the process contract', () => {
  const cases: [string, Parameters<typeof counterSpec>[2], string[], number, string, string][] = [
    ['process.exit(0) while the spec file loads', { top: 'process.exit(0);' }, [], 3, '', "daxmc: the spec's code called process.exit(0) while the spec file was loading: the run has no verdict\n"],
    [
      'process.exit(0) in an action',
      { step: 'process.exit(0);' },
      [],
      3,
      "ERROR  the spec's code called process.exit(0) while searching: the run has no verdict\n  spec        t/bad, configuration c\n",
      '',
    ],
    [
      'process.exit(7) in build() (JSON)',
      { build: 'process.exit(7);' },
      ['--format', 'json'],
      3,
      'JSON',
      '',
    ],
  ];
  for (const [name, code, extra, exit, out, err] of cases) {
    it(name, async () => {
      const file = counterSpec(tempDir(), 'bad', code);
      const r = await supervised(['check', file, ...extra]);
      expect(r.code).toBe(exit);
      if (out === 'JSON') {
        expect(JSON.parse(r.out)).toMatchObject({
          verdict: 'error',
          exitCode: 3,
          limit: null,
          error: "the spec's code called process.exit(7) while build() ran: the run has no verdict",
        });
      } else expect(r.out).toBe(out);
      expect(r.err).toBe(err);
    });
  }

  it('an error thrown by the spec outside any action (a timer): a spec error naming it, exit 3', async () => {
    // Set in build(); it fires when the search first yields (after a slice of 25 ms).
    const file = counterSpec(tempDir(), 'bad', { three: true, build: "setTimeout(() => { throw new Error('late failure'); }, 0);" });
    const r = await supervised(['check', file]);
    expect(r.code).toBe(3);
    expect(r.out.split('\n')[0]).toMatch(/^ERROR {2}the spec's code threw outside any action while searching: late failure$/);
  });
});

describe('a supervised command that stops in time', () => {
  it('an abort during a search: the search stops itself and prints its own report (exit 5)', async () => {
    const file = counterSpec(tempDir(), 'big', { three: true });
    const r = await supervised(['check', file], { abortAt: 'searching', graceMs: 60_000 });
    expect(r.code).toBe(5);
    expect(r.out.split('\n')[0]).toBe('INCOMPLETE  interrupted; no violation found so far');
    expect(r.out).toMatch(/\n {2}states {6}[\d,]+ distinct, [\d,]+ generated, depth \d+, [\d,]+ queued\n/);
    expect(r.out).not.toContain('its thread was ended');
  });

  it('an abort while the --out files are written: they are all written, whole (exit 12)', async () => {
    const dir = tempDir();
    const ref = tempDir();
    const args = (d: string): string[] => ['check', 'v4.2', '--config', 'b1-two-writers', '--out', d];
    expect((await daxmc(args(ref))).code).toBe(12);
    const r = await supervised(args(dir), { abortAt: 'writing', graceMs: 1 });
    expect(r.code).toBe(12);
    const names = readdirSync(ref).sort();
    expect(readdirSync(dir).sort()).toEqual(names);
    // The text file names the directory it was written to.
    for (const n of names) expect(readFileSync(join(dir, n), 'utf8'), n).toBe(readFileSync(join(ref, n), 'utf8').replaceAll(ref, dir));
  });

  it('a command that ends normally is not touched: output and exit code as in-process', async () => {
    const r = await supervised(['check', 'die-hard']);
    const inProcess = await daxmc(['check', 'die-hard']);
    expect(r.code).toBe(12);
    expect(r.out.replace(/time {8}.*\n/, '')).toBe(inProcess.out.replace(/time {8}.*\n/, ''));
    expect(r.stages).toEqual(['loading', 'building', 'searching']);
  });
});
