// The SVG lane diagram and lock-order graph: exact lanes, boxes, held-lock bars, arrows and the
// highlighted problem for small traces (the v4.2 PMD self-deadlock, a tiny AB-BA world, a stale
// huge zero page, a lock misuse), checked on the model and on the parsed SVG; well-formed XML,
// escaped text, byte-identical output; `daxmc check --format svg` and `--out`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrderedMap } from 'immutable';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { compile } from '../../src/model/compile';
import { fn, step } from '../../src/model/paths';
import { World } from '../../src/model/world';
import { laneModel, processesFromParams, processesOf, splitActionName, waitsOf } from '../../src/render/svg-lane-model';
import { renderLaneSvg } from '../../src/render/svg-lanes';
import { cycleText, lockOrderData, renderLockOrderSvg } from '../../src/render/svg-lock-order';
import { fit, num, xmlEscape } from '../../src/render/svg-xml';
import { run } from '../../src/run';
import { replay, type Trace } from '../../src/trace/trace';
import { builtinSpecs } from '../../specs/index';
import { daxmc, tempDir } from '../cli/helpers';
import { byClass, findAll, parseXml, textOf, titleOf } from './svg-wellformed';

function def(id: string) {
  const d = builtinSpecs.find((s) => s.id === id);
  if (!d) throw new Error(`no spec ${id}`);
  return d;
}

async function claimTrace(id: string, config: string, property: string) {
  const out = await run(def(id), { config, check: { properties: [property], deadlock: property === 'deadlock' } });
  if (!out.trace) throw new Error(`${id} ${config}: no counterexample`);
  return out;
}

/** Two threads take A and B in opposite orders; T1 runs in process P1, T2 in P2. */
async function abba() {
  const w = new World({ indices: 1, blocks: 1, processes: ['P1', 'P2'], iSize: 1 });
  const A = w.mutex('A');
  const B = w.mutex('B');
  const path = (x: typeof A, y: typeof A, name: string) =>
    fn(name, [
      step(`lock ${x.name}`, (k) => k.lock(x)),
      step(`lock ${y.name}`, (k) => k.lock(y)),
      step(`unlock ${y.name}`, (k) => k.unlock(y)),
      step(`unlock ${x.name}`, (k) => k.unlock(x)),
    ]);
  w.thread('T1', { process: 'P1', path: path(A, B, 'ab') });
  w.thread('T2', { process: 'P2', path: path(B, A, 'ba') });
  const { spec } = compile(w, 'abba');
  const r = await check(spec, {});
  const trace = replay(spec, r.failure!.path, { specId: 'test/abba', config: 'two', kind: r.failure!.kind, property: r.failure!.property });
  return { r, trace };
}

describe('svg-xml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape(`a<b & "c" 'd'>\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
  });
  it('prints coordinates with at most two decimals and never -0', () => {
    expect([num(1.005), num(-0.001), num(12), num(3.14159)]).toEqual(['1', '0', '12', '3.14']);
  });
  it('fits text with an ellipsis', () => {
    expect(fit('abcdefghij', 40, 11)).toBe('abcde\u2026');
    expect(fit('abc', 100, 11)).toBe('abc');
  });
  it('the well-formedness check rejects broken XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/repeated/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/entity/);
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(parseXml('<?xml version="1.0"?>\n<a k="&lt;&amp;">t&#65;</a>\n')).toEqual({ name: 'a', attrs: { k: '<&' }, children: ['tA'] });
  });
});

