// `daxmc report <spec-file>` in-process: the claims a user's spec file exports are settled like
// the built-in ones (table, exit codes, JSON, Markdown, HTML that replays with the file), no
// verdicts file is written unless asked, and a malformed claims export is one line naming the
// file and the claim, exit 3. The same from an installed package: test/package/package.test.ts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { daxmc, tempDir } from './helpers';

const INDEX = join(__dirname, '..', '..', 'src', 'index.ts');

const SPEC = `import { P, World, compile, fn, step, type Claim, type LockDecl, type SpecDefinition } from ${JSON.stringify(INDEX)};
const abba: SpecDefinition = {
  id: 'abba', title: 'ABBA', description: 'T1 takes A then B; T2 takes B then A.',
  configs: { two: { description: 'two threads', params: {} }, one: { description: 'T1 alone', params: { one: true } } },
  defaultConfig: 'two',
  build(params) {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const A = w.mutex('A');
    const B = w.mutex('B');
    const take = (x: LockDecl, y: LockDecl, name: string) => fn(name, [
      step('mutex_lock(' + x.name + ')', (k) => k.lock(x)),
      step('mutex_lock(' + y.name + ')', (k) => k.lock(y)),
      step('mutex_unlock(' + y.name + ')', (k) => k.unlock(y)),
      step('mutex_unlock(' + x.name + ')', (k) => k.unlock(x)),
    ]);
    w.thread('T1', { process: 'P1', path: take(A, B, 'ab') });
    if (!params.one) w.thread('T2', { process: 'P1', path: take(B, A, 'ba') });
    return compile(w, 'abba', [P.noLockMisuse]).spec;
  },
};
export default abba;
`;

const DEADLOCK = `{ id: 'abba/deadlock', scheme: 'abba', item: 'AB-BA', grade: 'D', spec: 'abba', config: 'two', property: 'deadlock', expect: 'found', distinct: 7, length: 2, diagnosis: 'deadlock', smaller: 'one', note: 'each holds what the other waits for' }`;
const MISUSE = `{ id: 'abba/no-misuse', scheme: 'abba', item: 'unlock', grade: 'S', spec: 'abba', config: 'two', property: 'no lock misuse', expect: 'holds', distinct: 19, note: 'every unlock is of a held lock' }`;
const BUILTIN = `{ id: 'mine/die-hard', scheme: 'puzzles', item: 'DH', grade: 'U', spec: 'die-hard', config: 'goal', property: 'NotSolved: big /= 4', expect: 'found', distinct: 0, note: 'a built-in spec, named from a spec file' }`;

function specFile(claims: string, name = 'abba.ts'): { dir: string; file: string } {
  const dir = tempDir();
  writeFileSync(join(dir, name), `${SPEC}${claims}\n`);
  return { dir, file: `./${name}` };
}

