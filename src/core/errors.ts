// Error values for user input that the CLI turns into one-line messages and exit codes.
// Engine bugs are not SpecErrors: they are plain Errors and surface as "internal error".

/** The spec broke the contract (bad layout, an action threw, a value outside its domain). */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

/**
 * A spec writer's mistake that does not depend on the state a step runs in (a lock used with the
 * wrong call, a jump to a label that does not exist): the kernel vocabulary checks for these when
 * the spec is built, by running every step once, and again whenever a step runs.
 */
export class SpecMistake extends SpecError {
  override readonly name = 'SpecError';
}

/** A trace file could not be read, has the wrong shape, or does not replay. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

/** The command line asked for something that does not exist (unknown spec, config, option value). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An output file that cannot be written where asked (not a directory, read-only, full, a device
 * or a link under the name). Before the work it is a usage error; after it, the command prints
 * its result and this one line, and keeps its verdict's exit code.
 */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