describe('lane model pieces', () => {
  it('splits "chain > chain: step" into the innermost function and the step', () => {
    expect(splitActionName('pmd load > ext4_dax_pmd_fault > __dax_pmd_fault: get_block')).toEqual({
      fn: '__dax_pmd_fault',
      step: 'get_block',
      chain: ['pmd load', 'ext4_dax_pmd_fault', '__dax_pmd_fault'],
    });
    expect(splitActionName('FillBigJug')).toEqual({ fn: '', step: 'FillBigJug', chain: [] });
  });

  it('reads who waits for what from a diagnosis, details first, then the summary', () => {
    expect(
      waitsOf({
        kind: 'deadlock',
        summary: 'wait-for cycle: T1 waits for B; T2 waits for the page lock of H1',
        details: ['T1 at ab: lock B waits for B, held by T2', 'T2 at ba: lock_page waits for the page lock of H1, held by T1 and T3, which has returned', 'T1 holds A'],
        actors: ['T1', 'T2'],
      }),
    ).toEqual([
      { actor: 'T1', what: 'B', holders: ['T2'] },
      { actor: 'T2', what: 'the page lock of H1', holders: ['T1', 'T3'] },
    ]);
    expect(waitsOf({ kind: 'self-deadlock', summary: 'T1 waits for X (write), which it holds itself', details: [] })).toEqual([{ actor: 'T1', what: 'X (write)', holders: ['T1'] }]);
  });

  it('takes the process of each thread from a DAX configuration', () => {
    expect(processesFromParams({ config: { threads: [{ name: 'T1', process: 'P1' }, { name: 'T2', process: 'P2' }] } })).toEqual({ T1: 'P1', T2: 'P2' });
    expect(processesFromParams({ threads: [{ name: 'T1', process: 'P1' }] })).toEqual({ T1: 'P1' });
    expect(processesFromParams({ rms: 3 })).toBeUndefined();
    // A truncate maps nothing and has no process: it stays ungrouped, the others are grouped.
    expect(processesFromParams({ threads: [{ name: 'T1', process: 'P1' }, { name: 'T5', role: 'truncate' }] })).toEqual({ T1: 'P1' });
  });
});

