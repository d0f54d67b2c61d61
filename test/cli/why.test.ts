// `daxmc why` in-process: a holds claim's load-bearing analysis as text and JSON, a found claim's
// fix, one mutant's counterexample written as files that `daxmc replay` replays with the same code
// change, a spec file's own claims, and the usage errors (one line, exit 2).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxmc, tempDir } from './helpers';

const INDEX = join(__dirname, '..', '..', 'src', 'index.ts');

// Two threads around one mutex, with a property that reads their program positions.
const MUTEX_SPEC = `import { Status, World, compile, fn, step, type Claim, type PropertyMaker, type SpecDefinition } from ${JSON.stringify(INDEX)};
const exclusive: PropertyMaker = (c) => ({
  name: 'one thread in the critical section',
  kind: 'always',
  holds: (s) => {
    let n = 0;
    for (let t = 0; t < c.world.threads.length; t++) {
      const b = c.off.thread + t * c.off.threadWidth;
      if (s[b + 1] === Status.code.running && c.programs[t][s[b]].label === 'critical') n++;
    }
    return n < 2;
  },
});
const mutex: SpecDefinition = {
  id: 'mutex', title: 'a mutex', description: 'two threads, one critical section',
  configs: { two: { description: 'two threads', params: {} } },
  defaultConfig: 'two',
  build() {
    const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
    const M = w.mutex('M');
    const path = fn('enter', [step('mutex_lock(M)', (k) => k.lock(M)), step('critical', () => undefined), step('mutex_unlock(M)', (k) => k.unlock(M))]);
    w.thread('T1', { process: 'P1', path });
    w.thread('T2', { process: 'P1', path });
    return compile(w, 'mutex', [exclusive]).spec;
  },
};
export default mutex;
export const claims: Claim[] = [
  { id: 'mutex/excl', scheme: 'mutex', item: 'ME', grade: 'D', spec: 'mutex', config: 'two', property: 'one thread in the critical section', expect: 'holds', distinct: 12, about: ['M'], note: 'mutual exclusion' },
];
`;

