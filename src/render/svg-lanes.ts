// The lane diagram of a trace as SVG, drawn by our own code: one vertical lane per thread
// (grouped under its process), sized to use about 1,240 px whatever the number of threads; one
// box per step (the innermost function and the step, its events wrapped, never cut; the whole
// call chain in a tooltip), runs of quiet steps collapsed into one box; held locks as bars
// beside the lane from acquire to release, labelled horizontally and coloured by lock class (the
// same colour in every diagram and in the legend); wake-ups and blocking as arrows between lanes;
// the step that caused a violation in red, the step where the check saw it in orange; and the
// final state's problem in words, with the file's pages (block, data, slot, PTEs) under it.
// A pure function of the trace: byte-identical output run to run, escaped text, well-formed XML.
import type { Trace } from '../trace/trace';
import { lockColour } from './lock-colours';
import { laneModel, splitActionName, type Arrow, type LaneModel, type LaneOptions, type Row } from './svg-lane-model';
import { el, fit, num, svgDocument, text, textWidth, tooltip, xmlEscape } from './svg-xml';
import { LOOP_WIDTH, loopSvg } from './svg-loop';

export type { LaneOptions } from './svg-lane-model';

const RED = '#d0182b';
const DARK_RED = '#a3222f';
const ORANGE = '#e07b00';
const WAKE = '#1f6fb4';
const INK = '#1d2430';
const MUTED = '#5f6b7a';

/** The width the diagram aims at, whatever the number of lanes. */
export const TARGET_WIDTH = 1240;
const PAD = 16;
const GUTTER = 56;
const BOX_X = 8;
const MIN_BOX = 250;
const MAX_BOX = 560;
const SLOT_W = 10;
const BAR_W = 7;
const LANE_GAP = 14;
const FONT = 11;
const SMALL = 10;
const BAR_FONT = 9.5;
const LINE = 13;
const SMALL_LINE = 12;
const ROW_GAP = 6;
const GROUP_GAP = 16;
const ARROW_STEP = 26;
/** Quiet steps in a row of one lane are drawn as one box from this many on. */
export const COLLAPSE_FROM = 3;
/** A white outline behind text drawn over lines, so it stays readable. */
const HALO = { stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke', 'stroke-linejoin': 'round' } as const;

const EVENT_MARK: Record<string, string> = { acquire: '+', release: '\u2212', wait: '\u2026', wake: '\u21aa', error: '\u2716', other: '\u00b7' };

/** Splits text into lines of at most `width` px at `size` (monospace), breaking at spaces, else anywhere. */
export function wrap(s: string, width: number, size: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * 0.6)));
  const out: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line === '') line = word;
    else if ([...line].length + 1 + [...word].length <= max) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
    while ([...line].length > max) {
      const chars = [...line];
      out.push(chars.slice(0, max).join(''));
      line = chars.slice(max).join('');
    }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

/** A line of a box: its text, size, colour and class. */
interface BoxLine {
  readonly text: string;
  readonly size: number;
  readonly fill: string;
  readonly bold?: boolean;
  readonly cls?: string;
  /** Bold prefix (the function) drawn before the rest of the first line. */
  readonly lead?: string;
  readonly title?: string;
}

/** What is drawn in one place of the column of rows: a step, or a run of quiet steps. */
interface Block {
  /** Row positions (into m.rows) it covers, first to last. */
  readonly first: number;
  readonly last: number;
  readonly lane: string;
  readonly lines: readonly BoxLine[];
  readonly height: number;
}

function lineHeight(l: BoxLine): number {
  return l.size === FONT ? LINE : SMALL_LINE;
}

function roleLine(r: Row, m: LaneModel): BoxLine | undefined {
  if (r.role === 'cause') return { text: `\u25c6 cause of the ${m.problemKind === 'deadlock' ? 'deadlock' : 'violation'}`, size: SMALL, fill: RED, bold: true, cls: 'role cause' };
  if (r.role !== undefined) return { text: `\u25c7 ${r.role}`, size: SMALL, fill: DARK_RED, bold: true, cls: 'role related' };
  if (seenHere(r, m)) return { text: '\u25b2 seen here: the check fails after this step', size: SMALL, fill: ORANGE, bold: true, cls: 'role seen' };
  return undefined;
}

