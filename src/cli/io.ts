// The CLI's only contact with the console: injected so tests run commands in-process and read
// what was written. main() binds it to process.stdout/stderr (through supervise.ts, which runs
// the command on a worker thread). Also what a command tells a supervisor that may have to stop
// it while the spec's code does not return (RunWatch).
import type { Discovery, Progress } from '../check/result';

export interface CliIO {
  /** Writes to standard output (the text is written as given; include newlines). */
  out(s: string): void;
  /** Writes to standard error (progress, messages, one-line errors). */
  err(s: string): void;
  /** Whether standard error is a terminal (progress then redraws one line). */
  readonly isTTY: boolean;
}

/** Where a command is, as a supervisor needs to know it to report a run it had to stop. */
export interface Stage {
  /** What runs now: the spec file's top level, build(), the search, the walks, a replay, the output. */
  readonly step: 'loading' | 'building' | 'searching' | 'simulating' | 'replaying' | 'writing';
  readonly command?: 'check' | 'simulate' | 'replay' | 'explore' | 'report' | 'why';
  readonly spec?: string;
  readonly config?: string;
  /** How commands name the spec (its id or the user's spec file), for the replay footer. */
  readonly specArg?: string;
  /** The trace file being replayed. */
  readonly file?: string;
  readonly format?: string;
  /** The command's time limit (--timeout), counted from the start of the command. */
  readonly timeoutMs?: number;
  /** The search's strategy, for the verdict line. */
  readonly strategy?: 'bfs' | 'dfs';
}

/**
 * What a command reports while it runs, for a supervisor (supervise.ts) that may have to stop it
 * when the spec's code does not return: none of it changes what the command prints.
 */
export interface RunWatch {
  stage(s: Stage): void;
  /** The figures so far (a search's, or a simulation's with transitions as `generated`). */
  figures(p: Progress): void;
  discovery(d: Discovery): void;
  /** A scratch directory to delete if the run is stopped (`null`: deleted by the run itself). */
  scratch(dir: string | null): void;
}

export interface CliContext {
  readonly io: CliIO;
  /** Relative spec files and --out directories resolve against this. */
  readonly cwd: string;
  /** Aborts a running check (main() wires SIGINT/SIGTERM to it). */
  readonly signal?: AbortSignal;
  /** Clock for progress throttling (tests may inject one). */
  readonly now?: () => number;
  /** Receives the command's stage, figures and discoveries (supervise.ts). */
  readonly watch?: RunWatch;
  /** Where scratch directories (the seen table's spill files) go (default: os.tmpdir()). */
  readonly tmpdir?: string;
}
