// `daxmc report --html DIR`: the claims as a self-contained set of pages. index.html is the
// verdict table of every scheme (claims grouped by scheme: what was claimed, what the checker
// found, states, status); each counterexample gets its own page with the lane diagram, the
// lock-order graph, the states step by step (changed variables marked) and the commands that
// replay it. Inline CSS only; no network; relative links, so it opens from the file system.
// Pure functions from claim results to files; the CLI writes them atomically.
import type { ClaimResult } from '../report/run-claims';
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
  return `traces/dax/${id.replace(/[^A-Za-z0-9._/-]+/g, '-')}.itf.json`;
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

function indexPage(results: readonly ClaimResult[], complete: boolean, subject: string | undefined): string {
  const schemes: string[] = [];
  for (const r of results) if (!schemes.includes(r.claim.scheme)) schemes.push(r.claim.scheme);
  const agree = results.filter((r) => r.status === 'agrees').length;
  const found = results.filter((r) => r.trace).length;
  const rows: string[] = [];
  for (const s of schemes) {
    const mine = results.filter((r) => r.claim.scheme === s);
    rows.push(`<tr class="scheme" id="scheme-${html(s)}"><th colspan="10">${html(s)} <span class="muted">(${mine.length} claim${mine.length === 1 ? '' : 's'})</span></th></tr>`);
    for (const r of mine) {
      const c = r.claim;
      const outcome = r.trace ? `<a href="${html(claimPageName(c.id))}">${html(r.outcome)}</a>` : html(r.outcome);
      const found = r.result.verdict === 'fail';
      rows.push(
        `<tr data-claim="${html(c.id)}"><td><b>${r.trace ? `<a href="${html(claimPageName(c.id))}">${html(c.id)}</a>` : html(c.id)}</b></td><td>${html(c.item)} [${html(c.grade)}]</td><td><code>${html(c.spec)}</code></td><td><code>${html(c.config)}</code></td><td>${html(c.property)}</td>` +
          `<td>${c.expect === 'found' ? 'found' : 'holds'}</td><td class="outcome ${found ? 'found' : r.result.verdict === 'pass' ? 'holds' : ''}">${outcome}</td>` +
          `<td class="num">${count(r.result.stats.distinct)}</td><td><span class="status ${html(r.status)}">${html(STATUS_WORD[r.status])}</span></td>` +
          `<td>${r.differences.length > 0 ? html(r.differences.join('; ')) : `<span class="muted">${html(c.note)}</span>`}</td></tr>`,
      );
    }
  }
  const body = `<h1>Verdicts</h1>
<p class="muted">${subject !== undefined ? `Every one of ${html(subject)}` : 'Every claim about the DAX locking schemes'}, as <code>daxmc report</code> checked it. A claim says a property is violated (found) or holds at one configuration; the checker settles it. "holds" means over every reachable state at the stated bounds; "found" links to the shortest counterexample (BFS).${complete ? '' : ' <b>The run was interrupted: this table is partial.</b>'}</p>
<div class="card"><b>${results.length}</b> claim${results.length === 1 ? '' : 's'} over <b>${schemes.length}</b> scheme${schemes.length === 1 ? '' : 's'}: <span class="status agrees">${agree} agree</span> <span class="status ${agree === results.length ? 'agrees' : 'differs'}">${results.length - agree} differ</span>; ${found} counterexample${found === 1 ? '' : 's'}.
<nav class="toc">${schemes.map((s) => `<a href="#scheme-${html(s)}">${html(s)}</a>`).join('')}</nav></div>
<table class="verdicts">
<thead><tr><th>claim</th><th>item</th><th>spec</th><th>configuration</th><th>property</th><th>claimed</th><th>checker</th><th>states</th><th>status</th><th>notes</th></tr></thead>
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
  const body = `<p class="muted"><a href="index.html">verdicts</a> / ${html(c.scheme)} / ${html(c.id)}</p>
<h1>${html(c.id)}: ${html(c.property)}</h1>
<div class="card"><dl class="kv">
<dt>claim</dt><dd>${html(c.item)} [${html(c.grade)}], expected ${c.expect === 'found' ? 'a counterexample' : 'the property to hold'}</dd>
<dt>spec</dt><dd><code>${html(c.spec)}</code>, configuration <code>${html(c.config)}</code></dd>
<dt>checker</dt><dd>${html(r.outcome)} (${count(r.result.stats.distinct)} distinct states) <span class="status ${html(r.status)}">${html(STATUS_WORD[r.status])}</span></dd>
<dt>note</dt><dd>${html(c.note)}</dd>
</dl></div>
<div class="card problem">${problem.join('<br>\n')}</div>
<nav class="toc"><a href="#lanes">lane diagram</a><a href="#lock-order">lock order</a><a href="#replay">replay</a><a href="#states">states</a><a href="#how-to-read">how to read the diagram</a></nav>
<div class="pictures">
<div>
<h2 id="lanes">Lane diagram</h2>
<p class="muted">One lane per thread, grouped by process; a box per step (hover for the full call chain, click to see its state); the bars beside a lane are the locks it holds (light: read); the final state's problem is in red.</p>
<div class="figure lanes">${lanes}</div>
</div>
<div class="side">
<h2 id="replay">Replay</h2>
<pre class="cmd">${html(replay)}</pre>
${golden ? `<pre class="cmd">${html(golden)}</pre>` : ''}
<h2 id="lock-order">Lock order</h2>
<p class="muted">"Held A while acquiring B" over every transition the check explored, as lockdep builds it; cycles in red.</p>
<div class="figure lock-order">${lockOrder ?? '<p class="muted">This spec has no lock-order analysis.</p>'}</div>
</div>
</div>
<h2 id="states">States, step by step</h2>
${traceStatesHtml(t)}
<h2 id="how-to-read">How to read the lane diagram</h2>
<ul>
<li>Each column is a thread; columns sit in a grey box per process when the configuration says which process runs each thread.</li>
<li>Each box is one atomic step, in the order taken: the bold line is the innermost function, the second the step; the lines under them are the step's events (<span style="color:#1f6fb4">+</span> acquire, &minus; release, &hellip; queues to wait, &#x21aa; wakes, &#x2716; error).</li>
<li>A bar beside a lane runs from the step that took a lock to the step that released it; a bar that reaches the final row is still held. Solid bars are write or exclusive holds, light bars read holds.</li>
<li>Arrows between lanes: blue, a wake-up; dashed orange, a thread queuing behind a lock another (or the same) thread holds; red, the wait-for cycle of the deadlock in the final state.</li>
<li>The final row shows what each thread is doing in the last state; the red box under it states the problem, and for page-state violations the table shows the stale PTE or page in red.</li>
</ul>`;
  return page({ title: `daxmc ${c.id}: ${c.property}`, nav: [['verdicts', 'index.html']] }, body);
}

/** The pages of the HTML report: index.html and one page per claim with a counterexample. */
export function htmlReportFiles(results: readonly ClaimResult[], opts: HtmlReportOptions = {}): HtmlFile[] {
  const files: HtmlFile[] = [{ name: 'index.html', content: indexPage(results, opts.complete ?? true, opts.subject) }];
  for (const r of results) if (r.trace) files.push({ name: claimPageName(r.claim.id), content: counterexamplePage(r, opts) });
  return files;
}
