// Runs daxmc commands in-process with captured IO, as the tests of every command do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runCli, type CliOptions } from '../../src/cli/program';

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function daxmc(args: string[], opts: Partial<Omit<CliOptions, 'io'>> & { isTTY?: boolean } = {}): Promise<Ran> {
  let out = '';
  let err = '';
  const { isTTY, ...rest } = opts;
  const code = await runCli(args, {
    cwd: process.cwd(),
    ...rest,
    io: {
      out: (s) => void (out += s),
      err: (s) => void (err += s),
      isTTY: isTTY ?? false,
    },
  });
  return { code, out, err };
}

/** A fresh temporary directory (never under traces/ or docs/), removed when the test ends. */
export function tempDir(prefix = 'daxmc-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
