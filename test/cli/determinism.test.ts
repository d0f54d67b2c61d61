// The same command gives byte-identical output run after run and with any number of workers:
// the text report (its `time` line aside), the JSON result (its `timing` block aside) and every
// file --out writes (ITF, text, Mermaid, dot, SVG), for a failing DAX configuration and for
// TwoPhase (which passes, so it writes no files).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxmc, tempDir } from './helpers';

interface Output {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** --out files by name. */
  readonly files: Readonly<Record<string, string>>;
}

/** Drops the timings: the text report's `time` line, the JSON result's `timing` block. */
function withoutTimings(s: string): string {
  return s.replace(/^ {2}time {8}.*\n/m, '').replace(/,\n {2}"timing": \{[^}]*\}\n/, '\n');
}

async function run(args: string[]): Promise<Output> {
  const cwd = tempDir();
  const r = await daxmc([...args, '--out', 'out'], { cwd });
  const dir = join(cwd, 'out');
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // no trace: nothing written
  }
  const files = Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  return { code: r.code, out: withoutTimings(r.out), err: r.err, files };
}

describe('the same command, the same bytes', () => {
  const cases: [string, string[], number, string[]][] = [
    // --no-liveness: a run with --workers cannot check liveness (it keeps no state graph), so the
    // comparison across worker counts is of everything else.
    ['v4.2 b1-two-writers (fails after 47 steps)', ['check', 'v4.2', '--config', 'b1-two-writers', '--no-liveness'], 12, ['.dot', '.itf.json', '.mmd', '.svg', '.txt']],
    ['two-phase rm3 (passes)', ['check', 'two-phase'], 0, []],
  ];
  for (const [name, args, code, extensions] of cases) {
    it(`${name}: text and JSON, twice with one worker and once with two`, async () => {
      for (const format of ['text', 'json']) {
        const a = await run([...args, '--format', format]);
        const b = await run([...args, '--format', format]);
        const c = await run([...args, '--format', format, '--workers', '2']);
        expect(a.code).toBe(code);
        expect(Object.keys(a.files)).toEqual(extensions.map((e) => `v4.2-b1-two-writers${e}`));
        expect(a.out).not.toMatch(/^ {2}time |"timing"|elapsedMs|statesPerSecond/m);
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }
    });
  }

  it('the stripped timings are the only difference: the text keeps every other figure', async () => {
    const a = await run(['check', 'v4.2', '--config', 'b1-two-writers']);
    expect(a.out).toContain('  states      2,406 distinct, 4,513 generated, depth 45, 107 queued\n  collisions  calculated (optimistic): 2.7E-13\n\nDiscoveries:');
    expect(a.files['v4.2-b1-two-writers.txt']).toBe(a.out);
  });
});
