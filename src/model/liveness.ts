// Liveness properties in the kernel vocabulary: "every fault and syscall returns", per thread,
// and any form over the world's state, under the fairness the kernel warrants: weak per thread
// (the scheduler runs a runnable thread; a blocked step is not runnable) or strong per thread (a
// lock handed over to its waiters). Why: docs/liveness.md. Not the search (src/check), not the
// words for a counterexample (compile.ts diagnoseCycle).
import type { Fairness, LivenessForm, LivenessProperty } from '../core/liveness';
import type { State } from '../core/spec';
import type { PropCtx } from './properties';
import { Status } from './world';

export type LivenessMaker = (c: PropCtx) => LivenessProperty;

/** Weak fairness of every thread: a thread that stays runnable is eventually scheduled. */
export const runnableThreadsRun: Fairness = { kind: 'weak', per: 'actor' };

/**
 * Strong fairness of every thread: a thread that is runnable again and again (a lock it waits
 * for is released now and then) eventually runs: what FIFO hand-off of a lock to its waiters
 * gives. Stronger than the scheduler alone.
 */
export const handoffToWaiters: Fairness = { kind: 'strong', per: 'actor' };

function finished(c: PropCtx, s: State, t: number): boolean {
  return s[c.off.thread + t * c.off.threadWidth + 1] === Status.code.returned;
}

/** An error state (lock misuse, NULL dereference, BUG) stops the world; the safety properties report it. */
function stopped(c: PropCtx, s: State): boolean {
  return s[c.off.err] !== 0;
}

/**
 * Every thread that is not a background loop (ThreadDecl.forever) eventually returns: every
 * fault and every syscall completes, under weak fairness of runnable threads (or `fairness`).
 * A state where the world has stopped on an error counts as done (the error is a safety
 * violation of its own).
 */
export function everyFaultReturns(fairness: readonly Fairness[] = [runnableThreadsRun]): LivenessMaker {
  return (c) => {
    const ts = c.world.threads.flatMap((th, t) => (th.forever ? [] : [t]));
    return {
      name: 'every fault and syscall returns',
      form: 'eventually',
      description: `${ts.map((t) => c.world.threads[t].name).join(', ')} eventually return${ts.length === 1 ? 's' : ''}, ${fairnessWords(fairness)}`,
      holds: (s) => stopped(c, s) || ts.every((t) => finished(c, s, t)),
      fairness,
    };
  };
}

/** Thread `t` (by index or name) eventually returns. */
export function threadReturns(thread: number | string, fairness: readonly Fairness[] = [runnableThreadsRun]): LivenessMaker {
  return (c) => {
    const t = typeof thread === 'number' ? thread : c.world.threads.findIndex((th) => th.name === thread);
    const name = c.world.threads[t]?.name ?? String(thread);
    return {
      name: `${name} returns`,
      form: 'eventually',
      description: `${name} eventually returns, ${fairnessWords(fairness)}`,
      holds: (s) => stopped(c, s) || finished(c, s, t),
      fairness,
    };
  };
}

/** A liveness property of your own over the packed world state (default fairness: runnable threads run). */
export function temporal(
  name: string,
  form: LivenessForm,
  holds: (c: PropCtx, s: State) => boolean,
  opts: { readonly target?: (c: PropCtx, s: State) => boolean; readonly fairness?: readonly Fairness[]; readonly description?: string } = {},
): LivenessMaker {
  return (c) => ({
    name,
    form,
    holds: (s) => holds(c, s),
    ...(opts.target ? { target: (s: State) => opts.target!(c, s) } : {}),
    fairness: opts.fairness ?? [runnableThreadsRun],
    ...(opts.description ? { description: opts.description } : {}),
  });
}

function fairnessWords(f: readonly Fairness[]): string {
  if (f.length === 0) return 'with no fairness (any thread may stop for good)';
  return f
    .map((x) =>
      x === runnableThreadsRun
        ? 'under weak fairness of runnable threads'
        : x === handoffToWaiters
          ? 'under strong fairness of threads (FIFO hand-off)'
          : `under ${x.kind} fairness per ${x.per}${x.name ? ` (${x.name})` : ''}`,
    )
    .join(' and ');
}

/** Whether a maker's product is a liveness property (compile() sorts makers by it). */
export function isLiveness(p: { readonly kind?: unknown; readonly form?: unknown }): p is LivenessProperty {
  return typeof p.form === 'string';
}
