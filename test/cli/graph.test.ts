// `daxmc graph`: the whole state graph as dot, as TLC's -dump dot: TwoPhase rm3 has TLC's 288
// states and 1,145 transitions (TLC's 1,146 generated, the initial state included), DieHard's
// violating states are red, a DAX world's states are labelled in kernel words with its deadlock
// marked; past --max-states it refuses with the reason, exit 5, and writes nothing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStateGraph } from '../../src/trace/state-graph';
import { buildSpec } from '../../src/run';
import { builtinSpecs } from '../../specs/index';
import { daxmc, tempDir } from './helpers';

const def = (id: string) => builtinSpecs.find((d) => d.id === id)!;

describe('daxmc graph', () => {
  it("TwoPhase rm3: TLC's counts", () => {
    const { spec } = buildSpec(def('two-phase'), 'rm3');
    const g = buildStateGraph(spec, { maxStates: 1000 });
    expect(g.kind).toBe('graph');
    if (g.kind !== 'graph') return;
    expect(g.graph.nodes.length).toBe(288);
    expect(g.graph.edges.length).toBe(1145);
    expect(g.graph.nodes.filter((n) => n.initial).map((n) => n.id)).toEqual([0]);
  });

  it('DieHard: every state and transition, the violating states in red', async () => {
    const r = await daxmc(['graph', 'die-hard', '--config', 'goal']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('daxmc: 16 states, 96 transitions; 2 violate a property, 0 deadlock\n');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'digraph "die-hard, configuration goal" {',
      '  label="die-hard, configuration goal: 16 states, 96 transitions";',
      '  labelloc=t;',
      '  node [shape=box, fontname="monospace", fontsize=10];',
      '  edge [fontname="monospace", fontsize=9];',
      '  s0 [label="State 0 (initial)\\lbig = 0\\lsmall = 0\\l", style="bold"];',
    ]);
    expect(lines.filter((l) => l.includes('violates'))).toEqual([
      '  s13 [label="State 13\\lbig = 4\\lsmall = 3\\lviolates: NotSolved: big /= 4\\l", color=red, fontcolor=red, penwidth=2];',
      '  s15 [label="State 15\\lbig = 4\\lsmall = 0\\lviolates: NotSolved: big /= 4\\l", color=red, fontcolor=red, penwidth=2];',
    ]);
    expect(lines.filter((l) => l.includes(' -> '))).toHaveLength(96);
    expect(lines).toContain('  s0 -> s1 [label="FillSmallJug"];');
  });

  it('a DAX world: states in kernel words, transitions by thread and step, the deadlock marked', async () => {
    const r = await daxmc(['graph', 'v4.2/pmd', '--config', 'b4-zero-then-write']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('daxmc: 23 states, 22 transitions; 0 violate a property, 1 deadlock\n');
    expect(r.out).toContain('  s21 -> s22 [label="T1: i_mmap_lock_write"];');
    const last = r.out.split('\n').find((l) => l.startsWith('  s22 '))!;
    expect(last).toContain('State 22\\lT1 = at unmap_mapping_range: i_mmap_lock_write, queued for i_mmap_rwsem (write)\\lT1 holds = i_mmap_rwsem (read), sb_writers[PAGEFAULT] (read)\\l');
    expect(last).toMatch(/deadlock\\l", style="dashed", color=red, fontcolor=red, penwidth=2\];$/);
  });

  it('refuses past --max-states with the reason, exit 5, and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'g.dot');
    const r = await daxmc(['graph', 'two-phase', '--config', 'rm3', '--max-states', '287', '--out', out]);
    expect(r.code).toBe(5);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'daxmc: the state graph of two-phase, configuration rm3 has more than 287 states: a drawing that big cannot be read, so none was written (pick a smaller configuration, or raise --max-states)\n',
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    const big = await daxmc(['graph', 'v4.2', '--config', 'b2-read-vs-write']);
    expect(big.code).toBe(5);
    expect(big.err).toMatch(/^daxmc: the state graph of v4\.2, configuration b2-read-vs-write has more than 500 states: /);
  });

  it('--out writes the file and says so', async () => {
    const dir = tempDir();
    const out = join(dir, 'g.dot');
    const r = await daxmc(['graph', 'two-phase', '--config', 'rm3', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe(`daxmc: wrote ${out} (288 states, 1,145 transitions; 0 violate a property, 0 deadlock)\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^digraph "two-phase, configuration rm3" \{\n/);
  });
});
