// The lane diagram of a trace as SVG, drawn by our own code: one vertical lane per thread
// (grouped under its process), one box per step (the innermost function and the step; the full
// call chain in a tooltip), held locks as bars beside the lane from acquire to release, wake-ups
// and blocking as arrows between lanes, and the final state's problem in red: the wait-for cycle
// with the held locks it waits for, the failed step, the violated property and stale PTEs.
// A pure function of the trace: byte-identical output run to run, escaped text, well-formed XML.
import type { Trace } from '../trace/trace';
import { laneModel, type Arrow, type LaneModel, type LaneOptions, type Row } from './svg-lane-model';
import { el, fit, num, svgDocument, text, textWidth, tooltip } from './svg-xml';
import { LOOP_WIDTH, loopSvg } from './svg-loop';

export type { LaneOptions } from './svg-lane-model';

/** Lock colours by order of first appearance (red and orange are kept for problems and waits). */
export const LOCK_COLOURS = ['#1f6fb4', '#2a9a3a', '#8a55c2', '#8c564b', '#c2459e', '#138f9c', '#8f8f1a', '#5f6b7a'];
const RED = '#d0182b';
const ORANGE = '#e07b00';
const WAKE = '#1f6fb4';
const INK = '#1d2430';
const MUTED = '#5f6b7a';

