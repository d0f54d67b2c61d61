// In-process CLI tests: every command and the exit-code table. Bad input of every kind, with its
// one-line message, is in bad-input.test.ts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes';
import { RESULT_SCHEMA, type JsonResult } from '../../src/render/json';
import { builtinSpecs } from '../../specs/index';
import { locksDefinition } from '../render/locks-fixture';
import { daxmc, tempDir } from './helpers';

const LAYOUT = fileURLToPath(new URL('../../src/core/layout.ts', import.meta.url));

describe('daxmc list', () => {
  it('lists spec ids, titles and configurations with descriptions', async () => {
    const r = await daxmc(['list']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(
      'two-phase  Two-phase commit (TwoPhase.tla)\n  rm3 (default)  3 resource managers (TLC: 288 distinct, 1,146 generated, depth 11)\n',
    );
    expect(r.out).toContain('die-hard  DieHard jugs puzzle\n  goal (default)  with the invariant big /= 4');
    for (const def of builtinSpecs) expect(r.out).toContain(`${def.id}  ${def.title}\n`);
  });

  it('lists the configurations of one spec: a built-in id or a spec file', async () => {
    const one = await daxmc(['list', 'die-hard']);
    expect(one.code).toBe(0);
    expect(one.out).toBe('die-hard  DieHard jugs puzzle\n  goal (default)  with the invariant big /= 4: its counterexample is the shortest solution\n  explore         no goal invariant: the whole state space (16 states)\n');
    const file = await daxmc(['list', 'test/package/user-project/nextfs.ts']);
    expect(file.code).toBe(0);
    expect(file.out).toBe(
      'nextfs  nextfs: a fault lock shared by faults, exclusive in punch and truncate\n' +
        '  punch-vs-load (default)  a hole punch against a fault on an allocated block (T1: load on index 0 in P1; T2: punch on index 0)\n' +
        '  two-writers              two write faults on one hole (T1: store on index 0 in P1; T2: store on index 0 in P2)\n',
    );
    const none = await daxmc(['list', 'nope']);
    expect(none.code).toBe(2);
    expect(none.err).toBe("daxmc: unknown spec 'nope' (daxmc list shows the spec ids; a spec file ends in .ts, .mts, .js or .mjs)\n");
  });
});

describe('daxmc check', () => {
  it('two-phase passes: 288 distinct states (exit 0)', async () => {
    const r = await daxmc(['check', 'two-phase']);
    expect(r.code).toBe(ExitCode.pass);
    expect(r.out.split('\n')[0]).toBe('PASS  2 properties hold over 288 distinct states');
    expect(r.out).toContain('288 distinct, 1,146 generated, depth 11, 0 queued');
    expect(r.err).toBe('');
  });

  it('die-hard finds the 6-step solution (exit 12)', async () => {
    const r = await daxmc(['check', 'die-hard']);
    expect(r.code).toBe(ExitCode.safety);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)');
    expect(r.out).toContain('State 6: BigToSmall\n* /\\ big = 4\n');
    expect(r.out).toContain('  daxmc check die-hard --config goal --path 0/1/5/2/5/1/5\n');
  });

  it('die-hard explore: 16 distinct states', async () => {
    const r = await daxmc(['check', 'die-hard', '--config', 'explore']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS  1 property holds over 16 distinct states');
  });

  it('a deadlock exits 11; --no-deadlock passes', async () => {
    const specs = [locksDefinition];
    const dead = await daxmc(['check', 'test/locks'], { specs });
    expect(dead.code).toBe(ExitCode.deadlock);
    expect(dead.out.split('\n')[0]).toBe('FAIL  deadlock reached after 2 steps (BFS: shortest)');
    const off = await daxmc(['check', 'test/locks', '--no-deadlock'], { specs });
    expect(off.code).toBe(0);
    expect(off.out).toContain('  checked     1 invariant, 1 witness, no deadlock check\n');
  });

  it('--max-states ends the run INCOMPLETE (exit 5)', async () => {
    const r = await daxmc(['check', '--max-states', '10', 'two-phase', '--config', 'rm5']);
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out.split('\n')[0]).toBe('INCOMPLETE  reached --max-states 10; no violation found so far');
  });

  it('an interrupted run reports its figures so far (exit 5)', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await daxmc(['check', 'two-phase'], { signal: controller.signal });
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out.split('\n')[0]).toBe('INCOMPLETE  interrupted; no violation found so far');
    expect(r.out).toContain('  states      0 distinct, 0 generated, depth 0, 0 queued\n');
  });

  it('--format json prints the documented result object', async () => {
    const r = await daxmc(['check', 'die-hard', '--format', 'json']);
    expect(r.code).toBe(12);
    const j = JSON.parse(r.out) as JsonResult;
    expect(j.schema).toBe(RESULT_SCHEMA);
    expect(j.spec).toBe('die-hard');
    expect(j.config).toBe('goal');
    expect(j.params).toEqual({ goal: true });
    expect(j.verdict).toBe('fail');
    expect(j.exitCode).toBe(12);
    expect(j.failure).toEqual({ property: 'NotSolved: big /= 4', kind: 'invariant', length: 6, path: '0/1/5/2/5/1/5' });
    expect(j.stats.depth).toBe(7);
    expect(j.limit).toBeNull();
    expect(j.error).toBeNull();
    expect(j.trace?.states).toHaveLength(7);
    expect(typeof j.timing.elapsedMs).toBe('number');
    expect(typeof j.timing.statesPerSecond).toBe('number');
    const pass = JSON.parse((await daxmc(['check', 'two-phase', '--format', 'json'])).out) as JsonResult;
    expect(pass.stats).toMatchObject({ distinct: 288, generated: 1146, depth: 11, queued: 0 });
    expect(pass.failure).toBeNull();
  });

  it('--format itf, mermaid and dot print the trace on stdout and the verdict on stderr', async () => {
    const itf = await daxmc(['check', 'die-hard', '--format', 'itf']);
    expect(itf.code).toBe(12);
    expect(JSON.parse(itf.out)['#meta'].path).toBe('0/1/5/2/5/1/5');
    expect(itf.err).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)\n');
    expect((await daxmc(['check', 'die-hard', '--format', 'mermaid'])).out.startsWith('sequenceDiagram\n')).toBe(true);
    expect((await daxmc(['check', 'die-hard', '--format', 'dot'])).out.startsWith('digraph "die-hard goal" {\n')).toBe(true);
    const none = await daxmc(['check', 'two-phase', '--format', 'mermaid']);
    expect(none.out).toBe('');
    expect(none.err).toBe('PASS  2 properties hold over 288 distinct states\n');
  });

  it('--diff prints only changed variables after state 0', async () => {
    const r = await daxmc(['check', 'die-hard', '--diff']);
    expect(r.out).toContain('State 1: FillBigJug\n* /\\ big = 5\n\nState 2');
  });

  it('--property picks properties (by full name or unambiguous prefix)', async () => {
    const r = await daxmc(['check', 'die-hard', '--property', 'TypeOK', '--config', 'goal']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  checked     1 invariant, 0 witnesses, no deadlock check\n');
    const nd = await daxmc(['check', 'die-hard', '--property', 'NotSolved: big /= 4']);
    expect(nd.code).toBe(12);
  });

  it('--all keeps searching after the first failure', async () => {
    const r = await daxmc(['check', 'die-hard', '--all']);
    expect(r.code).toBe(12);
    expect(r.out).toContain('  witness    "the big jug holds 4 gallons" after 6 steps');
  });

  it('--dfs searches depth-first', async () => {
    const r = await daxmc(['check', 'die-hard', '--dfs']);
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toMatch(/\(DFS: not necessarily shortest\)$/);
  });

  it('--path replays an action path instead of searching', async () => {
    const fail = await daxmc(['check', 'die-hard', '--path', '0/1/5/2/5/1/5']);
    expect(fail.code).toBe(12);
    expect(fail.out.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (along the given --path)');
    const pass = await daxmc(['check', 'die-hard', '--path', '0/1/5']);
    expect(pass.code).toBe(0);
    expect(pass.out.split('\n')[0]).toBe('PASS  the path replays; 2 properties hold in each of its 3 states');
    const bad = await daxmc(['check', 'test/locks', '--path', '0/1'], { specs: [locksDefinition] });
    expect(bad.code).toBe(ExitCode.traceFile);
    expect(bad.err).toBe('daxmc: step 1: T1: lock B is not enabled in state 0; the trace belongs to another spec or configuration, or the spec is nondeterministic\n');
  });

  it('progress: on a terminal, one redrawn line on stderr, cleared at the end', async () => {
    const r = await daxmc(['check', 'two-phase', '--config', 'rm5'], { isTTY: true });
    expect(r.code).toBe(0);
    expect(r.err).toContain('\r\x1b[KProgress: 8,832 distinct, 58,146 generated, depth 17, 0 queued, ');
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(r.err).not.toContain('\n');
  });
});

