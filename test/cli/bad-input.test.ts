// Every kind of bad input, one test each, with its exact one-line message and exit code: usage
// errors (2), trace files that are unreadable, truncated, of the wrong shape, from another spec
// or that do not replay (4), and specs that fail to load or build or break the contract during
// the search (3: an action that throws, changes its input state, writes a value outside its
// domain or something that is not a byte). Messages are one line on stderr, never a stack trace;
// a contract breach during the search is the verdict line `ERROR  ...` on stdout instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes';
import { brokenDefinition, locksDefinition } from '../render/locks-fixture';
import { daxmc, tempDir, type Ran } from './helpers';

const LAYOUT = fileURLToPath(new URL('../../src/core/layout.ts', import.meta.url));

/** One line on stderr, starting `daxmc: `, with no stack frames. */
function expectOneLineError(r: Ran, message: string): void {
  expect(r.err).toBe(message);
  expect(r.err).toMatch(/^daxmc: .+\n$/);
  expect(r.err.split('\n')).toHaveLength(2);
  expect(r.err).not.toMatch(/\bat .+:\d+:\d+/);
}

describe('usage errors (exit 2)', () => {
  const cases: [string, string[], string][] = [
    ['unknown spec', ['check', 'nope'], "daxmc: unknown spec 'nope' (daxmc list shows the spec ids; a spec file ends in .ts, .mts, .js or .mjs)\n"],
    ['unknown configuration', ['check', 'two-phase', '--config', 'rm4'], "daxmc: spec two-phase has no configuration 'rm4' (it has: rm3, rm5, rm7, rm8, rm9)\n"],
    ['unknown configuration (simulate)', ['simulate', 'die-hard', '--config', 'moon'], "daxmc: spec die-hard has no configuration 'moon' (it has: goal, explore)\n"],
    ['a configuration name missing', ['check', 'two-phase', '--config'], "daxmc: option '--config <name>' argument missing\n"],
    ['--max-states not a number', ['check', 'two-phase', '--max-states', 'abc'], "daxmc: option '--max-states <n>' argument 'abc' is invalid. expected a whole number of at least 1\n"],
    ['--max-depth 0', ['check', 'two-phase', '--max-depth', '0'], "daxmc: option '--max-depth <n>' argument '0' is invalid. expected a whole number of at least 1\n"],
    ['--timeout negative', ['check', 'two-phase', '--timeout', '-3'], "daxmc: option '--timeout <seconds>' argument '-3' is invalid. expected a number greater than 0\n"],
    ['--memory not a number', ['check', 'two-phase', '--memory', 'abc'], "daxmc: option '--memory <MiB>' argument 'abc' is invalid. expected a number greater than 0\n"],
    ['--workers 0', ['check', 'two-phase', '--workers', '0'], "daxmc: option '--workers <n>' argument '0' is invalid. expected a whole number of at least 1, or 'auto'\n"],
    ['--spill-after 0', ['check', 'two-phase', '--spill-after', '0'], "daxmc: option '--spill-after <n>' argument '0' is invalid. expected a whole number of at least 1\n"],
    ['--format unknown', ['check', 'two-phase', '--format', 'xml'], "daxmc: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, itf, json, mermaid, dot, svg.\n"],
    ['--path not a path', ['check', 'two-phase', '--path', '0/x'], "daxmc: option '--path <path>' argument '0/x' is invalid. '0/x' is not an action path (expected numbers separated by '/', e.g. 0/2/1)\n"],
    ['--path bad loop', ['check', 'two-phase', '--path', '0/1@x'], "daxmc: option '--path <path>' argument '0/1@x' is invalid. '0/1@x' is not an action path (expected numbers separated by '/', e.g. 0/2/1, then for a lasso '@' and the state it loops back to, e.g. 0/2/1@1)\n"],
    ['--path loop past its end', ['check', 'two-phase', '--path', '0/1@2'], "daxmc: option '--path <path>' argument '0/1@2' is invalid. '0/1@2': the loop goes back to state 2, but the path has states 0..1\n"],
    ['--property unknown', ['check', 'die-hard', '--property', 'Solved'], `daxmc: spec die-hard has no property 'Solved' (it has: "TypeOK: the jugs hold what they can", "the big jug holds 4 gallons", "NotSolved: big /= 4", deadlock)\n`],
    ['--workers with --dfs', ['check', 'die-hard', '--workers', '2', '--dfs'], 'daxmc: the parallel search is breadth-first: --workers cannot be combined with --dfs\n'],
    ['--exact with --workers', ['check', 'two-phase', '--exact', '--workers', '2'], 'daxmc: --exact stores whole states in an arena one thread owns; the parallel search stores fingerprints only: drop --workers or --exact\n'],
    ['simulate --seed negative', ['simulate', 'die-hard', '--seed', '-1'], "daxmc: option '--seed <n>' argument '-1' is invalid. expected a whole number (0 or more)\n"],
    ['simulate --runs 0', ['simulate', 'die-hard', '--runs', '0'], "daxmc: option '--runs <n>' argument '0' is invalid. expected a whole number of at least 1\n"],
    ['simulate --state not hex', ['simulate', 'die-hard', '--state', 'zz'], "daxmc: --state takes the 32 hex digits a simulation printed, got 'zz'\n"],
    ['explore --port out of range', ['explore', 'two-phase', '--port', '70000'], "daxmc: option '--port <n>' argument '70000' is invalid. expected a port number from 0 to 65535\n"],
    ['report --scheme unknown', ['report', '--scheme', 'nope'], "daxmc: no scheme 'nope' (schemes: v4.2, i-mmap, dax-sem, entry-lock, xfs, ext4)\n"],
    ['report --claim unknown', ['report', '--claim', 'v4.2/B99'], "daxmc: no claim 'v4.2/B99' (daxmc report --format json lists them)\n"],
    ['unknown option', ['check', 'two-phase', '--bogus'], "daxmc: unknown option '--bogus'\n"],
    ['misspelt option', ['check', 'two-phase', '--fomat', 'json'], "daxmc: unknown option '--fomat' (Did you mean --format?)\n"],
    ['unknown command', ['frobnicate'], "daxmc: unknown command 'frobnicate'\n"],
    ['missing spec argument', ['check'], "daxmc: missing required argument 'spec'\n"],
    ['missing trace argument', ['replay'], "daxmc: missing required argument 'trace'\n"],
    ['no command', [], 'daxmc: no command given (commands: list, check, simulate, replay, report, why, graph, explore; daxmc --help shows them)\n'],
    // TLC's habits get daxmc's spelling.
    ['TLC -workers', ['check', 'two-phase', '-workers', '4'], "daxmc: -workers is TLC's option: daxmc spells it --workers N (or --workers auto, one worker per core)\n"],
    ['TLC -config', ['check', 'two-phase', '-config', 'MC.cfg'], "daxmc: -config is TLC's option: daxmc has no .cfg files: --config NAME picks one of the spec's named configurations (daxmc list shows them)\n"],
    ['TLC -deadlock', ['check', 'two-phase', '-deadlock'], "daxmc: -deadlock is TLC's option: TLC's -deadlock turns the deadlock check off; daxmc spells that --no-deadlock\n"],
    ['TLC -simulate', ['check', 'two-phase', '-simulate'], "daxmc: -simulate is TLC's option: daxmc simulate <spec> [--runs R] [--steps K] [--seed N] does random walks\n"],
    ['TLC -coverage', ['check', 'two-phase', '-coverage', '1'], "daxmc: -coverage is TLC's option: daxmc check --coverage (and daxmc report --coverage for the claims)\n"],
    ['TLC -dump', ['check', 'two-phase', '-dump', 'dot', 'g.dot'], "daxmc: -dump is TLC's option: daxmc graph <spec> --config NAME --out FILE.dot draws the state graph of a small configuration; --format dot draws one trace\n"],
    ['--workers not a number', ['check', 'two-phase', '--workers', 'many'], "daxmc: option '--workers <n>' argument 'many' is invalid. expected a whole number of at least 1, or 'auto'\n"],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await daxmc(args);
      expect(r.code).toBe(ExitCode.usage);
      expectOneLineError(r, message);
      expect(r.out).toBe('');
    });
  }
});

