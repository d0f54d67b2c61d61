// The lock-order graph (the 'lock order' analysis, as lockdep builds it) as SVG: one node per
// lock class that takes part in an edge, laid out in columns by lock depth (outer locks on the
// left), each marked with its class's colour as the lane diagrams draw it; one arrow per "held A
// while acquiring B" pair labelled with the modes and the threads, and every cycle in red. Edges
// that close a cycle curve back underneath. A pure function of the analysis data;
// deterministic output; escaped text.
import { chainText } from '../core/lock-chain';
import type { Analysis } from '../core/spec';
import { lockColour } from './lock-colours';
import { el, fit, num, svgDocument, text, textWidth, tooltip } from './svg-xml';

export interface LockOrderEdge {
  readonly from: string;
  readonly fromMode: string;
  readonly to: string;
  readonly toMode: string;
  readonly thread: string;
  readonly step: string;
  /** The example path that makes the edge (its last action makes it). */
  readonly path?: { readonly init: number; readonly actions: readonly number[] };
}

export interface LockOrderData {
  readonly classes: readonly string[];
  readonly edges: readonly LockOrderEdge[];
  /** Each cycle as indices into `edges`. */
  readonly cycles: readonly (readonly number[])[];
  /** Lock orders the spec says are documented (outermost first), with where. */
  readonly documented?: readonly { readonly classes: readonly string[]; readonly source: string }[];
  /** Edges that go against a documented order: the edge index and the order's index. */
  readonly inversions?: readonly { readonly edge: number; readonly order: number }[];
}

/** The 'lock order' analysis data, checked for shape; undefined when absent or not that shape. */
export function lockOrderData(analyses: readonly Analysis[]): LockOrderData | undefined {
  const a = analyses.find((x) => x.name === 'lock order');
  const d = a?.data as Partial<LockOrderData> | undefined;
  if (!d || !Array.isArray(d.classes) || !Array.isArray(d.edges) || !Array.isArray(d.cycles)) return undefined;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!d.classes.every(str)) return undefined;
  if (!d.edges.every((e) => e && str(e.from) && str(e.to) && str(e.fromMode) && str(e.toMode) && str(e.thread) && str(e.step))) return undefined;
  if (!d.cycles.every((c) => Array.isArray(c) && c.every((i) => Number.isInteger(i) && i >= 0 && i < d.edges!.length))) return undefined;
  const documented = Array.isArray(d.documented) && d.documented.every((o) => o && Array.isArray(o.classes) && o.classes.every(str) && str(o.source)) ? d.documented : [];
  const inversions = Array.isArray(d.inversions) && d.inversions.every((v) => v && Number.isInteger(v.edge) && v.edge >= 0 && v.edge < d.edges!.length && Number.isInteger(v.order) && v.order >= 0 && v.order < documented.length) ? d.inversions : [];
  return { classes: d.classes, edges: d.edges, cycles: d.cycles, documented, inversions };
}