describe('lane diagram of the v4.2 PMD self-deadlock (v4.2/pmd b4-zero-then-write)', () => {
  let trace: Trace;
  let svg: string;
  beforeAll(async () => {
    trace = (await claimTrace('v4.2/pmd', 'b4-zero-then-write', 'deadlock')).trace!;
    svg = renderLaneSvg(trace);
  });

  it('one lane, in process P1, involved in the problem', () => {
    const m = laneModel(trace);
    expect(m.lanes).toEqual([{ name: 'T1', process: 'P1', involved: true }]);
    expect(m.groups).toEqual([{ process: 'P1', lanes: ['T1'] }]);
    expect(m.subtitle).toBe(`self-deadlock after 22 steps; path ${[trace.path.init, ...trace.path.actions].join('/')}`);
  });

  it('one box per step: the innermost function and the step', () => {
    const m = laneModel(trace);
    expect(m.rows.map((r) => `${r.index} ${r.fn}: ${r.step}`)).toEqual([
      '1 pmd load: access',
      '2 vmf: set_flags',
      '3 ext4_dax_pmd_fault: sb_start_pagefault',
      '4 __dax_pmd_fault: check_fallback',
      '5 __dax_pmd_fault: get_block',
      '6 __dax_pmd_fault: i_mmap_lock_read',
      '7 __dax_pmd_fault: check_extent',
      '8 __dax_pmd_fault: is_huge_zero_pmd?',
      '9 __dax_pmd_fault: hole?',
      '10 __dax_pmd_fault: i_mmap_unlock_read',
      '11 __dax_pmd_fault: complete_unwritten',
      '12 ext4_dax_pmd_fault: sb_end_pagefault',
      '13 pmd load: fallback',
      '14 pmd store: access',
      '15 vmf: set_flags',
      '16 ext4_dax_pmd_fault: sb_start_pagefault',
      '17 __dax_pmd_fault: check_fallback',
      '18 __dax_pmd_fault: get_block',
      '19 __dax_pmd_fault: i_mmap_lock_read',
      '20 __dax_pmd_fault: check_extent',
      '21 __dax_pmd_fault: is_huge_zero_pmd?',
      '22 unmap_mapping_range: i_mmap_lock_write',
    ]);
    expect(m.rows.every((r) => r.lane === 'T1')).toBe(true);
    expect(m.rows[21].events).toEqual([{ kind: 'wait', noteKind: 'wait', text: 'queues for i_mmap_rwsem (write)', lock: 'i_mmap_rwsem' }]);
  });

  it('held locks as bars from acquire to release; the one it waits for is highlighted', () => {
    const m = laneModel(trace);
    expect(m.bars).toEqual([
      { lane: 'T1', lock: 'i_mmap_rwsem', cls: 'i_mmap_rwsem', label: 'i_mmap_rwsem', mode: 'read', from: 5, to: 9, slot: 0, highlighted: false },
      { lane: 'T1', lock: 'sb_writers[PAGEFAULT]', cls: 'sb_writers[PAGEFAULT]', label: 'sb_writers[PAGEFAULT]', mode: 'read', from: 15, to: null, slot: 0, highlighted: false },
      { lane: 'T1', lock: 'i_mmap_rwsem', cls: 'i_mmap_rwsem', label: 'i_mmap_rwsem', mode: 'read', from: 18, to: null, slot: 1, highlighted: true },
    ]);
    expect(m.locks).toEqual(['i_mmap_rwsem', 'sb_writers[PAGEFAULT]']);
    expect(m.classes).toEqual(['i_mmap_rwsem', 'sb_writers[PAGEFAULT]']);
  });

  it('the queueing and the wait-for cycle point at the read hold of the same thread', () => {
    const m = laneModel(trace);
    expect(m.arrows).toEqual([
      { kind: 'block', from: 'T1', to: 'T1', row: 21, label: 'waits: queues for i_mmap_rwsem (write)', bar: 2 },
      { kind: 'cycle', from: 'T1', to: 'T1', row: 22, label: 'waits for i_mmap_rwsem (write)', bar: 2 },
    ]);
    expect(m.final).toEqual([{ lane: 'T1', text: 'waits for i_mmap_rwsem (write)', tone: 'problem' }]);
    expect(m.problem[0]).toBe('self-deadlock: T1 waits for i_mmap_rwsem (write), which it holds itself');
  });

  it('the SVG is well-formed and draws exactly those lanes, boxes, bars and the highlighted cycle', () => {
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(byClass(root, 'group').map((g) => g.attrs['data-process'])).toEqual(['P1']);
    expect(byClass(root, 'lane').map((l) => [l.attrs['data-lane'], l.attrs.class])).toEqual([['T1', 'lane problem']]);
    // Runs of three or more quiet steps (no lock or data event) are one box.
    const boxes = byClass(root, 'step');
    expect(boxes.map((b) => `${b.attrs['data-step']}${b.attrs.class === 'step' ? '' : ` ${b.attrs.class}`}`)).toEqual([
      '1-5 step quiet', '6', '7', '8', '9', '10', '11-15 step quiet', '16', '17', '18', '19', '20', '21', '22',
    ]);
    expect((titleOf(boxes[0]) ?? '').split('\n').map((l) => l.replace(/ > .* > /, ' ... '))).toEqual([
      '1. T1: pmd load, then pmd store > pmd load: access',
      '2. T1: pmd load, then pmd store ... vmf: set_flags',
      '3. T1: pmd load, then pmd store ... ext4_dax_pmd_fault: sb_start_pagefault',
      '4. T1: pmd load, then pmd store ... __dax_pmd_fault: check_fallback',
      '5. T1: pmd load, then pmd store ... __dax_pmd_fault: get_block',
    ]);
    expect(findAll(boxes[0], (e) => e.name === 'text').map(textOf)).toEqual([
      '5 steps without lock or data events',
      'pmd load: access \u00b7 vmf: set_flags \u00b7 ext4_dax_pmd_fault: sb_start_pagefault \u00b7',
      '__dax_pmd_fault: check_fallback, get_block',
    ]);
    expect(titleOf(boxes[1])).toBe('6. T1: pmd load, then pmd store > pmd load > ext4_dax_pmd_fault > __dax_pmd_fault: i_mmap_lock_read');
    expect(textOf(boxes[1])).toContain('__dax_pmd_fault');
    expect(textOf(boxes[1])).toContain('+ i_mmap_rwsem (read)');
    expect(byClass(root, 'bar').map((b) => [b.attrs['data-lock'], b.attrs.class])).toEqual([
      ['i_mmap_rwsem', 'bar held-read'],
      ['sb_writers[PAGEFAULT]', 'bar held-read'],
      ['i_mmap_rwsem', 'bar held-read problem'],
    ]);
    expect(titleOf(byClass(root, 'bar', 'problem')[0])).toBe('T1 holds i_mmap_rwsem (read) from step 19 to the end');
    const cycle = byClass(root, 'arrow', 'cycle');
    expect(cycle.map((a) => [a.attrs['data-from'], a.attrs['data-to'], a.attrs['data-step']])).toEqual([['T1', 'T1', 'final']]);
    expect(titleOf(cycle[0])).toBe('T1 waits for i_mmap_rwsem (write), which it holds itself');
    expect(byClass(root, 'final', 'problem').map((f) => f.attrs['data-lane'])).toEqual(['T1']);
    expect(textOf(byClass(root, 'problem-box')[0])).toContain('self-deadlock: T1 waits for i_mmap_rwsem (write), which it holds itself');
  });

  it('is byte-identical run to run', async () => {
    const again = (await claimTrace('v4.2/pmd', 'b4-zero-then-write', 'deadlock')).trace!;
    expect(renderLaneSvg(again)).toBe(svg);
  });
});

