// `daxmc check <spec>`: load and build the spec configuration, search it (or replay one given
// --path), rebuild the failure's trace, print it in the chosen format, write --out files, and
// return the exit code. All console output goes through the injected IO.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { match } from 'ts-pattern';
import { pathToFileURL } from 'node:url';
import { check, livenessObstacle, type CheckOptions } from '../check/explore';
import { planProperties } from '../check/findings';
import { checkParallel, parallelRefusal } from '../check/parallel';
import type { SpecSource } from '../check/spec-source';
import type { ActionPath, CheckListener, CheckResult } from '../check/result';
import { OutputError, SpecError, TraceFileError, UsageError } from '../core/errors';
import { entryModule } from '../core/package-files';
import type { Spec, SpecDefinition } from '../core/spec';
import { builtinSpecs } from '../../specs/index';
import { renderDot } from '../render/dot';
import { renderJson } from '../render/json';
import { renderMermaid } from '../render/mermaid';
import { actionLabels, checkedProperties, type CheckReport } from '../render/report';
import { renderCheckText, verdictLine } from '../render/text';
import { processesFromParams } from '../render/svg-lane-model';
import { renderLaneSvg } from '../render/svg-lanes';
import { buildSpec } from '../run';
import { checkPath } from '../trace/check-path';
import { itfToString, toItf } from '../trace/itf';
import { replay, type Trace } from '../trace/trace';
import { exitCodeOf } from './exit-codes';
import { lockOrderVerdict } from './lock-order';
import type { CliContext } from './io';
import { loadSpec } from './load-spec';
import { FORMATS, type Format } from './options';
import { oneLine, printable } from './printable';
import { progressDisplay } from './progress';
import { makeScratch, type ScratchDir } from './scratch-dir';
import { checkOutputPlace, traceFileBase, writeFilesAtomic } from './write-files';

/** `check` also draws the counterexample as an SVG lane diagram. */
export const CHECK_FORMATS = [...FORMATS, 'svg'] as const;
export type CheckFormat = Format | 'svg';

export interface CheckFlags {
  readonly config?: string;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  /** Seconds. */
  readonly timeout?: number;
  /** MiB of resident memory. */
  readonly memory?: number;
  /** Fingerprints kept in memory before the seen table spills to disk. */
  readonly spillAfter?: number;
  /** Store whole states too, and count fingerprint collisions (CheckOptions.exact). */
  readonly exact?: boolean;
  readonly format: CheckFormat;
  readonly diff?: boolean;
  readonly out?: string;
  readonly deadlock: boolean;
  /** Check the spec's liveness properties (default true; --no-liveness). */
  readonly liveness?: boolean;
  readonly dfs?: boolean;
  readonly property: readonly string[];
  readonly all?: boolean;
  readonly path?: ActionPath;
  /** Worker threads for the search (parallel BFS); 1 or absent: this thread alone. */
  readonly workers?: number;
  /** Deduplicate states up to the spec's symmetry (spec.symmetry). */
  readonly symmetry?: boolean;
  /** Partial-order reduction (spec.reduction). */
  readonly por?: boolean;
  /** Print the per-action coverage table. */
  readonly coverage?: boolean;
  /** Check for writes of the input state at every expansion (default) or only the first ones. */
  readonly inputChecks?: 'every' | 'sampled';
  /** A lock-order cycle or an acquisition against a documented order fails the run (exit 12). */
  readonly lockOrder?: boolean;
}

/**
 * Resolves --property names: an exact property name, `deadlock`, or an unambiguous prefix of a
 * name (`--property NotSolved` for "NotSolved: big /= 4").
 */
export function resolveProperties(spec: Spec, specId: string, wanted: readonly string[]): string[] {
  const names = [...spec.properties.map((p) => p.name), ...(spec.liveness ?? []).map((p) => p.name)];
  return wanted.map((w) => {
    if (w === 'deadlock' || names.includes(w)) return w;
    const prefixed = names.filter((n) => n.startsWith(w));
    if (prefixed.length === 1) return prefixed[0];
    const known = [...names.map((n) => JSON.stringify(n)), 'deadlock'].join(', ');
    if (prefixed.length > 1) throw new UsageError(`--property '${w}' matches ${prefixed.length} properties of spec ${specId} (it has: ${known})`);
    throw new UsageError(`spec ${specId} has no property '${w}' (it has: ${known})`);
  });
}

/** The most worker threads --workers takes: more is a usage error (a typo, not a machine). */
export const MAX_WORKERS = 256;

