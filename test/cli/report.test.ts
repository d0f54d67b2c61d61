// `daxmc report` in-process: the table, the Markdown verdicts file, golden traces, selection
// errors and the exit code when a claim differs.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program';
import { isRepositoryCheckout, repositoryRoot, selectClaims, verdictsPlace } from '../../src/cli/report-command';
import { allClaims } from '../../specs/dax/claims';
import { daxmc, tempDir } from './helpers';

describe('daxmc report', () => {
  it('checks the selected claims, prints the table and writes the verdicts file and traces', async () => {
    const dir = tempDir();
    const verdicts = join(dir, 'verdicts.md');
    const r = await daxmc(['report', '--claim', 'v4.2/B4', '--claim', 'v4.2/B12-fixed', '--verdicts', verdicts, '--traces', join(dir, 'traces')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'daxmc report: 2 claims over 1 scheme',
        '',
        'claim           claimed  vs pinned  checker',
        'v4.2/B4         found    agrees     found, 22 steps: self-deadlock',
        'v4.2/B12-fixed  holds    agrees     holds over 17 states',
        '',
        // --verdicts runs the load-bearing analysis too (--no-rests-on leaves it out).
        "rests on (each mechanism a holds claim's search meets, taken away in turn: load-bearing if the claim then fails; a found claim's fix):",
        'v4.2/B12-fixed  none alone: it still holds with each of the 4 mechanisms taken away',
        '',
        '2 claims: 2 agree, 0 differ',
        'warning: 24 steps never ran in 1 "holds" check (the model may be vacuous there; --coverage lists them): v4.2/B12-fixed (24)',
        '',
      ].join('\n'),
    );
    const md = readFileSync(verdicts, 'utf8');
    expect(md).toContain(
      '| v4.2/B4 | B4 | S | `v4.2/pmd` | `b4-zero-then-write` | deadlock | found | found, 22 steps: self-deadlock | 23 | agrees | [text](../traces/dax/v4.2/B4.txt) · [lanes](../traces/dax/v4.2/B4.svg) · [ITF](../traces/dax/v4.2/B4.itf.json) |  |\n',
    );
    expect(md).toContain('| v4.2/B12-fixed | B12 (fixed by 0df9d41ab5d4) | S | `v4.3/cow-fix` | `b12-cow` | no lock misuse | holds | holds over 17 states | 17 | agrees |  | none alone: it still holds with each of the 4 mechanisms taken away |\n');
    expect(md).toContain('Replay: `daxmc replay traces/dax/v4.2/B4.itf.json`.');
    // The scheme's summary, with commits, sits above its claims.
    expect(md).toContain('**Scheme 1: the v4.2 DAX fault path (i_mmap_rwsem read + hole-page lock)**: kept, bugs fixed later.');
    expect(md).toContain('| `0df9d41ab5d4` | mm, dax: fix DAX deadlocks (COW fault) | fixed B12 |');
    expect(md).not.toMatch(/domain file/);
    expect(readdirSync(join(dir, 'traces', 'v4.2')).sort()).toEqual(['B4.itf.json', 'B4.mmd', 'B4.svg', 'B4.txt']);
    // The written golden trace is the committed one.
    for (const f of ['B4.mmd', 'B4.txt', 'B4.svg']) expect(readFileSync(join(dir, 'traces', 'v4.2', f), 'utf8')).toBe(readFileSync(join(__dirname, '../../traces/dax/v4.2', f), 'utf8'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a line per claim as it finishes, and no file unless asked', async () => {
    const before = readFileSync(join(__dirname, '../../docs/verdicts.md'), 'utf8');
    const chunks: string[] = [];
    let err = '';
    const code = await runCli(['report', '--claim', 'v4.2/B12', '--claim', 'v4.2/B4'], {
      cwd: tempDir(),
      io: { out: (x) => void chunks.push(x), err: (x) => void (err += x), isTTY: false },
    });
    expect(code).toBe(0);
    // The header before any claim ran, then one write per claim: a pipe sees each line as it comes.
    expect(chunks.slice(0, 3)).toEqual([
      'daxmc report: 2 claims over 1 scheme\n\nclaim     claimed  vs pinned  checker\n',
      'v4.2/B4   found    agrees     found, 22 steps: self-deadlock\n',
      'v4.2/B12  found    agrees     found, 13 steps\n',
    ]);
    expect(err).toBe('');
    expect(readFileSync(join(__dirname, '../../docs/verdicts.md'), 'utf8')).toBe(before);
  });

  it('--verdicts without a FILE is refused for a narrowed set; with a FILE and no claim to analyse, no "rests on" heading', async () => {
    const before = readFileSync(join(__dirname, '../../docs/verdicts.md'), 'utf8');
    const a = await daxmc(['report', '--claim', 'v4.2/B1', '--verdicts']);
    expect([a.code, a.out, a.err]).toEqual([2, '', "daxmc: --verdicts without a FILE writes the repository's docs/verdicts.md, the table of every claim, and --claim narrows the set: give a file (--verdicts FILE)\n"]);
    const b = await daxmc(['report', '--scheme', 'v4.2', '--verdicts']);
    expect([b.code, b.out, b.err]).toEqual([2, '', "daxmc: --verdicts without a FILE writes the repository's docs/verdicts.md, the table of every claim, and --scheme narrows the set: give a file (--verdicts FILE)\n"]);
    expect(readFileSync(join(__dirname, '../../docs/verdicts.md'), 'utf8')).toBe(before);
    // v4.2/B1 is found and has no fix: the analysis has nothing to say, and says nothing.
    const dir = tempDir();
    const c = await daxmc(['report', '--claim', 'v4.2/B1', '--verdicts', 'v.md'], { cwd: dir });
    expect(c.code).toBe(0);
    expect(c.out).toBe(['daxmc report: 1 claim over 1 scheme', '', 'claim    claimed  vs pinned  checker', 'v4.2/B1  found    agrees     found, 44 steps', '', '1 claim: 1 agrees, 0 differ', ''].join('\n'));
    expect(readdirSync(dir)).toEqual(['v.md']);
  });

  it('--verdicts without a FILE writes only into daxmc\'s repository checkout, never an installed package\'s docs', () => {
    expect(isRepositoryCheckout(repositoryRoot())).toBe(true);
    expect(verdictsPlace(true, {})).toBe(join(repositoryRoot(), 'docs', 'verdicts.md'));
    const dir = tempDir();
    const shaped = (root: string, git: 'dir' | 'file' | 'none'): string => {
      mkdirSync(join(root, 'specs', 'dax'), { recursive: true });
      writeFileSync(join(root, 'specs', 'dax', 'claims.ts'), '');
      if (git === 'dir') mkdirSync(join(root, '.git'));
      if (git === 'file') writeFileSync(join(root, '.git'), 'gitdir: /elsewhere\n');
      return root;
    };
    expect(isRepositoryCheckout(shaped(join(dir, 'clone'), 'dir'))).toBe(true);
    expect(isRepositoryCheckout(shaped(join(dir, 'worktree'), 'file'))).toBe(true);
    // The package as npm installs it: specs/ shipped, no .git.
    const installed = shaped(join(dir, 'project', 'node_modules', 'daxmc'), 'none');
    expect(isRepositoryCheckout(installed)).toBe(false);
    // Under node_modules even with a .git (a linked or vendored checkout is still a dependency).
    expect(isRepositoryCheckout(shaped(join(dir, 'vendored', 'node_modules', 'daxmc'), 'dir'))).toBe(false);
    expect(isRepositoryCheckout(join(dir, 'empty'))).toBe(false);
    expect(() => verdictsPlace(true, {}, installed)).toThrow(
      `--verdicts without a FILE writes the repository's docs/verdicts.md, and daxmc runs from ${installed}, not from its repository checkout (an installed package): give a file (--verdicts FILE)`,
    );
    // A FILE is always where it says; no --verdicts, nothing.
    expect(verdictsPlace('out.md', { claim: ['v4.2/B1'] }, installed)).toBe('out.md');
    expect(verdictsPlace(undefined, {}, installed)).toBeUndefined();
    expect(verdictsPlace(false, {}, installed)).toBeUndefined();
  });

  it('writes no file when a claim is incomplete: the summary counts it apart, exit 5', async () => {
    const dir = tempDir();
    // No search settles dax-sem/B11 (hundreds of thousands of states) in a millisecond.
    const r = await daxmc(['report', '--claim', 'dax-sem/B11', '--timeout', '0.001', '--html', 'r5', '--verdicts', 'v.md', '--traces', 't'], { cwd: dir });
    expect(r.code).toBe(5);
    expect(r.out).toMatch(
      /^daxmc report: 1 claim over 1 scheme\n\nclaim        claimed  vs pinned  checker\ndax-sem\/B11  holds    INCOMPLETE  incomplete after [0-9,]+ states \(reached the time limit of 0\.001 s\)\n\n1 claim: 0 agree, 0 differ, 1 incomplete\n  dax-sem\/B11: incomplete after [0-9,]+ states \(reached the time limit of 0\.001 s\)\n$/,
    );
    expect(r.err).toBe('daxmc: 1 claim is incomplete (a limit cut the search short); no file written\n');
    // Not even the directories.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--html removes the claim pages an earlier report wrote there, and nothing else', async () => {
    const dir = tempDir();
    const old = await daxmc(['report', '--claim', 'v4.2/B4', '--html', dir]);
    expect([old.code, old.err]).toEqual([0, `wrote the HTML report (2 files) to ${join(dir, 'index.html')}\n`]);
    // A page of the user's own that looks like one, another file, and a directory of that shape stay.
    writeFileSync(join(dir, 'claim-mine.html'), '<!DOCTYPE html><title>my notes</title>');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'claim-dir.html'));
    const r = await daxmc(['report', '--claim', 'v4.2/B12', '--html', dir]);
    expect([r.code, r.err]).toEqual([0, `wrote the HTML report (2 files) to ${join(dir, 'index.html')}; removed 1 claim page an earlier report left there\n`]);
    expect(readdirSync(dir).sort()).toEqual(['claim-dir.html', 'claim-mine.html', 'claim-v4.2-B12.html', 'index.html', 'notes.txt']);
    // A report with no counterexample page: one file, in the singular.
    const h = await daxmc(['report', '--claim', 'v4.2/B12-fixed', '--html', dir]);
    expect([h.code, h.err]).toEqual([0, `wrote the HTML report (1 file) to ${join(dir, 'index.html')}; removed 1 claim page an earlier report left there\n`]);
    expect(readdirSync(dir).sort()).toEqual(['claim-dir.html', 'claim-mine.html', 'index.html', 'notes.txt']);
  });

  it('on a terminal, the progress count is cleared before each line', async () => {
    const r = await daxmc(['report', '--claim', 'v4.2/B12'], { isTTY: true });
    expect(r.code).toBe(0);
    expect(r.err).toBe('0/1 claims checked\r\x1b[K\r\x1b[K');
  });

  it('prints JSON with every claim field', async () => {
    const r = await daxmc(['report', '--claim', 'v4.2/B12', '--no-verdicts', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('daxmc.report/1');
    expect(j.claims[0]).toMatchObject({ id: 'v4.2/B12', status: 'agrees', traceLength: 13, checkedDistinct: 14 });
  });

  it('--rests-on: the load-bearing analysis of holds claims and the fixes of found ones, as lines and JSON', async () => {
    const r = await daxmc(['report', '--claim', 'dax-sem/B11-2t', '--claim', 'dax-sem/C3-1-3t2i', '--claim', 'v4.2/B12', '--rests-on']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const from = lines.indexOf("rests on (each mechanism a holds claim's search meets, taken away in turn: load-bearing if the claim then fails; a found claim's fix):");
    expect(lines.slice(from + 1, from + 4)).toEqual([
      'dax-sem/C3-1-3t2i  FLAGGED: none of dax_sem is load-bearing here. none alone: it still holds with each of the 27 mechanisms taken away',
      'dax-sem/B11-2t     drop dax_sem(read) in ext2_dax_fault (43 steps); drop the i_size check at __dax_fault: check_size (43 steps); drop dax_sem(write) in ext2_setsize (43 steps); drop truncate_mutex in __ext2_truncate_blocks (52 steps, after BUG: __ext2_truncate_blocks without truncate_mutex); 13 of 17 redundant',
      'v4.2/B12           fixed by `v4.3/cow-fix` (holds over 17 states)',
    ]);
    expect(lines).toContain('flagged: 1 holds claim rests on none of what it is about: dax-sem/C3-1-3t2i');
    const j = await daxmc(['report', '--claim', 'dax-sem/B11-2t', '--claim', 'v4.2/B12', '--rests-on', '--format', 'json']);
    const all = (JSON.parse(j.out) as { claims: Record<string, unknown>[] }).claims;
    // In the claims' order: v4.2's before dax-sem's.
    const claims = ['dax-sem/B11-2t', 'v4.2/B12'].map((id) => all.find((c) => c.id === id)!);
    expect(claims[0].restsOn).toMatchObject({ analysed: true, spec: 'dax-sem', config: 'b11-truncate', flag: null, only: null });
    expect((claims[0].restsOn as { loadBearing: { mechanism: string; steps: number }[] }).loadBearing.map((l) => [l.mechanism, l.steps])).toEqual([
      ['drop dax_sem(read) in ext2_dax_fault', 43],
      ['drop the i_size check at __dax_fault: check_size', 43],
      ['drop dax_sem(write) in ext2_setsize', 43],
      ['drop truncate_mutex in __ext2_truncate_blocks', 52],
    ]);
    expect(claims[1].fixChecked).toEqual({ spec: 'v4.3/cow-fix', config: 'b12-cow', status: 'holds', outcome: 'holds over 17 states' });
    // Without --rests-on (and without --verdicts) there is no analysis.
    const plain = await daxmc(['report', '--claim', 'v4.2/B12', '--format', 'json']);
    expect((JSON.parse(plain.out) as { claims: Record<string, unknown>[] }).claims[0].fixChecked).toBeUndefined();
  });

  it('rejects an unknown scheme or claim with a usage error', async () => {
    const a = await daxmc(['report', '--scheme', 'nope', '--no-verdicts']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^daxmc: no scheme 'nope' \(schemes: v4\.2/);
    const b = await daxmc(['report', '--claim', 'v4.2/B99', '--no-verdicts']);
    expect(b.code).toBe(2);
    expect(b.err).toBe("daxmc: no claim 'v4.2/B99' (daxmc report --format json lists them)\n");
  });

  it('exits 6 and names the difference when a claim does not hold up', async () => {
    const claim = allClaims.find((c) => c.id === 'v4.2/B12')!;
    const wrong = { ...claim, distinct: claim.distinct + 1 };
    const { checkClaim } = await import('../../src/report/run-claims');
    const { builtinSpecs } = await import('../../specs/index');
    const res = await checkClaim(builtinSpecs, wrong);
    expect(res.status).toBe('differs');
    expect(res.differences).toEqual([`distinct states ${claim.distinct}, pinned ${claim.distinct + 1}`]);
  });

  it('selects by scheme', () => {
    expect(selectClaims({ scheme: ['v4.2'] }).every((c) => c.scheme === 'v4.2')).toBe(true);
    expect(existsSync(join(__dirname, '../../docs/verdicts.md'))).toBe(true);
  });

  it('a lock-order claim that finds a cycle gets a page: the lockdep report, the graph, and each edge by example', async () => {
    const dir = tempDir();
    const r = await daxmc(['report', '--claim', 'ext4/B10-cycle-v4.2', '--claim', 'ext4/B10-order-v4.5', '--html', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ext4/B10-cycle-v4.2  found    agrees     found: cycle jbd2_handle -> page lock; page lock -> jbd2_handle against the documented order\n');
    expect(r.out).toContain('ext4/B10-order-v4.5  holds    agrees     holds: no lock-order cycle over 3,539 states\n');
    expect(readdirSync(dir).sort()).toEqual(['claim-ext4-B10-cycle-v4.2.html', 'index.html']);
    const page = readFileSync(join(dir, 'claim-ext4-B10-cycle-v4.2.html'), 'utf8');
    expect(page).toContain('WARNING: possible circular locking dependency detected');
    expect(page).toContain('WARNING: lock acquired against the documented order');
    // The two edges of the cycle, each a replay command and the lane diagram of its path.
    expect(page.match(/<h3 id="edge-[0-9]+">/g)).toHaveLength(2);
    expect(page.match(/<svg[^>]*class="daxmc-lanes"/g)).toHaveLength(2);
    expect(page.match(/<pre class="cmd">daxmc check ext4\/v4\.2 --config mkwrite-vs-punch-no-commit --path [0-9/]+<\/pre>/g)).toHaveLength(2);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('href="claim-ext4-B10-cycle-v4.2.html"');
  });
});
