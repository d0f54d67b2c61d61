// `daxmc report` in-process: the table, the Markdown verdicts file, golden traces, selection
// errors and the exit code when a claim differs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectClaims } from '../../src/cli/report-command';
import { allClaims } from '../../specs/dax/claims';
import { daxmc, tempDir } from './helpers';

describe('daxmc report', () => {
  it('checks the selected claims, prints the table and writes the verdicts file and traces', async () => {
    const dir = tempDir();
    const verdicts = join(dir, 'verdicts.md');
    const r = await daxmc(['report', '--claim', 'v4.2/B4', '--claim', 'v4.2/B12-fixed', '--verdicts', verdicts, '--traces', join(dir, 'traces')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('v4.2/B4         found  found, 22 steps (self-deadlock)  agrees');
    expect(r.out).toContain('2 claims: 2 agree, 0 differ');
    const md = readFileSync(verdicts, 'utf8');
    expect(md).toContain('| v4.2/B4 | B4 | S | `v4.2/pmd` | `b4-zero-then-write` | deadlock | found | found, 22 steps (self-deadlock) | 23 | agrees |');
    expect(readdirSync(join(dir, 'traces', 'v4.2')).sort()).toEqual(['B4.itf.json', 'B4.mmd', 'B4.txt']);
    // The written golden trace is the committed one.
    expect(readFileSync(join(dir, 'traces', 'v4.2', 'B4.mmd'), 'utf8')).toBe(readFileSync(join(__dirname, '../../traces/dax/v4.2/B4.mmd'), 'utf8'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints JSON with every claim field', async () => {
    const r = await daxmc(['report', '--claim', 'v4.2/B12', '--no-verdicts', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('daxmc.report/1');
    expect(j.claims[0]).toMatchObject({ id: 'v4.2/B12', status: 'agrees', traceLength: 13, checkedDistinct: 14 });
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
});
