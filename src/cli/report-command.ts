// `daxmc report [spec-file]`: settles every claim of every DAX scheme (specs/dax/claims*.ts), or
// the claims a user's spec file exports, prints a header and then one line per claim as it
// finishes (a line at a time, also into a pipe), flags every result that differs from its claim,
// groups the warnings after the summary, and writes files only when asked: docs/verdicts.md (or
// FILE) with --verdicts, the golden counterexamples with --traces DIR, the HTML report with
// --html DIR. Files are written atomically.
import { existsSync } from 'node:fs';
import { lstat, open, readdir, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutputError, UsageError } from '../core/errors';
import { PACKAGE_ROOT } from '../core/package-files';
import { claimsOf } from '../report/claims-file';
import { loadSpecModule } from './load-spec';
import type { SpecDefinition } from '../core/spec';
import { allClaims } from '../../specs/dax/claims';
import type { Claim } from '../report/claim';
import { checkClaims, type ClaimResult } from '../report/run-claims';
import { analyseClaims, isRestsOn, withAnalysis } from '../report/rests-on';
import { analysisData } from '../render/rests-on';
import { claimLine, goldenFiles, reportColumns, reportHeader, reportSummary, restsOnHeader, restsOnLine, verdictsMarkdown } from '../report/verdicts';
import { htmlReportFiles } from '../render/html-report';
import { DAXMC_GENERATOR } from '../render/html-page';
import { ExitCode } from './exit-codes';
import type { CliContext } from './io';
import { oneLine } from './printable';
import { checkOutputPlace, writeFailure, writeFilesAtomic } from './write-files';

export interface ReportFlags {
  /** A spec file whose exported `claims` are settled instead of the built-in ones. */
  readonly file?: string;
  readonly scheme?: readonly string[];
  readonly claim?: readonly string[];
  /** Where to write the Markdown table (--verdicts); absent: do not write it. */
  readonly verdicts?: string;
  readonly traces?: string;
  /** Also write the HTML report (index.html and a page per counterexample) into this directory. */
  readonly html?: string;
  readonly coverage?: boolean;
  readonly format: 'text' | 'json';
  readonly timeout?: number;
  /** Also run the heavy claims (minutes each). */
  readonly full?: boolean;
  /**
   * Run the load-bearing analysis ("rests on") and check the found claims' fixes; default: when
   * --verdicts is given.
   */
  readonly restsOn?: boolean;
}

/** The repository root (docs/verdicts.md lives there, whatever the cwd); in an installed package, the package's directory. */
export function repositoryRoot(): string {
  return resolve(fileURLToPath(PACKAGE_ROOT));
}

/**
 * Whether `root` is daxmc's own repository checkout, whose docs/verdicts.md `--verdicts` without
 * a FILE may rewrite: not under a node_modules directory (an installed package, whatever else it
 * holds), with git's `.git` (a directory, or a file in a worktree) and the claims' sources. An
 * installed package has neither .git nor a path free of node_modules.
 */
export function isRepositoryCheckout(root: string): boolean {
  if (resolve(root).split(sep).includes('node_modules')) return false;
  return existsSync(join(root, '.git')) && existsSync(join(root, 'specs', 'dax', 'claims.ts'));
}

/**
 * Where `--verdicts` writes: FILE (from the cwd), or without one the checkout's docs/verdicts.md,
 * which is the table of every built-in claim: refused (a usage error) for a spec file's claims,
 * for a set narrowed by --claim or --scheme (a partial table must not replace the full one) and
 * when daxmc does not run from its repository checkout (an installed package's copy is not the
 * user's to rewrite).
 */
export function verdictsPlace(verdicts: string | boolean | undefined, flags: Pick<ReportFlags, 'file' | 'scheme' | 'claim'>, root = repositoryRoot()): string | undefined {
  if (verdicts === undefined || verdicts === false) return undefined;
  if (typeof verdicts === 'string') return verdicts;
  const without = "--verdicts without a FILE writes the repository's docs/verdicts.md";
  if (flags.file !== undefined) throw new UsageError(`${without}, which is for the built-in claims: give a file for the claims of a spec file`);
  if ((flags.claim ?? []).length > 0 || (flags.scheme ?? []).length > 0) {
    throw new UsageError(`${without}, the table of every claim, and --${(flags.claim ?? []).length > 0 ? 'claim' : 'scheme'} narrows the set: give a file (--verdicts FILE)`);
  }
  if (!isRepositoryCheckout(root)) {
    throw new UsageError(`${without}, and daxmc runs from ${root}, not from its repository checkout (an installed package): give a file (--verdicts FILE)`);
  }
  return join(root, 'docs', 'verdicts.md');
}