/**
 * The worker threads a run uses for --workers N: N, or the machine's core count when N is
 * larger (each worker keeps its own copy of the spec and buffers: more threads than cores only
 * cost memory), with a warning then. Above MAX_WORKERS, a usage error.
 */
export function workerCount(asked: number, cores: number, warn: (line: string) => void): number {
  if (asked > MAX_WORKERS) throw new UsageError(`--workers ${asked} is more than the ${MAX_WORKERS} worker threads daxmc runs at most`);
  if (asked <= cores) return asked;
  warn(`daxmc: --workers ${asked}: this machine runs ${cores} ${cores === 1 ? 'thread' : 'threads'} at once; using ${cores} ${cores === 1 ? 'worker' : 'workers'}\n`);
  return cores;
}

/** --no-deadlock with --property deadlock asks for nothing and its opposite. */
export function checkDeadlockFlags(flags: { readonly deadlock: boolean; readonly property: readonly string[] }): void {
  if (!flags.deadlock && flags.property.includes('deadlock')) {
    throw new UsageError('--property deadlock asks for the deadlock check, which --no-deadlock turns off: drop one of them');
  }
}

/** Where worker threads load the spec from: the user's file, or the built-in registry. */
function specSource(def: SpecDefinition, file: string | undefined, cwd: string): SpecSource {
  if (file !== undefined) return { module: pathToFileURL(resolve(cwd, file)).href };
  if (!builtinSpecs.includes(def)) throw new UsageError(`--workers needs a built-in spec or a spec file; ${def.id} is neither`);
  return { module: entryModule('specs').href, id: def.id };
}

/**
 * How many fingerprints stay in memory: --spill-after, or with --memory a quarter of the room
 * left under the limit at 16 bytes a fingerprint (the in-memory table's worst case), so that
 * the table goes to disk well before the limit ends the run.
 */
function spillAfter(flags: CheckFlags): number | undefined {
  if (flags.spillAfter !== undefined) return flags.spillAfter;
  if (flags.memory === undefined || (flags.workers ?? 1) > 1 || flags.exact) return undefined;
  const room = flags.memory * 2 ** 20 - process.memoryUsage.rss();
  return Math.max(1 << 16, Math.floor(room / 4 / 16));
}

/** The files --out writes for a trace of `specId` in configuration `config`. */
function outFileNames(specId: string, config: string): string[] {
  const base = traceFileBase(specId, config);
  return ['.itf.json', '.txt', '.mmd', '.dot', '.svg'].map((x) => `${base}${x}`);
}

/** The listener of a search: the progress display, and the supervisor's figures and discoveries. */
function searchListener(display: CheckListener, ctx: CliContext): CheckListener {
  const watch = ctx.watch;
  if (!watch) return display;
  return {
    onProgress: (p) => {
      watch.figures(p);
      display.onProgress?.(p);
    },
    onDiscovery: (d) => {
      watch.discovery(d);
      display.onDiscovery?.(d);
    },
  };
}

/**
 * Whether this run checks the spec's liveness properties. --no-liveness says no. Otherwise they
 * are checked unless an option of the run cannot give a sound answer (--workers, --symmetry,
 * --por, --spill-after, --exact): then a property named with --property is a usage error with
 * the reason, and properties checked only by default are left out with a note on stderr (the
 * verdict's "checked" line no longer counts them).
 */
function livenessChoice(spec: Spec, specId: string, config: string, flags: CheckFlags, properties: readonly string[] | undefined, err: (s: string) => void): boolean {
  const all = spec.liveness ?? [];
  if (flags.liveness === false || all.length === 0) return false;
  const named = properties ? all.filter((p) => properties.includes(p.name)) : [];
  if (properties && named.length === 0) return false;
  if (flags.path) return true;
  const workers = (flags.workers ?? 1) > 1;
  const obstacle = workers
    ? 'the parallel search keeps no state graph'
    : livenessObstacle(spec, {
        ...(flags.symmetry ? { symmetry: true } : {}),
        ...(flags.por ? { por: true } : {}),
        ...(flags.spillAfter !== undefined ? { spill: { memoryEntries: flags.spillAfter } } : {}),
        ...(flags.exact ? { exact: true } : {}),
      });
  if (obstacle === undefined) return true;
  const option = workers ? '--workers' : flags.symmetry ? '--symmetry' : flags.por ? '--por' : flags.exact ? '--exact' : '--spill-after';
  if (named.length > 0) throw new UsageError(`--property '${named[0].name}' is a liveness property, which ${option} cannot check: ${obstacle}`);
  err(`daxmc: spec ${specId}, configuration ${config}: liveness properties not checked with ${option} (${obstacle}); run without it to check them, or add --no-liveness\n`);
  return false;
}

