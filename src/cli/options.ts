// Parsers for option values: each throws commander's InvalidArgumentError, which commander turns
// into one line naming the option (`option '--max-states <n>' argument 'abc' is invalid. ...`).
import { availableParallelism } from 'node:os';
// Numbers are written in decimal everywhere: digits, and for the flags that take fractions
// (--timeout, --memory) a decimal point; no hex, no exponent, no sign (docs/cli.md).
import { InvalidArgumentError } from 'commander';
import { messageOf } from '../core/errors';
import type { ActionPath } from '../check/result';
import { decodePath } from '../trace/trace';

export const FORMATS = ['text', 'itf', 'json', 'mermaid', 'dot'] as const;
export type Format = (typeof FORMATS)[number];

const DECIMAL_WHOLE = /^[0-9]+$/;
const DECIMAL = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;

/** A whole number >= 1, in decimal. */
export function wholeNumber(value: string): number {
  if (!DECIMAL_WHOLE.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return Number(value);
}

/** A number > 0 in decimal, fractions allowed (`--timeout 0.5`). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number greater than 0');
  return n;
}

/** An action path: `0/1/5`. */
export function actionPath(value: string): ActionPath {
  try {
    return decodePath(value);
  } catch (e) {
    throw new InvalidArgumentError(messageOf(e));
  }
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--workers N` or `--workers auto` (one per core this machine reports). */
export function workerCount(value: string): number {
  if (value.trim() === 'auto') return Math.max(1, availableParallelism());
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected a whole number of at least 1, or 'auto'");
  }
  return Number(value);
}
