// What a verdict rests on, in words: the "rests on" cell of the report and docs/verdicts.md (the
// load-bearing mechanisms of a holds claim, a flag when none of what it is about is among them, or
// a found claim's fix), and the whole `daxmc why` text. Pure functions of the analysis
// (src/report/rests-on.ts); the CLI prints them.
import type { Claim } from '../report/claim';
import { fixWords, isRestsOn, type Analysis, type FixResult, type NotAnalysed, type RestsOn } from '../report/rests-on';

const n = (x: number): string => x.toLocaleString('en-US');

/** A mechanism's words with where it is met: "drop the i_size check at ...: check_size (under dax_sem)". */
function mechanismWords(m: { id: string; context?: string }): string {
  return m.context ? `${m.id} (${m.context})` : m.id;
}

/** The one-cell summary of a claim's analysis or fix (no Markdown but backquotes). */
export function restsOnCell(r: RestsOn | NotAnalysed | undefined, fix: FixResult | undefined): string {
  if (fix) {
    const by = fixWords(fix, (x) => `\`${x}\``);
    return fix.status === 'holds' ? `fixed by ${by} (${fix.outcome})` : `NOT fixed by ${by}: ${fix.outcome}`;
  }
  if (!r) return '';
  if (!isRestsOn(r)) return r.reason;
  const scope = r.only ? `only the mechanisms about ${r.only.join(', ')} taken away (slow); ` : '';
  const bearing = r.loadBearing.map((l) => `${l.mechanism.id} (${l.verdict.what})`);
  const total = r.loadBearing.length + r.redundant.length + r.unsettled.length + r.errors.length;
  const body =
    bearing.length > 0
      ? `${bearing.join('; ')}${r.redundant.length > 0 ? `; ${r.redundant.length} of ${total} redundant` : ''}`
      : total === 0
        ? 'no mechanism met'
        : `none alone: it still holds with each of the ${total} mechanisms taken away`;
  const open = r.unsettled.length > 0 ? `; ${r.unsettled.length} unsettled` : '';
  // The cell names what the claim is about; `daxmc why` lists every mechanism.
  const flag = r.flag ? `FLAGGED: none of ${(r.claim.about ?? []).join(', ')} is load-bearing here. ` : '';
  return `${flag}${scope}${body}${open}`;
}

/** The analysis of one claim as `daxmc why` prints it. */
export function renderWhy(r: RestsOn, command: string): string {
  const c = r.claim;
  const a = r.analysis;
  const lines: string[] = [];
  lines.push(`claim ${c.id} (${c.item} [${c.grade}]): "${c.property}" holds on ${c.spec}, configuration ${c.config}`);
  if (c.about && c.about.length > 0) lines.push(`about: ${c.about.join(', ')}`);
  lines.push(
    `the claim's search: ${a.baseline.verdict === 'pass' ? 'holds' : a.baseline.verdict} over ${n(a.baseline.stats.distinct)} states; ${a.mechanisms.length} mechanism${a.mechanisms.length === 1 ? '' : 's'} met${a.mechanisms.length === 0 ? '' : ', each taken away in turn (one mutant each, checked at the same configuration and property)'}`,
  );
  if (a.maxStates !== undefined) lines.push(`each mutant searched up to ${n(a.maxStates)} states`);
  // The outcome first (a column of figures), then the mechanism's words.
  const rows: [string, string][] = [];
  const section = (title: string, entries: [string, string][]): void => {
    lines.push('', title);
    for (const e of entries) rows.push(e);
    lines.push(...entries.map(() => '\u0000'));
  };
  section(
    `load-bearing (the property fails without it): ${r.loadBearing.length === 0 ? 'none' : r.loadBearing.length}`,
    r.loadBearing.map((l) => [`fails: ${l.verdict.what}`, mechanismWords(l.mechanism)]),
  );
  section(
    `redundant at these bounds (it still holds without it): ${r.redundant.length === 0 ? 'none' : r.redundant.length}`,
    r.redundant.map((x) => {
      const m = a.mutants.find((y) => y.mechanism === x.mechanism);
      const never = x.unwitnessed.length > 0 ? `; never reached: ${x.unwitnessed.join(', ')}` : '';
      return [`holds, ${n(m?.distinct ?? 0)} states`, `${mechanismWords(x.mechanism)}${never}`];
    }),
  );
  const width = Math.max(0, ...rows.map((x) => x[0].length));
  let k = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i] === '\u0000') lines[i] = `  ${rows[k][0].padEnd(width)}  ${rows[k++][1]}`;
  if (r.unsettled.length > 0) {
    lines.push('', `unsettled (a limit cut the mutant's search first): ${r.unsettled.length}`);
    for (const m of r.unsettled) lines.push(`  ${mechanismWords(m)}`);
  }
  if (r.errors.length > 0) {
    lines.push('', `not checked (the mutant breaks the spec contract): ${r.errors.length}`);
    for (const e of r.errors) lines.push(`  ${mechanismWords(e.mechanism)}: ${e.message}`);
  }
  if (r.flag) lines.push('', `FLAGGED: ${r.flag}: at these bounds the verdict says nothing about it.`);
  if (r.loadBearing.length > 0) {
    lines.push('', `A mutant's shortest counterexample: ${command} --mutant '${r.loadBearing[0].mechanism.id}' (--format itf --out DIR writes a file daxmc replay replays).`);
  }
  return `${lines.join('\n')}\n`;
}

/** A found claim's fix as `daxmc why` prints it. */
export function renderFix(claim: Claim, found: string, fix: FixResult | undefined): string {
  const lines = [`claim ${claim.id} (${claim.item} [${claim.grade}]): "${claim.property}" is ${found} on ${claim.spec}, configuration ${claim.config}`];
  if (!fix) lines.push('the claim names no fixed variant (Claim.fix): nothing to check');
  else if (fix.status === 'holds') lines.push(`fixed by ${fix.spec}: ${fix.outcome} at ${fix.config}`);
  else lines.push(`NOT fixed by ${fixWords(fix)}: ${fix.outcome}`);
  return `${lines.join('\n')}\n`;
}

/** An analysis as JSON-ready data (no traces: `--mutant` gives one). */
export function analysisData(r: RestsOn): Record<string, unknown> {
  const a: Analysis = r.analysis;
  return {
    claim: r.claim.id,
    spec: a.spec,
    config: a.config,
    property: r.claim.property,
    about: r.claim.about ?? [],
    baseline: { verdict: a.baseline.verdict, distinct: a.baseline.stats.distinct },
    ...(a.maxStates !== undefined ? { maxStatesPerMutant: a.maxStates } : {}),
    only: r.only ?? null,
    loadBearing: r.loadBearing.map((l) => ({ mechanism: l.mechanism.id, kind: l.mechanism.kind, mutation: l.mechanism.mutation, steps: l.verdict.length ?? null, what: l.verdict.what })),
    redundant: r.redundant.map((x) => ({ mechanism: x.mechanism.id, kind: x.mechanism.kind, mutation: x.mechanism.mutation, unwitnessed: x.unwitnessed })),
    unsettled: r.unsettled.map((m) => m.id),
    errors: r.errors.map((e) => ({ mechanism: e.mechanism.id, message: e.message })),
    flag: r.flag ?? null,
  };
}