const PAD = 16;
const GUTTER = 44;
const BOX_X = 8;
const BOX_W = 250;
const SLOT_W = 10;
const BAR_W = 7;
const LINE = 13;
const ROW_GAP = 10;
const GROUP_GAP = 16;
const ARROW_STEP = 26;
const FONT = 11;
const SMALL = 9.5;
/** A white outline behind text drawn over lines, so it stays readable. */
const HALO = { stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke', 'stroke-linejoin': 'round' } as const;

interface Geometry {
  readonly laneX: ReadonlyMap<string, number>;
  readonly laneW: number;
  readonly rowTop: readonly number[];
  readonly rowH: readonly number[];
  readonly width: number;
}

function boxLines(r: Row): number {
  return (r.fn === '' ? 1 : 2) + r.events.length;
}

function lockColour(m: LaneModel, lock: string | undefined): string {
  const i = lock === undefined ? -1 : m.locks.indexOf(lock);
  return i < 0 ? MUTED : LOCK_COLOURS[i % LOCK_COLOURS.length];
}

function wrap(s: string, width: number, size: number): string[] {
  const max = Math.max(10, Math.floor(width / (size * 0.6)));
  const out: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
    while (line.length > max) {
      out.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line !== '') out.push(line);
  return out;
}

const EVENT_MARK: Record<string, string> = { acquire: '+', release: '\u2212', wait: '\u2026', wake: '\u21aa', error: '\u2716', other: '\u00b7' };

/** Renders the lane diagram of a trace as a standalone SVG document. */
export function renderLaneSvg(trace: Trace, opts: LaneOptions = {}): string {
  const m = laneModel(trace, opts);
  const maxSlots = Math.max(2, ...m.bars.map((b) => b.slot + 1));
  const laneW = BOX_X + BOX_W + 12 + maxSlots * SLOT_W + 10;
  const laneX = new Map<string, number>();
  let x = PAD + GUTTER;
  const groupOf = new Map<string, number>();
  m.groups?.forEach((g, gi) => g.lanes.forEach((l) => groupOf.set(l, gi)));
  let prevGroup: number | undefined;
  for (const lane of m.lanes) {
    const g = groupOf.get(lane.name) ?? -1;
    if (prevGroup !== undefined && g !== prevGroup) x += GROUP_GAP;
    laneX.set(lane.name, x);
    x += laneW;
    prevGroup = g;
  }
  const finalArrowsFirst = m.arrows.filter((a) => a.row === m.rows.length);
  let labelsRight = 0;
  finalArrowsFirst.forEach((a, k) => {
    const geo = finalArrowGeometry(a, k, m, laneX, (b) => barXOf(m, laneX, b));
    labelsRight = Math.max(labelsRight, geo.labelX + textWidth(geo.words, 10));
  });
  const lanesRight = x;
  const width = Math.max(x + PAD + (m.loop ? LOOP_WIDTH : 0), 680, labelsRight + PAD);

  // Vertical layout.
  const titleBottom = 50;
  const groupTop = titleBottom;
  const headerTop = m.groups ? groupTop + 24 : titleBottom;
  const headerH = 26;
  let y = headerTop + headerH + 14;
  const rowTop: number[] = [];
  const rowH: number[] = [];
  for (const r of m.rows) {
    const h = 8 + LINE * boxLines(r);
    rowTop.push(y);
    rowH.push(h);
    y += h + ROW_GAP;
  }
  const finalTop = y + 4;
  const finalH = 34;
  rowTop.push(finalTop);
  rowH.push(finalH);
  const finalArrows = m.arrows.filter((a) => a.row === m.rows.length);
  const bandTop = finalTop + finalH + 8;
  const bandH = finalArrows.length > 0 ? finalArrows.length * ARROW_STEP + 10 : 0;
  const g: Geometry = { laneX, laneW, rowTop, rowH, width };
  const center = (lane: string): number => (laneX.get(lane) ?? PAD + GUTTER) + BOX_X + BOX_W / 2;
  const barX = (bar: number): number => barXOf(m, laneX, bar);
  const barEndY = (to: number | null): number => (to === null ? finalTop + finalH : rowTop[to] + Math.min(rowH[to] / 2, 14));

  const body: string[] = [];
  body.push(
    el(
      'defs',
      {},
      ...(
        [
          ['wake', WAKE],
          ['block', ORANGE],
          ['cycle', RED],
        ] as const
      ).map(([id, colour]) =>
        el('marker', { id: `lane-arrow-${id}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour })),
      ),
    ),
  );
  body.push(el('rect', { x: 0, y: 0, width: '100%', height: '100%', fill: '#ffffff', class: 'background' }));
  body.push(text({ x: PAD, y: 22, 'font-size': 14, 'font-weight': 'bold', fill: INK, class: 'title' }, m.title));
  body.push(text({ x: PAD, y: 40, fill: m.problemKind === 'deadlock' || m.problemKind === 'invariant' || m.problemKind === 'liveness' ? RED : MUTED, class: 'subtitle' }, fit(m.subtitle, width - 2 * PAD, FONT), m.subtitle));

  // Process groups.
  if (m.groups) {
    for (const grp of m.groups) {
      const xs = grp.lanes.map((l) => laneX.get(l)!);
      const gx = Math.min(...xs) - 4;
      const gw = Math.max(...xs) + laneW - gx + 4 - 6;
      body.push(
        el(
          'g',
          { class: 'group', 'data-process': grp.process },
          el('rect', { x: gx, y: groupTop, width: gw, height: bandTop + bandH - groupTop, rx: 8, fill: '#f4f6fa', stroke: '#c9d1de' }),
          text({ x: gx + 8, y: groupTop + 15, 'font-weight': 'bold', fill: MUTED }, `process ${grp.process}`),
        ),
      );
    }
  }

  // Lane headers and lines.
  for (const lane of m.lanes) {
    const lx = laneX.get(lane.name)!;
    const cx = center(lane.name);
    const stroke = lane.involved ? RED : '#8a95a8';
    body.push(
      el(
        'g',
        { class: `lane${lane.involved ? ' problem' : ''}`, 'data-lane': lane.name },
        el('line', { x1: cx, y1: headerTop + headerH, x2: cx, y2: finalTop, stroke: '#c3cad6', 'stroke-dasharray': '4 4' }),
        el('rect', { x: lx + BOX_X, y: headerTop, width: BOX_W, height: headerH, rx: 5, fill: lane.involved ? '#fde8ea' : '#e9edf4', stroke, 'stroke-width': lane.involved ? 2 : 1 }),
        text({ x: cx, y: headerTop + 17, 'text-anchor': 'middle', 'font-weight': 'bold', 'font-size': 12, fill: lane.involved ? RED : INK }, fit(lane.name, BOX_W - 10, 12), lane.process ? `${lane.name} (process ${lane.process})` : lane.name),
      ),
    );
  }

  // Held-lock bars (under the boxes' arrows, beside the lanes).
  m.bars.forEach((b, i) => {
    const bx = barX(i);
    const y1 = rowTop[b.from] + Math.min(rowH[b.from] / 2, 14);
    const y2 = barEndY(b.to);
    const colour = lockColour(m, b.lock);
    const read = b.mode === 'read';
    const held = `${b.lane} holds ${b.label}${read ? ' (read)' : b.mode === 'write' ? ' (write)' : ''} from step ${m.rows[b.from].index} ${b.to === null ? 'to the end' : `to step ${m.rows[b.to].index}`}`;
    const parts = [
      tooltip(held),
      el('rect', {
        x: bx,
        y: y1,
        width: BAR_W,
        height: Math.max(2, y2 - y1),
        rx: 2,
        fill: colour,
        'fill-opacity': read ? 0.35 : 0.9,
        stroke: b.highlighted ? RED : colour,
        'stroke-width': b.highlighted ? 2.5 : 1,
      }),
    ];
    const label = `${b.label}${read ? ' (R)' : b.mode === 'write' ? ' (W)' : ''}`;
    if (y2 - y1 > textWidth(label, SMALL) + 10) {
      parts.push(text({ x: 0, y: 0, transform: `translate(${num(bx + BAR_W + 2)} ${num(y1 + 4)}) rotate(90)`, 'font-size': SMALL, fill: b.highlighted ? RED : colour }, label));
    }
    body.push(el('g', { class: `bar held-${b.mode}${b.highlighted ? ' problem' : ''}`, 'data-lane': b.lane, 'data-lock': b.lock }, ...parts));
  });

  // Step rows.
  m.rows.forEach((r, ri) => {
    const lx = laneX.get(r.lane)!;
    const top = rowTop[ri];
    const h = rowH[ri];
    const stroke = r.problem ? RED : '#8a95a8';
    const lines: string[] = [];
    let ly = top + 15;
    const tx = lx + BOX_X + 7;
    const tw = BOX_W - 14;
    if (r.fn !== '') {
      lines.push(text({ x: tx, y: ly, 'font-weight': 'bold', fill: INK }, fit(r.fn, tw, FONT)));
      ly += LINE;
    }
    lines.push(text({ x: tx, y: ly, fill: INK, class: 'label' }, fit(r.step, tw, FONT)));
    ly += LINE;
    for (const e of r.events) {
      const colour = e.kind === 'error' ? RED : e.kind === 'wait' ? ORANGE : e.kind === 'wake' ? WAKE : e.kind === 'other' ? MUTED : lockColour(m, e.lock);
      const words = e.kind === 'other' ? `${e.noteKind}: ${e.text}` : e.text;
      lines.push(
        text(
          { x: tx, y: ly, fill: colour, 'font-size': 10, class: `event ${e.kind}`, ...(e.kind === 'error' ? { 'font-weight': 'bold' } : {}) },
          fit(`${EVENT_MARK[e.kind]} ${words}`, tw, 10),
          `${e.noteKind}: ${e.text}`,
        ),
      );
      ly += LINE;
    }
    const box = el(
      'g',
      { class: `step${r.problem ? ' problem' : ''}`, 'data-step': r.index, 'data-lane': r.lane },
      tooltip(`${r.index}. ${r.lane}: ${r.full}`),
      el('rect', { x: lx + BOX_X, y: top, width: BOX_W, height: h, rx: 4, fill: r.problem ? '#fde8ea' : '#ffffff', stroke, 'stroke-width': r.problem ? 2 : 1 }),
      ...lines,
    );
    body.push(text({ x: PAD + GUTTER - 8, y: top + 15, 'text-anchor': 'end', fill: MUTED, class: 'step-number' }, String(r.index)));
    body.push(opts.stateHref ? el('a', { href: opts.stateHref(r.index) }, box) : box);
  });

  // Arrows on step rows (wake-ups, blocking).
  for (const a of m.arrows) if (a.row < m.rows.length) body.push(rowArrow(a, m, g, barX));

  // The final state.
  body.push(text({ x: PAD + GUTTER - 8, y: finalTop + 14, 'text-anchor': 'end', fill: MUTED, class: 'step-number' }, String(m.finalIndex)));
  for (const f of m.final) {
    const lx = laneX.get(f.lane)!;
    const tone = f.tone === 'problem' ? RED : f.tone === 'waiting' ? ORANGE : f.tone === 'done' ? '#2a7a3a' : MUTED;
    body.push(
      el(
        'g',
        { class: `final ${f.tone}`, 'data-lane': f.lane },
        tooltip(`state ${m.finalIndex}: ${f.lane}${f.text ? ` ${f.text}` : ''}`),
        el('rect', { x: lx + BOX_X, y: finalTop, width: BOX_W, height: finalH, rx: 4, fill: f.tone === 'problem' ? '#fde8ea' : '#f7f8fb', stroke: tone, 'stroke-width': f.tone === 'problem' ? 2 : 1, 'stroke-dasharray': f.tone === 'problem' ? undefined : '3 3' }),
        text({ x: lx + BOX_X + 7, y: finalTop + 14, 'font-weight': 'bold', fill: tone }, `state ${m.finalIndex}`),
        text({ x: lx + BOX_X + 7, y: finalTop + 27, fill: tone }, fit(f.text || '\u2014', BOX_W - 14, FONT)),
      ),
    );
  }
  finalArrows.forEach((a, k) => body.push(finalArrow(a, k, m, g, bandTop, finalTop + finalH, barX)));
  if (m.loop) body.push(loopSvg(m.loop, lanesRight, rowTop, rowH));

  // The problem and the final pages.
  let by = bandTop + bandH + 14;
  if (m.problem.length > 0) {
    const tone = m.problemKind === 'witness' ? '#2a7a3a' : RED;
    const lines = m.problem.flatMap((p, i) => wrap(p, width - 2 * PAD - 20, FONT).map((l) => ({ l, head: i === 0 })));
    const h = 14 + lines.length * LINE + 4;
    body.push(
      el(
        'g',
        { class: `problem-box ${m.problemKind}` },
        el('rect', { x: PAD, y: by, width: width - 2 * PAD, height: h, rx: 6, fill: m.problemKind === 'witness' ? '#eaf6ec' : '#fdf0f1', stroke: tone, 'stroke-width': 1.5 }),
        ...lines.map((ln, i) => text({ x: PAD + 10, y: by + 17 + i * LINE, fill: ln.head ? tone : INK, ...(ln.head ? { 'font-weight': 'bold' } : {}) }, ln.l)),
      ),
    );
    by += h + 12;
  }
  if (m.pages) {
    const nameW = 96;
    const cellW = Math.min(130, Math.floor((width - 2 * PAD - nameW) / Math.max(1, m.pages.indices)));
    const parts: string[] = [text({ x: PAD, y: by + 12, 'font-weight': 'bold', fill: INK }, `pages of the file in state ${m.finalIndex}`)];
    const top = by + 20;
    for (let i = 0; i < m.pages.indices; i++) parts.push(text({ x: PAD + nameW + i * cellW + cellW / 2, y: top + 12, 'text-anchor': 'middle', fill: MUTED }, `index ${i}`));
    m.pages.rows.forEach((row, ri) => {
      const ry = top + 18 + ri * 20;
      parts.push(text({ x: PAD, y: ry + 13, fill: MUTED }, fit(row.name, nameW - 6, FONT)));
      row.cells.forEach((c, i) => {
        const cx = PAD + nameW + i * cellW;
        parts.push(
          el(
            'g',
            { class: `page-cell${c.stale ? ' stale' : ''}` },
            ...(c.why ? [tooltip(c.why)] : []),
            el('rect', { x: cx + 2, y: ry, width: cellW - 4, height: 18, rx: 3, fill: c.stale ? '#fde8ea' : '#f7f8fb', stroke: c.stale ? RED : '#c9d1de', 'stroke-width': c.stale ? 2 : 1 }),
            text({ x: cx + cellW / 2, y: ry + 13, 'text-anchor': 'middle', fill: c.stale ? RED : INK, ...(c.stale ? { 'font-weight': 'bold' } : {}) }, fit(c.text, cellW - 10, FONT)),
          ),
        );
      });
    });
    body.push(el('g', { class: 'pages' }, ...parts));
    by = top + 18 + m.pages.rows.length * 20 + 12;
  }

  // Legend.
  const legend: string[] = [];
  let lx = PAD;
  const item = (draw: string, label: string): void => {
    legend.push(draw, text({ x: lx + 22, y: by + 11, fill: MUTED, 'font-size': 10 }, label));
    lx += 22 + textWidth(label, 10) + 18;
  };
  item(el('rect', { x: lx, y: by + 2, width: 14, height: 10, fill: LOCK_COLOURS[0], 'fill-opacity': 0.9 }), 'held (write, exclusive)');
  item(el('rect', { x: lx, y: by + 2, width: 14, height: 10, fill: LOCK_COLOURS[0], 'fill-opacity': 0.35, stroke: LOCK_COLOURS[0] }), 'held (read)');
  item(el('line', { x1: lx, y1: by + 7, x2: lx + 16, y2: by + 7, stroke: WAKE, 'stroke-width': 1.5, 'marker-end': 'url(#lane-arrow-wake)' }), 'wakes');
  item(el('line', { x1: lx, y1: by + 7, x2: lx + 16, y2: by + 7, stroke: ORANGE, 'stroke-width': 1.5, 'stroke-dasharray': '4 2', 'marker-end': 'url(#lane-arrow-block)' }), 'waits for');
  item(el('line', { x1: lx, y1: by + 7, x2: lx + 16, y2: by + 7, stroke: RED, 'stroke-width': 2, 'marker-end': 'url(#lane-arrow-cycle)' }), 'the problem');
  body.push(el('g', { class: 'legend' }, ...legend));
  const height = by + 24;

  return svgDocument(
    { width, height, title: `${m.title}: ${m.subtitle}`, desc: m.problem.join('\n'), className: 'daxmc-lanes' },
    body,
  );
}

function rowArrow(a: Arrow, m: LaneModel, g: Geometry, barX: (b: number) => number): string {
  const colour = a.kind === 'wake' ? WAKE : a.kind === 'cycle' ? RED : ORANGE;
  const fromX = g.laneX.get(a.from)!;
  const y = g.rowTop[a.row] + g.rowH[a.row] / 2 + (a.kind === 'wake' ? 4 : -2);
  const targetX = a.bar !== undefined ? barX(a.bar) + (a.to === a.from ? 0 : BAR_W / 2) : (g.laneX.get(a.to) ?? fromX) + BOX_X + BOX_W / 2;
  const right = targetX >= fromX + BOX_X + BOX_W / 2;
  const x1 = right ? fromX + BOX_X + BOX_W : fromX + BOX_X;
  const x2 = targetX - (right ? 1 : -1) * (a.bar !== undefined ? 1 : 0);
  const mid = (x1 + x2) / 2;
  const span = Math.abs(x2 - x1);
  return el(
    'g',
    { class: `arrow ${a.kind}`, 'data-from': a.from, 'data-to': a.to, 'data-step': m.rows[a.row].index },
    tooltip(`${a.from} ${a.label}${a.to !== a.from ? ` (${a.to})` : ''}`),
    el('line', { x1, y1: y, x2, y2: y, stroke: colour, 'stroke-width': 1.5, 'stroke-dasharray': a.kind === 'block' ? '4 2' : undefined, 'marker-end': `url(#lane-arrow-${a.kind})` }),
    ...(span > 60 ? [text({ x: mid, y: y - 4, 'text-anchor': 'middle', 'font-size': SMALL, fill: colour, ...HALO }, fit(a.label, span - 8, SMALL))] : []),
  );
}

function barXOf(m: LaneModel, laneX: ReadonlyMap<string, number>, bar: number): number {
  return (laneX.get(m.bars[bar].lane) ?? 0) + BOX_X + BOX_W + 12 + m.bars[bar].slot * SLOT_W;
}

function finalArrowGeometry(a: Arrow, k: number, m: LaneModel, laneX: ReadonlyMap<string, number>, barX: (b: number) => number): { fromCx: number; targetX: number; labelX: number; words: string } {
  void m;
  const fromCx = (laneX.get(a.from) ?? 0) + BOX_X + BOX_W / 2 - 30 + (k % 3) * 12;
  const targetX = a.bar !== undefined ? barX(a.bar) + BAR_W / 2 : (laneX.get(a.to) ?? 0) + BOX_X + BOX_W / 2 + 30;
  const labelX = fromCx + 6;
  const words = `${a.from} ${a.label}${a.to !== a.from ? `, held by ${a.to}` : ', which it holds itself'}`;
  return { fromCx, targetX, labelX, words };
}

function finalArrow(a: Arrow, k: number, m: LaneModel, g: Geometry, bandTop: number, boxBottom: number, barX: (b: number) => number): string {
  const colour = a.kind === 'cycle' ? RED : a.kind === 'wake' ? WAKE : ORANGE;
  const { fromCx, targetX, labelX, words } = finalArrowGeometry(a, k, m, g.laneX, barX);
  const y = bandTop + 16 + k * ARROW_STEP;
  const d = `M${num(fromCx)},${num(boxBottom)} L${num(fromCx)},${num(y)} L${num(targetX)},${num(y)} L${num(targetX)},${num(boxBottom + 2)}`;
  const anchor = 'start';
  return el(
    'g',
    { class: `arrow ${a.kind}`, 'data-from': a.from, 'data-to': a.to, 'data-step': 'final' },
    tooltip(words),
    el('path', { d, fill: 'none', stroke: colour, 'stroke-width': a.kind === 'cycle' ? 2.2 : 1.5, 'stroke-dasharray': a.kind === 'block' ? '4 2' : undefined, 'marker-end': `url(#lane-arrow-${a.kind})` }),
    text({ x: labelX, y: y - 4, 'text-anchor': anchor, 'font-size': 10, fill: colour, 'font-weight': 'bold', ...HALO }, words),
  );
}
