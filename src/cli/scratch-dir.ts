// Scratch directories for the seen table's spill files, and the clean-up of those a killed run
// left behind. Each directory holds an `owner` file naming the process that made it (its pid and
// its pid namespace); a new one first removes every daxmc scratch directory whose owner is
// gone from this namespace. A directory of a live process, or of another namespace sharing the
// temporary directory (a container), is never touched. Not the engine's own temporary
// directory (explore.ts, for library callers): the CLI always passes its own.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCRATCH_PREFIX = 'daxmc-spill-';
const OWNER = 'owner';

/** This process's pid namespace (`pid:[4026531836]`), or '' where /proc does not tell. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/** Whether process `pid` exists (EPERM: it does, owned by another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch directories under `base` whose owner process is gone; returns their names. */
export async function sweepScratch(base: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(base)).filter((n) => n.startsWith(SCRATCH_PREFIX));
  } catch {
    return [];
  }
  const ns = pidNamespace();
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(base, name);
    let owner: string;
    try {
      owner = await readFile(join(dir, OWNER), 'utf8');
    } catch {
      continue; // no owner file (being made, or not ours): left alone
    }
    const m = /^(\d+) (.*)\n$/.exec(owner);
    if (!m || m[2] !== ns || processAlive(Number(m[1]))) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export interface ScratchDir {
  readonly path: string;
  /** Deletes the directory and everything in it. */
  remove(): Promise<void>;
}

/** Makes a scratch directory under `base` (default os.tmpdir()), after sweeping the stale ones. */
export async function makeScratch(base: string = tmpdir()): Promise<ScratchDir> {
  await sweepScratch(base);
  const path = await mkdtemp(join(base, SCRATCH_PREFIX));
  await writeFile(join(path, OWNER), `${process.pid} ${pidNamespace()}\n`);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
