// The classic TLA+ examples with liveness (specs/examples/liveness) against TLC 2.20: each
// configuration's verdict and TLC's counts (distinct, generated, depth), pinned from
//   sh specs/examples/liveness/tla/run-tlc.sh
// (java -cp tla2tools.jar tlc2.TLC -workers 1 -lncheck final -config <cfg> <module>; its output
// is quoted in docs/liveness.md). TLC's lassos are not the shortest and change with its
// fingerprint seed, so daxmc's own lassos are pinned as daxmc's figures, and each is replayed
// and checked (it closes, violates the property, and is fair).
import { describe, expect, it } from 'vitest';
import { run } from '../../src/run';
import { encodePath } from '../../src/trace/trace';
import { livenessExamples } from '../../specs/examples/liveness/index';

interface Expected {
  readonly spec: string;
  readonly config: string;
  readonly tlc: 'holds' | 'violated';
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  /** daxmc's lasso for a violated configuration: the property and the path (init/actions@loop). */
  readonly lasso?: readonly [string, string];
}

const TLC: readonly Expected[] = [
  { spec: 'hour-clock', config: 'fair', tlc: 'holds', distinct: 12, generated: 24, depth: 1 },
  { spec: 'hour-clock', config: 'no-fairness', tlc: 'violated', distinct: 12, generated: 24, depth: 1, lasso: ['AllTimes: hr = 1 again and again', '1@0'] },
  { spec: 'peterson', config: 'fair', tlc: 'holds', distinct: 42, generated: 77, depth: 11 },
  { spec: 'peterson', config: 'one-fair', tlc: 'violated', distinct: 42, generated: 77, depth: 11, lasso: ['StarvationFree: proc 1 at a1 gets to cs', '0/0/6/7/1/2@5'] },
  { spec: 'dining-philosophers', config: 'fair', tlc: 'holds', distinct: 67, generated: 336, depth: 29 },
  { spec: 'dining-philosophers', config: 'one-unfair', tlc: 'violated', distinct: 67, generated: 336, depth: 29, lasso: ['NobodyStarves: philosopher 1 eats again and again', '0/6/9/12@3'] },
  { spec: 'simple-allocator', config: 'strong', tlc: 'holds', distinct: 400, generated: 1633, depth: 6 },
  { spec: 'simple-allocator', config: 'weak', tlc: 'violated', distinct: 400, generated: 1633, depth: 6, lasso: ['ClientsWillObtain: c1 gets r1 once it asks', '0/0/10/11/19@1'] },
  { spec: 'token-ring', config: '4x4', tlc: 'holds', distinct: 256, generated: 896, depth: 1 },
  { spec: 'token-ring', config: 'few-values', tlc: 'violated', distinct: 16, generated: 48, depth: 1, lasso: ['Stab: eventually always a unique token', '2/2/1/0/3/2/1/0/3@0'] },
  { spec: 'ewd840', config: 'liveness', tlc: 'holds', distinct: 302, generated: 2001, depth: 9 },
  { spec: 'ewd840', config: 'terminates', tlc: 'violated', distinct: 302, generated: 2001, depth: 9, lasso: ['Terminates: every node eventually stops', '24/0/5/2/8/1/5/12/3/13/16@0'] },
  { spec: 'prisoners', config: 'fair', tlc: 'holds', distinct: 214, generated: 860, depth: 14 },
  { spec: 'prisoners', config: 'unfair-counter', tlc: 'violated', distinct: 214, generated: 860, depth: 14, lasso: ['Liveness: eventually Done', '2/1/2/3/1@0'] },
  { spec: 'alternating-bit', config: 'strong', tlc: 'holds', distinct: 240, generated: 1392, depth: 10 },
  { spec: 'alternating-bit', config: 'weak', tlc: 'violated', distinct: 240, generated: 1392, depth: 10, lasso: ['SentLeadsToRcvd: d1 sent is received', '1/0/2/4/6/6/2/5@1'] },
];

describe('liveness examples agree with TLC 2.20', () => {
  it('covers every form, weak and strong fairness, holds and violated', () => {
    const specs = new Set(TLC.map((t) => t.spec));
    expect(specs.size).toBe(8);
    for (const s of specs) expect(TLC.filter((t) => t.spec === s).map((t) => t.tlc).sort()).toEqual(['holds', 'violated']);
    const forms = new Set<string>();
    const kinds = new Set<string>();
    for (const def of livenessExamples) {
      for (const c of Object.keys(def.configs)) {
        for (const p of def.build(def.configs[c].params, c).liveness ?? []) {
          forms.add(p.form);
          for (const f of p.fairness) kinds.add(`${f.kind}/${f.per}`);
        }
      }
    }
    expect([...forms].sort()).toEqual(['eventually', 'eventually-always', 'infinitely-often', 'leads-to']);
    expect([...kinds].sort()).toEqual(['strong/action', 'strong/actor', 'weak/action', 'weak/actor', 'weak/group']);
  });

  for (const t of TLC) {
    it(`${t.spec} ${t.config}: ${t.tlc}, ${t.distinct} distinct, ${t.generated} generated, depth ${t.depth}`, async () => {
      const def = livenessExamples.find((d) => d.id === t.spec)!;
      const out = await run(def, { config: t.config, check: { deadlock: false } });
      const r = out.result;
      expect(r.verdict).toBe(t.tlc === 'holds' ? 'pass' : 'fail');
      expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([t.distinct, t.generated, t.depth]);
      if (t.lasso) {
        expect(r.failure?.kind).toBe('liveness');
        expect([r.failure?.property, encodePath(r.failure!.path)]).toEqual(t.lasso);
        // run() replayed it: the lasso closes, violates the property and its cycle is fair.
        expect(out.trace?.diagnosis?.kind).toMatch(/^(cycle|stuttering)$/);
      }
    });
  }

  it('a depth-first search records the same graph: the same verdicts, and the same shortest stems', async () => {
    for (const t of TLC) {
      const def = livenessExamples.find((d) => d.id === t.spec)!;
      const bfs = (await run(def, { config: t.config, check: { deadlock: false } })).result;
      const dfs = (await run(def, { config: t.config, check: { deadlock: false, strategy: 'dfs' } })).result;
      expect(dfs.verdict, `${t.spec} ${t.config}`).toBe(bfs.verdict);
      expect(dfs.stats.distinct).toBe(t.distinct);
      if (bfs.failure) expect(dfs.failure?.path.loop, `${t.spec} ${t.config}`).toBe(bfs.failure.path.loop);
    }
  });

  it('the largest holds configuration (token ring 6x6): 46,656 distinct, 248,832 generated', async () => {
    const def = livenessExamples.find((d) => d.id === 'token-ring')!;
    const r = (await run(def, { config: '6x6', check: { deadlock: false } })).result;
    expect([r.verdict, r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual(['pass', 46656, 248832, 1]);
  });
});