describe('trace files that cannot be replayed (exit 4)', () => {
  /** Writes die-hard's (or test/locks') counterexample; returns the ITF file. */
  async function trace(which: 'die-hard' | 'locks' = 'die-hard'): Promise<string> {
    const dir = tempDir();
    if (which === 'locks') {
      expect((await daxmc(['check', 'test/locks', '--out', dir], { specs: [locksDefinition] })).code).toBe(11);
      return join(dir, 'test_locks-two.itf.json');
    }
    expect((await daxmc(['check', 'die-hard', '--out', dir])).code).toBe(12);
    return join(dir, 'die-hard-goal.itf.json');
  }
  type Itf = Record<string, unknown> & { '#meta': Record<string, unknown>; states: Record<string, unknown>[] };
  const edit = (file: string, change: (j: Itf) => void): void => {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Itf;
    change(j);
    writeFileSync(file, JSON.stringify(j));
  };
  const cases: [string, 'die-hard' | 'locks', (file: string) => string][] = [
    [
      'unreadable',
      'die-hard',
      () => 'daxmc: cannot read /nonexistent/x.itf.json: no such file\n',
    ],
    [
      'truncated JSON',
      'die-hard',
      (file) => {
        const text = readFileSync(file, 'utf8').slice(0, 300);
        writeFileSync(file, text);
        let why = '';
        try {
          JSON.parse(text);
        } catch (e) {
          why = (e as Error).message;
        }
        return `daxmc: ${file}: not valid JSON (${why}); the file may be truncated\n`;
      },
    ],
    [
      'the wrong shape',
      'die-hard',
      (file) => {
        writeFileSync(file, '{"states": []}');
        return `daxmc: ${file}: no "#meta": not an ITF trace written by daxmc\n`;
      },
    ],
    [
      'from another spec',
      'die-hard',
      (file) => {
        edit(file, (j) => Object.assign(j['#meta'], { spec: 'two-phase', config: 'rm3' }));
        return `daxmc: ${file}: the trace's variables (big, small) are not those of spec two-phase (3 RMs) (rmState, tmState, tmPrepared, msgPrepared, msgCommit, msgAbort): the trace belongs to another spec\n`;
      },
    ],
    [
      'of a configuration that does not exist',
      'die-hard',
      (file) => {
        edit(file, (j) => (j['#meta'].config = 'moon'));
        return `daxmc: ${file}: spec die-hard has no configuration 'moon' (it has: goal, explore)\n`;
      },
    ],
    [
      'of a spec that is not built in',
      'die-hard',
      (file) => {
        edit(file, (j) => (j['#meta'].spec = 'nope'));
        return `daxmc: ${file}: the trace is of spec 'nope', which is not built in (name its spec file with --spec)\n`;
      },
    ],
    [
      'whose actions do not replay',
      'locks',
      (file) => {
        // Step 1 becomes T1's second lock, which is not enabled in the initial state.
        edit(file, (j) => {
          Object.assign(j.states[1]['#meta'] as object, { action: 'lock B', actionIndex: 1 });
          j['#meta'].path = '0/1/3';
        });
        return `daxmc: ${file}: step 1: T1: lock B is not enabled in state 0; the trace belongs to another spec or configuration, or the spec is nondeterministic\n`;
      },
    ],
    [
      'whose states differ on replay',
      'die-hard',
      (file) => {
        edit(file, (j) => (j.states[2].big = 1));
        return `daxmc: ${file}: state 2: variable big is 1 in the trace but 2 on replay\n`;
      },
    ],
  ];
  for (const [name, which, spoil] of cases) {
    it(name, async () => {
      const file = name === 'unreadable' ? '/nonexistent/x.itf.json' : await trace(which);
      const message = spoil(file);
      const r = await daxmc(['replay', file], { specs: which === 'locks' ? [locksDefinition] : undefined });
      expect(r.code).toBe(ExitCode.traceFile);
      expectOneLineError(r, message);
      expect(r.out).toBe('');
    });
  }

  it('a --path that does not replay', async () => {
    const r = await daxmc(['check', 'test/locks', '--path', '0/1'], { specs: [locksDefinition] });
    expect(r.code).toBe(ExitCode.traceFile);
    expectOneLineError(r, 'daxmc: step 1: T1: lock B is not enabled in state 0; the trace belongs to another spec or configuration, or the spec is nondeterministic\n');
  });
});

