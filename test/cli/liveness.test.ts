// Liveness on the command line: exit 13, the lasso in every output form (exact text as TLC
// prints it, ITF's loop, Mermaid's loop block, dot's back edge, the SVG bracket, JSON), --out
// files that replay to exit 13, --path with a loop, a lasso file that does not hold up (exit 4),
// and the options that cannot check liveness (exit 2 when asked for, a note otherwise).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxmc, tempDir } from './helpers';

const WEAK = ['check', 'simple-allocator', '--config', 'weak', '--no-deadlock'];

describe('a lasso on the command line', () => {
  it('text: the stem, the cycle, "Back to state k", the diagnosis, the replay footer; exit 13', async () => {
    const r = await daxmc([...WEAK, '--diff']);
    expect(r.code).toBe(13);
    const out = r.out.replace(/^ {2}time .*\n/m, '');
    expect(out).toBe(`FAIL  liveness "ClientsWillObtain: c1 gets r1 once it asks" violated: after 1 step, 3 steps repeated for ever (shortest stem)

  spec        simple-allocator, configuration weak
  checked     1 invariant, 0 witnesses, no deadlock check, 12 liveness properties
  states      400 distinct, 1,633 generated, depth 6, 0 queued
  collisions  calculated (optimistic): 2.7E-14
  graph       1,632 edges kept for the liveness check

State 0: <initial state>
  /\\ unsat = [c1 |-> 0, c2 |-> 0, c3 |-> 0]
  /\\ alloc = [c1 |-> 0, c2 |-> 0, c3 |-> 0]

State 1: c1: Request(c1, {r1})
* /\\ unsat = [c1 |-> 1, c2 |-> 0, c3 |-> 0]

State 2: c2: Request(c2, {r1})
* /\\ unsat = [c1 |-> 1, c2 |-> 1, c3 |-> 0]

State 3: c2: Allocate(c2, {r1})
* /\\ unsat = [c1 |-> 1, c2 |-> 0, c3 |-> 0]
* /\\ alloc = [c1 |-> 0, c2 |-> 1, c3 |-> 0]

Back to state 1: c2: Return(c2, alloc[c2])

Liveness property "ClientsWillObtain: c1 gets r1 once it asks" is violated: after 1 step, 3 steps repeated for ever.
Diagnosis: cycle: "ClientsWillObtain: c1 gets r1 once it asks" (P ~> Q) fails: states 1..3 repeat for ever (c2 takes the steps)
  WF(c1: Return(c1, alloc[c1])) is never enabled on the cycle
  WF(c2: Return(c2, alloc[c2])) takes a step on the cycle
  WF(c3: Return(c3, alloc[c3])) is never enabled on the cycle
  WF(Allocate: c1) is enabled in 2 of the 3 states of the cycle, never taken (WF allows it)
  WF(Allocate: c2) takes a step on the cycle
  WF(Allocate: c3) is never enabled on the cycle

Replay:
  daxmc check simple-allocator --config weak --path 0/0/10/11/19@1
`);
  });

  it('stuttering: "State n+1: Stuttering"', async () => {
    const r = await daxmc(['check', 'hour-clock', '--config', 'no-fairness']);
    expect(r.code).toBe(13);
    expect(r.out).toContain('State 0: <initial state #1>\n  /\\ hr = 2\n\nState 1: Stuttering\n\nLiveness property "AllTimes: hr = 1 again and again" is violated: from the initial state, nothing happens for ever (stuttering).\n');
    expect(r.out).toContain('daxmc check hour-clock --config no-fairness --path 1@0\n');
  });

  it('Mermaid wraps the cycle in a loop block; dot draws the back edge; the SVG a bracket; JSON the loop', async () => {
    const m = await daxmc([...WEAK, '--format', 'mermaid']);
    expect(m.code).toBe(13);
    expect(m.out).toContain(
      '  c1->>c1: 1. Request(c1, {r1})\n  loop repeats for ever (back to state 1)\n    c2->>c2: 2. Request(c2, {r1})\n    c2->>c2: 3. Allocate(c2, {r1})\n    c2->>c2: 4. Return(c2, alloc[c2])\n  end\n',
    );
    expect(m.out).toContain('path 0/0/10/11/19@1');
    const d = await daxmc([...WEAK, '--format', 'dot']);
    expect(d.out).toContain('  s3 -> s1 [label="c2: Return(c2, alloc[c2]) (back to state 1; repeats for ever)", color=red, fontcolor=red, penwidth=2, constraint=false];\n');
    expect(d.out).not.toContain('s4');
    const s = await daxmc([...WEAK, '--format', 'svg']);
    expect(s.out).toContain('class="loop cycle" data-back-to="1"');
    expect(s.out).toContain('back to state 1, for ever');
    const j = JSON.parse((await daxmc([...WEAK, '--format', 'json'])).out);
    expect(j.failure).toEqual({ property: 'ClientsWillObtain: c1 gets r1 once it asks', kind: 'liveness', length: 4, path: '0/0/10/11/19@1', loop: 1 });
    expect(j.exitCode).toBe(13);
    expect(j.trace.loop).toBe(1);
    expect(j.trace.states).toHaveLength(4);
    expect(j.trace['#meta'].loopAction).toEqual({ action: 'Return(c2, alloc[c2])', actor: 'c2', actionIndex: 19 });
  });

  it('--out files replay: exit 13, the same lasso', async () => {
    const dir = tempDir();
    const r = await daxmc([...WEAK, '--out', dir]);
    expect(r.code).toBe(13);
    const itf = join(dir, 'simple-allocator-weak.itf.json');
    const rep = await daxmc(['replay', itf]);
    expect(rep.code).toBe(13);
    expect(rep.out).toContain('Back to state 1: c2: Return(c2, alloc[c2])');
    expect(rep.out.split('\n')[0]).toBe(`FAIL  liveness "ClientsWillObtain: c1 gets r1 once it asks" violated: after 1 step, 3 steps repeated for ever (replayed from ${itf})`);
  });

  it('a lasso file that does not hold up is a bad trace file (exit 4), with the reason', async () => {
    const dir = tempDir();
    await daxmc([...WEAK, '--out', dir]);
    const file = join(dir, 'simple-allocator-weak.itf.json');
    const good = JSON.parse(readFileSync(file, 'utf8'));
    const write = (j: unknown): string => {
      const f = join(dir, `t${Math.random().toString(36).slice(2)}.itf.json`);
      writeFileSync(f, JSON.stringify(j));
      return f;
    };
    const wrongLoop = { ...good, loop: 2 };
    let r = await daxmc(['replay', write(wrongLoop)]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/: "loop" is 2 but "#meta".path says @1\n$/);
    // Loop back to state 0 instead: the path and the marker agree, but the cycle does not close.
    const notClosing = { ...good, loop: 0, '#meta': { ...good['#meta'], path: '0/0/10/11/19@0' } };
    r = await daxmc(['replay', write(notClosing)]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/: the last state \(4\) is not state 0 again: the cycle does not close\n$/);
    const noAction = { ...good, '#meta': { ...good['#meta'] } };
    delete noAction['#meta'].loopAction;
    r = await daxmc(['replay', write(noAction)]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/: "#meta" has no "loopAction" \(the step that closes the cycle\)\n$/);
  });

  it('--path with a loop checks the lasso: the violation, or the property holding on it', async () => {
    const r = await daxmc([...WEAK, '--path', '0/0/10/11/19@1']);
    expect(r.code).toBe(13);
    expect(r.out.split('\n')[0]).toBe('FAIL  liveness "ClientsWillObtain: c1 gets r1 once it asks" violated: after 1 step, 3 steps repeated for ever (along the given --path)');
    // Under the strong allocator the same lasso is not fair (SF(Allocate: c1) is not met).
    const strong = await daxmc(['check', 'simple-allocator', '--config', 'strong', '--no-deadlock', '--path', '0/0/10/11/19@1']);
    expect(strong.code).toBe(0);
    const open = await daxmc([...WEAK, '--path', '0/0/10/11/19@0']);
    expect(open.code).toBe(4);
    expect(open.err).toBe('daxmc: the last state (4) is not state 0 again: the cycle does not close\n');
  });
});