/** The last step of an invariant trace whose violation was caused earlier. */
function seenHere(r: Row, m: LaneModel): boolean {
  return m.problemKind === 'invariant' && m.cause !== undefined && r.index === m.finalIndex && m.cause !== m.finalIndex;
}

function stepLines(r: Row, m: LaneModel, tw: number): BoxLine[] {
  const lines: BoxLine[] = [];
  const role = roleLine(r, m);
  if (role) lines.push(role);
  const head = r.fn === '' ? r.step : `${r.fn}: ${r.step}`;
  if (r.fn !== '' && textWidth(head, FONT) <= tw) {
    lines.push({ text: r.step, lead: `${r.fn}: `, size: FONT, fill: INK, cls: 'label' });
  } else {
    if (r.fn !== '') for (const l of wrap(r.fn, tw, FONT)) lines.push({ text: l, size: FONT, fill: INK, bold: true });
    for (const l of wrap(r.step, tw, FONT)) lines.push({ text: l, size: FONT, fill: INK, cls: 'label' });
  }
  for (const e of r.events) {
    const colour = e.kind === 'error' ? RED : e.kind === 'wait' ? ORANGE : e.kind === 'wake' ? WAKE : e.kind === 'other' ? MUTED : e.lock !== undefined ? lockColour(classOf(m, e.lock)) : MUTED;
    const words = `${EVENT_MARK[e.kind]} ${e.kind === 'other' ? `${e.noteKind}: ${e.text}` : e.text}`;
    wrap(words, tw, SMALL).forEach((l, k) => {
      lines.push({ text: k === 0 ? l : `  ${l}`, size: SMALL, fill: colour, bold: e.kind === 'error', cls: `event ${e.kind}`, title: `${e.noteKind}: ${e.text}` });
    });
  }
  return lines;
}

function classOf(m: LaneModel, lock: string): string {
  return m.bars.find((b) => b.lock === lock)?.cls ?? lock;
}

/** A run of quiet steps: how many, then the steps, the same function's steps together. */
function quietLines(rows: readonly Row[], tw: number): BoxLine[] {
  const parts: string[] = [];
  let fn: string | undefined;
  let steps: string[] = [];
  const flush = (): void => {
    if (steps.length > 0) parts.push(fn ? `${fn}: ${steps.join(', ')}` : steps.join(', '));
  };
  for (const r of rows) {
    if (r.fn !== fn) {
      flush();
      fn = r.fn;
      steps = [];
    }
    steps.push(r.step);
  }
  flush();
  const lines: BoxLine[] = [{ text: `${rows.length} steps without lock or data events`, size: SMALL, fill: MUTED, bold: true, cls: 'quiet-head' }];
  for (const l of wrap(parts.join(' \u00b7 '), tw, SMALL)) lines.push({ text: l, size: SMALL, fill: INK, cls: 'label' });
  return lines;
}

/** Groups the rows into blocks: single steps, and runs of at least COLLAPSE_FROM quiet steps of one lane. */
function blocksOf(m: LaneModel, tw: number): Block[] {
  const out: Block[] = [];
  const height = (lines: readonly BoxLine[]): number => 8 + lines.reduce((h, l) => h + lineHeight(l), 0) + 2;
  for (let i = 0; i < m.rows.length; ) {
    const r = m.rows[i];
    let j = i;
    while (r.quiet && j + 1 < m.rows.length && m.rows[j + 1].quiet && m.rows[j + 1].lane === r.lane) j++;
    if (j - i + 1 >= COLLAPSE_FROM) {
      const lines = quietLines(m.rows.slice(i, j + 1), tw);
      out.push({ first: i, last: j, lane: r.lane, lines, height: height(lines) });
      i = j + 1;
    } else {
      const lines = stepLines(r, m, tw);
      out.push({ first: i, last: i, lane: r.lane, lines, height: height(lines) });
      i++;
    }
  }
  return out;
}

function barLabel(b: LaneModel['bars'][number]): string {
  return `${b.label}${b.mode === 'read' ? ' (R)' : b.mode === 'write' ? ' (W)' : ''}`;
}

