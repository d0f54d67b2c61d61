// One test per claim: the checker's verdict, property, trace length, diagnosis and distinct-state
// count agree with what specs/dax/claims*.ts pinned, and a found bug is not found with one
// thread fewer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../../specs/index';
import { allClaims } from '../../specs/dax/claims';
import { checkClaim } from '../../src/report/run-claims';
import { LOCK_ORDER } from '../../src/report/claim';
import { goldenFiles } from '../../src/report/verdicts';

const TRACES = join(__dirname, '..', '..', 'traces', 'dax');

function golden(path: string): string {
  try {
    return readFileSync(join(TRACES, path), 'utf8');
  } catch {
    return `<missing traces/dax/${path}: run npm run traces>`;
  }
}

describe('claims', () => {
  it('have unique ids', () => {
    const ids = allClaims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('slow claims are settled by daxmc report and recorded in docs/verdicts.md', () => {
    const md = readFileSync(join(__dirname, '..', '..', 'docs', 'verdicts.md'), 'utf8');
    for (const c of allClaims.filter((x) => x.slow)) expect(md, c.id).toContain(`| ${c.id} |`);
  });
  // Slow claims (hundreds of thousands of states and more) run in `daxmc report`, not in CI.
  for (const claim of allClaims.filter((c) => !c.slow)) {
    it(`${claim.id}: ${claim.property} ${claim.expect} on ${claim.spec} ${claim.config}`, async () => {
      const r = await checkClaim(builtinSpecs, claim);
      expect(r.differences).toEqual([]);
      expect(r.status).toBe('agrees');
      expect(r.result.stats.distinct).toBe(claim.distinct);
      // A lock-order claim is settled on the lock-order view, which checkClaim compared above.
      if (claim.property === LOCK_ORDER) return;
      if (claim.expect === 'found') {
        expect(r.result.verdict).toBe('fail');
        expect(r.result.failure?.property).toBe(claim.property);
        expect(r.trace!.steps.length - 1).toBe(claim.length);
        if (claim.smaller) expect(r.smallerFinds).toBe(false);
        // The golden counterexample, byte for byte (regenerate with `npm run traces`).
        for (const f of goldenFiles(r)) expect(f.content, `traces/dax/${f.path}`).toBe(golden(f.path));
      } else {
        expect(r.result.verdict).toBe('pass');
        expect(r.result.unwitnessed).toEqual([]);
      }
    });
  }
});
