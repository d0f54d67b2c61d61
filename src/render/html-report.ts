// `daxmc report --html DIR`: the claims as a self-contained set of pages. index.html is the
// verdict table of every scheme (claims grouped by scheme under its summary: why it was reverted
// or what fixed it, with commits; what was claimed, what the checker found, states, whether it
// agrees with what the claim pinned, the note against the published account); each
// counterexample gets its own page with the problem explained, the lane diagram at full width,
// the lock-order graph (full width, and enlargeable to the whole window), the commands that
// replay it and the states step by step. Inline CSS only (the enlarging is a CSS toggle); no
// network; relative links, so it opens from the file system. Pure functions from claim results
// to files; the CLI writes them atomically.
import { LOCK_ORDER } from '../report/claim';
import type { ClaimResult } from '../report/run-claims';
import { replay } from '../trace/trace';
import { lockdepReports } from './lockdep';
import { goldenBase } from '../report/verdicts';
import { schemeSummary } from '../../specs/dax/scheme-summaries';
import { checkPathCommand, count, replayFileCommand, shellQuote } from './format';
import { html, page } from './html-page';
import { traceOutcome, traceStatesHtml } from './html-trace';
import { processesFromParams } from './svg-lane-model';
import { renderLaneSvg } from './svg-lanes';
import { lockOrderData, renderLockOrderSvg } from './svg-lock-order';
import { inlineSvg } from './svg-xml';

export interface HtmlFile {
  readonly name: string;
  readonly content: string;
}

/** The page of a claim's counterexample: `v4.2/B4` -> `claim-v4.2-B4.html`. */
export function claimPageName(id: string): string {
  return `claim-${id.replace(/[^A-Za-z0-9._-]+/g, '-')}.html`;
}

/** Where `daxmc report --traces traces/dax` keeps the claim's golden ITF trace. */
export function goldenItfPath(id: string): string {
  return `${goldenBase(id)}.itf.json`;
}

const STATUS_WORD: Record<ClaimResult['status'], string> = { agrees: 'agrees', differs: 'DIFFERS', incomplete: 'INCOMPLETE', error: 'ERROR' };

/** What the report covers when its claims are not the built-in ones. */
export interface HtmlReportOptions {
  readonly complete?: boolean;
  /** What the claims are ("the claims of ./my-spec.ts"); default: every DAX scheme's. */
  readonly subject?: string;
  /** The argument that names a spec on the command line (a spec file's path); default: its id. */
  readonly specArg?: (specId: string) => string;
  /** Whether the golden trace files of traces/dax/ exist for these claims (default: true). */
  readonly golden?: boolean;
}

/** The command that replays the claim's counterexample along its path, for its one property. */
export function claimReplayCommand(r: ClaimResult, specArg: (specId: string) => string = (id) => id): string | undefined {
  if (!r.trace) return undefined;
  return `${checkPathCommand(specArg(r.claim.spec), r.claim.config, r.trace.path)} --property ${shellQuote(r.claim.property)}`;
}

/** A lock-order claim whose view has a cycle or an inversion: it gets a page too. */
function lockOrderFinding(r: ClaimResult): boolean {
  if (r.claim.property !== LOCK_ORDER) return false;
  const d = lockOrderData(r.result.analyses);
  return d !== undefined && d.cycles.length + (d.inversions?.length ?? 0) > 0;
}

/** Whether the claim has a page of its own (a counterexample, or a lock-order finding). */
function hasPage(r: ClaimResult): boolean {
  return r.trace !== undefined || lockOrderFinding(r);
}

