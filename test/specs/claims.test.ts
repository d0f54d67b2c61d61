// One test per claim: the checker's verdict, property, trace length, diagnosis and distinct-state
// count agree with what specs/dax/claims*.ts pinned, and a found bug is not found with one
// thread fewer.
import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../../specs/index';
import { allClaims } from '../../specs/dax/claims';
import { checkClaim } from '../../src/report/run-claims';

describe('claims', () => {
  it('have unique ids', () => {
    const ids = allClaims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  for (const claim of allClaims) {
    it(`${claim.id}: ${claim.property} ${claim.expect} on ${claim.spec} ${claim.config}`, async () => {
      const r = await checkClaim(builtinSpecs, claim);
      expect(r.differences).toEqual([]);
      expect(r.status).toBe('agrees');
      expect(r.result.stats.distinct).toBe(claim.distinct);
      if (claim.expect === 'found') {
        expect(r.result.verdict).toBe('fail');
        expect(r.result.failure?.property).toBe(claim.property);
        expect(r.trace!.steps.length - 1).toBe(claim.length);
        if (claim.smaller) expect(r.smallerFinds).toBe(false);
      } else {
        expect(r.result.verdict).toBe('pass');
        expect(r.result.unwitnessed).toEqual([]);
      }
    });
  }
});