describe('daxmc check --out', () => {
  it('writes exactly the five trace files, and no temporary file remains', async () => {
    const dir = join(tempDir(), 'out');
    const r = await daxmc(['check', 'die-hard', '--out', dir]);
    expect(r.code).toBe(12);
    expect(readdirSync(dir).sort()).toEqual(['die-hard-goal.dot', 'die-hard-goal.itf.json', 'die-hard-goal.mmd', 'die-hard-goal.svg', 'die-hard-goal.txt']);
    expect(r.err).toBe(`daxmc: wrote ${['itf.json', 'txt', 'mmd', 'dot', 'svg'].map((e) => join(dir, `die-hard-goal.${e}`)).join(', ')}\n`);
    expect(r.out).toContain(`  daxmc replay ${join(dir, 'die-hard-goal.itf.json')}\n`);
    const txt = readFileSync(join(dir, 'die-hard-goal.txt'), 'utf8');
    expect(txt).not.toContain('  time ');
    expect(txt.split('\n')[0]).toBe('FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (BFS: shortest)');
    expect(readFileSync(join(dir, 'die-hard-goal.mmd'), 'utf8').startsWith('sequenceDiagram\n')).toBe(true);
    expect(readFileSync(join(dir, 'die-hard-goal.dot'), 'utf8').startsWith('digraph ')).toBe(true);
    expect(readFileSync(join(dir, 'die-hard-goal.svg'), 'utf8').startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);

    const again = await daxmc(['replay', join(dir, 'die-hard-goal.itf.json')]);
    expect(again.code).toBe(12);
    expect(again.out.split('\n')[0]).toBe(`FAIL  invariant "NotSolved: big /= 4" violated after 6 steps (replayed from ${join(dir, 'die-hard-goal.itf.json')})`);
  });

  it('names files after the spec id with / replaced, relative to the working directory', async () => {
    const cwd = tempDir();
    const r = await daxmc(['check', 'test/locks', '--out', 'traces-here'], { specs: [locksDefinition], cwd });
    expect(r.code).toBe(11);
    expect(readdirSync(join(cwd, 'traces-here')).sort()).toEqual(['test_locks-two.dot', 'test_locks-two.itf.json', 'test_locks-two.mmd', 'test_locks-two.svg', 'test_locks-two.txt']);
    expect(r.out).toContain('  daxmc replay traces-here/test_locks-two.itf.json\n');
  });

  it('writes nothing when there is no trace', async () => {
    const dir = join(tempDir(), 'out');
    const r = await daxmc(['check', 'two-phase', '--out', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('daxmc replay', () => {
  async function writeTrace(): Promise<string> {
    const dir = tempDir();
    const r = await daxmc(['check', 'die-hard', '--out', dir]);
    expect(r.code).toBe(12);
    return join(dir, 'die-hard-goal.itf.json');
  }

  it('re-writes the same ITF, and draws it', async () => {
    const file = await writeTrace();
    const itf = await daxmc(['replay', file, '--format', 'itf']);
    expect(itf.code).toBe(12);
    expect(itf.out).toBe(readFileSync(file, 'utf8'));
    const mmd = await daxmc(['replay', file, '--format', 'mermaid']);
    expect(mmd.out).toBe(readFileSync(file.replace('.itf.json', '.mmd'), 'utf8'));
    const svg = await daxmc(['replay', file, '--format', 'svg']);
    expect(svg.code).toBe(12);
    expect(svg.out).toBe(readFileSync(file.replace('.itf.json', '.svg'), 'utf8'));
    const json = JSON.parse((await daxmc(['replay', file, '--format', 'json'])).out);
    expect(json).toMatchObject({ schema: 'daxmc.replay/1', spec: 'die-hard', config: 'goal', kind: 'invariant', exitCode: 12, length: 6 });
  });

  it('a deadlock trace replays with exit 11', async () => {
    const dir = tempDir();
    await daxmc(['check', 'test/locks', '--out', dir], { specs: [locksDefinition] });
    const r = await daxmc(['replay', join(dir, 'test_locks-two.itf.json')], { specs: [locksDefinition] });
    expect(r.code).toBe(11);
    expect(r.out).toContain('Diagnosis: deadlock: T1 waits for B, held by T2; T2 waits for A, held by T1\n');
  });
});

describe('help', () => {
  it('--help prints usage on stdout (exit 0)', async () => {
    const r = await daxmc(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: daxmc check [options] <spec>');
    expect(r.out).toContain('--max-states <n>');
  });
});

describe('spec files', () => {
  const counterSpec = (body: string): string => `
import { defineLayout, intRange } from ${JSON.stringify(LAYOUT)};
const layout = defineLayout({ n: intRange(0, 3) });
${body}
`;
  const goodBody = `
export default {
  id: 'my/counter',
  title: 'A counter',
  description: 'counts to 3',
  configs: { small: { description: 'to 3', params: { limit: 3 } } },
  defaultConfig: 'small',
  build(params) {
    return {
      name: 'counter',
      layout,
      init: [layout.encode({ n: 0 })],
      actions: [{ name: 'Inc', actor: 'worker', apply(s, t) { if (s[0] >= params.limit) return false; t[0] = s[0] + 1; return true; } }],
      properties: [{ name: 'n stays below 2', kind: 'always', holds: (s) => s[0] < 2 }],
    };
  },
};
`;

  it('checks a user spec file written in TypeScript', async () => {
    const dir = tempDir();
    const file = join(dir, 'counter.ts');
    writeFileSync(file, counterSpec(goodBody));
    const r = await daxmc(['check', file, '--out', join(dir, 'out')]);
    expect(r.err).toContain('daxmc: wrote ');
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "n stays below 2" violated after 2 steps (BFS: shortest)');
    expect(r.out).toContain('State 1: worker: Inc\n* /\\ n = 1\n');
    expect(r.out).toContain(`  daxmc check ${file} --config small --path 0/0/0\n`);
    const itf = join(dir, 'out', 'my_counter-small.itf.json');
    expect(r.out).toContain(`  daxmc replay ${itf} --spec ${file}\n`);
    const again = await daxmc(['replay', itf, '--spec', file]);
    expect(again.code).toBe(12);
    const noSpec = await daxmc(['replay', itf]);
    expect(noSpec.code).toBe(4);
    expect(noSpec.err).toBe(`daxmc: ${itf}: the trace is of spec 'my/counter', which is not built in (name its spec file with --spec)\n`);
  });
});
