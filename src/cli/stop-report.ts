// What daxmc prints for a run whose thread the supervisor had to end (supervise.ts): the spec's
// code did not return within the grace after an interrupt or the time limit, or it called
// process.exit, or the thread ran out of heap. Built only from what the command reported on the
// way (its stage, the last figures, the discoveries so far): a verdict line in the command's
// format, the figures, a `stopped` line saying what did not return, and for a failure already
// found the command that replays it. Pure: returns the text and the exit code; prints nothing.
import { match } from 'ts-pattern';
import type { Discovery, Progress } from '../check/result';
import { afterSteps, checkPathCommand, count, lassoPhrase } from '../render/format';
import { encodePath } from '../trace/trace';
import { ExitCode, exitCodeOf, type ExitCodeValue } from './exit-codes';
import type { Stage } from './io';
import { oneLine } from './printable';

/** Why the supervisor ended the run. */
export type StopCause =
  | { readonly kind: 'interrupted'; readonly graceMs: number }
  | { readonly kind: 'time'; readonly timeoutMs: number; readonly graceMs: number }
  | { readonly kind: 'heap'; readonly message: string }
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'uncaught'; readonly message: string };

export interface StoppedRun {
  /** Everything the command reported of its stage, merged (empty before it started). */
  readonly stage: Partial<Stage>;
  readonly figures?: Progress;
  readonly discoveries: readonly Discovery[];
  readonly cause: StopCause;
}

