// `daxmc simulate <spec>`: seeded random walks through a configuration too big to search, then
// the verdict, the figures, the PRNG state of the run that failed (to repeat it alone with
// --state), the trace and the `daxmc check --path` command that replays it. Exit codes as
// check; finding nothing is INCOMPLETE (exit 5), never a pass. All output through the injected IO.
import { match } from 'ts-pattern';
import { simulate, type SimulationResult } from '../check/simulate';
import { SpecError, TraceFileError, UsageError } from '../core/errors';
import type { SpecDefinition } from '../core/spec';
import { afterSteps, checkPathCommand, count, plural, shellQuote } from '../render/format';
import { checkedProperties } from '../render/report';
import { renderTraceText } from '../render/text';
import { buildSpec } from '../run';
import { encodePath, replay, type Trace } from '../trace/trace';
import { checkDeadlockFlags, resolveProperties } from './check-command';
import { ExitCode, exitCodeOf } from './exit-codes';
import type { CliContext } from './io';
import { loadSpec } from './load-spec';

export interface SimulateFlags {
  readonly config?: string;
  readonly seed: number;
  readonly steps: number;
  readonly runs: number;
  /** A PRNG state printed by an earlier run (32 hex digits), to repeat that run. */
  readonly state?: string;
  readonly property: readonly string[];
  readonly deadlock: boolean;
  /** Seconds. */
  readonly timeout?: number;
  readonly format: 'text' | 'json';
  readonly diff?: boolean;
}

/** A PRNG state as printed: four 32-bit words in hex, 32 digits. */
export function formatState(s: readonly number[]): string {
  return s.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
}

export function parseState(text: string): number[] {
  if (!/^[0-9a-fA-F]{32}$/.test(text)) throw new UsageError(`--state takes the 32 hex digits a simulation printed, got '${text}'`);
  const words = [0, 8, 16, 24].map((i) => parseInt(text.slice(i, i + 8), 16));
  if (words.every((w) => w === 0)) throw new UsageError('--state cannot be all zeros');
  return words;
}

