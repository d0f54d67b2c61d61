// Input an outside tester sends on purpose, one table-driven test per case with its exact
// one-line message and exit code: names that are Object.prototype's own (`constructor`,
// `__proto__`, `toString`) wherever a user name is looked up, build() returning what is not a
// spec, numbers in other notations, --workers out of bounds, contradictory flags, control
// characters echoed back, output places that are not regular files or new names, and trace
// files that are FIFOs, devices, too big, not UTF-8, deeply nested or start with a BOM. Also
// simulate's JSON being byte-identical for equal seeds, and the spill directories a dead run left.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes';
import { SCRATCH_PREFIX } from '../../src/cli/scratch-dir';
import { daxmc, tempDir, type Ran } from './helpers';
import { LAYOUT } from './spec-files';

/** One line on stderr, starting `daxmc: `, with no stack frames. */
function expectOneLineError(r: Ran, message: string): void {
  expect(r.err).toBe(message);
  expect(r.err).toMatch(/^daxmc: .+\n$/);
  expect(r.err.split('\n')).toHaveLength(2);
  expect(r.err).not.toMatch(/\bat .+:\d+:\d+/);
}

describe('usage errors (exit 2)', () => {
  const cases: [string, string[], string][] = [
    ['--config constructor', ['check', 'die-hard', '--config', 'constructor'], "daxmc: spec die-hard has no configuration 'constructor' (it has: goal, explore)\n"],
    ['--config __proto__', ['check', 'die-hard', '--config', '__proto__'], "daxmc: spec die-hard has no configuration '__proto__' (it has: goal, explore)\n"],
    ['--config toString (simulate)', ['simulate', 'die-hard', '--config', 'toString'], "daxmc: spec die-hard has no configuration 'toString' (it has: goal, explore)\n"],
    ['--config hasOwnProperty (explore)', ['explore', 'die-hard', '--config', 'hasOwnProperty', '--port', '0'], "daxmc: spec die-hard has no configuration 'hasOwnProperty' (it has: goal, explore)\n"],
    ['--workers 2^53-1', ['check', 'die-hard', '--workers', '9007199254740991'], 'daxmc: --workers 9007199254740991 is more than the 256 worker threads daxmc runs at most\n'],
    ['--workers 257', ['check', 'die-hard', '--workers', '257'], 'daxmc: --workers 257 is more than the 256 worker threads daxmc runs at most\n'],
    ['--workers 2^53 (not a safe integer)', ['check', 'die-hard', '--workers', '9007199254740993'], "daxmc: option '--workers <n>' argument '9007199254740993' is invalid. expected a whole number of at least 1, or 'auto'\n"],
    ['--no-deadlock --property deadlock', ['check', 'die-hard', '--no-deadlock', '--property', 'deadlock'], 'daxmc: --property deadlock asks for the deadlock check, which --no-deadlock turns off: drop one of them\n'],
    ['--no-deadlock --property deadlock (simulate)', ['simulate', 'die-hard', '--no-deadlock', '--property', 'deadlock'], 'daxmc: --property deadlock asks for the deadlock check, which --no-deadlock turns off: drop one of them\n'],
    ['--timeout in hex', ['check', 'die-hard', '--timeout', '0x10'], "daxmc: option '--timeout <seconds>' argument '0x10' is invalid. expected a number greater than 0\n"],
    ['--timeout with an exponent', ['check', 'die-hard', '--timeout', '1e3'], "daxmc: option '--timeout <seconds>' argument '1e3' is invalid. expected a number greater than 0\n"],
    ['--timeout Infinity', ['check', 'die-hard', '--timeout', 'Infinity'], "daxmc: option '--timeout <seconds>' argument 'Infinity' is invalid. expected a number greater than 0\n"],
    ['--memory in hex', ['check', 'die-hard', '--memory', '0x100'], "daxmc: option '--memory <MiB>' argument '0x100' is invalid. expected a number greater than 0\n"],
    ['--max-states in hex', ['check', 'die-hard', '--max-states', '0x10'], "daxmc: option '--max-states <n>' argument '0x10' is invalid. expected a whole number of at least 1\n"],
    ['--max-states with an exponent', ['check', 'die-hard', '--max-states', '1e3'], "daxmc: option '--max-states <n>' argument '1e3' is invalid. expected a whole number of at least 1\n"],
    ['--steps with a sign', ['simulate', 'die-hard', '--steps', '+5'], "daxmc: option '--steps <n>' argument '+5' is invalid. expected a whole number of at least 1\n"],
    ['a terminal escape in --config is echoed escaped', ['check', 'die-hard', '--config', 'x\u001b[2J\u0007'], "daxmc: spec die-hard has no configuration 'x\\x1b[2J\\x07' (it has: goal, explore)\n"],
    ['a bidi override in a spec id is echoed escaped', ['check', 'die\u202ehard'], "daxmc: unknown spec 'die\\u202ehard' (daxmc list shows the spec ids; a spec file ends in .ts, .mts, .js or .mjs)\n"],
    ['a C1 control and DEL in an option value', ['check', 'die-hard', '--property', 'a\u009bb\u007f'], `daxmc: spec die-hard has no property 'a\\x9bb\\x7f' (it has: "TypeOK: the jugs hold what they can", "the big jug holds 4 gallons", "NotSolved: big /= 4", deadlock)\n`],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await daxmc(args);
      expect(r.code).toBe(ExitCode.usage);
      expectOneLineError(r, message);
      expect(r.out).toBe('');
    });
  }

  it('--workers 100: capped at the machine\'s threads with a warning; the same result', async () => {
    const cores = availableParallelism();
    const r = await daxmc(['check', 'die-hard', '--workers', '100']);
    expect(r.code).toBe(12);
    expect(r.err).toBe(`daxmc: --workers 100: this machine runs ${cores} ${cores === 1 ? 'thread' : 'threads'} at once; using ${cores} ${cores === 1 ? 'worker' : 'workers'}\n`);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)');
  });
});