export interface StopOutput {
  readonly out: string;
  readonly err: string;
  readonly code: ExitCodeValue;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** What was running: as the subject of "did not stop", and after "while". */
function running(stage: Partial<Stage>): { what: string; during: string } {
  return match(stage.step)
    .with('loading', () => ({ what: 'loading the spec file', during: 'the spec file was loading' }))
    .with('building', () => ({ what: `build() of spec ${stage.spec ?? '?'}, configuration ${stage.config ?? '?'}`, during: 'build() ran' }))
    .with('searching', () => ({ what: "the search (the spec's code: an action, a property or the constraint)", during: 'searching' }))
    .with('simulating', () => ({ what: "the simulation (the spec's code: an action, a property or the constraint)", during: 'simulating' }))
    .with('replaying', () => ({ what: `the replay${stage.file !== undefined ? ` of ${stage.file}` : ''}`, during: 'replaying' }))
    .with('writing', () => ({ what: 'writing the output files', during: 'writing the output files' }))
    .with(undefined, () => ({ what: 'daxmc starting up', during: 'daxmc was starting up' }))
    .exhaustive();
}

/** The limit detail of the verdict line and the `stopped` line. */
function describe(run: StoppedRun): { limit: { kind: 'interrupted' | 'time' | 'memory'; detail: string } | undefined; stopped: string } {
  const { what, during } = running(run.stage);
  return match(run.cause)
    .with({ kind: 'interrupted' }, (c) => ({
      limit: { kind: 'interrupted' as const, detail: 'interrupted' },
      stopped: `${what} did not stop within ${seconds(c.graceMs)} of the interrupt: its thread was ended`,
    }))
    .with({ kind: 'time' }, (c) => ({
      limit: { kind: 'time' as const, detail: `reached the time limit of ${seconds(c.timeoutMs)}` },
      stopped: `${what} did not stop within ${seconds(c.graceMs)} of the time limit: its thread was ended`,
    }))
    .with({ kind: 'heap' }, (c) => ({
      limit: { kind: 'memory' as const, detail: 'the JavaScript heap ran out (node --max-old-space-size raises the limit)' },
      stopped: `${what} ran out of heap: ${oneLine(c.message)}`,
    }))
    .with({ kind: 'exit' }, (c) => ({ limit: undefined, stopped: `the spec's code called process.exit(${c.code}) while ${during}: the run has no verdict` }))
    .with({ kind: 'uncaught' }, (c) => ({ limit: undefined, stopped: `the spec's code threw outside any action while ${during}: ${oneLine(c.message)}` }))
    .exhaustive();
}

function failureLine(d: Discovery, strategy: 'bfs' | 'dfs' | undefined): string {
  const how = strategy === 'dfs' ? 'DFS: not necessarily shortest' : 'BFS: shortest';
  const n = d.path.actions.length;
  return match(d.kind)
    .with('deadlock', () => `deadlock reached ${afterSteps(n)} (${how})`)
    .with('invariant', () => `invariant "${d.property}" violated ${afterSteps(n)} (${how})`)
    .with('liveness', () => `liveness "${d.property}" violated: ${lassoPhrase(d.path)} (${how === 'BFS: shortest' ? 'shortest stem' : how})`)
    // Neither reaches a stopped run's discoveries: witnesses are left out, and a lock-order failure is made after the search.
    .with('witness', 'lock-order', () => `"${d.property}" found ${afterSteps(n)}`)
    .exhaustive();
}

/** The report of a run the supervisor ended. */
export function renderStop(run: StoppedRun): StopOutput {
  const { stage } = run;
  const { limit, stopped } = describe(run);
  const failure = run.discoveries.find((d) => d.kind !== 'witness');
  // A run that broke the contract (process.exit, an uncaught throw) is a spec error, whatever it found.
  const broke = limit === undefined;
  // The verdict's own code (exitCodeOf), as a run that finished would have it: a liveness failure is 13.
  const code: ExitCodeValue = broke ? ExitCode.spec : failure ? exitCodeOf({ verdict: 'fail', failure }) : ExitCode.incomplete;
  const command = stage.command;
  if (command === undefined || command === 'replay' || command === 'report' || command === 'why' || command === 'explore' || stage.step === 'loading') {
    const prefix = command === 'explore' ? 'daxmc explore' : 'daxmc';
    const tail = command === 'report' && !broke ? '; no file written' : '';
    const line = broke ? `${prefix}: ${stopped}` : `${prefix}: ${limit!.detail}: ${stopped}${tail}`;
    return { out: '', err: `${line}\n`, code: command === 'explore' && !broke ? ExitCode.pass : code };
  }
  const verdict = broke
    ? `ERROR  ${stopped}`
    : failure
      ? `FAIL  ${failureLine(failure, stage.strategy)}`
      : `INCOMPLETE  ${limit!.detail}; no violation found so far`;
  const f = run.figures;
  if (stage.format === 'json') {
    const json = {
      schema: command === 'simulate' ? 'daxmc.simulation/1' : 'daxmc.result/1',
      spec: stage.spec ?? null,
      config: stage.config ?? null,
      verdict: broke ? 'error' : failure ? 'fail' : 'incomplete',
      exitCode: code,
      failure: failure ? { property: failure.property, kind: failure.kind, length: failure.path.actions.length, path: encodePath(failure.path) } : null,
      discoveries: run.discoveries.map((d) => ({ property: d.property, kind: d.kind, length: d.path.actions.length, path: encodePath(d.path) })),
      stats: f ? (command === 'simulate' ? { steps: f.generated, distinct: f.distinct } : { distinct: f.distinct, generated: f.generated, depth: f.depth, queued: f.queued }) : null,
      limit: limit ?? null,
      error: broke ? stopped : null,
      stopped,
    };
    return { out: `${JSON.stringify(json, null, 2)}\n`, err: '', code };
  }
  const lines = [verdict];
  if (stage.spec !== undefined) lines.push(`  spec        ${stage.spec}, configuration ${stage.config ?? '?'}`);
  if (f && command === 'simulate') lines.push(`  simulation  ${count(f.generated)} transitions so far, ${count(f.distinct)} distinct states seen`);
  else if (f) lines.push(`  states      ${count(f.distinct)} distinct, ${count(f.generated)} generated, depth ${count(f.depth)}, ${count(f.queued)} queued (at the last progress report)`);
  if (!broke) lines.push(`  stopped     ${stopped}${failure ? '; the trace is not printed' : ''}`);
  let text = `${lines.join('\n')}\n`;
  if (failure && stage.specArg !== undefined && stage.config !== undefined) {
    text += `\nReplay:\n  ${checkPathCommand(stage.specArg, stage.config, failure.path)}\n`;
  }
  // Formats other than text and JSON print traces on standard output and the verdict on standard error.
  if (stage.format !== undefined && stage.format !== 'text') return { out: '', err: text, code };
  return { out: text, err: '', code };
}