describe('daxmc why', () => {
  it("prints a holds claim's load-bearing and redundant mechanisms (exit 0)", async () => {
    const r = await daxmc(['why', 'dax-sem/B11-2t']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'claim dax-sem/B11-2t (B11 [S]): "no block is allocated past EOF" holds on dax-sem, configuration b11-truncate',
        'about: dax_sem',
        "the claim's search: holds over 574 states; 17 mechanisms met, each taken away in turn (one mutant each, checked at the same configuration and property)",
        '',
        'load-bearing (the property fails without it): 4',
        '  fails: 43 steps                                                            drop dax_sem(read) in ext2_dax_fault',
        '  fails: 43 steps                                                            drop the i_size check at __dax_fault: check_size (under sb_writers[PAGEFAULT], dax_sem)',
        '  fails: 43 steps                                                            drop dax_sem(write) in ext2_setsize',
        '  fails: 52 steps, after BUG: __ext2_truncate_blocks without truncate_mutex  drop truncate_mutex in __ext2_truncate_blocks',
        '',
        'redundant at these bounds (it still holds without it): 13',
        '  holds, 574 states                                                          drop sb_start_pagefault in ext2_dax_fault',
        '  holds, 546 states                                                          swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_fault',
        '  holds, 574 states                                                          drop truncate_mutex in ext2_get_block(create)',
        '  holds, 574 states                                                          drop i_mmap_rwsem(read) in dax_insert_mapping',
        '  holds, 574 states                                                          drop the i_size check at dax_insert_mapping: check_size (under i_mmap_rwsem, sb_writers[PAGEFAULT], dax_sem)',
        '  holds, 574 states                                                          drop sb_start_pagefault in ext2_dax_pfn_mkwrite',
        '  holds, 545 states                                                          swap sb_start_pagefault and down_read(dax_sem) in ext2_dax_pfn_mkwrite',
        '  holds, 749 states                                                          drop dax_sem(read) in ext2_dax_pfn_mkwrite',
        '  holds, 571 states                                                          drop the i_size check at ext2_dax_pfn_mkwrite: check_size (under sb_writers[PAGEFAULT], dax_sem)',
        '  holds, 574 states                                                          drop sb_start_write in truncate',
        '  holds, 574 states                                                          swap sb_start_write and mutex_lock(i_mutex) in truncate',
        '  holds, 574 states                                                          drop i_mutex in truncate',
        '  holds, 574 states                                                          drop i_mmap_rwsem(write) in unmap_mapping_range',
        '',
        "A mutant's shortest counterexample: daxmc why dax-sem/B11-2t --mutant 'drop dax_sem(read) in ext2_dax_fault' (--format itf --out DIR writes a file daxmc replay replays).",
        '',
      ].join('\n'),
    );
  });

  it('flags a claim that rests on none of what it is about, and gives the analysis as JSON', async () => {
    const r = await daxmc(['why', 'dax-sem/C3-1-3t2i', '--only', 'dax_sem', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({
      schema: 'daxmc.why/1',
      claim: 'dax-sem/C3-1-3t2i',
      spec: 'dax-sem',
      config: 'truncate-3t2i',
      about: ['dax_sem'],
      baseline: { verdict: 'pass', distinct: 78664 },
      loadBearing: [],
      unsettled: [],
      errors: [],
      flag: "rests on none of what it is about (dax_sem): it still holds with 'drop dax_sem(read) in ext2_dax_fault', 'drop dax_sem(read) in ext2_dax_pfn_mkwrite', 'drop dax_sem(read) in ext2_dax_mkwrite', 'drop dax_sem(write) in ext2_setsize'",
    });
    expect((j.redundant as { mechanism: string }[]).map((x) => x.mechanism)).toEqual([
      'drop dax_sem(read) in ext2_dax_fault',
      'drop dax_sem(read) in ext2_dax_pfn_mkwrite',
      'drop dax_sem(read) in ext2_dax_mkwrite',
      'drop dax_sem(write) in ext2_setsize',
    ]);
  });

  it("checks a found claim's fix", async () => {
    const r = await daxmc(['why', 'v4.2/B12']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('claim v4.2/B12 (B12 [S]): "no lock misuse" is found, 13 steps on v4.3, configuration b12-cow\nfixed by v4.3/cow-fix: holds over 17 states at b12-cow\n');
    const none = await daxmc(['why', 'v4.2/B1']);
    expect(none.out).toBe('claim v4.2/B1 (B1 [S]): "no store is lost" is found, 44 steps on v4.2, configuration b1-two-writers\nthe claim names no fixed variant (Claim.fix): nothing to check\n');
  });

  it("writes one mutant's counterexample, which daxmc replay replays with the same code change", async () => {
    const dir = tempDir();
    const r = await daxmc(['why', 'dax-sem/B11-2t', '--mutant', 'drop dax_sem(write) in ext2_setsize', '--format', 'itf', '--out', dir]);
    expect(r.code).toBe(12);
    const itf = join(dir, 'dax-sem_B11-2t-mutant.itf.json');
    expect(r.err).toBe(`wrote ${itf}, ${join(dir, 'dax-sem_B11-2t-mutant.txt')}, ${join(dir, 'dax-sem_B11-2t-mutant.svg')} (daxmc replay ${itf} replays it with the same code change)\n`);
    expect(r.out).toBe(readFileSync(itf, 'utf8'));
    const meta = (JSON.parse(r.out) as { '#meta': Record<string, unknown> })['#meta'];
    expect(meta.mutant).toEqual({ kind: 'drop-lock', lock: 'dax_sem', mode: 'write', fn: 'ext2_setsize' });
    const text = readFileSync(join(dir, 'dax-sem_B11-2t-mutant.txt'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual([
      `FAIL  invariant "no block is allocated past EOF" violated after 43 steps (replayed from ${itf})`,
      '',
      'a mutant of dax-sem: drop dax_sem(write) in ext2_setsize (daxmc why)',
    ]);
    // The footer gives no `check --path` (it would replay without the change), only the file.
    expect(text.endsWith(`Replay:\n  daxmc replay ${itf}\n`)).toBe(true);
    const replayed = await daxmc(['replay', itf]);
    expect(replayed.code).toBe(12);
    expect(replayed.out.split('\n')[2]).toBe('a mutant of dax-sem: drop dax_sem(write) in ext2_setsize (daxmc why)');
    // Without the change the path does not replay: the trace is the mutant's.
    const plain = JSON.parse(r.out) as { '#meta': Record<string, unknown> };
    delete plain['#meta'].mutant;
    writeFileSync(join(dir, 'plain.itf.json'), JSON.stringify(plain));
    expect((await daxmc(['replay', join(dir, 'plain.itf.json')])).code).toBe(4);
    // A mutation that names nothing in the spec is a bad trace file.
    const bad = JSON.parse(r.out) as { '#meta': Record<string, unknown> };
    bad['#meta'].mutant = { kind: 'drop-lock', lock: 'no_such_lock', mode: 'write', fn: 'ext2_setsize' };
    writeFileSync(join(dir, 'bad.itf.json'), JSON.stringify(bad));
    const b = await daxmc(['replay', join(dir, 'bad.itf.json')]);
    expect(b.code).toBe(4);
    expect(b.err).toMatch(/^daxmc: .*bad\.itf\.json: "#meta"\.mutant: the mutation names the lock 'no_such_lock', which this world does not declare/);
    bad['#meta'].mutant = 'drop everything';
    writeFileSync(join(dir, 'bad.itf.json'), JSON.stringify(bad));
    expect((await daxmc(['replay', join(dir, 'bad.itf.json')])).err).toMatch(/"#meta"\.mutant must be an object of strings with a "kind"/);
  });

  it('says when a mutant still holds, and when a limit cut it (exit 5)', async () => {
    const holds = await daxmc(['why', 'dax-sem/B11-2t', '--mutant', 'drop i_mutex in truncate']);
    expect(holds.code).toBe(0);
    expect(holds.out).toBe('drop i_mutex in truncate: "no block is allocated past EOF" still holds without it, over 574 states: redundant at these bounds\n');
    const cut = await daxmc(['why', 'dax-sem/B11-2t', '--mutant', 'drop dax_sem(write) in ext2_setsize', '--max-states', '50']);
    expect(cut.code).toBe(5);
    expect(cut.out).toBe('drop dax_sem(write) in ext2_setsize: unsettled: reached --max-states 50 before a violation was found (INCOMPLETE)\n');
  });

  it("analyses a spec file's own claims", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mutex.ts'), MUTEX_SPEC);
    const r = await daxmc(['why', './mutex.ts', 'mutex/excl'], { cwd: dir });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'claim mutex/excl (ME [D]): "one thread in the critical section" holds on mutex, configuration two',
        'about: M',
        "the claim's search: holds over 12 states; 1 mechanism met, each taken away in turn (one mutant each, checked at the same configuration and property)",
        '',
        'load-bearing (the property fails without it): 1',
        '  fails: 2 steps  drop M in enter',
        '',
        'redundant at these bounds (it still holds without it): none',
        '',
        "A mutant's shortest counterexample: daxmc why ./mutex.ts mutex/excl --mutant 'drop M in enter' (--format itf --out DIR writes a file daxmc replay replays).",
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const m = await daxmc(['why', './mutex.ts', 'mutex/excl', '--mutant', 'drop M in enter', '--out', out], { cwd: dir });
    expect(m.code).toBe(12);
    expect(existsSync(join(out, 'mutex_excl-mutant.itf.json'))).toBe(true);
    const replayed = await daxmc(['replay', join(out, 'mutex_excl-mutant.itf.json'), '--spec', './mutex.ts'], { cwd: dir });
    expect(replayed.code).toBe(12);
    expect(replayed.out).toContain('a mutant of mutex: drop M in enter (daxmc why)');
  });

  it('refuses what it cannot do with a one-line usage error (exit 2)', async () => {
    const cases: [string[], string][] = [
      [['why', 'nope/nothing'], "daxmc: no claim 'nope/nothing' (daxmc report --format json lists them)\n"],
      [['why', 'v4.2/B12', '--mutant', 'x'], 'daxmc: claim v4.2/B12 expects a counterexample: the load-bearing analysis (--mutant, --only) is for "holds" claims; daxmc why v4.2/B12 checks its fix\n'],
      [['why', 'dax-sem/B11-2t', '--format', 'itf'], 'daxmc: --format itf is a trace format: it needs --mutant\n'],
      [['why', 'dax-sem/B11-2t', '--mutant', 'x', '--format', 'json'], 'daxmc: --format json with --mutant: the trace formats are text, itf, mermaid, svg\n'],
      [['why', 'dax-sem/B11-2t', '--out', '/tmp/x'], "daxmc: --out writes a mutant's trace files: it needs --mutant\n"],
      [['why', 'dax-sem/B11-2t', '--mutant', 'drop everything'], "daxmc: claim dax-sem/B11-2t's search meets no mechanism 'drop everything' (daxmc why dax-sem/B11-2t lists those it meets)\n"],
    ];
    for (const [args, err] of cases) {
      const r = await daxmc(args);
      expect(r.err, args.join(' ')).toBe(err);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
    }
  });
});
