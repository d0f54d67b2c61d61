// The process exit codes of daxmc, and the mapping from a check's verdict to one. The table is
// documented in docs/cli.md; scripts and CI depend on it, so codes are never reused.
import { match } from 'ts-pattern';
import type { CheckResult } from '../check/result';
import { OutputError, SpecError, TraceFileError, UsageError } from '../core/errors';

export const ExitCode = {
  /** Every checked property holds over the whole (bounded) state space; or a witness replayed. */
  pass: 0,
  /** A bug in daxmc itself (not in the spec or the input). */
  internal: 1,
  /** Unknown command, option, spec or configuration; a bad option value; an output place that cannot be written. */
  usage: 2,
  /** The spec broke the contract: it failed to load or build, or an action threw. */
  spec: 3,
  /** A trace file is unreadable, malformed, or does not replay. */
  traceFile: 4,
  /** A limit (states, depth, time, memory) or an interruption ended the run before it finished. */
  incomplete: 5,
  /** `daxmc report`: some claim's result differs from what the claim pinned (`daxmc why`: the claim or its fix does not hold). */
  claimsDiffer: 6,
  /** A deadlock was reached. */
  deadlock: 11,
  /** A safety property (an `always` property) is violated; or, with `check --lock-order`, a lock-order cycle. */
  safety: 12,
  /** A liveness property is violated: a fair lasso (starvation, livelock, stuttering for ever). */
  liveness: 13,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeOf(result: Pick<CheckResult, 'verdict' | 'failure'>): ExitCodeValue {
  return match(result.verdict)
    .with('pass', () => ExitCode.pass)
    .with('fail', () =>
      match(result.failure?.kind)
        .with('deadlock', () => ExitCode.deadlock)
        .with('invariant', () => ExitCode.safety)
        // A lock-order cycle is a safety finding too (check --lock-order), as lockdep reports it.
        .with('lock-order', () => ExitCode.safety)
        .with('liveness', () => ExitCode.liveness)
        // A witness is never a failure; a 'fail' without a failure is an engine bug.
        .with('witness', undefined, () => ExitCode.internal)
        .exhaustive(),
    )
    .with('incomplete', () => ExitCode.incomplete)
    .with('error', () => ExitCode.spec)
    .exhaustive();
}

/** The exit code for an error thrown while running a command. */
export function exitCodeOfError(e: unknown): ExitCodeValue {
  // An output place found unusable before the work (a command that fails to write after its
  // work keeps its verdict's code and says so itself).
  if (e instanceof UsageError || e instanceof OutputError) return ExitCode.usage;
  if (e instanceof SpecError) return ExitCode.spec;
  if (e instanceof TraceFileError) return ExitCode.traceFile;
  return ExitCode.internal;
}