export async function checkCommand(specArg: string, flags: CheckFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  const { io } = ctx;
  checkDeadlockFlags(flags);
  if (flags.workers !== undefined) workerCount(flags.workers, MAX_WORKERS, () => {});
  ctx.watch?.stage({ step: 'loading', command: 'check', format: flags.format, ...(flags.timeout !== undefined && !flags.path ? { timeoutMs: flags.timeout * 1000 } : {}) });
  const loaded = await loadSpec(specArg, ctx.cwd, specs);
  const def = loaded.definition;
  ctx.watch?.stage({ step: 'building', spec: def.id, config: flags.config ?? def.defaultConfig, specArg: loaded.file ?? def.id });
  const { spec, name: config, params } = buildSpec(def, flags.config);
  const properties = flags.property.length > 0 ? resolveProperties(spec, def.id, flags.property) : undefined;
  if (flags.symmetry && !spec.symmetry && !flags.path) io.err(`daxmc: spec ${def.id}, configuration ${config} has no interchangeable threads: --symmetry changes nothing\n`);

  if (flags.exact && flags.spillAfter !== undefined && !flags.path) throw new UsageError('--exact keeps every state in memory: it cannot be combined with --spill-after');
  if (flags.lockOrder && !spec.analyses) throw new UsageError(`--lock-order: spec ${def.id} has no lock-order analysis (only specs built with the kernel vocabulary have one)`);
  if (flags.lockOrder && flags.por) throw new UsageError('--lock-order reads every interleaving of lock acquisitions, which partial-order reduction may leave out: drop --por');
  // After the refusals above: a run refused anyway gets no note about liveness first.
  const liveness = livenessChoice(spec, def.id, config, flags, properties, io.err);
  const checked = checkedProperties(spec, { ...(properties ? { properties } : {}), deadlock: flags.deadlock, liveness });

  // The --out place is tried before the search: a place that cannot be written fails now.
  if (flags.out !== undefined) {
    try {
      await checkOutputPlace(resolve(ctx.cwd, flags.out), outFileNames(def.id, config));
    } catch (e) {
      if (e instanceof OutputError) throw new UsageError(`--out ${flags.out}: ${e.message}`);
      throw e;
    }
  }

  let result: CheckResult;
  let trace: Trace | undefined;
  if (flags.path) {
    ctx.watch?.stage({ step: 'replaying', config });
    const pc = checkPath(spec, flags.path, { specId: def.id, config }, { ...(properties ? { properties } : {}), deadlock: flags.deadlock, liveness });
    result = pc.result;
    trace = pc.trace;
  } else {
    let options: CheckOptions = {
      strategy: flags.dfs ? 'dfs' : 'bfs',
      deadlock: flags.deadlock,
      liveness,
      stopAt: flags.all ? 'all' : 'first',
      ...(properties ? { properties } : {}),
      ...(flags.maxStates !== undefined ? { maxStates: flags.maxStates } : {}),
      ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
      ...(flags.memory !== undefined ? { maxMemoryBytes: flags.memory * 2 ** 20 } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      // A supervisor's figures are at most a quarter of a second old.
      ...(ctx.watch ? { progressIntervalMs: 250 } : {}),
      ...(flags.symmetry ? { symmetry: true } : {}),
      ...(flags.por ? { por: true } : {}),
      ...(flags.exact ? { exact: true } : {}),
      ...(flags.inputChecks ? { inputChecks: flags.inputChecks } : {}),
    };
    const progress = progressDisplay(io, ctx.now);
    const listener = searchListener(progress.listener, ctx);
    // The seen table spills into a scratch directory of ours (removed at the end; one a killed
    // run left is removed by the next: scratch-dir.ts).
    // A liveness run keeps its state graph in memory: --memory then does not spill on its own.
    const memoryEntries = liveness && flags.spillAfter === undefined ? undefined : spillAfter(flags);
    let scratch: ScratchDir | undefined;
    if (memoryEntries !== undefined) {
      scratch = await makeScratch(ctx.tmpdir);
      ctx.watch?.scratch(scratch.path);
      options = { ...options, spill: { memoryEntries, dir: scratch.path } };
    }
    ctx.watch?.stage({ step: 'searching', config, strategy: options.strategy ?? 'bfs' });
    try {
      if (flags.workers !== undefined && flags.workers > 1) {
        // The engine's reasons: each of these searches needs one thread's order or memory.
        const refused = parallelRefusal(options);
        if (refused !== undefined) throw new UsageError(refused);
        const source = specSource(def, loaded.file, ctx.cwd);
        const workers = workerCount(flags.workers, availableParallelism(), io.err);
        result = await checkParallel(spec, { ...options, workers, source, config }, listener);
      } else result = await check(spec, options, listener);
    } finally {
      progress.done();
      if (scratch) {
        await scratch.remove();
        ctx.watch?.scratch(null);
      }
    }
    if (result.reduction && !result.reduction.available) {
      // The checked properties that do not promise what they read of the threads (threadBytes).
      const plan = planProperties(spec, options);
      const readers = [...plan.invariants, ...plan.witnesses].filter((p) => (p as { threadBytes?: unknown }).threadBytes === undefined).map((p) => `'${p.name}'`);
      const why = readers.length > 0 ? `${readers.join(', ')} read${readers.length === 1 ? 's' : ''} the threads' program counters or locals; leave ${readers.length === 1 ? 'it' : 'them'} out with --property to reduce the others` : "the spec's reduction declined these properties";
      io.err(`daxmc: spec ${def.id}, configuration ${config} offers no partial-order reduction for the checked properties (${why}): --por changed nothing\n`);
    }
    if (result.failure) {
      try {
        trace = replay(spec, result.failure.path, { specId: def.id, config, property: result.failure.property, kind: result.failure.kind });
      } catch (e) {
        // The engine found this path in this very process: if it does not replay, the spec is at fault.
        if (e instanceof TraceFileError) throw new SpecError(`the counterexample found does not replay: ${e.message}`);
        throw e;
      }
    }
  }

  // --lock-order makes a lock-order finding the run's failure: from here on the result is the
  // one source of the verdict, the exit code and every output.
  if (flags.lockOrder) result = lockOrderVerdict(result, def.id);
  const report: CheckReport = {
    spec: def.id,
    config,
    params,
    result,
    checked,
    ...(trace ? { trace } : {}),
    ...(flags.path ? { replayedPath: flags.path } : {}),
    actions: actionLabels(spec),
    ...(flags.coverage ? { coverage: true } : {}),
  };
  const specArgForCommands = loaded.file ?? def.id;
  const code = exitCodeOf(result);
  const textOpts = {
    diff: flags.diff ?? false,
    specArg: specArgForCommands,
    ...(loaded.file !== undefined ? { specFile: loaded.file } : {}),
  };

  const processOf = processesFromParams(params);
  const laneSvg = (t: Trace): string => renderLaneSvg(t, processOf ? { processOf } : {});
  let written: string[] = [];
  let itfFile: string | undefined;
  /** Why the --out files could not be written after the search (the result is printed all the same). */
  let writeError: string | undefined;
  if (flags.out !== undefined && trace) {
    ctx.watch?.stage({ step: 'writing' });
    const base = traceFileBase(def.id, config);
    itfFile = join(flags.out, `${base}.itf.json`);
    const files = [
      { name: `${base}.itf.json`, content: itfToString(toItf(trace)) },
      { name: `${base}.txt`, content: renderCheckText(report, { ...textOpts, timings: false, itfFile }) },
      { name: `${base}.mmd`, content: renderMermaid(trace) },
      { name: `${base}.dot`, content: renderDot(trace) },
      { name: `${base}.svg`, content: laneSvg(trace) },
    ];
    try {
      await writeFilesAtomic(resolve(ctx.cwd, flags.out), files);
      written = files.map((f) => join(flags.out ?? '', f.name));
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      writeError = e.message;
      itfFile = undefined;
    }
  }

  const traceOr = (render: (t: Trace) => string): void => {
    if (trace) io.out(render(trace));
    io.err(`${verdictLine(report)}\n`);
  };
  match(flags.format)
    .with('text', () => io.out(renderCheckText(report, { ...textOpts, timings: true, ...(itfFile !== undefined ? { itfFile } : {}) })))
    .with('json', () => io.out(renderJson(report, code)))
    .with('itf', () => traceOr((t) => itfToString(toItf(t))))
    .with('mermaid', () => traceOr((t) => renderMermaid(t)))
    .with('dot', () => traceOr((t) => renderDot(t)))
    .with('svg', () => traceOr(laneSvg))
    .exhaustive();
  if (written.length > 0) io.err(`daxmc: wrote ${printable(written.join(', '))}\n`);
  if (flags.out !== undefined && !trace && result.failure?.kind === 'lock-order') {
    io.err('daxmc: --out: nothing written: a lock-order cycle has no single counterexample trace (each edge\'s example path is in the report)\n');
  }
  if (writeError !== undefined) io.err(`daxmc: --out: ${oneLine(writeError)} (the result above is complete; the trace files are not all written)\n`);
  return code;
}

