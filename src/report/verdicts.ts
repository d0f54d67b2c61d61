// What the report shows: the claims table (Markdown for docs/verdicts.md, grouped by scheme with
// each scheme's summary and each found claim linked to its counterexample; plain text for the
// terminal, a line per claim as it finishes) and the golden counterexample files of each found
// claim (ITF, text, Mermaid, lane SVG) kept in traces/dax/<scheme>/ and compared by the tests.
// Pure functions; the CLI writes the files and prints the lines.
import { itfToString, toItf } from '../trace/itf';
import { replayFileCommand } from '../render/format';
import { renderMermaid } from '../render/mermaid';
import { processesFromParams } from '../render/svg-lane-model';
import { renderLaneSvg } from '../render/svg-lanes';
import { renderTraceText, traceVerdictLine } from '../render/text';
import { schemeSummary } from '../../specs/dax/scheme-summaries';
import { restsOnCell } from '../render/rests-on';
import type { Claim } from './claim';
import { isRestsOn, type FixResult, type NotAnalysed, type RestsOn } from './rests-on';
import type { ClaimResult } from './run-claims';

export interface GoldenFile {
  /** Relative to the traces directory: `v4.2/B1.itf.json`. */
  readonly path: string;
  readonly content: string;
}

/** `v4.2/B1-ext2` -> `v4.2/B1-ext2`; ids are already path-safe apart from spaces. */
export function claimSlug(id: string): string {
  return id.replace(/[^A-Za-z0-9._/-]+/g, '-');
}

/** Where `npm run traces` keeps a found claim's golden files, relative to the repository. */
export function goldenBase(id: string): string {
  return `traces/dax/${claimSlug(id)}`;
}

/** The golden files of one claim's counterexample (none for a `holds` claim). */
export function goldenFiles(r: ClaimResult): GoldenFile[] {
  if (!r.trace || r.claim.expect !== 'found') return [];
  const base = claimSlug(r.claim.id);
  const itfName = `${goldenBase(r.claim.id)}.itf.json`;
  const header = [
    `Claim ${r.claim.id} (${r.claim.item} [${r.claim.grade}]): ${r.claim.property}, on ${r.claim.spec} configuration ${r.claim.config}`,
    traceVerdictLine(r.trace, itfName),
  ].join('\n');
  const processOf = processesFromParams(r.outcomeRun.params);
  return [
    { path: `${base}.itf.json`, content: itfToString(toItf(r.trace)) },
    { path: `${base}.txt`, content: `${header}\n\n${renderTraceText(r.trace, { diff: true })}` },
    { path: `${base}.mmd`, content: `${renderMermaid(r.trace)}` },
    { path: `${base}.svg`, content: renderLaneSvg(r.trace, processOf ? { processOf } : {}) },
  ];
}

const STATUS: Record<ClaimResult['status'], string> = {
  agrees: 'agrees',
  differs: 'DIFFERS',
  incomplete: 'INCOMPLETE',
  error: 'ERROR',
};

function expectation(r: ClaimResult): string {
  return r.claim.expect === 'found' ? 'found' : 'holds';
}

/** The schemes of `results`, in order of first appearance. */
function schemesOf(results: readonly ClaimResult[], notRun: readonly Claim[]): string[] {
  const out: string[] = [];
  for (const c of [...results.map((r) => r.claim), ...notRun]) if (!out.includes(c.scheme)) out.push(c.scheme);
  return out;
}

/** Markdown links from docs/verdicts.md to a found claim's golden files. */
function counterexampleLinks(r: ClaimResult): string {
  if (!r.trace || r.claim.expect !== 'found') return '';
  const base = `../${goldenBase(r.claim.id)}`;
  return `[text](${base}.txt) · [lanes](${base}.svg) · [ITF](${base}.itf.json)`;
}

/**
 * The claims table as Markdown (docs/verdicts.md), one section per scheme: its summary (why it
 * was reverted or what fixed it, with commits), its claims with links to their counterexamples,
 * and each claim's note with the command that replays it. Deterministic: no timings. `subject`:
 * what the claims are when they are not the built-in ones ("the claims of ./my-spec.ts").
 */
