// Runs one command line on a worker thread (cli-worker.ts) and supervises it from this thread,
// which stays idle: interrupts and --timeout always take effect, even while the spec's code never
// returns. The first abort is passed on; a command not done within the grace (2 s) has its thread
// ended and stop-report.ts prints what it reported (stage, figures, discoveries). Writing output
// files is never cut. A spec calling process.exit ends only the worker: a spec error. Why and what
// it costs: docs/adr/0008-supervised-commands.md. Not the CLI itself (program.ts).
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { BUILT, entryModule, packageFile } from '../core/package-files';
import { match } from 'ts-pattern';
import type { Discovery, Progress } from '../check/result';
import type { CliWorkerData, FromCliWorker, ToCliWorker } from './cli-worker';
import type { CliIO, Stage } from './io';
import type { StopCause } from './stop-report';

/** How long a command has to stop after an interrupt or its time limit before its thread is ended. */
export const GRACE_MS = 2000;

/** The longest delay setTimeout keeps (a longer one fires at once). */
const MAX_DELAY = 2 ** 31 - 1;

export interface SuperviseOptions {
  readonly io: CliIO;
  readonly cwd: string;
  /** Aborting it asks the command to stop (the first SIGINT or SIGTERM). */
  readonly signal?: AbortSignal;
  /** Default GRACE_MS. */
  readonly graceMs?: number;
  /** Receives each stage the command reports (tests use it to act at a known point). */
  readonly onStage?: (stage: Stage, merged: Partial<Stage>) => void;
  /**
   * The command's thread, already started on cli-worker-entry.mjs with this command's
   * CliWorkerData (bin/daxmc.mjs starts it before this module is even loaded); else one is started.
   */
  readonly worker?: Worker;
  /**
   * Starts a timer of `ms` that calls `fire`, returning its cancel (default setTimeout). Tests
   * fire the time limit at a stage they choose instead of waiting for a clock.
   */
  readonly timer?: (ms: number, fire: () => void, what: 'grace' | 'limit') => () => void;
}

/** setTimeout, capped at the longest delay it keeps. */
function realTimer(ms: number, fire: () => void): () => void {
  const t = setTimeout(fire, Math.min(MAX_DELAY, ms));
  return () => clearTimeout(t);
}

/** The command thread's entry: the build's, or the sources' through tsx (cli-worker-entry.mjs). */
export const WORKER_ENTRY = BUILT ? entryModule('cli-worker') : packageFile('src/cli/cli-worker-entry.mjs');

/** Runs `args` (without the node and script words) on a worker thread; returns the exit code. */
export function superviseCli(args: readonly string[], opts: SuperviseOptions): Promise<number> {
  const graceMs = opts.graceMs ?? GRACE_MS;
  const data: CliWorkerData = { args: [...args], cwd: opts.cwd, isTTY: opts.io.isTTY };
  return new Promise<number>((resolve) => {
    const worker = opts.worker ?? new Worker(WORKER_ENTRY, { workerData: data });
    let stage: Partial<Stage> = {};
    let figures: Progress | undefined;
    const discoveries: Discovery[] = [];
    const scratch = new Set<string>();
    let doneCode: number | undefined;
    let stop: StopCause | undefined;
    const timer = opts.timer ?? realTimer;
    let graceTimer: (() => void) | undefined;
    let limitTimer: (() => void) | undefined;
    let aborted = false;
    let settled = false;

    const clearTimers = (): void => {
      graceTimer?.();
      limitTimer?.();
      graceTimer = limitTimer = undefined;
    };
    const end = (cause: StopCause): void => {
      if (stop !== undefined || doneCode !== undefined) return;
      stop = cause;
      clearTimers();
      void worker.terminate();
    };
    const armGrace = (): void => {
      if (stage.step === 'writing' || graceTimer !== undefined || doneCode !== undefined) return;
      graceTimer = timer(graceMs, () => end({ kind: 'interrupted', graceMs }), 'grace');
    };
    const armLimit = (): void => {
      limitTimer?.();
      limitTimer = undefined;
      const timeoutMs = stage.timeoutMs;
      if (timeoutMs === undefined || stage.step === 'writing') return;
      limitTimer = timer(timeoutMs + graceMs, () => end({ kind: 'time', timeoutMs, graceMs }), 'limit');
    };
    const onAbort = (): void => {
      aborted = true;
      worker.postMessage({ type: 'abort' } satisfies ToCliWorker);
      armGrace();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Listening from here on: the command may start (cli-worker.ts waits for this).
    queueMicrotask(() => worker.postMessage({ type: 'start' } satisfies ToCliWorker));

    worker.on('message', (m: FromCliWorker) =>
      match(m)
        .with({ type: 'out' }, (o) => opts.io.out(o.text))
        .with({ type: 'err' }, (o) => opts.io.err(o.text))
        .with({ type: 'stage' }, (o) => {
          const before = stage;
          stage = { ...stage, ...o.stage };
          opts.onStage?.(o.stage, stage);
          if (stage.step === 'writing') clearTimers();
          else if (o.stage.timeoutMs !== undefined || (stage.step !== before.step && (stage.step === 'searching' || stage.step === 'simulating'))) armLimit();
          if (aborted && stage.step !== 'writing') armGrace();
        })
        .with({ type: 'figures' }, (o) => void (figures = o.figures))
        .with({ type: 'discovery' }, (o) => void discoveries.push(o.discovery))
        .with({ type: 'scratch' }, (o) => (o.dir === null ? scratch.clear() : void scratch.add(o.dir)))
        .with({ type: 'done' }, (o) => {
          doneCode = o.code;
          clearTimers();
        })
        .exhaustive(),
    );
    worker.on('error', (e: Error & { code?: string }) => {
      // An uncaught error on the worker: its heap ran out, or the spec's own asynchronous code threw.
      if (stop !== undefined || doneCode !== undefined) return;
      stop = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'heap', message: e.message } : { kind: 'uncaught', message: e.message };
      clearTimers();
    });
    worker.on('exit', (exitCode) => {
      if (settled) return;
      settled = true;
      clearTimers();
      opts.signal?.removeEventListener('abort', onAbort);
      void (async () => {
        for (const dir of scratch) await rm(dir, { recursive: true, force: true }).catch(() => {});
        if (doneCode !== undefined && stop === undefined) return resolve(doneCode);
        const cause: StopCause = stop ?? { kind: 'exit', code: exitCode };
        // Loaded only for a run that was ended: this thread starts with as little as it can.
        const { renderStop } = await import('./stop-report');
        const report = renderStop({ stage, ...(figures ? { figures } : {}), discoveries, cause });
        if (report.out !== '') opts.io.out(report.out);
        if (report.err !== '') opts.io.err(report.err);
        resolve(report.code);
      })();
    });
  });
}
