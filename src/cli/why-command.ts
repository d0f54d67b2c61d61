// `daxmc why <claim-id>` / `daxmc why <spec-file> <claim-id>`: what a claim's verdict rests on.
// For a holds claim, the load-bearing analysis (src/report/rests-on.ts): each mechanism its search
// meets taken away in turn, load-bearing or redundant at these bounds, and a flag when none of what
// the claim is about is load-bearing; with --mutant, one mutant's shortest counterexample in a
// trace format, replayable (its ITF records the code change). For a found claim, the fixed variant
// it names (Claim.fix), checked at the same configuration and property.
import { join, isAbsolute, resolve } from 'node:path';
import { match } from 'ts-pattern';
import { UsageError } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import { allClaims } from '../../specs/dax/claims';
import type { Claim } from '../report/claim';
import { claimsOf } from '../report/claims-file';
import { checkClaim, findSpec } from '../report/run-claims';
import { analyse, checkFix, checkMutant, restsOn, type AnalysisOptions } from '../report/rests-on';
import { claimSlug } from '../report/verdicts';
import { renderMermaid } from '../render/mermaid';
import { analysisData, renderFix, renderWhy } from '../render/rests-on';
import { processesFromParams } from '../render/svg-lane-model';
import { renderLaneSvg } from '../render/svg-lanes';
import { renderReplayText } from '../render/text';
import { buildSpec } from '../run';
import { itfToString, toItf } from '../trace/itf';
import { ExitCode } from './exit-codes';
import type { CliContext } from './io';
import { loadSpecModule } from './load-spec';
import { printable } from './printable';
import { checkOutputPlace, writeFilesAtomic } from './write-files';

export const WHY_FORMATS = ['text', 'json', 'itf', 'mermaid', 'svg'] as const;
export type WhyFormat = (typeof WHY_FORMATS)[number];

export interface WhyFlags {
  /** A spec file whose exported claims to look in (then `claim` names one of them). */
  readonly file?: string;
  readonly claim: string;
  /** Only the mechanisms about these (lock classes, functions, kinds); repeatable. */
  readonly only?: readonly string[];
  /** One mechanism's mutant: its counterexample. */
  readonly mutant?: string;
  readonly format: WhyFormat;
  /** With --mutant: write the trace files (.itf.json, .txt, .svg) here. */
  readonly out?: string;
  /** Per mutant. */
  readonly maxStates?: number;
  /** Seconds, per mutant. */
  readonly timeout?: number;
}

/** The claims to look in and the specs they may name. */
async function claimsAndSpecs(flags: WhyFlags, ctx: CliContext, builtin: readonly SpecDefinition[]): Promise<{ claims: readonly Claim[]; specs: readonly SpecDefinition[]; specArg: (id: string) => string }> {
  if (flags.file === undefined) return { claims: allClaims, specs: builtin, specArg: (id) => id };
  const loaded = await loadSpecModule(flags.file, ctx.cwd);
  const specs = [loaded.definition, ...builtin.filter((s) => s.id !== loaded.definition.id)];
  const file = flags.file;
  return { claims: claimsOf(loaded.exports, file, specs), specs, specArg: (id) => (id === loaded.definition.id ? file : id) };
}

