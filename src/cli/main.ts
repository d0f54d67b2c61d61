// The process entry point: binds the CLI to the real console, cwd and signals, and returns the
// exit code (bin/daxmc.mjs sets process.exitCode from it). The command runs on a worker thread
// under supervise.ts, so this thread is always free to take a signal: SIGINT/SIGTERM abort the
// command, which reports its figures as incomplete (exit 5), within a grace of 2 s even when the
// spec's code does not return; a second signal ends the process at once. A standard output that
// fails (a full disk; a closed pipe) costs the output, never a stack trace or the exit code.
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { CliIO } from './io';
import { superviseCli } from './supervise';

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file size limit of the process is reached (ulimit -f)',
  EIO: 'an input/output error',
  EBADF: 'it is closed',
};

/**
 * Writes to process.stdout. The first failure is reported once on stderr, in one line (EPIPE:
 * `daxmc check ... | head`, the reader went away, silently); later output is dropped.
 */
function stdoutWriter(): (s: string) => void {
  let failed = false;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (failed) return;
    failed = true;
    if (e.code === 'EPIPE') return;
    const why = (e.code !== undefined && Object.hasOwn(WHY, e.code) ? WHY[e.code] : undefined) ?? e.message;
    process.stderr.write(`daxmc: cannot write to standard output: ${why}; the exit code still gives the verdict\n`);
  };
  // Stays attached after main() returns: buffered output may still fail to flush.
  process.stdout.on('error', onError);
  return (s) => {
    if (failed) return;
    try {
      process.stdout.write(s);
    } catch (e) {
      onError(e as NodeJS.ErrnoException);
    }
  };
}

/** `worker`: the command's thread, if the launcher already started it (bin/daxmc.mjs). */
export async function main(argv: string[], worker?: Worker): Promise<number> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // Second signal: stop waiting for the check to wind down; die as the signal asks.
      removeHandlers();
      process.kill(process.pid, signal);
      return;
    }
    controller.abort();
  };
  const removeHandlers = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Standard error that cannot be written (closed, full) has no one left to tell: ignored.
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => {});
  const io: CliIO = {
    out: stdoutWriter(),
    err: (s) => void process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  };
  // The handlers stay while the process winds down (they do not keep it alive): a signal that
  // arrives after the run finished, as its last file was renamed into place, leaves the run's
  // exit code as it is rather than killing the process; a second signal still ends it.
  return superviseCli(argv.slice(2), { io, cwd: process.cwd(), signal: controller.signal, ...(worker ? { worker } : {}) });
}

// Run directly (`tsx src/cli/main.ts ...`, as `npm run daxmc` does) rather than imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv);
}
