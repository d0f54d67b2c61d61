// XML building blocks for the SVG renderers: escaping, a tiny element writer with attributes in
// the order given, number formatting that never prints -0 or long fractions, and a monospace
// text-width estimate for layout. Pure functions; no DOM, no library, no randomness.

/** Escapes text for XML character data and attribute values. Drops characters XML forbids. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate or length: at most two decimals, no trailing zeros, never "-0". */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite coordinate: ${n}`); // layout bug, not input
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

export type Attrs = Readonly<Record<string, string | number | undefined>>;

function attrText(attrs: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : xmlEscape(v)}"`;
  }
  return out;
}

/** `<name attrs/>`, or `<name attrs>children</name>` when there are children. */
export function el(name: string, attrs: Attrs, ...children: readonly string[]): string {
  const body = children.join('');
  return body === '' ? `<${name}${attrText(attrs)}/>` : `<${name}${attrText(attrs)}>${body}</${name}>`;
}

/** A text element whose content is escaped. */
export function text(attrs: Attrs, content: string, title?: string): string {
  return el('text', attrs, ...(title !== undefined ? [el('title', {}, xmlEscape(title))] : []), xmlEscape(content));
}

/** A `<title>` tooltip. */
export function tooltip(s: string): string {
  return el('title', {}, xmlEscape(s));
}

/** Width of monospace text at this font size (the renderers use a monospace font throughout). */
export function textWidth(s: string, fontSize: number): number {
  return [...s].length * fontSize * 0.6;
}

/** Cuts text to fit `width` at `fontSize`, ending with an ellipsis when cut. */
export function fit(s: string, width: number, fontSize: number): string {
  const chars = [...s];
  const max = Math.max(1, Math.floor(width / (fontSize * 0.6)));
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}\u2026`;
}

/** The SVG document wrapper: an XML declaration, the root with its view box, a title and desc. */
export function svgDocument(opts: { width: number; height: number; title: string; desc?: string; className: string }, body: readonly string[]): string {
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" class="${xmlEscape(opts.className)}" width="${num(opts.width)}" height="${num(opts.height)}" viewBox="0 0 ${num(opts.width)} ${num(opts.height)}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="11">`,
    `<title>${xmlEscape(opts.title)}</title>`,
    ...(opts.desc !== undefined ? [`<desc>${xmlEscape(opts.desc)}</desc>`] : []),
  ];
  return `${[...head, ...body, '</svg>'].join('\n')}\n`;
}

/** Strips the XML declaration, to inline an SVG document into HTML. */
export function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*\?>\n?/, '');
}

/** A small stable hash of a string (FNV-1a, 32 bits), for picking colours deterministically. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