describe('lane diagram of an AB-BA deadlock (a tiny world)', () => {
  it('two lanes, a box per step, both held locks highlighted, the cycle as two red arrows', async () => {
    const { trace } = await abba();
    const m = laneModel(trace);
    // Neither thread maps anything, so the trace alone cannot tell their processes: ungrouped.
    expect(m.groups).toBeNull();
    expect(m.lanes).toEqual([
      { name: 'T1', involved: true },
      { name: 'T2', involved: true },
    ]);
    expect(m.rows.map((r) => [r.index, r.lane, r.fn, r.step, r.events.map((e) => `${e.kind} ${e.text}`)])).toEqual([
      [1, 'T1', 'ab', 'lock A', ['acquire A']],
      [2, 'T2', 'ba', 'lock B', ['acquire B']],
    ]);
    expect(m.bars).toEqual([
      { lane: 'T1', lock: 'A', cls: 'A', label: 'A', mode: 'exclusive', from: 0, to: null, slot: 0, highlighted: true },
      { lane: 'T2', lock: 'B', cls: 'B', label: 'B', mode: 'exclusive', from: 1, to: null, slot: 0, highlighted: true },
    ]);
    expect(m.arrows).toEqual([
      { kind: 'cycle', from: 'T1', to: 'T2', row: 2, label: 'waits for B', bar: 1 },
      { kind: 'cycle', from: 'T2', to: 'T1', row: 2, label: 'waits for A', bar: 0 },
    ]);

    const root = parseXml(renderLaneSvg(trace));
    expect(byClass(root, 'lane', 'problem').map((l) => l.attrs['data-lane'])).toEqual(['T1', 'T2']);
    expect(byClass(root, 'step').map((b) => `${b.attrs['data-step']} ${b.attrs['data-lane']} ${titleOf(b)}`)).toEqual(['1 T1 1. T1: ab: lock A', '2 T2 2. T2: ba: lock B']);
    expect(byClass(root, 'bar', 'problem').map((b) => `${b.attrs['data-lane']} ${b.attrs['data-lock']}`)).toEqual(['T1 A', 'T2 B']);
    expect(byClass(root, 'arrow', 'cycle').map((a) => titleOf(a))).toEqual(['T1 waits for B, held by T2', 'T2 waits for A, held by T1']);
    expect(byClass(root, 'group')).toEqual([]);
  });

  it('groups lanes by process when the configuration says', async () => {
    const { trace } = await abba();
    const m = laneModel(trace, { processOf: { T1: 'P1', T2: 'P2' } });
    expect(m.groups).toEqual([
      { process: 'P1', lanes: ['T1'] },
      { process: 'P2', lanes: ['T2'] },
    ]);
    const root = parseXml(renderLaneSvg(trace, { processOf: { T1: 'P1', T2: 'P2' } }));
    expect(byClass(root, 'group').map((g) => g.attrs['data-process'])).toEqual(['P1', 'P2']);
  });

  it('the lock-order graph highlights the A/B cycle', async () => {
    const { r } = await abba();
    const d = lockOrderData(r.analyses)!;
    expect(d.cycles.map((c) => cycleText(d, c))).toEqual(['W(A) \u2192 W(B) \u2192 W(A)']);
    const root = parseXml(renderLockOrderSvg(d));
    expect(byClass(root, 'node').map((n) => [n.attrs['data-lock'], n.attrs.class])).toEqual([
      ['A', 'node cycle'],
      ['B', 'node cycle'],
    ]);
    expect(byClass(root, 'edge').map((e) => [e.attrs['data-from'], e.attrs['data-to'], e.attrs.class])).toEqual([
      ['A', 'B', 'edge cycle'],
      ['B', 'A', 'edge cycle'],
    ]);
    expect(byClass(root, 'cycle-text').map(textOf)).toEqual(['cycle 1: W(A) \u2192 W(B) \u2192 W(A)cycle 1: W(A) \u2192 W(B) \u2192 W(A)']);
  });
});

