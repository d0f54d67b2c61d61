// Error values for user input that the CLI turns into one-line messages and exit codes.
// Engine bugs are not SpecErrors: they are plain Errors and surface as "internal error".
// Each carries a brand (a registered symbol), and `instanceof` reads it: an error made by another
// copy of these modules (a spec file that resolved 'daxmc' to another installation) is still
// recognised.

/** The kinds of an error (its class's and its ancestors'), under a symbol every copy shares. */
const BRAND = Symbol.for('daxmc.error-kinds');

/** The base of daxmc's error classes; `x instanceof C` holds when x was made as a C by any copy. */
abstract class BrandedError extends Error {
  /** The class's kind, the same in every copy of this module. */
  static readonly kind: string = '';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    const kinds: string[] = [];
    for (let c: unknown = new.target; c !== BrandedError && typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      kinds.push((c as typeof BrandedError).kind);
    }
    Object.defineProperty(this, BRAND, { value: kinds });
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    const kinds = typeof x === 'object' && x !== null ? (x as { [BRAND]?: unknown })[BRAND] : undefined;
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }
}

/** The spec broke the contract (bad layout, an action threw, a value outside its domain). */
export class SpecError extends BrandedError {
  static override readonly kind: string = 'SpecError';
  override readonly name = 'SpecError';
}

/**
 * A spec writer's mistake that does not depend on the state a step runs in (a lock used with the
 * wrong call, a jump to a label that does not exist): the kernel vocabulary checks for these when
 * the spec is built, by running every step once, and again whenever a step runs.
 */
export class SpecMistake extends SpecError {
  static override readonly kind: string = 'SpecMistake';
  override readonly name = 'SpecError';
}

/** A trace file could not be read, has the wrong shape, or does not replay. */
export class TraceFileError extends BrandedError {
  static override readonly kind: string = 'TraceFileError';
  override readonly name = 'TraceFileError';
}

/** The command line asked for something that does not exist (unknown spec, config, option value). */
export class UsageError extends BrandedError {
  static override readonly kind: string = 'UsageError';
  override readonly name = 'UsageError';
}

/**
 * An output file that cannot be written where asked (not a directory, read-only, full, a device
 * or a link under the name). Before the work it is a usage error; after it, the command prints
 * its result and this one line, and keeps its verdict's exit code.
 */
export class OutputError extends BrandedError {
  static override readonly kind: string = 'OutputError';
  override readonly name = 'OutputError';
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
