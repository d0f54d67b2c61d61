// A lock-order cycle (or an acquisition against a documented order) from the 'lock order'
// analysis, printed the way the kernel's lockdep prints "possible circular locking dependency
// detected": the acquisition that closes the cycle, the dependency chain in reverse order with
// where each edge was made (a thread, its call chain and step, and a command that replays an
// example path), and the unsafe scenario on two CPUs. A pure function of the analysis data.
import { cycleText, type LockOrderData, type LockOrderEdge } from './svg-lock-order';

/** How a path to an edge's example is replayed: a `daxmc check ... --path` command. */
export type PathCommand = (path: { readonly init: number; readonly actions: readonly number[] }) => string;

const mark = (mode: string): string => (mode === 'read' ? '{read}' : '{write}');
const rule = (n: number): string => '-'.repeat(n);

function where(e: LockOrderEdge, command: PathCommand | undefined): string[] {
  const lines = [`       ${e.step.replace(/^[^:]*: /, '')}`];
  if (command && e.path) lines.push(`       example: ${command(e.path)}`);
  return lines;
}

/** lockdep's report for cycle `c` (indices into data.edges). */
export function lockdepCycleReport(data: LockOrderData, c: readonly number[], command?: PathCommand): string {
  const edges = c.map((i) => data.edges[i]);
  const closing = edges[edges.length - 1];
  const title = 'WARNING: possible circular locking dependency detected';
  const lines = [
    '='.repeat(title.length),
    title,
    rule(title.length),
    `${closing.thread} is trying to acquire lock:`,
    ` (${closing.to})${mark(closing.toMode)}, at: ${closing.step.replace(/^[^:]*: /, '')}`,
    '',
    'but it already holds lock:',
    ` (${closing.from})${mark(closing.fromMode)}`,
    '',
    'which lock already depends on the new lock.',
    '',
    'the existing dependency chain (in reverse order) is:',
  ];
  // Each edge of the cycle, the one that closes it last (#0): the lock taken, the lock held
  // meanwhile, where it happened.
  edges.forEach((e, n) => {
    lines.push('', `-> #${edges.length - 1 - n} (${e.to})${mark(e.toMode)}, taken holding (${e.from})${mark(e.fromMode)}:`, `       ${e.thread}`, ...where(e, command));
  });
  lines.push('', 'other info that might help us debug this:', '');
  if (edges.length > 2) lines.push(`Chain exists of:\n  ${[...edges.map((e) => e.from), edges[0].from].join(' --> ')}`, '');
  const first = edges[0];
  const w = 24;
  const pad = (s: string): string => s.padEnd(w);
  // Each lock taken in the mode its edge takes it (lockdep's rlock() for a read): CPU1 holds
  // first.to as the next edge holds it, and takes first.from as the closing edge acquires it.
  const take = (name: string, mode: string): string => `${mode === 'read' ? 'rlock' : 'lock'}(${name});`;
  lines.push(
    ' Possible unsafe locking scenario:',
    '',
    `       ${pad('CPU0')}CPU1`,
    `       ${pad('----')}----`,
    `  ${take(first.from, first.fromMode)}`,
    `       ${pad('')}${take(first.to, edges.length > 1 ? edges[1].fromMode : first.toMode)}`,
    `       ${pad('')}${take(first.from, closing.toMode)}`,
    `  ${take(first.to, first.toMode)}`,
    '',
    ' *** DEADLOCK ***',
  );
  return lines.join('\n');
}

/** The report for an acquisition against a documented order. */
export function lockdepInversionReport(data: LockOrderData, inversion: { readonly edge: number; readonly order: number }, command?: PathCommand): string {
  const e = data.edges[inversion.edge];
  const o = data.documented?.[inversion.order];
  const title = 'WARNING: lock acquired against the documented order';
  return [
    '='.repeat(title.length),
    title,
    rule(title.length),
    `${e.thread} acquires (${e.to})${mark(e.toMode)} while holding (${e.from})${mark(e.fromMode)}, at:`,
    ...where(e, command),
    '',
    o ? `the documented order is: ${o.classes.join(' -> ')}` : 'the documented order is not in the data',
    ...(o ? [`  (${o.source})`] : []),
  ].join('\n');
}

/** Every cycle's and every inversion's report, blank-line separated; '' when there is none. */
export function lockdepReports(data: LockOrderData, command?: PathCommand): string {
  const parts = data.cycles.map((c) => lockdepCycleReport(data, c, command));
  for (const inv of data.inversions ?? []) parts.push(lockdepInversionReport(data, inv, command));
  return parts.join('\n\n');
}

/**
 * What a lock-order view found, in a phrase: "1 lock-order cycle (W(a) → R(b) → W(a)) and 1
 * acquisition against a documented lock order"; '' when it found nothing.
 */
export function lockOrderFound(data: LockOrderData): string {
  const inversions = data.inversions ?? [];
  const what: string[] = [];
  if (data.cycles.length > 0) what.push(`${data.cycles.length} lock-order cycle${data.cycles.length === 1 ? '' : 's'} (${data.cycles.map((c) => cycleText(data, c)).join('; ')})`);
  if (inversions.length > 0) what.push(`${inversions.length} acquisition${inversions.length === 1 ? '' : 's'} against a documented lock order`);
  return what.join(' and ');
}
