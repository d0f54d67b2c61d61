// What the report shows: the claims table (Markdown for docs/verdicts.md, plain text for the
// terminal) and the golden counterexample files of each found claim (ITF, text, Mermaid), kept
// in traces/dax/<scheme>/ and compared by the tests. Pure functions; the CLI writes the files.
import { itfToString, toItf } from '../trace/itf';
import { renderMermaid } from '../render/mermaid';
import { renderTraceText, traceVerdictLine } from '../render/text';
import type { Claim } from './claim';
import type { ClaimResult } from './run-claims';

export interface GoldenFile {
  /** Relative to the traces directory: `v4.2/B1.itf.json`. */
  readonly path: string;
  readonly content: string;
}

/** `v4.2/B1-ext2` -> `v4.2/B1-ext2`; ids are already path-safe apart from spaces. */
function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9._/-]+/g, '-');
}

/** The golden files of one claim's counterexample (none for a `holds` claim). */
export function goldenFiles(r: ClaimResult): GoldenFile[] {
  if (!r.trace || r.claim.expect !== 'found') return [];
  const base = slug(r.claim.id);
  const itfName = `traces/dax/${base}.itf.json`;
  const header = [
    `Claim ${r.claim.id} (${r.claim.item} [${r.claim.grade}]): ${r.claim.property}, on ${r.claim.spec} configuration ${r.claim.config}`,
    traceVerdictLine(r.trace, itfName),
  ].join('\n');
  return [
    { path: `${base}.itf.json`, content: itfToString(toItf(r.trace)) },
    { path: `${base}.txt`, content: `${header}\n\n${renderTraceText(r.trace, { diff: true })}` },
    { path: `${base}.mmd`, content: `${renderMermaid(r.trace)}` },
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

/**
 * The claims table as Markdown (docs/verdicts.md). Deterministic: no timings. `subject`: what
 * the claims are when they are not the built-in ones ("the claims of ./my-spec.ts").
 */
export function verdictsMarkdown(results: readonly ClaimResult[], notRun: readonly Claim[] = [], opts: { readonly subject?: string } = {}): string {
  const intro =
    opts.subject !== undefined
      ? [
          `Every one of ${opts.subject}, as \`daxmc report\` checked it. Generated; do not edit.`,
          'A claim says a property is violated (found) or holds at one configuration; the checker',
          'settles it. "holds" means over every reachable state at the stated bounds; "found" gives',
          'the shortest counterexample (BFS).',
        ]
      : [
          'Every claim of every DAX scheme, as `daxmc report` checked it. Generated; do not edit.',
          'A claim is a property the domain file (`../shared/domain/dax-locking.md`) says is violated',
          '(found) or holds at one configuration; the checker settles it. "holds" means over every',
          'reachable state at the stated bounds; "found" gives the shortest counterexample (BFS).',
        ];
  const lines = [
    '# Verdicts',
    '',
    ...intro,
    '',
    '| claim | item | grade | spec | configuration | property | claimed | checker | states | status |',
    '|---|---|---|---|---|---|---|---|---:|---|',
  ];
  for (const r of results) {
    const c = r.claim;
    lines.push(
      `| ${c.id} | ${c.item} | ${c.grade} | \`${c.spec}\` | \`${c.config}\` | ${c.property} | ${expectation(r)} | ${r.outcome} | ${r.result.stats.distinct.toLocaleString('en-US')} | ${STATUS[r.status]} |`,
    );
  }
  for (const c of notRun) {
    lines.push(
      `| ${c.id} | ${c.item} | ${c.grade} | \`${c.spec}\` | \`${c.config}\` | ${c.property} | ${c.expect} | not run by default (heavy: \`daxmc report --full\`); pinned ${c.expect} | ${c.distinct.toLocaleString('en-US')} | not run |`,
    );
  }
  const differing = results.filter((r) => r.status !== 'agrees');
  lines.push('', `${results.length} claims checked${notRun.length ? ` (${notRun.length} heavy claim${notRun.length === 1 ? '' : 's'} not run)` : ''}; ${results.length - differing.length} agree with what was pinned; ${differing.length} differ.`);
  if (differing.length > 0) {
    lines.push('', '## Differences', '');
    for (const r of differing) lines.push(`- **${r.claim.id}**: ${r.differences.join('; ') || r.outcome}`);
  }
  lines.push('', '## Notes against the domain file', '');
  for (const r of results) lines.push(`- **${r.claim.id}** (${r.claim.item}): ${r.claim.note}`);
  const vacuous = results.filter((r) => r.unreached.length > 0);
  if (vacuous.length > 0) {
    lines.push('', '## Coverage', '', 'Steps that never ran in a "holds" check (the model may be vacuous there; many are error branches the configuration cannot reach):', '');
    for (const r of vacuous) lines.push(`- ${r.claim.id}: ${r.unreached.length} step${r.unreached.length === 1 ? '' : 's'} never ran (\`daxmc report --coverage\` lists them)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The claims table for a terminal: one line per claim, then the differences. */
export function verdictsText(results: readonly ClaimResult[], opts: { coverage?: boolean } = {}): string {
  const rows = results.map((r) => [r.claim.id, expectation(r), r.outcome, STATUS[r.status]]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), 5));
  const lines = rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`);
  const differing = results.filter((r) => r.status !== 'agrees');
  lines.push('', `${results.length} claims: ${results.length - differing.length} agree, ${differing.length} differ`);
  for (const r of differing) lines.push(`  ${r.claim.id}: ${r.differences.join('; ') || r.outcome}`);
  for (const r of results) {
    if (r.unreached.length === 0) continue;
    if (opts.coverage) {
      lines.push(`warning: ${r.claim.id}: steps that never ran:`);
      for (const u of r.unreached) lines.push(`  ${u}`);
    } else {
      lines.push(`warning: ${r.claim.id}: ${r.unreached.length} step${r.unreached.length === 1 ? '' : 's'} never ran (--coverage lists them)`);
    }
  }
  return `${lines.join('\n')}\n`;
}
