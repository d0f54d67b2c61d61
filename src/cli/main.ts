// The process entry point: binds the CLI to the real console, cwd and signals, and returns the
// exit code (bin/daxmc.mjs sets process.exitCode from it). SIGINT/SIGTERM abort a running check,
// which then reports its figures as incomplete (exit 5); a second signal ends the process.
import { pathToFileURL } from 'node:url';
import type { CliIO } from './io';
import { runCli } from './program';

/** `daxmc check ... | head`: the reader went away; the remaining output has nowhere to go. */
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}

export async function main(argv: string[]): Promise<number> {
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
  // Stays attached after main() returns: buffered output may still fail to flush into a closed pipe.
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  const io: CliIO = {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  };
  // The handlers stay while the process winds down (they do not keep it alive): a signal that
  // arrives after the run finished, as its last file was renamed into place, leaves the run's
  // exit code as it is rather than killing the process; a second signal still ends it. (Without
  // them, the same signal a moment later made the run of the compiled CLI die by SIGTERM.)
  return runCli(argv.slice(2), { io, cwd: process.cwd(), signal: controller.signal });
}

// Run directly (`tsx src/cli/main.ts ...`, as `npm run daxmc` does) rather than imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv);
}
