// The shell every daxmc HTML page shares: a self-contained document (inline CSS, no network, no
// fonts or scripts from elsewhere) that opens from the file system in any browser, and the
// escaping helpers. Pure string functions.

/** Escapes text for HTML element content and attribute values. */
export function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const PAGE_CSS = `
:root { --ink: #1d2430; --muted: #5f6b7a; --line: #d5dbe5; --bg: #f6f7fa; --red: #d0182b; --green: #2a7a3a; --orange: #b86300; --blue: #1f6fb4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #1d2430; color: #fff; padding: 10px 24px; display: flex; gap: 18px; align-items: baseline; flex-wrap: wrap; }
header.top a { color: #cfe0ff; }
header.top .brand { font-weight: 700; letter-spacing: .02em; }
main { padding: 18px 24px 48px; max-width: 1500px; }
h1 { font-size: 22px; margin: 6px 0 4px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre.cmd { background: #1d2430; color: #e8eef8; padding: 8px 12px; border-radius: 6px; margin: 4px 0; white-space: pre-wrap; word-break: break-all; }
.muted { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 10px 0; }
.problem { border-color: var(--red); background: #fdf0f1; }
.problem strong { color: var(--red); }
table.verdicts { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
table.verdicts th, table.verdicts td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.verdicts th { background: #eef1f6; font-weight: 600; position: sticky; top: 0; }
table.verdicts td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.verdicts tr.scheme th { background: #dfe5ef; font-size: 15px; }
.status { font-weight: 700; padding: 1px 7px; border-radius: 10px; font-size: 12px; white-space: nowrap; }
.status.agrees { background: #e3f3e6; color: var(--green); }
.status.differs, .status.error { background: #fde3e6; color: var(--red); }
.status.incomplete { background: #fff0d9; color: var(--orange); }
.outcome.found { color: var(--red); }
.outcome.holds { color: var(--green); }
.figure { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow-x: auto; }
.figure svg { display: block; max-width: none; height: auto; }
.figure.lock-order svg { max-width: 100%; }
.zoom-toggle { position: absolute; opacity: 0; pointer-events: none; }
label.zoom-link { color: var(--blue); text-decoration: underline; cursor: zoom-in; }
.zoomable { position: relative; }
.zoomable .zoom-area { display: block; cursor: zoom-in; }
.zoomable .zoom-close { display: none; }
.zoom-toggle:checked + .zoomable { position: fixed; inset: 0; z-index: 20; margin: 0; border-radius: 0; overflow: auto; padding: 36px 24px 24px; background: #fff; }
.zoom-toggle:checked + .zoomable .zoom-area { cursor: zoom-out; }
.zoom-toggle:checked + .zoomable svg { width: 100%; max-width: none; height: auto; }
.zoom-toggle:checked + .zoomable .zoom-close { display: block; position: fixed; top: 8px; right: 16px; background: var(--ink); color: #fff; padding: 3px 12px; border-radius: 6px; cursor: pointer; }
tr.summary td { background: #f7f8fb; font-size: 13px; }
tr.summary details p { margin: 6px 0; max-width: 110ch; }
ul.commits { margin: 4px 0 6px; padding-left: 20px; }
nav.toc a { margin-right: 14px; }
.states { display: flex; flex-direction: column; gap: 10px; }
.state { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; scroll-margin-top: 12px; }
.state:target { outline: 3px solid var(--blue); }
.state.last.failing { border-color: var(--red); }
.state.cycle { border-left: 4px solid var(--red); }
.state.cycle h3 .repeats { color: var(--red); font-size: 12px; margin-left: 8px; }
.state.loop-back { border-style: dashed; border-color: var(--red); color: var(--red); }
.state h3 { margin: 0 0 4px; font-size: 14px; }
.state h3 .idx { color: var(--muted); margin-right: 6px; }
.state ul.notes { margin: 2px 0 6px; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
.state ul.notes li.acquire { color: var(--blue); }
.state ul.notes li.wait { color: var(--orange); }
.state ul.notes li.error { color: var(--red); font-weight: 700; }
.vars { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
.var { padding: 1px 4px; border-left: 3px solid transparent; }
.var.changed { background: #fff7db; border-left-color: #e0a800; }
.var .mark { display: inline-block; width: 1.2em; color: #b07d00; font-weight: 700; }
.var mark { background: #ffe08a; border-radius: 2px; padding: 0 1px; }
#only-changed:checked ~ .states .state:not(.first) .var:not(.changed) { display: none; }
.var.ghost { display: none; color: var(--muted); font-style: italic; }
#show-ghosts:checked ~ .states .var.ghost { display: block; }
.role { font-size: 12px; font-weight: 700; padding: 1px 7px; border-radius: 10px; background: #eef1f6; color: var(--muted); margin-left: 6px; }
.role.cause { background: #fde3e6; color: var(--red); }
label.toggle { display: inline-block; margin: 4px 0 10px; user-select: none; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; }
`;

export interface PageOptions {
  readonly title: string;
  /** Links in the top bar: [label, href]. */
  readonly nav?: readonly (readonly [string, string])[];
  /** Extra inline script (no external sources). */
  readonly script?: string;
  readonly extraCss?: string;
}

/** The tag in the head of every page daxmc writes: how a later report knows its own pages. */
export const DAXMC_GENERATOR = '<meta name="generator" content="daxmc">';

/** A complete, self-contained HTML document. */
export function page(opts: PageOptions, body: string): string {
  const nav = (opts.nav ?? []).map(([label, href]) => `<a href="${html(href)}">${html(label)}</a>`).join(' ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${DAXMC_GENERATOR}
<link rel="icon" href="data:,">
<title>${html(opts.title)}</title>
<style>${PAGE_CSS}${opts.extraCss ?? ''}</style>
</head>
<body>
<header class="top"><span class="brand">daxmc</span> ${nav}</header>
<main>
${body}
</main>
${opts.script !== undefined ? `<script>${opts.script}</script>\n` : ''}</body>
</html>
`;
}