export async function whyCommand(flags: WhyFlags, ctx: CliContext, builtin: readonly SpecDefinition[]): Promise<number> {
  ctx.watch?.stage({ step: 'loading', command: 'why', format: flags.format });
  const { claims, specs, specArg } = await claimsAndSpecs(flags, ctx, builtin);
  const claim = claims.find((c) => c.id === flags.claim);
  if (!claim) {
    const where = flags.file !== undefined ? ` among the claims of ${flags.file}` : '';
    throw new UsageError(`no claim '${printable(flags.claim)}'${where} (daxmc report --format json lists them)`);
  }
  const mutantFormats: readonly WhyFormat[] = ['text', 'itf', 'mermaid', 'svg'];
  if (flags.mutant === undefined && flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format ${flags.format} is a trace format: it needs --mutant`);
  if (flags.mutant !== undefined && !mutantFormats.includes(flags.format)) throw new UsageError(`--format ${flags.format} with --mutant: the trace formats are ${mutantFormats.join(', ')}`);
  if (flags.out !== undefined && flags.mutant === undefined) throw new UsageError('--out writes a mutant\'s trace files: it needs --mutant');
  if (claim.expect === 'found' && (flags.mutant !== undefined || flags.only !== undefined)) {
    throw new UsageError(`claim ${claim.id} expects a counterexample: the load-bearing analysis (--mutant, --only) is for "holds" claims; daxmc why ${claim.id} checks its fix`);
  }
  const outDir = flags.out === undefined ? undefined : isAbsolute(flags.out) ? flags.out : resolve(ctx.cwd, flags.out);
  const base = claimSlug(claim.id).replace(/\//g, '_');
  if (outDir !== undefined) {
    try {
      await checkOutputPlace(outDir, [`${base}-mutant.itf.json`, `${base}-mutant.txt`, `${base}-mutant.svg`]);
    } catch (e) {
      throw new UsageError(`--out: ${(e as Error).message}`);
    }
  }
  const def = findSpec(specs, claim.spec);
  ctx.watch?.stage({ step: 'searching', command: 'why', spec: def.id, config: claim.config });
  const limits = {
    ...(flags.maxStates !== undefined ? { maxStates: flags.maxStates } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const io = ctx.io;
  const command = `daxmc why ${flags.file !== undefined ? `${flags.file} ` : ''}${claim.id}`;

  if (claim.expect === 'found') {
    const own = await checkClaim(specs, claim, limits);
    const fix = await checkFix(specs, claim, limits);
    if (ctx.signal?.aborted) return interrupted(ctx);
    if (flags.format === 'json') {
      io.out(`${JSON.stringify({ schema: 'daxmc.why/1', claim: claim.id, expect: 'found', outcome: own.outcome, fix: fix ? { spec: fix.spec, config: fix.config, status: fix.status, outcome: fix.outcome } : null }, null, 2)}\n`);
    } else io.out(renderFix(claim, own.outcome, fix));
    if (own.result.verdict === 'incomplete' || fix?.status === 'incomplete') return ExitCode.incomplete;
    return fix === undefined || fix.status === 'holds' ? ExitCode.pass : ExitCode.claimsDiffer;
  }

  const progress = io.isTTY && flags.format === 'text';
  const options: AnalysisOptions = {
    ...limits,
    ...(flags.only ? { only: flags.only } : {}),
    ...(progress ? { onMutant: (r, done, total) => io.err(`\r\x1b[K${done}/${total} mutants: ${r.mechanism.id}`) } : {}),
  };

  if (flags.mutant !== undefined) {
    // The mechanisms are those the claim's search meets: record them, then take this one away.
    const a = await analyse(def, claim.config, [claim.property], { ...(ctx.signal ? { signal: ctx.signal } : {}), only: [] });
    const m = a.met.find((x) => x.id === flags.mutant || (x.context !== undefined && `${x.id} (${x.context})` === flags.mutant));
    if (!m) throw new UsageError(`claim ${claim.id}'s search meets no mechanism '${printable(flags.mutant)}' (${command} lists those it meets)`);
    const witnesses = buildSpec(def, claim.config).spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
    const r = await checkMutant(def, claim.config, [claim.property], witnesses, m, limits);
    if (ctx.signal?.aborted) return interrupted(ctx);
    const v = r.verdicts.get(claim.property)!;
    return match(v)
      .with({ kind: 'breaks' }, async (b) => {
        if (!b.trace) {
          io.out(`${m.id}: ${claim.property} fails: ${b.what}\n`);
          return ExitCode.safety;
        }
        const trace = b.trace;
        const { params } = buildSpec(def, claim.config);
        const processOf = processesFromParams(params);
        const itfName = `${base}-mutant.itf.json`;
        const text = renderReplayText(trace, outDir ? join(outDir, itfName) : `the mutant '${m.id}'`, {
          diff: true,
          specArg: specArg(def.id),
          mutantWords: m.id,
          ...(outDir ? { itfFile: join(outDir, itfName), ...(flags.file !== undefined ? { specFile: flags.file } : {}) } : {}),
        });
        io.out(
          match(flags.format)
            .with('text', () => text)
            .with('itf', () => itfToString(toItf(trace)))
            .with('mermaid', () => renderMermaid(trace))
            .with('svg', () => renderLaneSvg(trace, processOf ? { processOf } : {}))
            .otherwise(() => text),
        );
        if (outDir !== undefined) {
          ctx.watch?.stage({ step: 'writing' });
          const written = await writeFilesAtomic(outDir, [
            { name: itfName, content: itfToString(toItf(trace)) },
            { name: `${base}-mutant.txt`, content: text },
            { name: `${base}-mutant.svg`, content: renderLaneSvg(trace, processOf ? { processOf } : {}) },
          ]);
          io.err(`wrote ${written.join(', ')} (daxmc replay ${join(outDir, itfName)} replays it with the same code change)\n`);
        }
        return trace.kind === 'deadlock' ? ExitCode.deadlock : ExitCode.safety;
      })
      .with({ kind: 'holds' }, async () => {
        io.out(`${m.id}: "${claim.property}" still holds without it, over ${r.distinct.toLocaleString('en-US')} states: redundant at these bounds\n`);
        return ExitCode.pass;
      })
      .with({ kind: 'unsettled' }, async (u) => {
        io.out(`${m.id}: unsettled: ${u.detail} before a violation was found (INCOMPLETE)\n`);
        return ExitCode.incomplete;
      })
      .with({ kind: 'error' }, async (e) => {
        io.out(`${m.id}: the mutant breaks the spec contract: ${e.message}\n`);
        return ExitCode.spec;
      })
      .exhaustive();
  }

  const a = await analyse(def, claim.config, [claim.property], options);
  if (progress) io.err('\r\x1b[K');
  if (ctx.signal?.aborted) return interrupted(ctx);
  const r = restsOn(claim, a);
  if (flags.format === 'json') io.out(`${JSON.stringify({ schema: 'daxmc.why/1', ...analysisData(r) }, null, 2)}\n`);
  else io.out(renderWhy(r, command));
  if (a.baseline.discoveries.some((d) => d.property === claim.property && d.kind !== 'witness')) {
    io.err(`daxmc: "${claim.property}" does not hold on ${def.id} ${claim.config} itself: the claim differs (daxmc report ${claim.id})\n`);
    return ExitCode.claimsDiffer;
  }
  if (a.baseline.verdict === 'incomplete' || r.unsettled.length > 0) return ExitCode.incomplete;
  return ExitCode.pass;
}

function interrupted(ctx: CliContext): number {
  ctx.io.err('daxmc: interrupted; the analysis is not complete\n');
  return ExitCode.incomplete;
}
