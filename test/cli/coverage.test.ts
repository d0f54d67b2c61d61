// Actions never enabled: after a search of the whole space `daxmc check` warns on one line (an
// action that forgets to return true is then visible), and `check --coverage` prints TLC's
// per-action coverage (successors generated, new states among them); JSON carries the figures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxmc, tempDir } from './helpers';

const LAYOUT = join(__dirname, '..', '..', 'src', 'core', 'layout.ts');

/** A counter to 3 whose `Reset` forgets to return true; with `more`, three more dead actions. */
function forgetful(more = false): string {
  const file = join(tempDir(), 'forgetful.ts');
  const dead = more ? ["{ name: 'A', apply: () => false }", "{ name: 'B', apply: () => false }", "{ name: 'C', apply: () => false }"].join(', ') + ',' : '';
  writeFileSync(
    file,
    `import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ n: intRange(0, 3) });
export default {
  id: 'forgetful', title: 'a counter', description: 'counts to 3, then should reset', defaultConfig: 'c',
  configs: { c: { description: 'to 3', params: {} } },
  build() {
    return {
      name: 'forgetful', layout, init: [layout.encode({ n: 0 })], properties: [],
      actions: [
        { name: 'Inc', actor: 'w', apply(s: Float64Array, t: Float64Array) { if (s[0] >= 3) return false; t[0] = s[0] + 1; return true; } },
        { name: 'Reset', actor: 'w', apply(s: Float64Array, t: Float64Array) { if (s[0] === 3) t[0] = 0; return false; } },
        ${dead}
      ],
    };
  },
};
`,
  );
  return file;
}

describe('actions never enabled', () => {
  it('a passing search warns on one line, naming the action', async () => {
    const r = await daxmc(['check', forgetful(), '--no-deadlock']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\nwarning: action w: Reset was never enabled in any state: the configuration never reaches it, or the model is vacuous there (--coverage lists every action)\n');
  });

  it('more than three are counted, not listed', async () => {
    const r = await daxmc(['check', forgetful(true), '--no-deadlock']);
    expect(r.out).toContain('\nwarning: 4 of 5 actions were never enabled in any state: the configuration never reaches them, or the model is vacuous there (--coverage lists every action)\n');
  });

  it('a deadlock is what the run reports when the forgotten action was the way out', async () => {
    const r = await daxmc(['check', forgetful()]);
    expect(r.code).toBe(11);
    expect(r.out).not.toContain('never enabled');
  });

  it('--coverage prints every action with its successors and new states, as TLC -coverage', async () => {
    const r = await daxmc(['check', forgetful(), '--no-deadlock', '--coverage']);
    expect(r.out).toContain(
      ['Coverage (the whole state space):', '  action    generated  distinct', '  w: Inc            3         3', '  w: Reset          0         0  never enabled'].join('\n'),
    );
    expect(r.out).toContain('\nwarning: action w: Reset was never enabled in any state: the configuration never reaches it, or the model is vacuous there\n');
    const t = await daxmc(['check', 'two-phase', '--coverage']);
    expect(t.out).toContain('  rm1: RMPrepare              ');
    expect(t.out).not.toContain('never enabled');
  });

  it('JSON carries the coverage figures and what the action contract checks covered', async () => {
    const r = await daxmc(['check', forgetful(), '--no-deadlock', '--format', 'json']);
    const j = JSON.parse(r.out) as { coverage: unknown; contract: unknown };
    expect(j.coverage).toEqual([
      { action: 'Inc', actor: 'w', generated: 3, distinct: 3 },
      { action: 'Reset', actor: 'w', generated: 0, distinct: 0 },
    ]);
    expect(j.contract).toEqual({ perAction: 4, inputWrites: 'every expansion' });
    const sampled = await daxmc(['check', 'two-phase', '--input-checks', 'sampled']);
    expect(sampled.out).toContain('\n  contract    writes of the input state checked in the first 288 expansions only (--input-checks sampled)\n');
    expect((await daxmc(['check', 'two-phase'])).out).not.toContain('  contract ');
  });
});