describe('specs that fail to load or build, or break the contract (exit 3)', () => {
  /** A spec file: a counter n in 0..3 stepped by 'worker: Inc' to a terminal 3. */
  function counter(dir: string, name: string, o: { init?: string; step?: string; build?: string } = {}): string {
    const file = join(dir, `${name}.ts`);
    writeFileSync(
      file,
      `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ n: intRange(0, 3) });
export default {
  id: 'my/${name}', title: 'a counter', description: 'counts to 3', defaultConfig: 'c',
  configs: { c: { description: 'to 3', params: {} } },
  build() {
    ${o.build ?? ''}
    return {
      name: '${name}', layout, init: [${o.init ?? 'layout.encode({ n: 0 })'}], properties: [],
      actions: [{ name: 'Inc', actor: 'worker', apply(s: Uint8Array, t: any) { if (s[0] >= 3) return false; ${o.step ?? 't[0] = s[0] + 1'}; return true; } }],
      isTerminal: (s: Uint8Array) => s[0] === 3,
    };
  },
};
`,
    );
    return file;
  }

  /** [name, spec file options, where the message goes, the message (the file's path for FILE)] */
  const cases: [string, Parameters<typeof counter>[2] & { missing?: true; raw?: string }, 'stderr' | 'verdict', string][] = [
    ['a spec file that does not exist', { missing: true }, 'stderr', 'daxmc: spec file FILE does not exist\n'],
    ['a spec file that fails to load', { raw: "throw new Error('top-level failure');\n" }, 'stderr', 'daxmc: spec file FILE failed to load: top-level failure\n'],
    ['a spec file that exports nothing', { raw: 'export const x = 1;\n' }, 'stderr', "daxmc: spec file FILE exports no spec: it must 'export default' a SpecDefinition (or export 'spec')\n"],
    [
      'a spec file that exports the wrong shape',
      { raw: "export const spec = { id: 'w', configs: {}, build() {} };\n" },
      'stderr',
      "daxmc: spec file FILE: the exported spec definition has no 'configs' (an object of named configurations)\n",
    ],
    // An exception of the spec's own code names the line that threw (line 7 of the written file).
    ['build() throws', { build: "throw new Error('no such lock');" }, 'stderr', 'daxmc: spec my/bad, configuration c: FILE:7: no such lock\n'],
    ['an initial state holding a non-number', { init: "layout.encode({ n: 'x' })" }, 'stderr', "daxmc: spec my/bad, configuration c: state.n: expected an integer in 0..3, got 'x'\n"],
    ['an initial state that is a plain object, not encoded', { init: '{ n: 0 }' }, 'stderr', 'daxmc: spec my/bad: initial state 0 is not an encoded state (use layout.encode)\n'],
    ['an action that throws: the message names the action, its actor and the state', { step: "if (s[0] === 1) throw new Error('oops'); t[0] = s[0] + 1" }, 'verdict', 'ERROR  action worker: Inc threw: oops; in state {"n":1}'],
    ['an action that changes its input state', { step: 's[0] = s[0] + 1; t[0] = s[0]' }, 'verdict', 'ERROR  action worker: Inc changed its input state (n); actions must write only the successor'],
    ['an action that writes a value outside its domain', { step: 't[0] = s[0] === 2 ? 7 : s[0] + 1' }, 'verdict', 'ERROR  action worker: Inc wrote a value outside its domain: n = 7 (domain 0..3)'],
    [
      'an action that writes a JS object into the state',
      { step: 't[0] = s[0] === 1 ? {} : s[0] + 1' },
      'verdict',
      'ERROR  action worker: Inc wrote a value outside its domain: n = NaN, not a number (a string, an object or undefined was written) (domain 0..3)',
    ],
    [
      'an action that writes an array into the state',
      { step: 't[0] = s[0] === 1 ? [2, 3] : s[0] + 1' },
      'verdict',
      'ERROR  action worker: Inc wrote a value outside its domain: n = NaN, not a number (a string, an object or undefined was written) (domain 0..3)',
    ],
    [
      'an action that writes a string into the state',
      { step: "t[0] = s[0] === 1 ? 'two' : s[0] + 1" },
      'verdict',
      'ERROR  action worker: Inc wrote a value outside its domain: n = NaN, not a number (a string, an object or undefined was written) (domain 0..3)',
    ],
    [
      'an action that writes a number a byte cannot hold (never stored as another byte)',
      { step: 't[0] = s[0] === 1 ? 258 : s[0] + 1' },
      'verdict',
      'ERROR  action worker: Inc wrote a value outside its domain: n = 258 (domain 0..3)',
    ],
  ];
  for (const [name, o, where, message] of cases) {
    it(name, async () => {
      const dir = tempDir();
      let file = join(dir, 'bad.ts');
      if (o.raw !== undefined) writeFileSync(file, o.raw);
      else if (!o.missing) file = counter(dir, 'bad', o);
      const r = await daxmc(['check', file]);
      expect(r.code).toBe(ExitCode.spec);
      if (where === 'stderr') {
        expectOneLineError(r, message.replace('FILE', file));
        expect(r.out).toBe('');
      } else {
        expect(r.out.split('\n')[0]).toBe(message);
        expect(r.err).toBe('');
      }
    });
  }

  it('a built-in definition whose build() throws', async () => {
    const r = await daxmc(['check', 'test/broken'], { specs: [brokenDefinition] });
    expect(r.code).toBe(ExitCode.spec);
    expectOneLineError(r, `daxmc: spec test/broken, configuration only: test/render/locks-fixture.ts:${lineOf('test/render/locks-fixture.ts', "throw new Error('the layout is missing')")}: the layout is missing\n`);
  });

  it('a contract breach during the search is reported in JSON too', async () => {
    const file = counter(tempDir(), 'bad', { step: 't[0] = s[0] === 1 ? {} : s[0] + 1' });
    const r = await daxmc(['check', file, '--format', 'json']);
    expect(r.code).toBe(ExitCode.spec);
    const j = JSON.parse(r.out) as { verdict: string; exitCode: number; error: string };
    expect(j).toMatchObject({ verdict: 'error', exitCode: 3 });
    expect(j.error).toBe('action worker: Inc wrote a value outside its domain: n = NaN, not a number (a string, an object or undefined was written) (domain 0..3)');
  });
});

/** The 1-based line of a file that contains `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}