export function selectClaims(flags: Pick<ReportFlags, 'scheme' | 'claim'>, claims: readonly Claim[] = allClaims): Claim[] {
  let out = [...claims];
  if (flags.scheme && flags.scheme.length > 0) {
    const known = new Set(claims.map((c) => c.scheme));
    for (const s of flags.scheme) {
      if (known.has(s)) continue;
      const file = /\.[cm]?[jt]s$/.test(s) ? `; a spec file's claims: daxmc report ${s}` : '';
      throw new UsageError(`no scheme '${s}' (schemes: ${[...known].join(', ')})${file}`);
    }
    out = out.filter((c) => flags.scheme!.includes(c.scheme));
  }
  if (flags.claim && flags.claim.length > 0) {
    for (const id of flags.claim) if (!claims.some((c) => c.id === id)) throw new UsageError(`no claim '${id}' (daxmc report --format json lists them)`);
    out = out.filter((c) => flags.claim!.includes(c.id));
  }
  return out;
}

/** The claims to settle and the specs they may name: a spec file's, or the built-in ones. */
async function claimsToSettle(flags: ReportFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<{ claims: readonly Claim[]; specs: readonly SpecDefinition[] }> {
  if (flags.file === undefined) return { claims: allClaims, specs };
  const loaded = await loadSpecModule(flags.file, ctx.cwd);
  const all = [loaded.definition, ...specs.filter((s) => s.id !== loaded.definition.id)];
  return { claims: claimsOf(loaded.exports, flags.file, all), specs: all };
}

/** Tries every place the report will write before the claims run (write-files.ts). */
async function checkReportPlaces(flags: ReportFlags, cwd: string): Promise<void> {
  const places: [string, string, string[]][] = [];
  if (flags.verdicts !== undefined) {
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

export async function reportCommand(flags: ReportFlags, ctx: CliContext, builtin: readonly SpecDefinition[]): Promise<number> {
  ctx.watch?.stage({ step: 'searching', command: 'report', format: flags.format });
  const { claims: candidates, specs } = await claimsToSettle(flags, ctx, builtin);
  const selected = selectClaims(flags, candidates);
  await checkReportPlaces(flags, ctx.cwd);
  // Heavy claims run only with --full, or when named with --claim.
  const claims = selected.filter((c) => !c.heavy || flags.full || (flags.claim ?? []).includes(c.id));
  const skipped = selected.filter((c) => !claims.includes(c));
  const text = flags.format === 'text';
  const io = ctx.io;
  const cols = reportColumns(claims);
  // On a terminal a progress count sits on standard error, cleared before each line is printed.
  const tty = text && io.isTTY;
  if (text) io.out(`${reportHeader(claims, skipped, cols)}\n`);
  if (tty) io.err(`0/${claims.length} claims checked`);
  let results: ClaimResult[] = await checkClaims(
    specs,
    claims,
    {
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
    (r, done, total) => {
      if (!text) return;
      if (tty) io.err('\r\x1b[K');
      io.out(`${claimLine(r, cols)}\n`);
      if (tty && done < total) io.err(`${done}/${total} claims checked`);
    },
  );
  if (tty) io.err('\r\x1b[K');
  // checkClaims returns them in the claims' order, which is the tables' order.
  let interrupted = results.length < claims.length;
  // The analysis is --verdicts' by default: not when a claim is incomplete (then no file is written).
  const incomplete = results.some((r) => r.status === 'incomplete');
  if (!interrupted && (flags.restsOn ?? (flags.verdicts !== undefined && !incomplete))) {
    // The heading comes with the first line under it: none when no claim is analysed (found
    // claims without a fix).
    let headed = false;
    const analysis = await analyseClaims(specs, results.map((r) => r.claim), {
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onClaim: (x) => {
        if (!text) return;
        if (!headed) io.out(`${restsOnHeader()}\n`);
        headed = true;
        io.out(`${restsOnLine(x, cols)}\n`);
      },
    });
    interrupted = ctx.signal?.aborted ?? false;
    results = results.map((r) => withAnalysis(r, analysis.restsOn.get(r.claim), analysis.fixes.get(r.claim)));
  }
  if (flags.format === 'json') {
    io.out(
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
            ...(r.restsOn ? { restsOn: restsOnJson(r) } : {}),
            ...(r.fix ? { fixChecked: { spec: r.fix.spec, config: r.fix.config, status: r.fix.status, outcome: r.fix.outcome } } : {}),
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.out(reportSummary(results, skipped, { coverage: flags.coverage ?? false }));
  }
  if (interrupted) {
    io.err('daxmc: interrupted; no file written\n');
    return ExitCode.incomplete;
  }
  // Files are written only when every claim ran to its verdict: a table or report with a claim
  // a limit cut short would stand for one that settled it.
  if (incomplete) {
    const cut = results.filter((r) => r.status === 'incomplete').length;
    if (flags.verdicts !== undefined || flags.traces !== undefined || flags.html !== undefined) {
      io.err(`daxmc: ${cut} claim${cut === 1 ? ' is' : 's are'} incomplete (a limit cut the search short); no file written\n`);
    }
  } else {
    ctx.watch?.stage({ step: 'writing' });
    try {
      await writeReportFiles(flags, ctx, results, skipped, specs);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      // The table is printed; the files are not all written: say so, and keep the claims' exit code.
      io.err(`daxmc: ${oneLine(e.message)} (the table above is complete; the report's files are not all written)\n`);
    }
  }
  if (results.some((r) => r.status === 'error')) return ExitCode.spec;
  if (results.some((r) => r.status === 'differs')) return ExitCode.claimsDiffer;
  if (results.some((r) => r.status === 'incomplete')) return ExitCode.incomplete;
  return ExitCode.pass;
}

async function writeReportFiles(flags: ReportFlags, ctx: CliContext, results: readonly ClaimResult[], skipped: readonly Claim[], specs: readonly SpecDefinition[]): Promise<void> {
  const text = flags.format === 'text';
  const io = ctx.io;
  if (flags.verdicts !== undefined) {
    const path = isAbsolute(flags.verdicts) ? flags.verdicts : resolve(ctx.cwd, flags.verdicts);
    const markdown = verdictsMarkdown(results, skipped, flags.file !== undefined ? { subject: `the claims of ${flags.file}` } : {});
    await writeFilesAtomic(dirname(path), [{ name: path.slice(dirname(path).length + 1), content: markdown }]);
    if (text) io.err(`wrote ${path}\n`);
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
    if (text) io.err(`wrote ${files.length} trace files under ${dir}\n`);
  }
  if (flags.html !== undefined) {
    const dir = isAbsolute(flags.html) ? flags.html : resolve(ctx.cwd, flags.html);
    const file = flags.file;
    const files = htmlReportFiles(results, file === undefined ? {} : { subject: `the claims of ${file}`, specArg: (id) => (id === specs[0].id ? file : id), golden: false });
    await writeFilesAtomic(dir, files);
    const stale = await removeStaleClaimPages(dir, files.map((f) => f.name));
    if (text) {
      const removed = stale > 0 ? `; removed ${stale} claim page${stale === 1 ? '' : 's'} an earlier report left there` : '';
      io.err(`wrote the HTML report (${files.length} file${files.length === 1 ? '' : 's'}) to ${join(dir, 'index.html')}${removed}\n`);
    }
  }
}

/**
 * Removes the claim pages (claim-*.html) an earlier `daxmc report --html` wrote into `dir` that
 * this report did not write: regular files whose head carries daxmc's generator tag. Any other
 * file, a user's included, stays. Returns how many were removed.
 */
export async function removeStaleClaimPages(dir: string, written: readonly string[]): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!/^claim-.+\.html$/.test(name) || written.includes(name)) continue;
    const path = join(dir, name);
    // A file that cannot be read (or went away) is not known to be daxmc's: it stays.
    const head = await fileHead(path).catch(() => undefined);
    if (head === undefined || !head.includes(DAXMC_GENERATOR)) continue;
    await rm(path, { force: true }).catch((e: unknown) => {
      throw new OutputError(`cannot remove the earlier report's ${path}: ${writeFailure(e)}`);
    });
    removed++;
  }
  return removed;
}

/** The first KiB of a regular file (undefined for anything else: a link, a directory). */
async function fileHead(path: string): Promise<string | undefined> {
  if (!(await lstat(path)).isFile()) return undefined;
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A claim's analysis in the report's JSON (the mechanisms by their words; no traces). */
function restsOnJson(r: ClaimResult): Record<string, unknown> {
  const x = r.restsOn!;
  if (!isRestsOn(x)) return { analysed: false, reason: x.reason };
  const { claim: _claim, ...data } = analysisData(x);
  return { analysed: true, ...data };
}
