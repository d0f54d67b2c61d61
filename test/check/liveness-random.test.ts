// The fair-cycle search against the brute-force reference (test/fixtures/liveness-reference.ts)
// on 1,500 random tiny graphs: every form, weak and strong fairness per action, per actor and
// per group, a constraint now and then. The verdicts agree, and every lasso found replays and
// passes the independent lasso check (src/trace/lasso.ts: it closes, it violates, it is fair).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { replay } from '../../src/trace/trace';
import { graphSpec } from '../fixtures/graph-spec';
import { randomLivenessCase, referenceViolated } from '../fixtures/liveness-reference';

const SEEDS = Array.from({ length: 1500 }, (_, i) => 77 + i * 104729);

describe('fair cycles vs the brute-force reference', () => {
  it('agree on 1,500 random graphs, and every lasso checks', async () => {
    let violated = 0;
    let strongCases = 0;
    let stutters = 0;
    for (const seed of SEEDS) {
      const c = randomLivenessCase(seed);
      const spec = graphSpec(c.def);
      const want = referenceViolated(c.graph, c.property);
      const r = await check(spec, { deadlock: false });
      const where = `seed ${seed}: ${JSON.stringify(c.def.edges)} init ${JSON.stringify(c.def.init)} ${c.property.form} P=${[...c.property.P]} Q=${[...c.property.Q]}`;
      expect(r.verdict, where).toBe(want ? 'fail' : 'pass');
      if (c.property.groups.some((g) => g.strong)) strongCases++;
      if (!want) continue;
      violated++;
      const path = r.failure!.path;
      if (path.loop === path.actions.length) stutters++;
      expect(() => replay(spec, path, { specId: 'graph', config: 'c', property: 'the property', kind: 'liveness' }), where).not.toThrow();
    }
    // The generator is varied: both answers, strong fairness, real cycles and stuttering.
    expect(violated).toBeGreaterThan(300);
    expect(violated).toBeLessThan(1300);
    expect(strongCases).toBeGreaterThan(200);
    expect(stutters).toBeGreaterThan(50);
    expect(violated - stutters).toBeGreaterThan(100);
  });
});