describe('lane diagram of invariant violations', () => {
  it('a stale huge zero page (v4.2/pmd b5-two-processes): processes told from the map notes, the stale PTEs in red', async () => {
    const out = await claimTrace('v4.2/pmd', 'b5-two-processes', 'no stale hole page');
    const t = out.trace!;
    expect(processesOf(t).of).toEqual(new Map([['T1', 'P1'], ['T2', 'P2']]));
    const m = laneModel(t);
    expect(m.groups).toEqual([
      { process: 'P1', lanes: ['T1'] },
      { process: 'P2', lanes: ['T2'] },
    ]);
    expect(m.rows[m.rows.length - 1]).toMatchObject({ index: 25, lane: 'T2', problem: true });
    expect(m.pages?.rows.map((r) => [r.name, r.cells.map((c) => `${c.text}${c.stale ? ' STALE' : ''}`)])).toEqual([
      ['block map', ['written B1', 'written B2']],
      ['data', ['zeroes', 'zeroes']],
      ['radix slot', ['empty', 'empty']],
      ['PTE P1', ['huge-zero STALE', 'huge-zero STALE']],
      ['PTE P2', ['pmd-pfn B1', 'pmd-pfn B2']],
    ]);
    // The property explains itself: the allocation under the zero page is the cause, not the
    // step after which every fault had returned and the check first failed.
    expect(m.cause).toBe(16);
    expect(m.problem).toEqual([
      'invariant "no stale hole page" violated in state 25, caused by step 16',
      'index 1 has B2 (zeroes), allocated by T2 at __dax_pmd_fault: get_block (step 16)',
      "P1's PTE for index 1 maps the huge zero page read-only: mapped by T1 at __dax_pmd_fault: hole? (step 9), and nothing removed it when the block was allocated",
      'readers of index 1 get the huge zero page, not B2, so they miss what is stored in B2; the check applies once every fault at index 1 has returned (from step 25)',
    ]);
    expect(m.rows.filter((r) => r.role).map((r) => `${r.index} ${r.role}`)).toEqual(['9 hole page mapped', '16 cause']);
    const root = parseXml(renderLaneSvg(t));
    expect(byClass(root, 'page-cell', 'stale').map((c) => titleOf(c))).toEqual([
      'P1 still maps a huge zero page at index 0, where block B1 is allocated',
      'P1 still maps a huge zero page at index 1, where block B2 is allocated',
    ]);
    expect(byClass(root, 'step', 'cause').map((b) => b.attrs['data-step'])).toEqual(['16']);
    expect(byClass(root, 'step', 'related').map((b) => b.attrs['data-step'])).toEqual(['9']);
    expect(byClass(root, 'step', 'seen').map((b) => b.attrs['data-step'])).toEqual(['25']);
  });

  it("a lock misuse (v4.3 b12-cow): the step with the 'error' note and its lane are highlighted", async () => {
    const out = await claimTrace('v4.3', 'b12-cow', 'no lock misuse');
    const m = laneModel(out.trace!);
    const bad = m.rows.filter((r) => r.problem);
    expect(bad.map((r) => r.index)).toEqual([13]);
    expect(bad[0].events.filter((e) => e.kind === 'error').map((e) => e.text)).toEqual([
      'lock misuse: up_write(i_mmap_rwsem) by T1, which holds it for read',
    ]);
    expect(m.lanes.filter((l) => l.involved).map((l) => l.name)).toEqual(['T1']);
    const root = parseXml(renderLaneSvg(out.trace!));
    expect(byClass(root, 'event', 'error').map((e) => titleOf(e))).toEqual(['error: lock misuse: up_write(i_mmap_rwsem) by T1, which holds it for read']);
  });
});