describe('options that cannot check liveness', () => {
  it('a liveness property named with --workers, --symmetry or --por is a usage error with the reason', async () => {
    const name = 'AllTimes: hr = 1 again and again';
    let r = await daxmc(['check', 'hour-clock', '--property', name, '--workers', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`daxmc: --property '${name}' is a liveness property, which --workers cannot check: the parallel search keeps no state graph\n`);
    r = await daxmc(['check', 'hour-clock', '--property', name, '--por']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`daxmc: --property '${name}' is a liveness property, which --por cannot check: partial-order reduction keeps safety verdicts only (it may cut the cycles a fair behaviour needs)\n`);
    r = await daxmc(['check', 'entry-lock/fix', '--config', 'four-reads', '--property', 'every fault and syscall returns', '--symmetry']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "daxmc: --property 'every fault and syscall returns' is a liveness property, which --symmetry cannot check: symmetry reduction merges states whose cycles differ (a lasso would close on a permutation of its state, not the state)\n",
    );
    // A spec without interchangeable threads: --symmetry changes nothing, so liveness is checked.
    r = await daxmc(['check', 'hour-clock', '--config', 'no-fairness', '--property', name, '--symmetry']);
    expect(r.code).toBe(13);
    r = await daxmc(['simulate', 'hour-clock', '--property', name]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`daxmc: --property '${name}' is a liveness property: a random simulation cannot check it (it needs the whole state graph; use daxmc check)\n`);
  });

  it('left out by default with a note, so the verdict says what was checked', async () => {
    const r = await daxmc(['check', 'hour-clock', '--config', 'no-fairness', '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('daxmc: spec hour-clock, configuration no-fairness: liveness properties not checked with --workers (the parallel search keeps no state graph); run without it to check them, or add --no-liveness\n');
    expect(r.out).toContain('PASS  no deadlock over 12 distinct states');
    const off = await daxmc(['check', 'hour-clock', '--config', 'no-fairness', '--no-liveness']);
    expect(off.code).toBe(0);
    expect(off.err).toBe('');
  });
});
