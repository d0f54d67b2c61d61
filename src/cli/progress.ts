// Draws the engine's progress reports on stderr: on a terminal one line redrawn in place
// (`\r`), otherwise a plain line at most every 10 s (TLC style), so logs stay short.
import type { CheckListener, Progress } from '../check/result';
import { count } from '../render/format';
import type { CliIO } from './io';

/** Plain lines no more often than this on a non-terminal. */
export const PLAIN_PROGRESS_EVERY_MS = 10_000;

export function progressLine(p: Progress): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? Math.round(p.distinct / secs) : 0;
  return `Progress: ${count(p.distinct)} distinct, ${count(p.generated)} generated, depth ${count(p.depth)}, ${count(p.queued)} queued, ${count(rate)} states/s`;
}

export interface ProgressDisplay {
  readonly listener: CheckListener;
  /** Clears the redrawn line (terminal); call when the check ends, before any other output. */
  done(): void;
}

export function progressDisplay(io: CliIO, now: () => number = () => performance.now()): ProgressDisplay {
  let drawn = false;
  let last = now();
  const onProgress = (p: Progress): void => {
    if (io.isTTY) {
      io.err(`\r\x1b[K${progressLine(p)}`);
      drawn = true;
      return;
    }
    const t = now();
    if (t - last >= PLAIN_PROGRESS_EVERY_MS) {
      last = t;
      io.err(`${progressLine(p)}\n`);
    }
  };
  return {
    listener: { onProgress },
    done() {
      if (drawn) io.err('\r\x1b[K');
      drawn = false;
    },
  };
}