function indexPage(results: readonly ClaimResult[], complete: boolean, subject: string | undefined): string {
  const schemes: string[] = [];
  for (const r of results) if (!schemes.includes(r.claim.scheme)) schemes.push(r.claim.scheme);
  const agree = results.filter((r) => r.status === 'agrees').length;
  const found = results.filter(hasPage).length;
  const rows: string[] = [];
  for (const s of schemes) {
    const mine = results.filter((r) => r.claim.scheme === s);
    rows.push(`<tr class="scheme" id="scheme-${html(s)}"><th colspan="10">${html(s)} <span class="muted">(${mine.length} claim${mine.length === 1 ? '' : 's'})</span></th></tr>`);
    const summary = schemeSummary(s);
    if (summary) {
      const commits = summary.commits.map((c) => `<li><code>${html(c.id)}</code> ${html(c.subject)} <span class="muted">(${html(c.role)})</span></li>`).join('');
      rows.push(`<tr class="summary"><td colspan="10"><details><summary><b>${html(summary.title)}</b>: ${html(summary.outcome)}</summary><p>${html(summary.summary)}</p><ul class="commits">${commits}</ul></details></td></tr>`);
    }
    for (const r of mine) {
      const c = r.claim;
      const outcome = hasPage(r) ? `<a href="${html(claimPageName(c.id))}">${html(r.outcome)}</a>` : html(r.outcome);
      const found = r.result.verdict === 'fail' || lockOrderFinding(r);
      rows.push(
        `<tr data-claim="${html(c.id)}"><td><b>${hasPage(r) ? `<a href="${html(claimPageName(c.id))}">${html(c.id)}</a>` : html(c.id)}</b></td><td>${html(c.item)} [${html(c.grade)}]</td><td><code>${html(c.spec)}</code></td><td><code>${html(c.config)}</code></td><td>${html(c.property)}</td>` +
          `<td>${c.expect === 'found' ? 'found' : 'holds'}</td><td class="outcome ${found ? 'found' : r.result.verdict === 'pass' ? 'holds' : ''}">${outcome}</td>` +
          `<td class="num">${count(r.result.stats.distinct)}</td><td><span class="status ${html(r.status)}">${html(STATUS_WORD[r.status])}</span></td>` +
          `<td>${r.differences.length > 0 ? html(r.differences.join('; ')) : `<span class="muted">${html(c.note)}</span>`}</td></tr>`,
      );
    }
  }
  const body = `<h1>Verdicts</h1>
<p class="muted">${subject !== undefined ? `Every one of ${html(subject)}` : 'Every claim about the DAX locking schemes'}, as <code>daxmc report</code> checked it. A claim says a property is violated (found) or holds at one configuration; the checker settles it. "holds" means over every reachable state at the stated bounds; "found" links to the shortest counterexample (BFS). "vs pinned" says whether the result agrees with the figures the claim pinned; ${subject !== undefined ? 'the note says how the result compares with what the claim expected.' : 'the note says how the claim compares with the published account (commit messages and mails, cited under each scheme).'}${complete ? '' : ' <b>The run was interrupted: this table is partial.</b>'}</p>
<div class="card"><b>${results.length}</b> claim${results.length === 1 ? '' : 's'} over <b>${schemes.length}</b> scheme${schemes.length === 1 ? '' : 's'}: <span class="status agrees">${agree} agree</span> <span class="status ${agree === results.length ? 'agrees' : 'differs'}">${results.length - agree} differ</span>; ${found} counterexample${found === 1 ? '' : 's'}.
<nav class="toc">${schemes.map((s) => `<a href="#scheme-${html(s)}">${html(s)}</a>`).join('')}</nav></div>
<table class="verdicts">
<thead><tr><th>claim</th><th>item</th><th>spec</th><th>configuration</th><th>property</th><th>claimed</th><th>checker</th><th>states</th><th>vs pinned</th><th>${subject !== undefined ? 'note' : 'note, against the published account'}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  return page({ title: 'daxmc verdicts', nav: [['verdicts', 'index.html']] }, body);
}

function counterexamplePage(r: ClaimResult, opts: HtmlReportOptions): string {
  const t = r.trace!;
  const c = r.claim;
  const processOf = processesFromParams(r.outcomeRun.params);
  const lanes = inlineSvg(renderLaneSvg(t, { ...(processOf ? { processOf } : {}), stateHref: (k) => `#state-${k}` }));
  const lo = lockOrderData(r.result.analyses);
  const lockOrder = lo ? inlineSvg(renderLockOrderSvg(lo, { title: `lock order over the ${count(r.result.stats.distinct)} states explored` })) : undefined;
  const replay = claimReplayCommand(r, opts.specArg)!;
  const golden = c.expect === 'found' && (opts.golden ?? true) ? replayFileCommand(goldenItfPath(c.id)) : undefined;
  const problem: string[] = [`<strong>${html(traceOutcome(t))}</strong>`];
  for (const d of t.diagnosis?.details ?? []) problem.push(html(d));
  for (const e of t.explanation ?? []) problem.push(html(e));
  if (t.cause !== undefined) problem.push(`<a href="#state-${t.cause}">go to step ${t.cause}, the cause</a>`);
  const body = `<p class="muted"><a href="index.html">verdicts</a> / ${html(c.scheme)} / ${html(c.id)}</p>
<h1>${html(c.id)}: ${html(c.property)}</h1>
<div class="card"><dl class="kv">
<dt>claim</dt><dd>${html(c.item)} [${html(c.grade)}], expected ${c.expect === 'found' ? 'a counterexample' : 'the property to hold'}</dd>
<dt>spec</dt><dd><code>${html(c.spec)}</code>, configuration <code>${html(c.config)}</code></dd>
<dt>checker</dt><dd>${html(r.outcome)} (${count(r.result.stats.distinct)} distinct states) <span class="status ${html(r.status)}">${html(STATUS_WORD[r.status])}</span> <span class="muted">with what the claim pinned</span></dd>
<dt>note</dt><dd>${html(c.note)}</dd>
</dl></div>
<div class="card problem">${problem.join('<br>\n')}</div>
<nav class="toc"><a href="#lanes">lane diagram</a><a href="#replay">replay</a><a href="#lock-order">lock order</a><a href="#states">states</a><a href="#how-to-read">how to read the diagram</a></nav>
<h2 id="lanes">Lane diagram</h2>
<p class="muted">One lane per thread, grouped by process; a box per step (hover for the full call chain, click to see its state), runs of quiet steps in one dashed box; the bars beside a lane are the locks it holds (light: read), one colour per lock class; the step that caused the problem is red, the step after which the check saw it orange.</p>
<div class="figure lanes">${lanes}</div>
<h2 id="replay">Replay</h2>
<pre class="cmd">${html(replay)}</pre>
${golden ? `<pre class="cmd">${html(golden)}</pre>` : ''}
<h2 id="lock-order">Lock order</h2>
<p class="muted">"Held A while acquiring B" over every transition the check explored, as lockdep builds it; cycles in red.${lockOrder ? ' <label for="zoom-lock-order" class="zoom-link">Enlarge it to the whole window</label>.' : ''}</p>
${lockOrder ? `<input type="checkbox" id="zoom-lock-order" class="zoom-toggle"><div class="figure lock-order zoomable"><label for="zoom-lock-order" class="zoom-close" title="close (or click the graph)">close</label><label for="zoom-lock-order" class="zoom-area">${lockOrder}</label></div>` : '<p class="muted">This spec has no lock-order analysis.</p>'}
<h2 id="states">States, step by step</h2>
${traceStatesHtml(t)}
<h2 id="how-to-read">How to read the lane diagram</h2>
<ul>
<li>Each column is a thread, headed by the code path it runs; columns sit in a grey box per process when the configuration says which process runs each thread.</li>
<li>Each box is one atomic step, in the order taken: the innermost function in bold, then the step; the lines under them are the step's events (<span style="color:#1f6fb4">+</span> acquire, &minus; release, &hellip; queues to wait, &#x21aa; wakes, &#x2716; error, &middot; page, block, PTE and store events). Three or more steps in a row of one thread with no such event are one dashed box, listing them.</li>
<li>A bar beside a lane runs from the step that took a lock to the step that released it, labelled where it starts; a bar that reaches the final row is still held. Solid bars are write or exclusive holds, light bars read holds. Each lock class has one colour in every diagram (the legend lists them).</li>
<li>Arrows between lanes: blue, a wake-up; dashed orange, a thread queuing behind a lock another (or the same) thread holds; red, the wait-for cycle of the deadlock in the final state.</li>
<li>For a violated property, the step that caused it has a red box ("cause of the violation"), the steps its explanation cites a dashed red one, and the step after which the check first failed an orange one ("seen here").</li>
<li>The final row shows where each thread is in the last state; the red box under it states the problem in words, and the table shows the file's pages (block, data, radix slot, PTEs), the stale or lost ones in red.</li>
</ul>`;
  return page({ title: `daxmc ${c.id}: ${c.property}`, nav: [['verdicts', 'index.html']] }, body);
}