/** Renders the lane diagram of a trace as a standalone SVG document. */
export function renderLaneSvg(trace: Trace, opts: LaneOptions = {}): string {
  const m = laneModel(trace, opts);

  // Horizontal layout: per lane its box, its bars' slots and its bars' labels.
  const slotsOf = new Map<string, number>();
  const labelW = new Map<string, number>();
  for (const b of m.bars) {
    slotsOf.set(b.lane, Math.max(slotsOf.get(b.lane) ?? 0, b.slot + 1));
    labelW.set(b.lane, Math.max(labelW.get(b.lane) ?? 0, textWidth(barLabel(b), BAR_FONT)));
  }
  const extra = (lane: string): number => 10 + (slotsOf.get(lane) ?? 0) * SLOT_W + (labelW.has(lane) ? 4 + labelW.get(lane)! : 0) + LANE_GAP;
  const groupOf = new Map<string, number>();
  m.groups?.forEach((g, gi) => g.lanes.forEach((l) => groupOf.set(l, gi)));
  let gaps = 0;
  m.lanes.forEach((lane, k) => {
    if (k > 0 && (groupOf.get(lane.name) ?? -1) !== (groupOf.get(m.lanes[k - 1].name) ?? -1)) gaps += GROUP_GAP;
  });
  const room = TARGET_WIDTH - 2 * PAD - GUTTER - gaps - m.lanes.reduce((w, l) => w + BOX_X + extra(l.name), 0);
  const boxW = Math.max(MIN_BOX, Math.min(MAX_BOX, Math.floor(room / Math.max(1, m.lanes.length))));
  const tw = boxW - 14;
  const laneX = new Map<string, number>();
  let x = PAD + GUTTER;
  let prevGroup: number | undefined;
  for (const lane of m.lanes) {
    const g = groupOf.get(lane.name) ?? -1;
    if (prevGroup !== undefined && g !== prevGroup) x += GROUP_GAP;
    laneX.set(lane.name, x);
    x += BOX_X + boxW + extra(lane.name);
    prevGroup = g;
  }
  const center = (lane: string): number => (laneX.get(lane) ?? PAD + GUTTER) + BOX_X + boxW / 2;
  const barX = (bar: number): number => (laneX.get(m.bars[bar].lane) ?? 0) + BOX_X + boxW + 10 + m.bars[bar].slot * SLOT_W;
  const labelX = (lane: string): number => (laneX.get(lane) ?? 0) + BOX_X + boxW + 10 + (slotsOf.get(lane) ?? 0) * SLOT_W + 4;

  const finalArrows = m.arrows.filter((a) => a.row === m.rows.length);
  let labelsRight = 0;
  finalArrows.forEach((a, k) => {
    const geo = finalArrowGeometry(a, k, laneX, boxW, barX);
    labelsRight = Math.max(labelsRight, geo.labelX + textWidth(geo.words, 10));
  });
  const lanesRight = x - LANE_GAP;
  const width = Math.max(x - LANE_GAP + PAD + (m.loop ? LOOP_WIDTH : 0), 680, labelsRight + PAD);

  // Vertical layout: blocks of rows, then the final state.
  const titleBottom = 50;
  const groupTop = titleBottom;
  const headerTop = m.groups ? groupTop + 24 : titleBottom;
  const headerH = 34;
  const blocks = blocksOf(m, tw);
  let y = headerTop + headerH + 12;
  const blockTop: number[] = [];
  const rowBlock: number[] = [];
  blocks.forEach((b, k) => {
    blockTop.push(y);
    for (let r = b.first; r <= b.last; r++) rowBlock[r] = k;
    y += b.height + ROW_GAP;
  });
  const finalLines = new Map(m.final.map((f) => [f.lane, wrap(f.text || '\u2014', tw, FONT)]));
  const finalTop = y + 4;
  const finalH = 10 + LINE * (1 + Math.max(1, ...[...finalLines.values()].map((l) => l.length)));
  const bandTop = finalTop + finalH + 8;
  const bandH = finalArrows.length > 0 ? finalArrows.length * ARROW_STEP + 10 : 0;
  /** The y of row r's block middle (capped near its top, so a bar starts beside the event). */
  const rowY = (r: number): number => {
    const k = rowBlock[r];
    return blockTop[k] + Math.min(blocks[k].height / 2, 14);
  };
  const barEndY = (to: number | null): number => (to === null ? finalTop + finalH : rowY(to));

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
      const lastLane = grp.lanes[grp.lanes.length - 1];
      const gw = laneX.get(lastLane)! + BOX_X + boxW + extra(lastLane) - LANE_GAP + 4 - gx;
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

  // Lane headers (the thread and the code path it runs) and lines.
  const pathOf = new Map<string, string>();
  for (const r of m.rows) if (!pathOf.has(r.lane)) pathOf.set(r.lane, splitActionName(r.full).chain[0] ?? '');
  for (const lane of m.lanes) {
    const lx = laneX.get(lane.name)!;
    const cx = center(lane.name);
    const stroke = lane.involved ? RED : '#8a95a8';
    const runs = pathOf.get(lane.name);
    body.push(
      el(
        'g',
        { class: `lane${lane.involved ? ' problem' : ''}`, 'data-lane': lane.name },
        el('line', { x1: cx, y1: headerTop + headerH, x2: cx, y2: finalTop, stroke: '#c3cad6', 'stroke-dasharray': '4 4' }),
        el('rect', { x: lx + BOX_X, y: headerTop, width: boxW, height: headerH, rx: 5, fill: lane.involved ? '#fde8ea' : '#e9edf4', stroke, 'stroke-width': lane.involved ? 2 : 1 }),
        text({ x: cx, y: headerTop + 15, 'text-anchor': 'middle', 'font-weight': 'bold', 'font-size': 12, fill: lane.involved ? RED : INK }, fit(lane.name, boxW - 10, 12), lane.process ? `${lane.name} (process ${lane.process})` : lane.name),
        ...(runs ? [text({ x: cx, y: headerTop + 28, 'text-anchor': 'middle', 'font-size': SMALL, fill: MUTED, class: 'runs' }, fit(`runs ${runs}`, boxW - 10, SMALL), `runs ${runs}`)] : []),
      ),
    );
  }

  // Held-lock bars beside the lanes, each labelled horizontally where it starts.
  const labelYs = new Map<string, number[]>();
  m.bars.forEach((b, i) => {
    const bx = barX(i);
    const y1 = rowY(b.from);
    const y2 = barEndY(b.to);
    const colour = lockColour(b.cls);
    const read = b.mode === 'read';
    const held = `${b.lane} holds ${b.label}${read ? ' (read)' : b.mode === 'write' ? ' (write)' : ''} from step ${m.rows[b.from].index} ${b.to === null ? 'to the end' : `to step ${m.rows[b.to].index}`}`;
    const used = labelYs.get(b.lane) ?? [];
    labelYs.set(b.lane, used);
    let ly = y1 + 3;
    while (used.some((u) => Math.abs(u - ly) < 11)) ly += 11;
    used.push(ly);
    const lx = labelX(b.lane);
    body.push(
      el(
        'g',
        { class: `bar held-${b.mode}${b.highlighted ? ' problem' : ''}`, 'data-lane': b.lane, 'data-lock': b.lock, 'data-lock-class': b.cls },
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
          class: 'bar-fill',
        }),
        el('line', { x1: bx + BAR_W, y1: y1, x2: lx - 2, y2: ly - 3, stroke: colour, 'stroke-width': 0.8 }),
        text({ x: lx, y: ly, 'font-size': BAR_FONT, fill: b.highlighted ? RED : colour, class: 'bar-label', ...(b.highlighted ? { 'font-weight': 'bold' } : {}) }, barLabel(b)),
      ),
    );
  });

  // Step boxes (a run of quiet steps is one box).
  blocks.forEach((blk, k) => {
    const lx = laneX.get(blk.lane)!;
    const top = blockTop[k];
    const first = m.rows[blk.first];
    const single = blk.first === blk.last;
    const cause = single && first.role === 'cause';
    const related = single && first.role !== undefined && !cause;
    const seen = single && seenHere(first, m);
    const problem = single && first.problem && !seen;
    const stroke = cause || problem ? RED : seen ? ORANGE : related ? DARK_RED : '#8a95a8';
    const fill = cause || problem ? '#fde8ea' : seen ? '#fff4e5' : related ? '#fdf3f4' : single ? '#ffffff' : '#f7f8fb';
    const tx = lx + BOX_X + 7;
    let ly = top + 4;
    const lines = blk.lines.map((l) => {
      ly += lineHeight(l);
      const attrs = { x: tx, y: ly - 3, fill: l.fill, ...(l.size !== FONT ? { 'font-size': l.size } : {}), ...(l.bold ? { 'font-weight': 'bold' } : {}), ...(l.cls ? { class: l.cls } : {}) };
      if (l.lead !== undefined) {
        return el('text', attrs, el('tspan', { 'font-weight': 'bold' }, xmlEscape(l.lead)), xmlEscape(l.text));
      }
      return text(attrs, l.text, l.title);
    });
    const classes = ['step', ...(single ? [] : ['quiet']), ...(problem ? ['problem'] : []), ...(cause ? ['cause'] : []), ...(related ? ['related'] : []), ...(seen ? ['seen'] : [])];
    const steps = m.rows.slice(blk.first, blk.last + 1);
    const tip = single ? `${first.index}. ${first.lane}: ${first.full}` : steps.map((r) => `${r.index}. ${r.lane}: ${r.full}`).join('\n');
    const box = el(
      'g',
      { class: classes.join(' '), 'data-step': single ? first.index : `${first.index}-${m.rows[blk.last].index}`, 'data-lane': blk.lane },
      tooltip(tip),
      el('rect', { x: lx + BOX_X, y: top, width: boxW, height: blk.height, rx: 4, fill, stroke, 'stroke-width': cause ? 2.5 : problem || seen ? 2 : 1, 'stroke-dasharray': related ? '5 3' : single ? undefined : '2 2', class: 'box' }),
      ...lines,
    );
    const number = single ? String(first.index) : `${first.index}\u2013${m.rows[blk.last].index}`;
    body.push(text({ x: PAD + GUTTER - 8, y: top + 15, 'text-anchor': 'end', fill: cause ? RED : MUTED, class: 'step-number', ...(cause ? { 'font-weight': 'bold' } : {}) }, number));
    body.push(opts.stateHref ? el('a', { href: opts.stateHref(first.index) }, box) : box);
  });

  // Arrows on step rows (wake-ups, blocking). The words are in the waiting lane's box.
  for (const a of m.arrows) {
    if (a.row >= m.rows.length) continue;
    const k = rowBlock[a.row];
    body.push(rowArrow(a, m, laneX, boxW, blockTop[k] + blocks[k].height / 2, barX));
  }

  // The final state.
  body.push(text({ x: PAD + GUTTER - 8, y: finalTop + 14, 'text-anchor': 'end', fill: MUTED, class: 'step-number' }, String(m.finalIndex)));
  for (const f of m.final) {
    const lx = laneX.get(f.lane)!;
    const tone = f.tone === 'problem' ? RED : f.tone === 'waiting' ? ORANGE : f.tone === 'done' ? '#2a7a3a' : MUTED;
    const lines = finalLines.get(f.lane)!;
    body.push(
      el(
        'g',
        { class: `final ${f.tone}`, 'data-lane': f.lane },
        tooltip(`state ${m.finalIndex}: ${f.lane}${f.text ? ` ${f.text}` : ''}`),
        el('rect', { x: lx + BOX_X, y: finalTop, width: boxW, height: finalH, rx: 4, fill: f.tone === 'problem' ? '#fde8ea' : '#f7f8fb', stroke: tone, 'stroke-width': f.tone === 'problem' ? 2 : 1, 'stroke-dasharray': f.tone === 'problem' ? undefined : '3 3', class: 'box' }),
        text({ x: lx + BOX_X + 7, y: finalTop + 14, 'font-weight': 'bold', fill: tone }, `state ${m.finalIndex}`),
        ...lines.map((l, i) => text({ x: lx + BOX_X + 7, y: finalTop + 14 + LINE * (i + 1), fill: tone }, l)),
      ),
    );
  }
  finalArrows.forEach((a, k) => body.push(finalArrow(a, k, laneX, boxW, bandTop, finalTop + finalH, barX)));
  if (m.loop) {
    // Each row's block (a block may hold several rows), then the final state's row.
    const tops = [...m.rows.map((_, r) => blockTop[rowBlock[r]]), finalTop];
    const heights = [...m.rows.map((_, r) => blocks[rowBlock[r]].height), finalH];
    body.push(loopSvg(m.loop, lanesRight, tops, heights));
  }

  // The problem in words, then the file's pages.
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
    const nameW = 136;
    const cellW = Math.min(200, Math.floor((width - 2 * PAD - nameW) / Math.max(1, m.pages.indices)));
    const parts: string[] = [text({ x: PAD, y: by + 12, 'font-weight': 'bold', fill: INK }, `pages of the file in state ${m.finalIndex}`)];
    const top = by + 20;
    for (let i = 0; i < m.pages.indices; i++) parts.push(text({ x: PAD + nameW + i * cellW + cellW / 2, y: top + 12, 'text-anchor': 'middle', fill: MUTED }, `index ${i}`));
    m.pages.rows.forEach((row, ri) => {
      const ry = top + 18 + ri * 20;
      parts.push(text({ x: PAD, y: ry + 13, fill: MUTED, ...(row.ghost ? { 'font-style': 'italic' } : {}) }, fit(row.ghost ? `${row.name} (ghost)` : row.name, nameW - 6, FONT)));
      row.cells.forEach((c, i) => {
        const cx = PAD + nameW + i * cellW;
        parts.push(
          el(
            'g',
            { class: `page-cell${c.stale ? ' stale' : ''}`, 'data-row': row.name },
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

  // Legend: each lock class in its colour (the bars' colours), then the marks; wrapped to the width.
  const legend: string[] = [];
  let lx = PAD;
  let ly = by;
  const item = (draw: (x: number, y: number) => string, label: string, cls: string, attrs: Record<string, string> = {}): void => {
    const w = 22 + textWidth(label, 10) + 18;
    if (lx + w > width - PAD && lx > PAD) {
      lx = PAD;
      ly += 18;
    }
    legend.push(el('g', { class: `legend-item ${cls}`, ...attrs }, draw(lx, ly), text({ x: lx + 22, y: ly + 11, fill: MUTED, 'font-size': 10 }, label)));
    lx += w;
  };
  for (const cls of m.classes) {
    item((x0, y0) => el('rect', { x: x0, y: y0 + 2, width: 14, height: 10, fill: lockColour(cls), 'fill-opacity': 0.9, class: 'swatch' }), cls, 'lock', { 'data-lock-class': cls });
  }
  if (m.classes.length > 0) {
    item((x0, y0) => el('rect', { x: x0, y: y0 + 2, width: 14, height: 10, fill: MUTED, 'fill-opacity': 0.35, stroke: MUTED }), 'light: held for read', 'mode');
  }
  item((x0, y0) => el('line', { x1: x0, y1: y0 + 7, x2: x0 + 16, y2: y0 + 7, stroke: WAKE, 'stroke-width': 1.5, 'marker-end': 'url(#lane-arrow-wake)' }), 'wakes', 'mark');
  item((x0, y0) => el('line', { x1: x0, y1: y0 + 7, x2: x0 + 16, y2: y0 + 7, stroke: ORANGE, 'stroke-width': 1.5, 'stroke-dasharray': '4 2', 'marker-end': 'url(#lane-arrow-block)' }), 'waits for', 'mark');
  item((x0, y0) => el('line', { x1: x0, y1: y0 + 7, x2: x0 + 16, y2: y0 + 7, stroke: RED, 'stroke-width': 2, 'marker-end': 'url(#lane-arrow-cycle)' }), 'the problem', 'mark');
  if (m.cause !== undefined) {
    item((x0, y0) => el('rect', { x: x0, y: y0 + 1, width: 14, height: 12, rx: 2, fill: '#fde8ea', stroke: RED, 'stroke-width': 2 }), 'the step that caused it', 'mark');
    if (m.problemKind === 'invariant' && m.cause !== m.finalIndex) item((x0, y0) => el('rect', { x: x0, y: y0 + 1, width: 14, height: 12, rx: 2, fill: '#fff4e5', stroke: ORANGE, 'stroke-width': 2 }), 'where the check saw it', 'mark');
  }
  if (blocks.some((b) => b.first !== b.last)) {
    item((x0, y0) => el('rect', { x: x0, y: y0 + 1, width: 14, height: 12, rx: 2, fill: '#f7f8fb', stroke: '#8a95a8', 'stroke-dasharray': '2 2' }), 'quiet steps, collapsed', 'mark');
  }
  body.push(el('g', { class: 'legend' }, ...legend));
  const height = ly + 24;

  return svgDocument({ width, height, title: `${m.title}: ${m.subtitle}`, desc: m.problem.join('\n'), className: 'daxmc-lanes' }, body);
}

function rowArrow(a: Arrow, m: LaneModel, laneX: ReadonlyMap<string, number>, boxW: number, midY: number, barX: (b: number) => number): string {
  const colour = a.kind === 'wake' ? WAKE : a.kind === 'cycle' ? RED : ORANGE;
  const fromX = laneX.get(a.from)!;
  const y = midY + (a.kind === 'wake' ? 4 : -2);
  const targetX = a.bar !== undefined ? barX(a.bar) + (a.to === a.from ? 0 : BAR_W / 2) : (laneX.get(a.to) ?? fromX) + BOX_X + boxW / 2;
  const right = targetX >= fromX + BOX_X + boxW / 2;
  const x1 = right ? fromX + BOX_X + boxW : fromX + BOX_X;
  const x2 = targetX - (right ? 1 : -1) * (a.bar !== undefined ? 1 : 0);
  return el(
    'g',
    { class: `arrow ${a.kind}`, 'data-from': a.from, 'data-to': a.to, 'data-step': m.rows[a.row].index },
    tooltip(`${a.from} ${a.label}${a.to !== a.from ? ` (${a.to})` : ''}`),
    el('line', { x1, y1: y, x2, y2: y, stroke: colour, 'stroke-width': 1.5, 'stroke-dasharray': a.kind === 'block' ? '4 2' : undefined, 'marker-end': `url(#lane-arrow-${a.kind})` }),
  );
}

function finalArrowGeometry(a: Arrow, k: number, laneX: ReadonlyMap<string, number>, boxW: number, barX: (b: number) => number): { fromCx: number; targetX: number; labelX: number; words: string } {
  const fromCx = (laneX.get(a.from) ?? 0) + BOX_X + boxW / 2 - 30 + (k % 3) * 12;
  const targetX = a.bar !== undefined ? barX(a.bar) + BAR_W / 2 : (laneX.get(a.to) ?? 0) + BOX_X + boxW / 2 + 30;
  const labelX = Math.min(fromCx, targetX) + 6;
  const words = `${a.from} ${a.label}${a.to !== a.from ? `, held by ${a.to}` : ', which it holds itself'}`;
  return { fromCx, targetX, labelX, words };
}

function finalArrow(a: Arrow, k: number, laneX: ReadonlyMap<string, number>, boxW: number, bandTop: number, boxBottom: number, barX: (b: number) => number): string {
  const colour = a.kind === 'cycle' ? RED : a.kind === 'wake' ? WAKE : ORANGE;
  const { fromCx, targetX, labelX, words } = finalArrowGeometry(a, k, laneX, boxW, barX);
  const y = bandTop + 16 + k * ARROW_STEP;
  const d = `M${num(fromCx)},${num(boxBottom)} L${num(fromCx)},${num(y)} L${num(targetX)},${num(y)} L${num(targetX)},${num(boxBottom + 2)}`;
  return el(
    'g',
    { class: `arrow ${a.kind}`, 'data-from': a.from, 'data-to': a.to, 'data-step': 'final' },
    tooltip(words),
    el('path', { d, fill: 'none', stroke: colour, 'stroke-width': a.kind === 'cycle' ? 2.2 : 1.5, 'stroke-dasharray': a.kind === 'block' ? '4 2' : undefined, 'marker-end': `url(#lane-arrow-${a.kind})` }),
    text({ x: labelX, y: y - 4, 'font-size': 10, fill: colour, 'font-weight': 'bold', ...HALO }, words),
  );
}
