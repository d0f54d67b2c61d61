// Runs one command line on a worker thread (cli-worker.ts) and supervises it from this thread,
// which stays idle: so an interrupt or the time limit always takes effect, even while the spec's
// code never returns (an endless loop in an action or in build()), a simulation run takes 10^8
// steps or a replay is busy. A JavaScript signal handler cannot run while its thread is busy;
// this thread is never busy. How (ADR 0006):
// - The command's output, stage, figures (every 250 ms) and discoveries arrive as messages;
//   they arrive even while the worker is busy.
// - An abort (the first SIGINT/SIGTERM) is passed on; the command stops at its next slice and
//   prints its own report. If it has not finished within the grace (2 s), the thread is ended
//   and stop-report.ts prints what was reported: "incomplete" with the figures, or a failure
//   already found with the command that replays it.
// - With --timeout the same happens at the limit plus the grace, counted from the start of the
//   command and again from the start of the search.
// - Writing the output files is never cut short (no grace then): each file is whole or absent.
// - A spec that calls process.exit ends only the worker: that is a spec error, never a pass.
// Scratch directories the ended command had open are removed here.
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
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
}

export const WORKER_ENTRY = new URL('./cli-worker-entry.mjs', import.meta.url);

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
    let graceTimer: NodeJS.Timeout | undefined;
    let limitTimer: NodeJS.Timeout | undefined;
    let aborted = false;
    let settled = false;

    const clearTimers = (): void => {
      clearTimeout(graceTimer);
      clearTimeout(limitTimer);
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
      graceTimer = setTimeout(() => end({ kind: 'interrupted', graceMs }), graceMs);
    };
    const armLimit = (): void => {
      clearTimeout(limitTimer);
      limitTimer = undefined;
      const timeoutMs = stage.timeoutMs;
      if (timeoutMs === undefined || stage.step === 'writing') return;
      limitTimer = setTimeout(() => end({ kind: 'time', timeoutMs, graceMs }), Math.min(MAX_DELAY, timeoutMs + graceMs));
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

    worker.on('message', (m: FromCliWorker) => {
      switch (m.type) {
        case 'out':
          opts.io.out(m.text);
          return;
        case 'err':
          opts.io.err(m.text);
          return;
        case 'stage': {
          const before = stage;
          stage = { ...stage, ...m.stage };
          opts.onStage?.(m.stage, stage);
          if (stage.step === 'writing') clearTimers();
          else if (m.stage.timeoutMs !== undefined || (stage.step !== before.step && (stage.step === 'searching' || stage.step === 'simulating'))) armLimit();
          if (aborted && stage.step !== 'writing') armGrace();
          return;
        }
        case 'figures':
          figures = m.figures;
          return;
        case 'discovery':
          discoveries.push(m.discovery);
          return;
        case 'scratch':
          if (m.dir === null) scratch.clear();
          else scratch.add(m.dir);
          return;
        case 'done':
          doneCode = m.code;
          clearTimers();
          return;
      }
    });
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
