// Parsers for option values: each throws commander's InvalidArgumentError, which commander turns
// into one line naming the option (`option '--max-states <n>' argument 'abc' is invalid. ...`).
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { messageOf } from '../core/errors';
import type { ActionPath } from '../check/result';
import { decodePath } from '../trace/trace';

export const FORMATS = ['text', 'itf', 'json', 'mermaid', 'dot'] as const;
export type Format = (typeof FORMATS)[number];

/** A whole number >= 1. */
export function wholeNumber(value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return Number(value);
}

/** A number > 0 (fractions allowed: `--timeout 0.5`). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number greater than 0');
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