export async function simulateCommand(specArg: string, flags: SimulateFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  const { io } = ctx;
  checkDeadlockFlags(flags);
  ctx.watch?.stage({ step: 'loading', command: 'simulate', format: flags.format, ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}) });
  const loaded = await loadSpec(specArg, ctx.cwd, specs);
  const def = loaded.definition;
  ctx.watch?.stage({ step: 'building', spec: def.id, config: flags.config ?? def.defaultConfig, specArg: loaded.file ?? def.id });
  const { spec, name: config } = buildSpec(def, flags.config);
  const properties = flags.property.length > 0 ? resolveProperties(spec, def.id, flags.property) : undefined;
  const temporal = properties?.find((p) => (spec.liveness ?? []).some((q) => q.name === p));
  if (temporal !== undefined) throw new UsageError(`--property '${temporal}' is a liveness property: a random simulation cannot check it (it needs the whole state graph; use daxmc check)`);
  const checked = checkedProperties(spec, { ...(properties ? { properties } : {}), deadlock: flags.deadlock, liveness: false });
  const state = flags.state !== undefined ? parseState(flags.state) : undefined;
  ctx.watch?.stage({ step: 'simulating', config });
  const watch = ctx.watch;
  const result = await simulate(spec, {
    seed: flags.seed,
    steps: flags.steps,
    runs: flags.runs,
    deadlock: flags.deadlock,
    ...(state ? { state } : {}),
    ...(properties ? { properties } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  }, watch ? { onProgress: (p) => watch.figures(p), onDiscovery: (d) => watch.discovery(d) } : {});
  let trace: Trace | undefined;
  if (result.failure) {
    try {
      trace = replay(spec, result.failure.path, { specId: def.id, config, property: result.failure.property, kind: result.failure.kind });
    } catch (e) {
      if (e instanceof TraceFileError) throw new SpecError(`the path the simulation took does not replay: ${e.message}`);
      throw e;
    }
  }
  const code = result.verdict === 'fail' ? exitCodeOf({ verdict: 'fail', failure: result.failure! }) : result.verdict === 'error' ? ExitCode.spec : ExitCode.incomplete;
  const specName = loaded.file ?? def.id;
  const repeatCommand = (s: readonly number[]): string =>
    ['daxmc', 'simulate', shellQuote(specName), '--config', shellQuote(config), '--state', formatState(s), '--steps', String(flags.steps), '--runs', '1'].join(' ');

  if (flags.format === 'json') {
    io.out(
      `${JSON.stringify(
        {
          schema: 'daxmc.simulation/1',
          spec: def.id,
          config,
          verdict: result.verdict,
          exitCode: code,
          seed: flags.seed,
          ...(flags.state !== undefined ? { state: flags.state } : {}),
          steps: flags.steps,
          runs: flags.runs,
          ...(result.failure ? { failure: { property: result.failure.property, kind: result.failure.kind, path: encodePath(result.failure.path) } } : {}),
          ...(result.failedRun ? { failedRun: { run: result.failedRun.run, state: formatState(result.failedRun.state) } } : {}),
          discoveries: result.discoveries.map((d) => ({ property: d.property, kind: d.kind, path: encodePath(d.path) })),
          unwitnessed: result.unwitnessed,
          // Without the elapsed time: equal seeds give equal files.
          stats: { runs: result.stats.runs, steps: result.stats.steps, distinct: result.stats.distinct, longest: result.stats.longest },
          ...(result.error !== undefined ? { error: result.error } : {}),
          ...(result.limit !== undefined ? { limit: result.limit } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return code;
  }

  const sections: string[] = [];
  const how = result.failedRun ? `random walk: run ${count(result.failedRun.run)}, ${seedText(flags)}` : '';
  sections.push(
    match(result.verdict)
      .with('fail', () => {
        const f = result.failure!;
        const what = f.kind === 'deadlock' ? 'deadlock reached' : `invariant "${f.property}" violated`;
        return `FAIL  ${what} ${afterSteps(f.path.actions.length)} (${how})`;
      })
      .with('incomplete', () =>
        result.limit !== undefined
          ? `INCOMPLETE  ${result.limit} after ${plural(result.stats.runs, 'run')}; no violation found so far`
          : `INCOMPLETE  no violation in ${plural(result.stats.runs, 'random run')} of at most ${plural(flags.steps, 'step')} (${seedText(flags)}); a simulation is not exhaustive`,
      )
      .with('error', () => `ERROR  ${result.error ?? 'the spec failed'}`)
      .exhaustive(),
  );
  const s = result.stats;
  const c = checked;
  const lines = [
    `  spec        ${def.id}, configuration ${config}`,
    `  checked     ${plural(c.invariants.length, 'invariant')}, ${plural(c.witnesses.length, 'witness', 'witnesses')}, ${c.deadlock ? 'deadlock' : 'no deadlock check'}`,
    `  simulation  ${plural(s.runs, 'run')} of at most ${plural(flags.steps, 'step')} (${seedText(flags)}): ${plural(s.steps, 'transition')}, ${count(s.distinct)} distinct states seen, longest run ${count(s.longest)}`,
    `  time        ${(s.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (result.failedRun) lines.push(`  failed run  ${count(result.failedRun.run)}, started at PRNG state ${formatState(result.failedRun.state)}`);
  sections.push(lines.join('\n'));
  if (result.unwitnessed.length > 0 && result.verdict !== 'fail') {
    sections.push(result.unwitnessed.map((w) => `note: "${w}" was not witnessed by these runs`).join('\n'));
  }
  if (trace) {
    sections.push(renderTraceText(trace, { diff: flags.diff ?? false }).trimEnd());
    const footer = ['Replay:', `  ${checkPathCommand(specName, config, trace.path)}`];
    if (result.failedRun) footer.push(`  ${repeatCommand(result.failedRun.state)}`);
    sections.push(footer.join('\n'));
  }
  io.out(`${sections.join('\n\n')}\n`);
  return code;
}

function seedText(flags: SimulateFlags): string {
  return flags.state !== undefined ? `from PRNG state ${flags.state}` : `seed ${flags.seed}`;
}

export type { SimulationResult };