/**
 * The page of a lock-order claim that found something: each cycle (and each acquisition against
 * a documented order) as lockdep reports it, the lock-order graph, and for every edge it cites
 * the lane diagram of the example path that makes it, with the command that replays it.
 */
function lockOrderPage(r: ClaimResult, opts: HtmlReportOptions): string {
  const c = r.claim;
  const d = lockOrderData(r.result.analyses)!;
  const specArg = (opts.specArg ?? ((id: string) => id))(c.spec);
  const command = (path: { readonly init: number; readonly actions: readonly number[] }): string => checkPathCommand(specArg, c.config, path);
  const graph = inlineSvg(renderLockOrderSvg(d, { title: `lock order over the ${count(r.result.stats.distinct)} states explored` }));
  const processOf = processesFromParams(r.outcomeRun.params);
  const cited = [...new Set([...d.cycles.flat(), ...(d.inversions ?? []).map((v) => v.edge)])];
  const edges = cited.map((i) => {
    const e = d.edges[i];
    if (!e.path) return '';
    const t = replay(r.outcomeRun.spec, e.path, { specId: c.spec, config: c.config });
    const lanes = inlineSvg(renderLaneSvg(t, processOf ? { processOf } : {}));
    return `<h3 id="edge-${i}">${html(e.fromMode === 'read' ? 'R' : 'W')}(${html(e.from)}) &rarr; ${html(e.toMode === 'read' ? 'R' : 'W')}(${html(e.to)}), by ${html(e.thread)}</h3>
<p class="muted">${html(e.step)}: the last step of the path below takes ${html(e.to)} while ${html(e.thread)} holds ${html(e.from)}.</p>
<pre class="cmd">${html(command(e.path))}</pre>
<div class="figure lanes">${lanes}</div>`;
  });
  const body = `<p class="muted"><a href="index.html">verdicts</a> / ${html(c.scheme)} / ${html(c.id)}</p>
<h1>${html(c.id)}: ${html(c.property)}</h1>
<div class="card"><dl class="kv">
<dt>claim</dt><dd>${html(c.item)} [${html(c.grade)}], expected ${c.expect === 'found' ? 'a lock-order finding' : 'no lock-order cycle'}</dd>
<dt>spec</dt><dd><code>${html(c.spec)}</code>, configuration <code>${html(c.config)}</code></dd>
<dt>checker</dt><dd>${html(r.outcome)} (${count(r.result.stats.distinct)} distinct states) <span class="status ${html(r.status)}">${html(STATUS_WORD[r.status])}</span> <span class="muted">with what the claim pinned</span></dd>
<dt>note</dt><dd>${html(c.note)}</dd>
</dl></div>
<nav class="toc"><a href="#lockdep">as lockdep reports it</a><a href="#lock-order">lock-order graph</a><a href="#edges">the edges, by example</a></nav>
<h2 id="lockdep">As lockdep reports it</h2>
<pre class="lockdep">${html(lockdepReports(d, command))}</pre>
<h2 id="lock-order">Lock-order graph</h2>
<p class="muted">"Held A while acquiring B" over every transition the check explored; cycles in red. <label for="zoom-lock-order" class="zoom-link">Enlarge it to the whole window</label>.</p>
<input type="checkbox" id="zoom-lock-order" class="zoom-toggle"><div class="figure lock-order zoomable"><label for="zoom-lock-order" class="zoom-close" title="close (or click the graph)">close</label><label for="zoom-lock-order" class="zoom-area">${graph}</label></div>
<h2 id="edges">The edges, by example</h2>
${edges.join('\n')}`;
  return page({ title: `daxmc ${c.id}: ${c.property}`, nav: [['verdicts', 'index.html']] }, body);
}

/** The pages of the HTML report: index.html and one page per claim with a counterexample or a lock-order finding. */
export function htmlReportFiles(results: readonly ClaimResult[], opts: HtmlReportOptions = {}): HtmlFile[] {
  const files: HtmlFile[] = [{ name: 'index.html', content: indexPage(results, opts.complete ?? true, opts.subject) }];
  for (const r of results) {
    if (r.trace) files.push({ name: claimPageName(r.claim.id), content: counterexamplePage(r, opts) });
    else if (lockOrderFinding(r)) files.push({ name: claimPageName(r.claim.id), content: lockOrderPage(r, opts) });
  }
  return files;
}