describe('daxmc report <spec-file>', () => {
  it("settles the file's claims: the table, exit 0, no verdicts file", async () => {
    const { dir, file } = specFile(`export const claims: Claim[] = [${DEADLOCK}, ${MISUSE}];`);
    const r = await daxmc(['report', file], { cwd: dir });
    expect(r.err).toBe('');
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
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['abba.ts']);
  });

  it('exits 6 naming each difference, a claim on a built-in spec included', async () => {
    const { dir, file } = specFile(`export const claims: Claim[] = [${DEADLOCK.replace('distinct: 7', 'distinct: 8')}, ${BUILTIN}];`);
    const r = await daxmc(['report', file], { cwd: dir });
    expect(r.code).toBe(6);
    expect(r.out).toBe(
      [
        'daxmc report: 2 claims over 2 schemes',
        '',
        'claim          claimed  vs pinned  checker',
        'abba/deadlock  found    DIFFERS    found, 2 steps: deadlock',
        'mine/die-hard  found    DIFFERS    found, 6 steps',
        '',
        '2 claims: 0 agree, 2 differ',
        '  abba/deadlock: distinct states 7, pinned 8',
        '  mine/die-hard: distinct states 14, pinned 0',
        '',
      ].join('\n'),
    );
  });

  it('selects by scheme and claim, and lists the JSON', async () => {
    const { dir, file } = specFile(`export const claims: Claim[] = [${DEADLOCK}, ${MISUSE}, ${BUILTIN}];`);
    const r = await daxmc(['report', file, '--scheme', 'abba', '--claim', 'abba/no-misuse', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.claims.map((c: { id: string; status: string; checkedDistinct: number }) => [c.id, c.status, c.checkedDistinct])).toEqual([['abba/no-misuse', 'agrees', 19]]);
    const bad = await daxmc(['report', file, '--scheme', 'v4.2'], { cwd: dir });
    expect([bad.code, bad.err]).toEqual([2, "daxmc: no scheme 'v4.2' (schemes: abba, puzzles)\n"]);
    // The way a spec file was once (wrongly) given: the message says how to give it.
    const asScheme = await daxmc(['report', '--scheme', file, '--no-verdicts'], { cwd: dir });
    expect(asScheme.code).toBe(2);
    expect(asScheme.err).toMatch(/^daxmc: no scheme '\.\/abba\.ts' \(schemes: v4\.2, .*\); a spec file's claims: daxmc report \.\/abba\.ts\n$/);
  });

  it('writes the Markdown table when asked, and HTML pages that replay with the file', async () => {
    const { dir, file } = specFile(`export const claims: Claim[] = [${DEADLOCK}, ${MISUSE}];`);
    const r = await daxmc(['report', file, '--verdicts', 'verdicts.md', '--html', 'html'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.err).toBe(`wrote ${join(dir, 'verdicts.md')}\nwrote the HTML report (2 files) to ${join(dir, 'html', 'index.html')}\n`);
    const md = readFileSync(join(dir, 'verdicts.md'), 'utf8');
    expect(md.split('\n').slice(0, 6)).toEqual([
      '# Verdicts',
      '',
      'Every one of the claims of ./abba.ts, as `daxmc report --verdicts` checked it. Generated; do not edit.',
      'A claim says a property is violated ("found") or holds at one configuration; the checker',
      'settles it. "holds" means over every reachable state at the stated bounds; "found" gives the',
      'shortest counterexample (BFS). The column "vs pinned" says whether the result agrees with the',
    ]);
    expect(md).toContain('| abba/deadlock | AB-BA | D | `abba` | `two` | deadlock | found | found, 2 steps: deadlock | 7 | agrees |  |  |\n');
    // A spec file's world has the mutations of the load-bearing analysis too.
    expect(md).toContain('| abba/no-misuse | unlock | S | `abba` | `two` | no lock misuse | holds | holds over 19 states | 19 | agrees |  | none alone: it still holds with each of the 6 mechanisms taken away |\n');
    expect(readdirSync(join(dir, 'html')).sort()).toEqual(['claim-abba-deadlock.html', 'index.html']);
    const page = readFileSync(join(dir, 'html', 'claim-abba-deadlock.html'), 'utf8');
    expect(page).toContain('<pre class="cmd">daxmc check ./abba.ts --config two --path 0/0/4 --property deadlock</pre>');
    expect(page).not.toContain('daxmc replay traces/dax/');
    expect(readFileSync(join(dir, 'html', 'index.html'), 'utf8')).toContain('Every one of the claims of ./abba.ts, as <code>daxmc report</code> checked it.');
  });

  it('--verdicts without a FILE is refused for a spec file (docs/verdicts.md is for the built-in claims)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'abba.ts'), `${SPEC}\nexport const claims: Claim[] = [${MISUSE}];\n`);
    const r = await daxmc(['report', './abba.ts', '--verdicts'], { cwd: dir });
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toBe("daxmc: --verdicts without a FILE writes the repository's docs/verdicts.md, which is for the built-in claims: give a file for the claims of a spec file\n");
  });

  it('settles claims on liveness properties (the built-in one, a thread of the file, a built-in spec\'s): a lasso found, a property that holds', async () => {
    // The same spec with liveness properties: safety and liveness names share one namespace.
    const live = SPEC.replace('import { P,', 'import { L, P,').replace('[P.noLockMisuse]', "[P.noLockMisuse, L.everyFaultReturns(), L.threadReturns('T1')]");
    const RETURNS = `{ id: 'abba/returns', scheme: 'abba', item: 'AB-BA', grade: 'D', spec: 'abba', config: 'two', property: 'every fault and syscall returns', expect: 'found', distinct: 19, length: 2, diagnosis: 'deadlock', smaller: 'one', note: 'the deadlock is a lasso that stutters' }`;
    const T1 = `{ id: 'abba/t1-returns', scheme: 'abba', item: 'T1', grade: 'D', spec: 'abba', config: 'one', property: 'T1 returns', expect: 'holds', distinct: 5, note: 'alone, T1 returns' }`;
    const V42 = `{ id: 'mine/v4.2-returns', scheme: 'v4.2', item: 'C1-1', grade: 'D', spec: 'v4.2', config: 'truncate-3t2i', property: 'every fault and syscall returns', expect: 'holds', distinct: 31052, note: 'as v4.2/L-truncate' }`;
    const dir = tempDir();
    writeFileSync(join(dir, 'live.ts'), `${live}\nexport const claims: Claim[] = [${RETURNS}, ${T1}, ${V42}];\n`);
    const r = await daxmc(['report', './live.ts', '--scheme', 'abba', '--html', 'html'], { cwd: dir });
    expect(r.out).toBe(
      [
        'daxmc report: 2 claims over 1 scheme',
        '',
        'claim            claimed  vs pinned  checker',
        'abba/returns     found    agrees     found, 2 steps: deadlock',
        'abba/t1-returns  holds    agrees     holds over 5 states',
        '',
        '2 claims: 2 agree, 0 differ',
        '',
      ].join('\n'),
    );
    expect([r.code, r.err]).toEqual([0, `wrote the HTML report (2 files) to ${join(dir, 'html', 'index.html')}\n`]);
    const page = readFileSync(join(dir, 'html', 'claim-abba-returns.html'), 'utf8');
    expect(page).toContain('<pre class="cmd">daxmc check ./live.ts --config two --path 0/0/4@2 --property &#39;every fault and syscall returns&#39;</pre>');
    // Pinned figures that differ are flagged as for a safety claim; a lasso that is not there too.
    writeFileSync(join(dir, 'pinned.ts'), `${live}\nexport const claims: Claim[] = [${RETURNS.replace('length: 2', 'length: 3')}, ${T1.replace("config: 'one'", "config: 'two'")}];\n`);
    const d = await daxmc(['report', './pinned.ts', '--format', 'json'], { cwd: dir });
    expect(d.code).toBe(6);
    expect(JSON.parse(d.out).claims.map((c: { id: string; status: string; outcome: string; differences: string[]; traceLength: number | null; diagnosis: string | null }) => [c.id, c.status, c.outcome, c.differences, c.traceLength, c.diagnosis])).toEqual([
      ['abba/returns', 'differs', 'found, 2 steps: deadlock', ['trace length 2, pinned 3'], 2, 'deadlock'],
      ['abba/t1-returns', 'differs', 'found, 2 steps: deadlock', ['expected the property to hold, checker says found, 2 steps: deadlock', 'distinct states 19, pinned 5'], 2, 'deadlock'],
    ]);
  });

  it("checks a found claim's fix named as a configuration of the file's own spec (fix: { config })", async () => {
    // The fixed variant is a configuration whose parameters turn the fix on: T2 takes A first too.
    const fixed = SPEC.replace("one: { description: 'T1 alone', params: { one: true } } }", "one: { description: 'T1 alone', params: { one: true } }, ordered: { description: 'both take A first', params: { ordered: true } } }")
      .replace("if (!params.one) w.thread('T2', { process: 'P1', path: take(B, A, 'ba') });", "if (!params.one) w.thread('T2', { process: 'P1', path: params.ordered ? take(A, B, 'ab2') : take(B, A, 'ba') });");
    expect(fixed).toContain('ordered: true');
    expect(fixed).toContain('params.ordered ?');
    const dir = tempDir();
    writeFileSync(join(dir, 'fixed.ts'), `${fixed}\nexport const claims: Claim[] = [${DEADLOCK.replace("smaller: 'one'", "fix: { config: 'ordered' }")}];\n`);
    const r = await daxmc(['report', './fixed.ts', '--rests-on'], { cwd: dir });
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.split('\n').slice(3, 7)).toEqual([
      'abba/deadlock  found    agrees     found, 2 steps: deadlock',
      '',
      "rests on (each mechanism a holds claim's search meets, taken away in turn: load-bearing if the claim then fails; a found claim's fix):",
      'abba/deadlock  fixed by `abba` at `ordered` (holds over 16 states)',
    ]);
    const j = await daxmc(['report', './fixed.ts', '--rests-on', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(j.out).claims[0].fixChecked).toEqual({ spec: 'abba', config: 'ordered', status: 'holds', outcome: 'holds over 16 states' });
    const why = await daxmc(['why', './fixed.ts', 'abba/deadlock'], { cwd: dir });
    expect([why.code, why.out]).toEqual([0, "claim abba/deadlock (AB-BA [D]): \"deadlock\" is found, 2 steps: deadlock on abba, configuration two\nfixed by abba: holds over 16 states at ordered\n"]);
    // A fix that does not fix it is a difference.
    writeFileSync(join(dir, 'unfixed.ts'), `${fixed}\nexport const claims: Claim[] = [${DEADLOCK.replace("smaller: 'one'", "fix: { spec: 'abba', config: 'two' }").replace("config: 'two'", "config: 'ordered'").replace("expect: 'found', distinct: 7", "expect: 'found', distinct: 16")}];\n`);
    const u = await daxmc(['report', './unfixed.ts', '--rests-on'], { cwd: dir });
    expect(u.code).toBe(6);
    expect(u.out).toContain('  abba/deadlock: expected a counterexample, checker says holds over 16 states; the fix abba at two still found: 2 steps\n');
  });

  const malformed: [string, string, string][] = [
    ['no claims export', '', "spec file ./abba.ts exports no claims: add `export const claims: Claim[] = [...]` (docs/writing-a-spec.md, \"Claims in your own spec file\")"],
    ['claims not an array', 'export const claims = { a: 1 };', "spec file ./abba.ts: 'claims' is object, not an array of claims"],
    ['no claims at all', 'export const claims = [];', "spec file ./abba.ts: 'claims' is empty"],
    ['a claim that is not an object', `export const claims = [${MISUSE}, 'abba/x'];`, 'spec file ./abba.ts: claim 2 is string, not an object'],
    ['a claim without an id', `export const claims = [${MISUSE.replace("id: 'abba/no-misuse', ", '')}];`, "spec file ./abba.ts: claim 1 has no 'id' (a string)"],
    ['a bad expect', `export const claims = [${MISUSE.replace("expect: 'holds'", "expect: 'fails'")}];`, `spec file ./abba.ts: claim 1 ('abba/no-misuse') has 'expect' "fails", not 'found' or 'holds'`],
    ['a bad grade', `export const claims = [${MISUSE.replace("grade: 'S'", "grade: 'A'")}];`, `spec file ./abba.ts: claim 1 ('abba/no-misuse') has 'grade' "A", not 'S', 'D' or 'U'`],
    ['a count that is not one', `export const claims = [${MISUSE.replace('distinct: 19', 'distinct: -1')}];`, "spec file ./abba.ts: claim 1 ('abba/no-misuse') has 'distinct' -1, not a whole number (the pinned distinct states; 0 until you know them)"],
    ['two claims with one id', `export const claims = [${MISUSE}, ${MISUSE}];`, "spec file ./abba.ts: claim 2 ('abba/no-misuse'): another claim has the id 'abba/no-misuse'"],
    ['an unknown spec', `export const claims = [${MISUSE.replace("spec: 'abba'", "spec: 'abab'")}];`, "spec file ./abba.ts: claim 1 ('abba/no-misuse') names spec 'abab', which is neither the file's ('abba') nor built in"],
    ['an unknown configuration', `export const claims = [${MISUSE.replace("config: 'two'", "config: 'three'")}];`, "spec file ./abba.ts: claim 1 ('abba/no-misuse'): 'config' names configuration 'three', which spec abba does not have (it has: two, one)"],
    ['an unknown smaller configuration', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "smaller: 'none'")}];`, "spec file ./abba.ts: claim 1 ('abba/deadlock'): 'smaller' names configuration 'none', which spec abba does not have (it has: two, one)"],
    ['an empty about', `export const claims = [${MISUSE.replace("expect: 'holds'", "expect: 'holds', about: []")}];`, "spec file ./abba.ts: claim 1 ('abba/no-misuse') has 'about' [], not a list of lock classes, functions or kinds (['dax_sem'])"],
    ['a fix on a holds claim', `export const claims = [${MISUSE.replace("expect: 'holds'", "expect: 'holds', fix: 'abba'")}];`, "spec file ./abba.ts: claim 1 ('abba/no-misuse') has a 'fix', which only a 'found' claim has (the fixed variant that makes it hold)"],
    ['a fix that is no spec', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "fix: 'abab'")}];`, "spec file ./abba.ts: claim 1 ('abba/deadlock'): 'fix' names spec 'abab', which is neither the file's ('abba') nor built in"],
    ['a fix without the configuration', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "fix: 'die-hard'")}];`, "spec file ./abba.ts: claim 1 ('abba/deadlock'): 'fix' names spec die-hard, which has no configuration 'two' (the fix is checked at the claim's configuration, or name one: fix: { spec, config }; it has: goal, explore)"],
    ['a fix of the wrong shape', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "fix: { configuration: 'one' }")}];`, `spec file ./abba.ts: claim 1 ('abba/deadlock') has 'fix' {"configuration":"one"}, not a spec id or { spec?, config } (a configuration of a spec, the claim's own without 'spec')`],
    ['a fix at a configuration the spec lacks', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "fix: { config: 'fixed' }")}];`, "spec file ./abba.ts: claim 1 ('abba/deadlock'): 'fix' names spec abba, which has no configuration 'fixed' (it has: two, one)"],
    ['a fix that is the claim itself', `export const claims = [${DEADLOCK.replace("smaller: 'one'", "fix: { spec: 'abba', config: 'two' }")}];`, "spec file ./abba.ts: claim 1 ('abba/deadlock'): 'fix' names the claim's own spec and configuration (abba, two), where it is found"],
    ['an unknown property', `export const claims = [${MISUSE.replace("property: 'no lock misuse'", "property: 'no misuse'")}];`, `spec file ./abba.ts: claim 1 ('abba/no-misuse'): spec abba, configuration two has no property 'no misuse' (it has: "no lock misuse", "every fault and syscall returns", deadlock, 'lock order')`],
  ];
  for (const [what, claims, message] of malformed) {
    it(`refuses ${what}: exit 3, one line`, async () => {
      const { dir, file } = specFile(claims);
      const r = await daxmc(['report', file], { cwd: dir });
      expect([r.code, r.out, r.err]).toEqual([3, '', `daxmc: ${message}\n`]);
    });
  }

  it('refuses a spec file that does not exist, as check does', async () => {
    const dir = tempDir();
    const r = await daxmc(['report', './nope.ts'], { cwd: dir });
    expect([r.code, r.err]).toEqual([3, 'daxmc: spec file ./nope.ts does not exist\n']);
  });
});