export function verdictsMarkdown(results: readonly ClaimResult[], notRun: readonly Claim[] = [], opts: { readonly subject?: string } = {}): string {
  // A spec file's claims have no golden files under traces/dax to link to.
  const golden = opts.subject === undefined;
  const intro = golden
    ? [
        'Every claim of every DAX scheme, as `daxmc report --verdicts` checked it. Generated; do not edit.',
        'A claim states that a property is violated ("found") or holds at one configuration, as the',
        'published account says (commit messages and mailing-list posts, cited per scheme below, or the',
        "claim's note when the checker goes beyond it); the checker settles it. \"holds\" means over every",
        'reachable state at the stated bounds; "found" gives the shortest counterexample (BFS), linked:',
        'its text trace, its lane diagram and its ITF file, which `daxmc replay` replays. The column',
        '"vs pinned" says whether the result agrees with the figures the claim pinned (verdict, states,',
        'trace length); how the claim itself compares with the published account is in its note.',
        "The traces' paths are relative to daxmc's root: in a project that installed the package, run",
        '`daxmc replay` from `node_modules/daxmc/` or give it the path from there.',
        '',
        ...REST_ON_INTRO,
      ]
    : [
        `Every one of ${opts.subject}, as \`daxmc report --verdicts\` checked it. Generated; do not edit.`,
        'A claim says a property is violated ("found") or holds at one configuration; the checker',
        'settles it. "holds" means over every reachable state at the stated bounds; "found" gives the',
        'shortest counterexample (BFS). The column "vs pinned" says whether the result agrees with the',
        'figures the claim pinned (verdict, states, trace length).',
        '',
        ...REST_ON_INTRO,
      ];
  const lines = ['# Verdicts', '', ...intro, ''];
  const schemes = schemesOf(results, notRun);
  lines.push(`Schemes: ${schemes.map((s) => `[${s}](#${anchor(s)})`).join(' · ')}`, '');
  for (const s of schemes) {
    const summary = schemeSummary(s);
    lines.push(`## ${s}`, '');
    if (summary) {
      lines.push(`**${summary.title}**: ${summary.outcome}.`, '', summary.summary, '');
      lines.push('| commit | subject | role |', '|---|---|---|');
      for (const c of summary.commits) lines.push(`| \`${c.id}\` | ${c.subject} | ${c.role} |`);
      if (summary.sources.length > 0) lines.push('', `Mails: ${summary.sources.map((m) => `<${m}>`).join(', ')}.`);
      lines.push('');
    }
    lines.push(
      '| claim | item | grade | spec | configuration | property | claimed | checker | states | vs pinned | counterexample | rests on |',
      '|---|---|---|---|---|---|---|---|---:|---|---|---|',
    );
    const mine = results.filter((r) => r.claim.scheme === s);
    for (const r of mine) {
      const c = r.claim;
      lines.push(
        `| ${c.id} | ${c.item} | ${c.grade} | \`${c.spec}\` | \`${c.config}\` | ${c.property} | ${expectation(r)} | ${r.outcome} | ${r.result.stats.distinct.toLocaleString('en-US')} | ${STATUS[r.status]} | ${golden ? counterexampleLinks(r) : ''} | ${cellOf(r)} |`,
      );
    }
    for (const c of notRun.filter((x) => x.scheme === s)) {
      lines.push(
        `| ${c.id} | ${c.item} | ${c.grade} | \`${c.spec}\` | \`${c.config}\` | ${c.property} | ${c.expect} | not run by default (heavy: \`daxmc report --full\`); pinned ${c.expect} | ${c.distinct.toLocaleString('en-US')} | not run | | |`,
      );
    }
    if (mine.length > 0) {
      lines.push('', 'Notes:', '');
      for (const r of mine) {
        const replay = golden && r.trace && r.claim.expect === 'found' ? ` Replay: \`${replayFileCommand(`${goldenBase(r.claim.id)}.itf.json`)}\`.` : '';
        lines.push(`- **${r.claim.id}** (${r.claim.item}): ${r.claim.note}${replay}`);
      }
    }
    lines.push('');
  }
  const differing = results.filter((r) => r.status !== 'agrees');
  lines.push('## Summary', '', `${results.length} claim${results.length === 1 ? '' : 's'} checked${notRun.length ? ` (${notRun.length} heavy claim${notRun.length === 1 ? '' : 's'} not run)` : ''}; ${results.length - differing.length} agree with what was pinned; ${differing.length} differ.`);
  if (differing.length > 0) {
    lines.push('', '### Differences', '');
    for (const r of differing) lines.push(`- **${r.claim.id}**: ${r.differences.join('; ') || r.outcome}`);
  }
  const flagged = results.filter((r) => r.restsOn && isRestsOn(r.restsOn) && r.restsOn.flag);
  if (flagged.length > 0) {
    lines.push('', '### Flagged', '', 'Holds claims that rest on none of what they are about, at their bounds (`daxmc why CLAIM` lists every mechanism):', '');
    for (const r of flagged) lines.push(`- **${r.claim.id}**: ${(r.restsOn as RestsOn).flag}.`);
  }
  const vacuous = results.filter((r) => r.unreached.length > 0);
  if (vacuous.length > 0) {
    lines.push('', '### Coverage', '', 'Steps that never ran in a "holds" check (the model may be vacuous there; many are error branches the configuration cannot reach; `daxmc report --coverage` lists them):', '');
    lines.push(vacuous.map((r) => `${r.claim.id} (${r.unreached.length})`).join(', '));
  }
  return `${lines.join('\n')}\n`;
}

const REST_ON_INTRO = [
  'The column "rests on" is the load-bearing analysis (`daxmc why CLAIM`): for a "holds" claim, each',
  'mechanism its search meets (a lock/unlock pair in one function, a wake-up, an i_size or',
  'page->mapping check, two lock steps in a row) is taken away in turn and the claim checked again at',
  'the same configuration. It lists the load-bearing ones (the claim fails without it; the mutant\'s',
  'shortest counterexample has that many steps) and how many are redundant at these bounds. A claim',
  'that says what it is about is FLAGGED when none of that is load-bearing: then the verdict says',
  'nothing about it. A slow claim has only what it is about taken away. For a "found" claim, the',
  "column checks the scheme's own fixed variant at the same configuration and property.",
];

/** The "rests on" cell of a result: its analysis, its fix, or nothing. */
function cellOf(r: ClaimResult): string {
  return restsOnCell(r.restsOn, r.fix).replace(/\|/g, '\\|');
}

/** The terminal's "rests on" lines: a header, then one per claim as its analysis is known. */
export function restsOnHeader(): string {
  return '\nrests on (each mechanism a holds claim\'s search meets, taken away in turn: load-bearing if the claim then fails; a found claim\'s fix):';
}

export function restsOnLine(x: RestsOn | NotAnalysed | FixResult, cols: ReportColumns): string {
  const cell = 'status' in x ? restsOnCell(undefined, x) : restsOnCell(x, undefined);
  return `${x.claim.id.padEnd(cols.id)}  ${cell}`;
}

/** GitHub's heading anchor for a scheme name (`v4.2` -> `v42`). */
function anchor(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

// ---------------------------------------------------------------------------------------------
// The terminal: a header, then a line per claim as it finishes, then the summary and warnings.

/** The widths of the claim and expectation columns, known before any claim runs. */
export interface ReportColumns {
  readonly id: number;
}

export function reportColumns(claims: readonly Claim[]): ReportColumns {
  return { id: Math.max(5, ...claims.map((c) => c.id.length)) };
}

/** The header: what runs, then the column names. */
export function reportHeader(claims: readonly Claim[], notRun: readonly Claim[], cols: ReportColumns): string {
  const schemes = new Set(claims.map((c) => c.scheme)).size;
  const skipped = notRun.length > 0 ? ` (${notRun.length} heavy claim${notRun.length === 1 ? '' : 's'} not run; --full runs ${notRun.length === 1 ? 'it' : 'them'})` : '';
  return [
    `daxmc report: ${claims.length} claim${claims.length === 1 ? '' : 's'} over ${schemes} scheme${schemes === 1 ? '' : 's'}${skipped}`,
    '',
    `${'claim'.padEnd(cols.id)}  claimed  vs pinned  checker`,
  ].join('\n');
}

/** One claim's line: id, what it claimed, whether it agrees with its pin, what the checker found. */
export function claimLine(r: ClaimResult, cols: ReportColumns): string {
  return `${r.claim.id.padEnd(cols.id)}  ${expectation(r).padEnd(7)}  ${STATUS[r.status].padEnd(9)}  ${r.outcome}`;
}

/** "2 agree, 1 differs, 1 incomplete": incomplete and failed checks (error) apart from differences, counted when there are any. */
function statusCounts(results: readonly ClaimResult[]): string {
  const n = (status: ClaimResult['status']): number => results.filter((r) => r.status === status).length;
  const agree = n('agrees');
  const differ = n('differs');
  const parts = [`${agree} agree${agree === 1 ? 's' : ''}`, `${differ} differ${differ === 1 ? 's' : ''}`];
  if (n('incomplete') > 0) parts.push(`${n('incomplete')} incomplete`);
  if (n('error') > 0) parts.push(`${n('error')} error${n('error') === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** After the lines: the count, the differences, the heavy claims not run, and the warnings grouped. */
export function reportSummary(results: readonly ClaimResult[], notRun: readonly Claim[], opts: { coverage?: boolean } = {}): string {
  const differing = results.filter((r) => r.status !== 'agrees');
  const lines = ['', `${results.length} claim${results.length === 1 ? '' : 's'}: ${statusCounts(results)}`];
  for (const r of differing) lines.push(`  ${r.claim.id}: ${r.differences.join('; ') || r.outcome}`);
  if (notRun.length > 0) {
    lines.push(`not run (heavy; daxmc report --full runs them): ${notRun.map((c) => `${c.id} (pinned ${c.expect} over ${c.distinct.toLocaleString('en-US')} states)`).join(', ')}`);
  }
  const flagged = results.filter((r) => r.restsOn && isRestsOn(r.restsOn) && r.restsOn.flag);
  if (flagged.length > 0) {
    lines.push(`flagged: ${flagged.length} holds claim${flagged.length === 1 ? ' rests' : 's rest'} on none of what ${flagged.length === 1 ? 'it is' : 'they are'} about: ${flagged.map((r) => r.claim.id).join(', ')}`);
  }
  const vacuous = results.filter((r) => r.unreached.length > 0);
  if (vacuous.length > 0) {
    if (opts.coverage) {
      lines.push(`warning: steps that never ran in ${vacuous.length} "holds" check${vacuous.length === 1 ? '' : 's'} (the model may be vacuous there):`);
      for (const r of vacuous) {
        lines.push(`  ${r.claim.id} (${r.unreached.length}):`);
        for (const u of r.unreached) lines.push(`    ${u}`);
      }
    } else {
      const total = vacuous.reduce((n, r) => n + r.unreached.length, 0);
      lines.push(
        `warning: ${total.toLocaleString('en-US')} step${total === 1 ? '' : 's'} never ran in ${vacuous.length} "holds" check${vacuous.length === 1 ? '' : 's'} (the model may be vacuous there; --coverage lists them): ${vacuous.map((r) => `${r.claim.id} (${r.unreached.length})`).join(', ')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The whole terminal table at once: header, a line per claim, summary. */
export function verdictsText(results: readonly ClaimResult[], opts: { coverage?: boolean; notRun?: readonly Claim[] } = {}): string {
  const cols = reportColumns(results.map((r) => r.claim));
  return `${reportHeader(results.map((r) => r.claim), opts.notRun ?? [], cols)}\n${results.map((r) => `${claimLine(r, cols)}\n`).join('')}${reportSummary(results, opts.notRun ?? [], opts)}`;
}
