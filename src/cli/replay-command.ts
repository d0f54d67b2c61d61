// `daxmc replay <trace.itf.json>`: read and validate an ITF trace file, build the spec and
// configuration it names, replay it step by step against the file, and print it. The exit code
// says what the trace shows (12 violation, 11 deadlock, 0 otherwise) or 4 if it does not replay.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { match } from 'ts-pattern';
import { TraceFileError, messageOf } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import { renderDot } from '../render/dot';
import { renderReplayJson } from '../render/json';
import { renderMermaid } from '../render/mermaid';
import { renderReplayText, traceVerdictLine } from '../render/text';
import { buildSpec } from '../run';
import { itfToString, parseItf, replayItf, toItf } from '../trace/itf';
import type { Trace } from '../trace/trace';
import { ExitCode, type ExitCodeValue } from './exit-codes';
import type { CliContext } from './io';
import { findBuiltin, loadSpec } from './load-spec';
import type { CheckFormat } from './check-command';
import { processesFromParams } from '../render/svg-lane-model';
import { renderLaneSvg } from '../render/svg-lanes';

export interface ReplayFlags {
  readonly format: CheckFormat;
  readonly diff?: boolean;
  /** A spec id or spec file to replay against (default: the spec the trace names, built in). */
  readonly spec?: string;
}

async function readTraceFile(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : messageOf(e);
    throw new TraceFileError(`cannot read ${file}: ${why}`);
  }
}

/** What a replayed trace shows, as an exit code. */
export function exitCodeOfTrace(trace: Trace): ExitCodeValue {
  if (trace.kind === undefined) return ExitCode.pass;
  return match(trace.kind)
    .with('invariant', () => ExitCode.safety)
    .with('deadlock', () => ExitCode.deadlock)
    .with('liveness', () => ExitCode.liveness)
    .with('witness', () => ExitCode.pass)
    .exhaustive();
}

export async function replayCommand(file: string, flags: ReplayFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  const text = await readTraceFile(file, ctx.cwd);
  const itf = parseItf(text, file);
  const meta = itf['#meta'];
  let def: SpecDefinition;
  let specFile: string | undefined;
  if (flags.spec !== undefined) {
    const loaded = await loadSpec(flags.spec, ctx.cwd, specs);
    def = loaded.definition;
    specFile = loaded.file;
    if (def.id !== meta.spec) {
      throw new TraceFileError(`${file}: the trace is of spec '${meta.spec}', not of '${def.id}' (${flags.spec})`);
    }
  } else {
    const found = findBuiltin(specs, meta.spec);
    if (!found) {
      throw new TraceFileError(`${file}: the trace is of spec '${meta.spec}', which is not built in (name its spec file with --spec)`);
    }
    def = found;
  }
  if (!(meta.config in def.configs)) {
    throw new TraceFileError(
      `${file}: spec ${def.id} has no configuration '${meta.config}' (it has: ${Object.keys(def.configs).join(', ')})`,
    );
  }
  const { spec, params } = buildSpec(def, meta.config);
  let trace: Trace;
  try {
    trace = replayItf(spec, itf);
  } catch (e) {
    if (e instanceof TraceFileError) throw new TraceFileError(`${file}: ${e.message}`);
    throw e;
  }
  const code = exitCodeOfTrace(trace);
  const textOpts = {
    diff: flags.diff ?? false,
    specArg: specFile ?? def.id,
    itfFile: file,
    ...(specFile !== undefined ? { specFile } : {}),
  };
  const io = ctx.io;
  const withVerdict = (s: string): void => {
    io.out(s);
    io.err(`${traceVerdictLine(trace, file)}\n`);
  };
  match(flags.format)
    .with('text', () => io.out(renderReplayText(trace, file, textOpts)))
    .with('json', () => io.out(renderReplayJson(trace, file, code)))
    .with('itf', () => withVerdict(itfToString(toItf(trace))))
    .with('mermaid', () => withVerdict(renderMermaid(trace)))
    .with('dot', () => withVerdict(renderDot(trace)))
    .with('svg', () => {
      const processOf = processesFromParams(params);
      withVerdict(renderLaneSvg(trace, processOf ? { processOf } : {}));
    })
    .exhaustive();
  return code;
}