describe('--out and report places that cannot take the files (exit 2, before any search)', () => {
  /** [name, make the place (returns --out), the message (DIR: the directory made)] */
  const cases: [string, (dir: string) => string, string][] = [
    ['/dev/null (a device, not a directory)', () => '/dev/null', 'daxmc: --out /dev/null: /dev/null is a character device, not a directory\n'],
    ['/dev/full', () => '/dev/full', 'daxmc: --out /dev/full: /dev/full is a character device, not a directory\n'],
    ['a path under /proc (the file system refuses it; Node\'s recursive mkdir hangs there)', () => '/proc/daxmc-x', 'daxmc: --out /proc/daxmc-x: cannot make the directory /proc/daxmc-x: the file system refuses to create it\n'],
    ['an existing regular file', (d) => (writeFileSync(join(d, 'f'), 'x'), join(d, 'f')), 'daxmc: --out DIR/f: DIR/f is a regular file, not a directory\n'],
    ['a path under a regular file (read-only for root too)', (d) => (writeFileSync(join(d, 'f'), 'x'), join(d, 'f', 'sub')), 'daxmc: --out DIR/f/sub: cannot make the directory DIR/f/sub: a part of the path is not a directory\n'],
    [
      'a symbolic link under a trace file\'s name',
      (d) => (mkdirSync(join(d, 'o')), symlinkSync('/dev/null', join(d, 'o', 'die-hard-goal.txt')), join(d, 'o')),
      'daxmc: --out DIR/o: cannot write DIR/o/die-hard-goal.txt: it is a symbolic link; daxmc replaces only regular files\n',
    ],
    [
      'a directory under a trace file\'s name',
      (d) => (mkdirSync(join(d, 'o', 'die-hard-goal.svg'), { recursive: true }), join(d, 'o')),
      'daxmc: --out DIR/o: cannot write DIR/o/die-hard-goal.svg: it is a directory; daxmc replaces only regular files\n',
    ],
    [
      'a FIFO under a trace file\'s name',
      (d) => (mkdirSync(join(d, 'o')), execFileSync('mkfifo', [join(d, 'o', 'die-hard-goal.dot')]), join(d, 'o')),
      'daxmc: --out DIR/o: cannot write DIR/o/die-hard-goal.dot: it is a FIFO (named pipe); daxmc replaces only regular files\n',
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const dir = tempDir();
      const out = make(dir);
      const r = await daxmc(['check', 'die-hard', '--out', out]);
      expect(r.code).toBe(ExitCode.usage);
      expectOneLineError(r, message.replaceAll('DIR', dir));
      expect(r.out).toBe('');
    });
  }

  it('a passing search with a usable --out leaves nothing behind (no directory, no probe file)', async () => {
    const dir = tempDir();
    const r = await daxmc(['check', 'two-phase', '--out', join(dir, 'a', 'b')]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('report --verdicts onto a device node is refused and the node stays a device', async () => {
    // A node of our own (as root, which CI is; a FIFO otherwise): a regression must never get
    // to replace the machine's /dev/full by a regular file, as the rename once did.
    const dir = tempDir();
    const node = join(dir, 'full');
    let kind = 'a character device';
    try {
      execFileSync('mknod', ['-m', '666', node, 'c', '1', '7'], { stdio: 'ignore' });
    } catch {
      execFileSync('mkfifo', [node]);
      kind = 'a FIFO (named pipe)';
    }
    const r = await daxmc(['report', '--claim', 'v4.2/B1', '--verdicts', node]);
    expect(r.code).toBe(ExitCode.usage);
    expectOneLineError(r, `daxmc: --verdicts: cannot write ${node}: it is ${kind}; daxmc replaces only regular files\n`);
    expect(r.out).toBe('');
    expect(lstatSync(node).isFile()).toBe(false);
  });

  it('report --verdicts onto a symbolic link is refused and the link stays', async () => {
    const dir = tempDir();
    const link = join(dir, 'verdicts.md');
    symlinkSync(join(dir, 'elsewhere.md'), link);
    const r = await daxmc(['report', '--claim', 'v4.2/B1', '--verdicts', link]);
    expect(r.code).toBe(ExitCode.usage);
    expectOneLineError(r, `daxmc: --verdicts: cannot write ${link}: it is a symbolic link; daxmc replaces only regular files\n`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});

describe('specs whose build() returns what is not a spec (exit 3)', () => {
  const cases: [string, string, string][] = [
    ['null', 'return null;', 'build() returned null, not a spec'],
    ['undefined', 'return undefined;', 'build() returned undefined, not a spec'],
    ['{}', 'return {};', "build() returned an object without a 'layout' (made with defineLayout)"],
    ['a Promise', 'return Promise.resolve(real);', 'build() returned a Promise: build() must return the spec itself, not asynchronously'],
    ['a number', 'return 42;', 'build() returned a number, not a spec'],
    ['a function', 'return () => real;', 'build() returned a function, not a spec'],
    ['a spec without actions', 'return { ...real, actions: undefined };', "build() returned an object without 'actions' (an array)"],
  ];
  for (const [name, ret, message] of cases) {
    it(name, async () => {
      const file = join(tempDir(), 'bad.ts');
      writeFileSync(
        file,
        `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ n: intRange(0, 1) });
const real = { name: 'r', layout, init: [layout.encode({ n: 0 })], properties: [], actions: [] };
export default { id: 'my/bad', title: '', description: '', defaultConfig: 'c', configs: { c: { description: '', params: {} } },
  build(): any { void real; ${ret} } };
`,
      );
      for (const command of ['check', 'simulate']) {
        const r = await daxmc([command, file]);
        expect(r.code).toBe(ExitCode.spec);
        expectOneLineError(r, `daxmc: spec my/bad, configuration c: ${message}\n`);
      }
    });
  }

  it("a spec file whose defaultConfig is 'constructor' (an inherited name, not a configuration)", async () => {
    const file = join(tempDir(), 'proto.ts');
    writeFileSync(file, "export default { id: 'p', build() {}, configs: { c: { params: {} } }, defaultConfig: 'constructor' };\n");
    const r = await daxmc(['check', file]);
    expect(r.code).toBe(ExitCode.spec);
    expectOneLineError(r, `daxmc: spec file ${file}: the exported spec definition has 'defaultConfig' "constructor", which is not one of its configurations\n`);
  });
});

describe('trace files that are not trace files (exit 4)', () => {
  /** die-hard's counterexample, written by check --out. */
  async function dieHardTrace(): Promise<string> {
    const dir = tempDir();
    expect((await daxmc(['check', 'die-hard', '--out', dir])).code).toBe(12);
    return join(dir, 'die-hard-goal.itf.json');
  }
  const editMeta = (file: string, change: (meta: Record<string, unknown>) => void): void => {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { '#meta': Record<string, unknown> };
    change(j['#meta']);
    writeFileSync(file, JSON.stringify(j));
  };
  /** [name, make the file from a valid trace (returns the path to replay), the message] */
  const cases: [string, (trace: string, dir: string) => string, string][] = [
    ['a FIFO (would block forever)', (_t, d) => (execFileSync('mkfifo', [join(d, 'p.itf.json')]), join(d, 'p.itf.json')), 'daxmc: cannot read FILE: it is a FIFO (named pipe), not a trace file\n'],
    ['a link to /dev/zero (would never end)', (_t, d) => (symlinkSync('/dev/zero', join(d, 'z.itf.json')), join(d, 'z.itf.json')), 'daxmc: cannot read FILE: it is a character device, not a trace file\n'],
    ['a directory', (_t, d) => d, 'daxmc: cannot read FILE: it is a directory, not a trace file\n'],
    [
      'a file of 33 MiB (sparse, read no further)',
      (_t, d) => (writeFileSync(join(d, 'big.itf.json'), ''), truncateSync(join(d, 'big.itf.json'), 33 * 2 ** 20), join(d, 'big.itf.json')),
      'daxmc: cannot read FILE: it is 33 MiB, more than the 32 MiB daxmc reads from a trace file (daxmc check --path replays its "#meta".path without the file)\n',
    ],
    ['bytes that are not UTF-8', (_t, d) => (writeFileSync(join(d, 'l.itf.json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), join(d, 'l.itf.json')), 'daxmc: cannot read FILE: it is not UTF-8 text\n'],
    [
      'a state value nested 100,000 levels deep',
      (t) => {
        const j = JSON.parse(readFileSync(t, 'utf8')) as { states: Record<string, unknown>[] };
        writeFileSync(t, JSON.stringify(j).replace('"big":0', `"big":${'['.repeat(100_000)}${']'.repeat(100_000)}`));
        return t;
      },
      'daxmc: FILE: states[0].big: nested deeper than 64 levels\n',
    ],
    ["#meta.config 'constructor'", (t) => (editMeta(t, (m) => (m.config = 'constructor')), t), "daxmc: FILE: spec die-hard has no configuration 'constructor' (it has: goal, explore)\n"],
    ["#meta.config '__proto__'", (t) => (editMeta(t, (m) => (m.config = '__proto__')), t), "daxmc: FILE: spec die-hard has no configuration '__proto__' (it has: goal, explore)\n"],
    ["#meta.spec 'toString'", (t) => (editMeta(t, (m) => (m.spec = 'toString')), t), "daxmc: FILE: the trace is of spec 'toString', which is not built in (name its spec file with --spec)\n"],
    [
      "a state variable named 'constructor'",
      (t) => {
        const j = JSON.parse(readFileSync(t, 'utf8')) as { vars: string[] };
        j.vars = ['constructor', ...j.vars.slice(1)];
        writeFileSync(t, JSON.stringify(j));
        return t;
      },
      'daxmc: FILE: states[0] has no variable "constructor"\n',
    ],
    [
      "a state variable named '__proto__'",
      (t) => {
        const j = JSON.parse(readFileSync(t, 'utf8')) as { vars: string[] };
        j.vars = ['__proto__', ...j.vars.slice(1)];
        writeFileSync(t, JSON.stringify(j));
        return t;
      },
      'daxmc: FILE: states[0] has no variable "__proto__"\n',
    ],
    [
      'control characters in #meta.spec, echoed escaped',
      (t) => (editMeta(t, (m) => (m.spec = 'x\u001b]0;pwned\u0007')), t),
      "daxmc: FILE: the trace is of spec 'x\\x1b]0;pwned\\x07', which is not built in (name its spec file with --spec)\n",
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const trace = await dieHardTrace();
      const file = make(trace, tempDir());
      const r = await daxmc(['replay', file]);
      expect(r.code).toBe(ExitCode.traceFile);
      expectOneLineError(r, message.replaceAll('FILE', file));
      expect(r.out).toBe('');
    });
  }

  it('a UTF-8 byte-order mark is accepted: the trace replays (exit 12)', async () => {
    const trace = await dieHardTrace();
    writeFileSync(trace, `\ufeff${readFileSync(trace, 'utf8')}`);
    const r = await daxmc(['replay', trace]);
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe(`FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (replayed from ${trace})`);
  });
});

describe('simulate --format json', () => {
  it('is byte-identical for equal seeds (no elapsed time in the file)', async () => {
    const args = ['simulate', 'die-hard', '--seed', '7', '--format', 'json'];
    const a = await daxmc(args);
    const b = await daxmc(args);
    expect(a.code).toBe(12);
    expect(b.out).toBe(a.out);
    expect(JSON.parse(a.out).stats).toEqual({ runs: 18, steps: 1735, distinct: 12, longest: 100 });
  });
});

describe('spill directories', () => {
  it('one left by a process that is gone is removed by the next spilling run; a live one and a foreign one stay', async () => {
    const tmp = tempDir();
    const ns = readlinkNs();
    const dead = deadPid();
    const make = (name: string, owner: string | undefined): string => {
      const d = join(tmp, name);
      mkdirSync(d);
      writeFileSync(join(d, 'fingerprints.run'), 'x');
      if (owner !== undefined) writeFileSync(join(d, 'owner'), owner);
      return d;
    };
    const stale = make(`${SCRATCH_PREFIX}stale`, `${dead} ${ns}\n`);
    const live = make(`${SCRATCH_PREFIX}live`, `${process.pid} ${ns}\n`);
    const foreign = make(`${SCRATCH_PREFIX}foreign`, `${dead} pid:[1]\n`);
    const unmarked = make(`${SCRATCH_PREFIX}unmarked`, undefined);
    const r = await daxmc(['check', 'two-phase', '--spill-after', '100'], { tmpdir: tmp });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n {2}disk {8}200 fingerprints on disk after 2 merges\n/);
    expect(existsSync(stale)).toBe(false);
    for (const kept of [live, foreign, unmarked]) expect(existsSync(kept)).toBe(true);
    expect(readdirSync(tmp).sort()).toEqual([`${SCRATCH_PREFIX}foreign`, `${SCRATCH_PREFIX}live`, `${SCRATCH_PREFIX}unmarked`]);
  });
});

/** This process's pid namespace, as the owner file records it. */
function readlinkNs(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString();
  return Number(out);
}
