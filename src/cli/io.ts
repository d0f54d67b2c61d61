// The CLI's only contact with the console: injected so tests run commands in-process and read
// what was written. main() binds it to process.stdout/stderr.

export interface CliIO {
  /** Writes to standard output (the text is written as given; include newlines). */
  out(s: string): void;
  /** Writes to standard error (progress, messages, one-line errors). */
  err(s: string): void;
  /** Whether standard error is a terminal (progress then redraws one line). */
  readonly isTTY: boolean;
}

export interface CliContext {
  readonly io: CliIO;
  /** Relative spec files and --out directories resolve against this. */
  readonly cwd: string;
  /** Aborts a running check (main() wires SIGINT/SIGTERM to it). */
  readonly signal?: AbortSignal;
  /** Clock for progress throttling (tests may inject one). */
  readonly now?: () => number;
}
