// Small, shared pieces of wording for the renderers: counts with thousands separators, plurals,
// TLC's collision-probability figure, shell quoting and the command that replays a path.
// Pure string functions; nothing here knows about traces or results.
import { match } from 'ts-pattern';
import type { ActionPath } from '../check/result';
import { encodePath, type Trace } from '../trace/trace';

/** 1146 -> "1,146" (fixed, locale-independent grouping). */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** `plural(1, 'step')` -> "1 step"; `plural(6, 'step')` -> "6 steps". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "after 6 steps", "after 1 step", or "in an initial state" for an empty path. */
export function afterSteps(n: number): string {
  return n === 0 ? 'in an initial state' : `after ${plural(n, 'step')}`;
}

/** TLC's style for the collision estimate: 1.3E-14 (two significant digits), or 0. */
export function probability(p: number): string {
  if (p === 0) return '0';
  if (p >= 0.1) return p.toFixed(2);
  return p.toExponential(1).toUpperCase().replace('E+', 'E');
}

/** Quotes a word for a POSIX shell when it needs quoting. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  // Control characters: ANSI-C quoting ($'...\x1b...'), so the word neither acts on the terminal nor breaks the line.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(word)) {
    return `$'${word.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that replays an action path: `daxmc check <spec> --config <c> --path 0/1/5`. */
export function checkPathCommand(specArg: string, config: string, path: ActionPath): string {
  return `daxmc check ${shellQuote(specArg)} --config ${shellQuote(config)} --path ${encodePath(path)}`;
}

/** The command that replays a trace file: `daxmc replay <file>` (with `--spec` for a spec file). */
export function replayFileCommand(file: string, specFile?: string): string {
  return `daxmc replay ${shellQuote(file)}${specFile !== undefined ? ` --spec ${shellQuote(specFile)}` : ''}`;
}

/** What a trace shows, in a phrase: `invariant "P" violated after 6 steps`. */
export function traceHeadline(trace: Trace): string {
  const n = trace.path.actions.length;
  if (trace.kind === undefined) return `a path of ${plural(n, 'step')}`;
  return match(trace.kind)
    .with('invariant', () => `invariant "${trace.property ?? '?'}" violated ${afterSteps(n)}`)
    .with('deadlock', () => `deadlock reached ${afterSteps(n)}`)
    .with('witness', () => `"${trace.property ?? '?'}" witnessed ${afterSteps(n)}`)
    .with('liveness', () => `liveness "${trace.property ?? '?'}" violated: ${lassoPhrase(trace.path)}`)
    .exhaustive();
}

/** What a trace's explanation says of step k: `cause`, or the role of a step it cites. */
export function stepRole(trace: Trace, index: number): string | undefined {
  if (trace.cause === index) return 'cause';
  return trace.related?.find((r) => r.step === index)?.role;
}

/**
 * A lasso in a phrase: "a stem of 3 steps, then 4 steps repeated for ever", "... then nothing
 * happens for ever" (stuttering).
 */
export function lassoPhrase(path: ActionPath): string {
  const n = path.actions.length;
  const k = path.loop ?? n;
  const stem = k === 0 ? 'from the initial state' : `after ${plural(k, 'step')}`;
  return k === n ? `${stem}, nothing happens for ever (stuttering)` : `${stem}, ${plural(n - k, 'step')} repeated for ever`;
}
