// The package as a user gets it: `npm pack` of a copy of the working tree (its prepare script
// builds dist/ there, never in this checkout), installed into an empty project from the npm
// cache that `npm ci` filled (the registry only if the cache lacks a file), with the user spec
// files of test/package/user-project. One pack and one install, shared by every test here.
// What it pins: the tarball's contents, `npx daxmc` there (list, check of a built-in and of a
// user .ts spec, replay, report of a spec file's claims, --html, --workers 2 from the build),
// the shipped declarations under a strict user tsconfig, that plain commands need no tsx, and
// that a spec file's mistakes are reported alike in ESM, CommonJS and untyped projects.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksOf } from '../docs/links';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USER_FILES = fileURLToPath(new URL('./user-project/', import.meta.url));
/** Spec files with a mistake each, checked in projects of each type (not type-checked). */
const MISTAKES = fileURLToPath(new URL('./mistakes/', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** What the build and the tarball need of the working tree. */
const PACKED_TOPS = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'bin', 'scripts', 'src', 'specs', 'docs', 'traces'];

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** The environment of a child npm or daxmc: without what `npm test` set for this package. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('npm_package_') || k.startsWith('npm_lifecycle_') || k === 'INIT_CWD' || k === 'npm_command') continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1' };
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Throws with the command's output when it did not exit 0. */
async function ok(command: string, args: readonly string[], cwd: string, timeoutMs?: number): Promise<Ran> {
  const r = await run(command, args, cwd, timeoutMs);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.err}\n${r.out}`);
  return r;
}

interface LockEntry {
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

/**
 * A lockfile for the user's project: the tarball, and the runtime dependencies exactly as this
 * checkout's lockfile pins them, so that `npm ci --offline` finds every one in the npm cache
 * (`npm install <tarball>` would ask the registry for their metadata, which the cache lacks).
 */
function userLockfile(tarball: string, pkg: { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> }): string {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = {
    '': { name: 'user-project', dependencies: { daxmc: `file:${tarball}` } },
    'node_modules/daxmc': { version: pkg.version, resolved: `file:${tarball}`, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(ours.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  return `${JSON.stringify({ name: 'user-project', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

let tmp: string;
let project: string;
let tarFiles: string[];
let version: string;
const bin = (): string => join(project, 'node_modules', '.bin', 'daxmc');
const daxmcIn = (args: readonly string[], timeoutMs?: number): Promise<Ran> => run(bin(), args, project, timeoutMs);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'daxmc-package-'));
  // A copy of the working tree as git sees it (tracked, and new files not ignored): no dist/.
  const copy = join(tmp, 'daxmc');
  const listed = (await ok('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)).out.split('\0');
  for (const file of listed) {
    if (file === '' || !PACKED_TOPS.includes(file.split('/')[0]) || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const packed = JSON.parse((await ok(NPM, ['pack', '--json', '--pack-destination', tmp], copy, 240_000)).out) as { filename: string; files: { path: string }[] }[];
  tarFiles = packed[0].files.map((f) => f.path).sort();
  const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
  version = pkg.version;

  project = join(tmp, 'project');
  mkdirSync(project);
  const tarball = `../${packed[0].filename}`;
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'user-project', private: true, type: 'module', dependencies: { daxmc: `file:${tarball}` } }, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), userLockfile(tarball, pkg));
  const offline = await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund'], project);
  if (offline.code !== 0) await ok(NPM, ['ci', '--prefer-offline', '--no-audit', '--no-fund'], project, 240_000);
  for (const f of readdirSync(USER_FILES)) cpSync(join(USER_FILES, f), join(project, f));
}, 480_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the build, the launcher, the declarations and the schemes to read; no library sources, no build stamp, no development scripts', () => {
    expect(tarFiles).toContain('bin/daxmc.mjs');
    expect(tarFiles).toContain('bin/build-stamp.mjs');
    expect(tarFiles).toContain('dist/cli.js');
    expect(tarFiles).toContain('dist/index.js');
    expect(tarFiles).toContain('dist/specs.js');
    expect(tarFiles).toContain('dist/parallel-entry.js');
    expect(tarFiles).toContain('dist/types/src/index.d.ts');
    expect(tarFiles).toContain('docs/writing-a-spec.md');
    expect(tarFiles).toContain('specs/dax/xfs.ts');
    expect(tarFiles).toContain('specs/examples/two-phase.ts');
    // What the shipped docs show and link: the pictures, and the counterexample traces the
    // verdict table links (text, lanes, ITF) and replays.
    expect(tarFiles).toContain('docs/images/report-counterexample.png');
    expect(tarFiles).toContain('docs/images/explorer.png');
    expect(tarFiles).toContain('traces/dax/v4.2/B1.itf.json');
    expect(tarFiles).toContain('traces/dax/v4.2/B1.svg');
    expect(tarFiles).toContain('traces/dax/v4.2/B1.txt');
    expect(tarFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('scripts/'))).toEqual([]);
    // The user's package.json: what running and resolving need, none of the developer's scripts
    // (npm would list `prepare` as an install script to approve).
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'daxmc', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(installed)).toEqual(['name', 'version', 'description', 'type', 'exports', 'types', 'files', 'license', 'bin', 'engines', 'dependencies']);
    // ... and the packed copy got its own back, byte for byte.
    expect(readFileSync(join(tmp, 'daxmc', 'package.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(existsSync(join(tmp, 'daxmc', 'package.json.dev'))).toBe(false);
    expect(tarFiles).not.toContain('dist/build-stamp.json');
    expect(existsSync(join(project, 'node_modules', 'daxmc', 'src'))).toBe(false);
  });

  it('every relative link of a shipped page names a shipped file (or a folder of them)', () => {
    const shipped = new Set(tarFiles);
    const broken = tarFiles
      .filter((f) => f.endsWith('.md'))
      .flatMap((page) =>
        linksOf(readFileSync(join(project, 'node_modules', 'daxmc', page), 'utf8')).flatMap((link) => {
          const path = link.split('#', 2)[0];
          if (path === '' || /^[a-z][a-z0-9+.-]*:/i.test(path)) return [];
          const target = posix.normalize(posix.join(posix.dirname(page), decodeURI(path))).replace(/\/$/, '');
          return shipped.has(target) || tarFiles.some((f) => f.startsWith(`${target}/`)) ? [] : [`${page}: ${link}`];
        }),
      );
    expect(broken).toEqual([]);
  });

  it('npx daxmc runs there: --version, list, a built-in spec', async () => {
    const v = await run('npx', ['--no-install', 'daxmc', '--version'], project);
    expect([v.code, v.out, v.err]).toEqual([0, `${version}\n`, '']);
    const list = await daxmcIn(['list']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toBe('two-phase  Two-phase commit (TwoPhase.tla)');
    const c = await daxmcIn(['check', 'two-phase']);
    expect(c.code).toBe(0);
    expect(c.out.split('\n')[0]).toBe('PASS  2 properties hold over 288 distinct states');
    expect(c.out).toContain('  states      288 distinct, 1,146 generated, depth 11, 0 queued\n');
  });

  it('replays a shipped counterexample trace, as docs/verdicts.md says', async () => {
    const r = await daxmcIn(['replay', 'node_modules/daxmc/traces/dax/v4.2/B1.itf.json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "no store is lost" violated after 44 steps (replayed from node_modules/daxmc/traces/dax/v4.2/B1.itf.json)');
  });

  it("checks a user's .ts spec that imports from 'daxmc', writes its trace, and replays it", async () => {
    const c = await daxmcIn(['check', './abba.ts', '--out', 'out']);
    expect(c.err).toBe('daxmc: wrote out/abba-two.itf.json, out/abba-two.txt, out/abba-two.mmd, out/abba-two.dot, out/abba-two.svg\n');
    expect(c.code).toBe(11);
    const lines = c.out.split('\n');
    expect(lines[0]).toBe('FAIL  deadlock reached after 2 steps (BFS: shortest)');
    expect(c.out).toContain('  states      7 distinct, 8 generated, depth 4, 2 queued\n');
    expect(c.out).toContain('Diagnosis: deadlock: wait-for cycle: T1 waits for B; T2 waits for A\n');
    expect(c.out).toContain('  daxmc check ./abba.ts --config two --path 0/0/4\n');
    const r = await daxmcIn(['replay', 'out/abba-two.itf.json', '--spec', './abba.ts']);
    expect(r.err).toBe('');
    expect(r.code).toBe(11);
    expect(r.out).toContain('Diagnosis: deadlock: wait-for cycle: T1 waits for B; T2 waits for A\n');
  });

  it("shares daxmc's modules between the CLI and the spec: a SpecError from the spec is the CLI's", async () => {
    const r = await daxmcIn(['check', './refuses.ts']);
    expect([r.code, r.out, r.err]).toEqual([3, '', 'daxmc: spec refuses: lock B is taken with downRead, but it is a mutex\n']);
  });

  it("reports a spec file's claims, as a table and as HTML pages, and writes no verdicts file unasked", async () => {
    const r = await daxmcIn(['report', './abba.ts', '--html', 'report']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'daxmc report: 2 claims over 1 scheme',
        '',
        'claim           claimed  vs pinned  checker',
        'abba/deadlock   found    agrees     found, 2 steps: deadlock',
        'abba/no-misuse  holds    agrees     holds over 19 states',
        '',
        '2 claims: 2 agree, 0 differ',
        '',
      ].join('\n'),
    );
    expect(r.err).toBe(`wrote the HTML report (2 files) to ${join(project, 'report', 'index.html')}\n`);
    expect(readdirSync(join(project, 'report')).sort()).toEqual(['claim-abba-deadlock.html', 'index.html']);
    const index = readFileSync(join(project, 'report', 'index.html'), 'utf8');
    expect(index).toContain('Every one of the claims of ./abba.ts, as <code>daxmc report</code> checked it.');
    const page = readFileSync(join(project, 'report', 'claim-abba-deadlock.html'), 'utf8');
    expect(page).toContain('daxmc check ./abba.ts --config two --path 0/0/4 --property deadlock');
    expect(page).not.toContain('traces/dax/');
    // The installed package's copy of docs/verdicts.md is left as it was shipped.
    expect(readFileSync(join(project, 'node_modules', 'daxmc', 'docs', 'verdicts.md'), 'utf8')).toBe(readFileSync(join(ROOT, 'docs', 'verdicts.md'), 'utf8'));
    const md = await daxmcIn(['report', './abba.ts', '--claim', 'abba/no-misuse', '--verdicts', 'verdicts.md']);
    expect(md.code).toBe(0);
    expect(readFileSync(join(project, 'verdicts.md'), 'utf8')).toContain('| abba/no-misuse | unlock | D | `abba` | `two` | no lock misuse | holds | holds over 19 states | 19 | agrees |  | none alone: it still holds with each of the 6 mechanisms taken away |\n');
    // --verdicts without a FILE would rewrite the installed package's docs/verdicts.md: refused
    // before any claim runs, for the whole set as for a narrowed one.
    const installed = await daxmcIn(['report', '--verdicts']);
    expect([installed.code, installed.out]).toEqual([2, '']);
    expect(installed.err).toMatch(/^daxmc: --verdicts without a FILE writes the repository's docs\/verdicts\.md, and daxmc runs from .*node_modules[/\\]daxmc, not from its repository checkout \(an installed package\): give a file \(--verdicts FILE\)\n$/);
    const narrowed = await daxmcIn(['report', '--claim', 'v4.2/B1', '--verdicts']);
    expect([narrowed.code, narrowed.out, narrowed.err]).toEqual([2, '', "daxmc: --verdicts without a FILE writes the repository's docs/verdicts.md, the table of every claim, and --claim narrows the set: give a file (--verdicts FILE)\n"]);
    expect(readFileSync(join(project, 'node_modules', 'daxmc', 'docs', 'verdicts.md'), 'utf8')).toBe(readFileSync(join(ROOT, 'docs', 'verdicts.md'), 'utf8'));
  });

  it('searches with two workers from the build: a built-in spec, and a .ts spec bundled with daxmc left external', async () => {
    const builtIn = await daxmcIn(['check', 'two-phase', '--config', 'rm7', '--workers', '2']);
    expect(builtIn.err).toBe('');
    expect(builtIn.code).toBe(0);
    expect(builtIn.out).toContain('  states      296,448 distinct, 2,744,706 generated, depth 23, 0 queued\n');
    const user = await daxmcIn(['check', './counters.ts', '--workers', '2']);
    expect(user.err).toBe('');
    expect(user.code).toBe(0);
    expect(user.out.split('\n')[0]).toBe('PASS  1 property holds over 83,521 distinct states');
    const states = '  states      83,521 distinct, 314,433 generated, depth 65, 0 queued\n';
    expect(user.out).toContain(states);
    expect((await daxmcIn(['check', './counters.ts'])).out).toContain(states);
    // The workers started from a bundle of the user's file alone, importing daxmc by URL.
    const cache = join(project, 'node_modules', 'daxmc', 'node_modules', '.cache', 'daxmc');
    const entries = readdirSync(cache).map((f) => JSON.parse(readFileSync(join(cache, f), 'utf8')) as { inputs: [string, string][]; code: string });
    const mine = entries.find((e) => e.inputs.some(([path]) => path.endsWith('counters.ts')));
    expect(mine?.inputs.map(([path]) => path)).toEqual([join(project, 'counters.ts')]);
    expect(mine?.code).toContain(`from "file://${join(project, 'node_modules', 'daxmc', 'dist', 'index.js')}"`);
    // A spec that reads import.meta cannot run from a data: bundle: its workers start from
    // dist/parallel-entry.js, which registers tsx and loads the file itself.
    writeFileSync(join(project, 'counters-here.ts'), `${readFileSync(join(project, 'counters.ts'), 'utf8')}export const here = import.meta.url;\n`);
    const here = await daxmcIn(['check', './counters-here.ts', '--workers', '2']);
    expect([here.code, here.err]).toEqual([0, '']);
    expect(here.out).toContain(states);
    expect(readdirSync(cache).some((f) => readFileSync(join(cache, f), 'utf8').includes('counters-here.ts'))).toBe(false);
  });

  // (skipLibCheck as `tsc --init` sets it: checking immutable's declarations, which daxmc's
  // refer to, takes some 10 s of CPU.)
  it('type-checks the user spec files against the shipped declarations under a strict tsconfig', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const good = await run(process.execPath, [tsc, '-p', project], project);
    expect([good.code, good.out]).toEqual([0, '']);
    // The declarations are types, not `any`: a misspelt kernel call is an error.
    const wrong = join(tmp, 'wrong');
    mkdirSync(wrong, { recursive: true });
    cpSync(join(project, 'tsconfig.json'), join(wrong, 'tsconfig.json'));
    writeFileSync(join(wrong, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(project, 'node_modules'), join(wrong, 'node_modules'), 'dir');
    writeFileSync(
      join(wrong, 'typo.ts'),
      "import { step, type Claim } from 'daxmc';\nexport const s = step('x', (k) => k.lockk(0));\nexport const c: Claim = { id: 'c', expect: 'fails' };\n",
    );
    const bad = await run(process.execPath, [tsc, '-p', wrong], wrong);
    expect(bad.code).toBe(2);
    expect(bad.out.split('\n').map((l) => l.replace(/: error (TS\d+).*/, ': $1'))).toEqual(['typo.ts(2,37): TS2551', 'typo.ts(3,36): TS2322', '']);
    expect(bad.out).toContain("typo.ts(2,37): error TS2551: Property 'lockk' does not exist on type 'K'. Did you mean 'lock'?");
  });

  it("resolves 'daxmc/linux' through the export map to the compiled library, with the source's exports", async () => {
    expect(tarFiles).toContain('dist/linux.js');
    expect(tarFiles).toContain('dist/types/src/linux/index.d.ts');
    const probe = await run(process.execPath, ['--input-type=module', '-e', "import('daxmc/linux').then((m) => console.log(Object.keys(m).sort().join(',')), (e) => console.log(e.code))"], project);
    const source = (await import(/* @vite-ignore */ join(ROOT, 'src', 'linux', 'index.ts'))) as Record<string, unknown>;
    expect(probe.out).toBe(`${Object.keys(source).sort().join(',')}\n`);
  });

  it('checks and reports a new scheme written in one file from daxmc/linux (nextfs.ts)', async () => {
    const punch = await daxmcIn(['check', './nextfs.ts']);
    expect(punch.err).toBe('');
    expect(punch.code).toBe(0);
    // 12 invariants and "every fault and syscall returns", which every compiled world checks.
    expect(punch.out.split('\n')[0]).toBe('PASS  13 properties hold over 122 distinct states');
    const r = await daxmcIn(['report', './nextfs.ts']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 claims: 2 agree, 0 differ\n');
  });

  it("reports a spec file's mistakes alike in an ESM, a CommonJS and an untyped project: the same line, file:line and exit code", async () => {
    /** A project beside the installed one, sharing its node_modules, with the mistaken spec files. */
    const projectOf = (name: string, manifest: Record<string, unknown>): string => {
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, ...manifest }, null, 2)}\n`);
      symlinkSync(join(project, 'node_modules'), join(dir, 'node_modules'), 'dir');
      for (const f of readdirSync(MISTAKES)) {
        cpSync(join(MISTAKES, f), join(dir, f));
        // The same text as .mts (an ES module anywhere) and .cts (CommonJS anywhere).
        cpSync(join(MISTAKES, f), join(dir, f.replace(/\.ts$/, '.mts')));
        cpSync(join(MISTAKES, f), join(dir, f.replace(/\.ts$/, '.cts')));
      }
      return dir;
    };
    const dirs = { esm: projectOf('esm', { type: 'module' }), commonjs: projectOf('commonjs', { type: 'commonjs' }), untyped: projectOf('untyped', {}) };
    /** What `daxmc check ./<file>` gives: the exit code, the first line of stdout, stderr. */
    const noSpec = (file: string): string => `daxmc: spec file ./${file} exports no spec: it must 'export default' a SpecDefinition (or export 'spec')\n`;
    const expectations: Record<string, (file: string) => [number, string, string]> = {
      'goto-typo': (file) => [3, '', `daxmc: spec goto-typo, configuration c: ${file}:10: f: step 'again' jumps to 'retyr', which is not a step or call of f (it has: 'again', 'retry')\n`],
      'out-of-range': (file) => [3, `ERROR  ${file}:10: f: step 'bump' sets x = 4, outside its range 0..3`, ''],
      'wrong-lock': (file) => [3, '', `daxmc: spec wrong-lock, configuration c: ${file}:10: f: step 'down_write' calls down_write on truncate_mutex, which is a mutex (use k.lock / k.unlock)\n`],
      'build-throws': (file) => [3, '', `daxmc: spec build-throws, configuration c: ${file}:9: Cannot read properties of undefined (reading 'x')\n`],
      'no-default': (file) => [3, '', noSpec(file)],
      // CommonJS has no missing-export error: the require()d name is undefined, and so is the default export.
      'missing-import': (file) =>
        file.endsWith('.cts') ? [3, '', noSpec(file)] : [3, '', `daxmc: spec file ./${file} failed to load: The requested module 'daxmc/linux' does not provide an export named 'nope'\n`],
    };
    /** What `daxmc check ./<file>` gives: the exit code, the first line of stdout, stderr. */
    const expected = (file: string): [number, string, string] => {
      const of = expectations[file.split('.')[0]];
      if (of === undefined) throw new Error(`no expectation for ${file}`);
      return of(file);
    };
    const runs: [keyof typeof dirs, string][] = [];
    for (const f of readdirSync(MISTAKES)) {
      for (const dir of ['esm', 'commonjs'] as const) runs.push([dir, f]);
      if (['goto-typo.ts', 'out-of-range.ts', 'no-default.ts', 'missing-import.ts'].includes(f)) {
        runs.push(['untyped', f], ['commonjs', f.replace(/\.ts$/, '.mts')], ['commonjs', f.replace(/\.ts$/, '.cts')], ['esm', f.replace(/\.ts$/, '.cts')]);
      }
    }
    expect(runs.length).toBe(28);
    // Two at a time (the machine's cores), in order.
    const got: string[] = [];
    const want: string[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const pair = runs.slice(i, i + 2);
      const ran = await Promise.all(pair.map(([dir, f]) => run(bin(), ['check', `./${f}`], dirs[dir])));
      pair.forEach(([dir, f], j) => {
        const r = ran[j];
        got.push(`${dir}/${f}: ${JSON.stringify([r.code, r.out.split('\n')[0], r.err])}`);
        want.push(`${dir}/${f}: ${JSON.stringify(expected(f))}`);
      });
    }
    expect(got).toEqual(want);
  }, 240_000);
});
