// `daxmc replay <trace.itf.json>`: read and validate an ITF trace file, build the spec and
// configuration it names, replay it step by step against the file, and print it. The exit code
// says what the trace shows (12 violation, 11 deadlock, 0 otherwise) or 4 if it does not replay.
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
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

/**
 * The largest trace file read: JSON.parse and the replay hold some ten times the file's size
 * (a 72 MB trace of 400,000 DieHard steps took 0.9 GB). daxmc writes 1-5 KiB a step, so this
 * is a path of several thousand steps; a longer one replays from its path (check --path).
 */
export const MAX_TRACE_BYTES = 32 * 2 ** 20;

/** What a stat mode is, for a file that is not a regular file. */
function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/**
 * Reads a trace file as UTF-8 text: a regular file (after symbolic links) of at most
 * MAX_TRACE_BYTES, never a FIFO or a device (which could block or never end). Opened without
 * blocking and checked again once open, so a file swapped in between is refused too.
 */
export async function readTraceFile(file: string, cwd: string, maxBytes = MAX_TRACE_BYTES): Promise<string> {
  const path = resolve(cwd, file);
  const cannot = (why: string): never => {
    throw new TraceFileError(`cannot read ${file}: ${why}`);
  };
  const errno = (e: unknown): string => {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'ENOTDIR' ? 'a part of the path is not a directory' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'too many symbolic links' : messageOf(e);
  };
  const checkKind = (st: Stats): void => {
    if (!st.isFile()) cannot(`it is ${kindOf(st)}, not a trace file`);
    if (st.size > maxBytes) cannot(`it is ${mib(st.size)}, more than the ${mib(maxBytes)} daxmc reads from a trace file (daxmc check --path replays its "#meta".path without the file)`);
  };
  let before;
  try {
    before = await stat(path);
  } catch (e) {
    return cannot(errno(e));
  }
  checkKind(before);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return cannot(errno(e));
  }
  try {
    checkKind(await handle.stat());
    // Until the end of the file, but never past the limit: a file that grew since the stat is still refused.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(before.size + 1 - length, 65536), maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) cannot(`it is more than the ${mib(maxBytes)} daxmc reads from a trace file`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, length));
    } catch {
      return cannot('it is not UTF-8 text');
    }
  } catch (e) {
    if (e instanceof TraceFileError) throw e;
    return cannot(errno(e));
  } finally {
    await handle.close();
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
  ctx.watch?.stage({ step: 'replaying', command: 'replay', file, format: flags.format });
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
  if (!Object.hasOwn(def.configs, meta.config)) {
    throw new TraceFileError(
      `${file}: spec ${def.id} has no configuration '${meta.config}' (it has: ${Object.keys(def.configs).join(', ')})`,
    );
  }
  const { spec, params } = buildSpec(def, meta.config);
  let mutantWords: string | undefined;
  if (meta.mutant !== undefined) {
    // A mutant's counterexample (daxmc why --mutant): make the same code change before replaying.
    if (!spec.mutants) throw new TraceFileError(`${file}: the trace is of a mutant, but spec ${def.id} offers no code mutations`);
    try {
      mutantWords = spec.mutants.apply(meta.mutant).id;
    } catch (e) {
      throw new TraceFileError(`${file}: "#meta".mutant: ${messageOf(e)}`);
    }
  }
  let trace: Trace;
  try {
    trace = replayItf(spec, itf);
  } catch (e) {
    if (e instanceof TraceFileError) {
      // A step the configuration does not have: the spec file changed since the trace was written.
      const hint = /has no action/.test(e.message) ? ` (the trace was written with configuration '${meta.config}' of ${def.id} as it was then; has the spec changed since?)` : '';
      throw new TraceFileError(`${file}: ${e.message}${hint}`);
    }
    throw e;
  }
  const code = exitCodeOfTrace(trace);
  const textOpts = {
    diff: flags.diff ?? false,
    specArg: specFile ?? def.id,
    itfFile: file,
    ...(specFile !== undefined ? { specFile } : {}),
    ...(mutantWords !== undefined ? { mutantWords } : {}),
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
