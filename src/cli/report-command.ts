// `daxmc report`: settles every claim of every DAX scheme (specs/dax/claims*.ts), prints the
// table, flags every result that differs from its claim, writes docs/verdicts.md (or --verdicts
// FILE), and with --traces DIR writes the golden counterexamples. Files are written atomically.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutputError, UsageError } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import { allClaims } from '../../specs/dax/claims';
import type { Claim } from '../report/claim';
import { checkClaims, type ClaimResult } from '../report/run-claims';
import { goldenFiles, verdictsMarkdown, verdictsText } from '../report/verdicts';
import { htmlReportFiles } from '../render/html-report';
import { ExitCode } from './exit-codes';
import type { CliContext } from './io';
import { oneLine } from './printable';
import { checkOutputPlace, writeFilesAtomic } from './write-files';

export interface ReportFlags {
  readonly scheme?: readonly string[];
  readonly claim?: readonly string[];
  /** Where to write the Markdown table; false: do not write it. */
  readonly verdicts: string | false;
  readonly traces?: string;
  /** Also write the HTML report (index.html and a page per counterexample) into this directory. */
  readonly html?: string;
  readonly coverage?: boolean;
  readonly format: 'text' | 'json';
  readonly timeout?: number;
  /** Also run the heavy claims (minutes each). */
  readonly full?: boolean;
}

/** The repository root (docs/verdicts.md lives there, whatever the cwd). */
export function repositoryRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function selectClaims(flags: Pick<ReportFlags, 'scheme' | 'claim'>, claims: readonly Claim[] = allClaims): Claim[] {
  let out = [...claims];
  if (flags.scheme && flags.scheme.length > 0) {
    const known = new Set(claims.map((c) => c.scheme));
    for (const s of flags.scheme) if (!known.has(s)) throw new UsageError(`no scheme '${s}' (schemes: ${[...known].join(', ')})`);
    out = out.filter((c) => flags.scheme!.includes(c.scheme));
  }
  if (flags.claim && flags.claim.length > 0) {
    for (const id of flags.claim) if (!claims.some((c) => c.id === id)) throw new UsageError(`no claim '${id}' (daxmc report --format json lists them)`);
    out = out.filter((c) => flags.claim!.includes(c.id));
  }
  return out;
}

/** Tries every place the report will write before the claims run (write-files.ts). */
async function checkReportPlaces(flags: ReportFlags, cwd: string): Promise<void> {
  const places: [string, string, string[]][] = [];
  if (flags.verdicts !== false) {
    const path = isAbsolute(flags.verdicts) ? flags.verdicts : resolve(cwd, flags.verdicts);
    places.push(['--verdicts', dirname(path), [basename(path)]]);
  }
  if (flags.traces !== undefined) places.push(['--traces', isAbsolute(flags.traces) ? flags.traces : resolve(cwd, flags.traces), []]);
  if (flags.html !== undefined) places.push(['--html', isAbsolute(flags.html) ? flags.html : resolve(cwd, flags.html), ['index.html']]);
  for (const [option, dir, names] of places) {
    try {
      await checkOutputPlace(dir, names);
    } catch (e) {
      if (e instanceof OutputError) throw new UsageError(`${option}: ${e.message}`);
      throw e;
    }
  }
}

export async function reportCommand(flags: ReportFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  ctx.watch?.stage({ step: 'searching', command: 'report', format: flags.format });
  const selected = selectClaims(flags);
  await checkReportPlaces(flags, ctx.cwd);
  // Heavy claims run only with --full, or when named with --claim.
  const claims = selected.filter((c) => !c.heavy || flags.full || (flags.claim ?? []).includes(c.id));
  const skipped = selected.filter((c) => !claims.includes(c));
  const results: ClaimResult[] = await checkClaims(
    specs,
    claims,
    {
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
    (done, total) => {
      if (flags.format === 'text' && ctx.io.isTTY) ctx.io.err(`\r${done}/${total} claims checked`);
    },
  );
  if (flags.format === 'text' && ctx.io.isTTY) ctx.io.err('\n');
  const interrupted = results.length < claims.length;
  const notRun = skipped.map((c) => `${c.id}: not run (heavy; daxmc report --full runs it: pinned ${c.expect} over ${c.distinct.toLocaleString('en-US')} states)`);
  if (flags.format === 'json') {
    ctx.io.out(
      `${JSON.stringify(
        {
          schema: 'daxmc.report/1',
          complete: !interrupted,
          claims: results.map((r) => ({
            ...r.claim,
            status: r.status,
            outcome: r.outcome,
            differences: r.differences,
            checkedDistinct: r.result.stats.distinct,
            traceLength: r.trace ? r.trace.steps.length - 1 : null,
            diagnosis: r.trace?.diagnosis?.kind ?? null,
            unreachedSteps: r.unreached,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    ctx.io.out(verdictsText(results, { coverage: flags.coverage ?? false }));
    for (const n of notRun) ctx.io.out(`${n}\n`);
  }
  if (!interrupted) {
    ctx.watch?.stage({ step: 'writing' });
    try {
      await writeReportFiles(flags, ctx, results, skipped);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      // The table is printed; the files are not all written: say so, and keep the claims' exit code.
      ctx.io.err(`daxmc: ${oneLine(e.message)} (the table above is complete; the report's files are not all written)\n`);
    }
  } else {
    ctx.io.err('daxmc: interrupted; no file written\n');
    return ExitCode.incomplete;
  }
  if (results.some((r) => r.status === 'error')) return ExitCode.spec;
  if (results.some((r) => r.status === 'differs')) return ExitCode.claimsDiffer;
  if (results.some((r) => r.status === 'incomplete')) return ExitCode.incomplete;
  return ExitCode.pass;
}

/** Writes docs/verdicts.md (or --verdicts), the --traces files and the --html report. */
async function writeReportFiles(flags: ReportFlags, ctx: CliContext, results: readonly ClaimResult[], skipped: readonly Claim[]): Promise<void> {
  if (flags.verdicts !== false) {
    const path = isAbsolute(flags.verdicts) ? flags.verdicts : resolve(ctx.cwd, flags.verdicts);
    await writeFilesAtomic(dirname(path), [{ name: path.slice(dirname(path).length + 1), content: verdictsMarkdown(results, skipped) }]);
    if (flags.format === 'text') ctx.io.err(`wrote ${path}\n`);
  }
  if (flags.traces !== undefined) {
    const dir = isAbsolute(flags.traces) ? flags.traces : resolve(ctx.cwd, flags.traces);
    const files = results.flatMap((r) => goldenFiles(r));
    const byDir = new Map<string, { name: string; content: string }[]>();
    for (const f of files) {
      const full = join(dir, f.path);
      const d = dirname(full);
      byDir.set(d, [...(byDir.get(d) ?? []), { name: full.slice(d.length + 1), content: f.content }]);
    }
    for (const [d, fs] of byDir) await writeFilesAtomic(d, fs);
    if (flags.format === 'text') ctx.io.err(`wrote ${files.length} trace files under ${dir}\n`);
  }
  if (flags.html !== undefined) {
    const dir = isAbsolute(flags.html) ? flags.html : resolve(ctx.cwd, flags.html);
    const files = htmlReportFiles(results);
    await writeFilesAtomic(dir, files);
    if (flags.format === 'text') ctx.io.err(`wrote the HTML report (${files.length} pages) to ${join(dir, 'index.html')}\n`);
  }
}