const RED = '#d0182b';
const INK = '#1d2430';
const MUTED = '#5f6b7a';
const EDGE = '#5a6a85';
const PAD = 20;
const NODE_H = 28;
const ROW_GAP = 34;
const COL_GAP = 150;
const HALO = { stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke', 'stroke-linejoin': 'round' } as const;

const mode = (m: string): string => (m === 'read' ? 'R' : 'W');

/** "R(a) → W(b) → R(a)", or "W(a) → W(b), R(b) → W(a)": a cycle's edges, held → acquired (src/core/lock-chain.ts). */
export function cycleText(d: LockOrderData, cycle: readonly number[]): string {
  return chainText(
    cycle.map((i) => d.edges[i]).map((e) => ({ held: `${mode(e.fromMode)}(${e.from})`, acquired: `${mode(e.toMode)}(${e.to})` })),
    '\u2192',
  );
}

interface Drawn {
  readonly from: string;
  readonly to: string;
  readonly edges: readonly number[];
  readonly inCycle: boolean;
}

export function renderLockOrderSvg(d: LockOrderData, opts: { readonly title?: string } = {}): string {
  const title = opts.title ?? 'lock order';
  const cycleEdges = new Set(d.cycles.flat());
  const nodes = d.classes.filter((c) => d.edges.some((e) => e.from === c || e.to === c));
  const cycleNodes = new Set([...cycleEdges].flatMap((i) => [d.edges[i].from, d.edges[i].to]));

  // Merge edges between the same two classes (different modes or threads) into one arrow.
  const drawn: Drawn[] = [];
  d.edges.forEach((e, i) => {
    const found = drawn.findIndex((x) => x.from === e.from && x.to === e.to);
    if (found < 0) drawn.push({ from: e.from, to: e.to, edges: [i], inCycle: cycleEdges.has(i) });
    else drawn[found] = { ...drawn[found], edges: [...drawn[found].edges, i], inCycle: drawn[found].inCycle || cycleEdges.has(i) };
  });

  // Ranks: longest path over the edges that do not close a cycle (DFS back edges, in class order).
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const x of drawn) if (x.from !== x.to) out.get(x.from)!.push(x.to);
  const back = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const visit = (n: string): void => {
    state.set(n, 1);
    for (const m of out.get(n)!) {
      if (state.get(m) === 1) back.add(`${n}\u0000${m}`);
      else if (!state.has(m)) visit(m);
    }
    state.set(n, 2);
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
  const rank = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const x of drawn) {
      if (x.from === x.to || back.has(`${x.from}\u0000${x.to}`)) continue;
      const r = rank.get(x.from)! + 1;
      if (r > rank.get(x.to)!) {
        rank.set(x.to, r);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rankOf = rank;
  const columns: string[][] = [];
  for (const n of nodes) (columns[rank.get(n)!] ??= []).push(n);
  const nodeW = new Map(nodes.map((n) => [n, Math.max(70, textWidth(n, 11) + 22)]));
  const colW = columns.map((col) => Math.max(...col.map((n) => nodeW.get(n)!)));
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const graphTop = 52;
  const skips = (x: { from: string; to: string }): boolean => x.from !== x.to && (rankOf.get(x.to) ?? 0) > (rankOf.get(x.from) ?? 0) + 1;
  const loopRoom = Math.max(drawn.some((x) => x.from === x.to) ? 40 : 0, drawn.some(skips) ? 34 + 16 * (drawn.filter(skips).length - 1) + 14 : 0);
  const innerTop = graphTop + loopRoom;
  const colHeight = (n: number): number => n * NODE_H + (n - 1) * ROW_GAP;
  const pos = new Map<string, { x: number; y: number; w: number }>();
  let cx = PAD;
  columns.forEach((col, ci) => {
    const top = innerTop + (colHeight(tallest) - colHeight(col.length)) / 2;
    col.forEach((n, k) => pos.set(n, { x: cx + (colW[ci] - nodeW.get(n)!) / 2, y: top + k * (NODE_H + ROW_GAP), w: nodeW.get(n)! }));
    cx += colW[ci] + COL_GAP;
  });
  const graphBottom = innerTop + (nodes.length > 0 ? colHeight(tallest) : 0);

  const body: string[] = [];
  body.push(
    el(
      'defs',
      {},
      el('marker', { id: 'lo-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: EDGE })),
      el('marker', { id: 'lo-arrow-cycle', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: RED })),
    ),
  );
  body.push(el('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: '#ffffff', class: 'background' }));
  body.push(text({ x: PAD, y: 22, 'font-size': 14, 'font-weight': 'bold', fill: INK, class: 'title' }, title));
  const summary = `${d.edges.length} lock-order edge${d.edges.length === 1 ? '' : 's'} over ${nodes.length} lock class${nodes.length === 1 ? '' : 'es'}; ${d.cycles.length} cycle${d.cycles.length === 1 ? '' : 's'}`;
  body.push(text({ x: PAD, y: 40, fill: d.cycles.length > 0 ? RED : MUTED, class: 'subtitle' }, summary));

  let maxX = cx;
  let maxY = graphBottom;
  let belowDepth = 0;
  let aboveDepth = 0;
  const labels: string[] = [];
  drawn.forEach((x) => {
    const a = pos.get(x.from)!;
    const b = pos.get(x.to)!;
    const colour = x.inCycle ? RED : EDGE;
    const words = x.edges.map((i) => `${mode(d.edges[i].fromMode)}\u2192${mode(d.edges[i].toMode)} ${d.edges[i].thread}`);
    const label = [...new Set(words)].join(', ');
    const tip = x.edges.map((i) => `${mode(d.edges[i].fromMode)}(${d.edges[i].from}) -> ${mode(d.edges[i].toMode)}(${d.edges[i].to}) by ${d.edges[i].thread} at ${d.edges[i].step}`).join('\n');
    let path: string;
    let lx: number;
    let ly: number;
    if (x.from === x.to) {
      const x0 = a.x + a.w / 2 - 18;
      const x1 = a.x + a.w / 2 + 18;
      path = `M${num(x0)},${num(a.y)} C${num(x0 - 14)},${num(a.y - 42)} ${num(x1 + 14)},${num(a.y - 42)} ${num(x1)},${num(a.y - 1)}`;
      lx = a.x + a.w / 2;
      ly = a.y - 36;
    } else if (rank.get(x.to)! > rank.get(x.from)! + 1) {
      // Skips a column: arc over the nodes between.
      aboveDepth += 1;
      const sx = a.x + a.w / 2 + 10;
      const sy = a.y;
      const tx = b.x + b.w / 2 - 10;
      const ty = b.y - 1;
      const rise = Math.min(sy, ty) - 30 - 16 * (aboveDepth - 1);
      path = `M${num(sx)},${num(sy)} C${num(sx)},${num(rise)} ${num(tx)},${num(rise)} ${num(tx)},${num(ty)}`;
      lx = (sx + tx) / 2;
      ly = 0.125 * sy + 0.75 * rise + 0.125 * ty - 4;
    } else if (rank.get(x.to)! > rank.get(x.from)!) {
      const sx = a.x + a.w;
      const sy = a.y + NODE_H / 2;
      const tx = b.x - 1;
      const ty = b.y + NODE_H / 2;
      const dx = (tx - sx) / 2;
      path = `M${num(sx)},${num(sy)} C${num(sx + dx)},${num(sy)} ${num(tx - dx)},${num(ty)} ${num(tx)},${num(ty)}`;
      lx = (sx + tx) / 2;
      ly = (sy + ty) / 2 - 5;
    } else {
      // Closes a cycle (or joins nodes of one column): curve underneath.
      belowDepth += 1;
      const sx = a.x + a.w / 2 + 8;
      const sy = a.y + NODE_H;
      const tx = b.x + b.w / 2 - 8;
      const ty = b.y + NODE_H + 1;
      const dip = Math.max(sy, ty) + 34 + 16 * (belowDepth - 1);
      path = `M${num(sx)},${num(sy)} C${num(sx)},${num(dip)} ${num(tx)},${num(dip)} ${num(tx)},${num(ty)}`;
      lx = (sx + tx) / 2;
      ly = 0.125 * sy + 0.375 * dip + 0.375 * dip + 0.125 * ty + 12;
      maxY = Math.max(maxY, dip + 16);
    }
    maxX = Math.max(maxX, lx + textWidth(label, 10) / 2 + PAD);
    body.push(
      el(
        'g',
        { class: `edge${x.inCycle ? ' cycle' : ''}`, 'data-from': x.from, 'data-to': x.to },
        tooltip(tip),
        el('path', { d: path, fill: 'none', stroke: colour, 'stroke-width': x.inCycle ? 2.5 : 1.4, 'marker-end': `url(#${x.inCycle ? 'lo-arrow-cycle' : 'lo-arrow'})` }),
      ),
    );
    labels.push(text({ x: lx, y: ly, 'text-anchor': 'middle', 'font-size': 10, fill: colour, ...(x.inCycle ? { 'font-weight': 'bold' } : {}), ...HALO, class: 'edge-label' }, label));
  });
  for (const n of nodes) {
    const p = pos.get(n)!;
    const hot = cycleNodes.has(n);
    body.push(
      el(
        'g',
        { class: `node${hot ? ' cycle' : ''}`, 'data-lock': n },
        tooltip(n),
        el('rect', { x: p.x, y: p.y, width: p.w, height: NODE_H, rx: 6, fill: hot ? '#fde8ea' : '#eef2f8', stroke: hot ? RED : '#8a95a8', 'stroke-width': hot ? 2 : 1 }),
        // The class's colour, as its bars have it in every lane diagram.
        el('rect', { x: p.x + 3, y: p.y + 5, width: 5, height: NODE_H - 10, rx: 2, fill: lockColour(n), class: 'swatch' }),
        text({ x: p.x + p.w / 2, y: p.y + 18, 'text-anchor': 'middle', fill: hot ? RED : INK, 'font-weight': 'bold' }, n),
      ),
    );
  }
  body.push(...labels);

  // The cycles, in words.
  let y = maxY + 24;
  if (nodes.length === 0) {
    body.push(text({ x: PAD, y, fill: MUTED }, 'no lock was taken while another was held'));
    y += 18;
  }
  const width = Math.max(maxX, 520);
  d.cycles.forEach((c, k) => {
    const line = `cycle ${k + 1}: ${cycleText(d, c)}`;
    body.push(text({ x: PAD, y, fill: RED, 'font-weight': 'bold', class: 'cycle-text' }, fit(line, width - 2 * PAD, 11), line));
    y += 16;
    for (const i of c) {
      const e = d.edges[i];
      const words = `${mode(e.fromMode)}(${e.from}) \u2192 ${mode(e.toMode)}(${e.to}) by ${e.step}`;
      body.push(text({ x: PAD + 14, y, fill: INK, 'font-size': 10 }, fit(words, width - 2 * PAD - 14, 10), words));
      y += 14;
    }
    y += 6;
  });
  const height = y + 8;
  return svgDocument({ width, height, title: `${title}: ${summary}`, desc: d.cycles.map((c) => cycleText(d, c)).join('\n'), className: 'daxmc-lock-order' }, body);
}