describe('escaping', () => {
  it('names with markup stay text, and the document stays well-formed', () => {
    const value = OrderedMap<string, unknown>([['x', 0]]);
    const trace: Trace = {
      spec: 'a<b>&"c"',
      config: "d'e",
      kind: 'deadlock',
      path: { init: 0, actions: [0] },
      diagnosis: { kind: 'deadlock', summary: 'T<1> waits for L&M, held by T<1>', details: [], actors: ['T<1>'] },
      steps: [
        { index: 0, action: null, label: null, state: new Uint8Array(1), value, changed: [], notes: [] },
        {
          index: 1,
          action: 0,
          label: { name: 'f<g> > h&i: take "L&M"', actor: 'T<1>' },
          state: new Uint8Array(1),
          value,
          changed: [],
          notes: [{ kind: 'acquire', text: 'L&M', data: { lock: 'L&M' } }],
        },
      ],
    };
    const svg = renderLaneSvg(trace);
    const root = parseXml(svg);
    expect(svg).not.toContain('<1>');
    expect(svg).not.toContain('f<g>');
    expect(byClass(root, 'lane').map((l) => l.attrs['data-lane'])).toEqual(['T<1>']);
    expect(titleOf(byClass(root, 'step')[0])).toBe('1. T<1>: f<g> > h&i: take "L&M"');
    expect(byClass(root, 'bar', 'problem').map((b) => b.attrs['data-lock'])).toEqual(['L&M']);
    expect(findAll(root, (e) => e.name === 'title')[0].children).toEqual([`a<b>&"c", configuration d'e: deadlock after 1 step; path 0/0`]);
  });
});

describe('lock-order graph of the v4.2 PMD self-deadlock', () => {
  it('the read-then-write self-edge is the cycle; the freeze-level edge is not', async () => {
    const out = await claimTrace('v4.2/pmd', 'b4-zero-then-write', 'deadlock');
    const d = lockOrderData(out.result.analyses)!;
    const svg = renderLockOrderSvg(d, { title: 'lock order' });
    const root = parseXml(svg);
    expect(byClass(root, 'node').map((n) => [n.attrs['data-lock'], n.attrs.class])).toEqual([
      ['i_mmap_rwsem', 'node cycle'],
      ['sb_writers[PAGEFAULT]', 'node'],
    ]);
    expect(byClass(root, 'edge').map((e) => [e.attrs['data-from'], e.attrs['data-to'], e.attrs.class])).toEqual([
      ['sb_writers[PAGEFAULT]', 'i_mmap_rwsem', 'edge'],
      ['i_mmap_rwsem', 'i_mmap_rwsem', 'edge cycle'],
    ]);
    expect(byClass(root, 'edge-label').map(textOf)).toEqual(['R\u2192R T1, R\u2192W T1', 'R\u2192W T1']);
    expect(renderLockOrderSvg(d, { title: 'lock order' })).toBe(svg);
  });

  it('rejects analysis data of another shape', () => {
    expect(lockOrderData([{ name: 'lock order', summary: '', findings: [], data: { classes: [1] } }])).toBeUndefined();
    expect(lockOrderData([])).toBeUndefined();
  });
});

describe('daxmc check --format svg', () => {
  it('writes the lane diagram of the counterexample to stdout, the verdict to stderr', async () => {
    const r = await daxmc(['check', 'v4.2/pmd', '--config', 'b4-zero-then-write', '--property', 'deadlock', '--format', 'svg']);
    expect(r.code).toBe(11);
    expect(r.err).toMatch(/^FAIL {2}deadlock reached after 22 steps/);
    const root = parseXml(r.out);
    expect(root.attrs.class).toBe('daxmc-lanes');
    expect(byClass(root, 'arrow', 'cycle')).toHaveLength(1);
  });

  it('--out also writes the .svg', async () => {
    const dir = tempDir();
    const r = await daxmc(['check', 'v4.2/pmd', '--config', 'b4-zero-then-write', '--property', 'deadlock', '--out', dir]);
    expect(r.code).toBe(11);
    expect(r.err).toContain(join(dir, 'v4.2_pmd-b4-zero-then-write.svg'));
    const svg = readFileSync(join(dir, 'v4.2_pmd-b4-zero-then-write.svg'), 'utf8');
    expect(parseXml(svg).attrs.class).toBe('daxmc-lanes');
  });
});
