// Writes output files so that an interrupted run leaves no half-written file: each goes to a
// temporary name beside it and is renamed into place. Only a regular file or a new name is ever
// replaced (never a device node, a symbolic link, a FIFO or a directory). checkOutputPlace()
// tries a place before the work that fills it. Temporaries a killed run left are removed when the
// same names are written again. Directories are made one level at a time (Node's recursive mkdir
// loops forever on /proc/x).
import { lstat, mkdir, open, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OutputError } from '../core/errors';
import { processAlive } from './scratch-dir';

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file size limit of the process is reached (ulimit -f)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'the file system refuses to create it',
  EIO: 'an input/output error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'something else was created under that name meanwhile',
};

/** One line for a failed file operation: the errno's meaning, or the message. */
export function writeFailure(e: unknown): string {
  if (e instanceof OutputError) return e.message;
  const err = e as NodeJS.ErrnoException;
  return (typeof err?.code === 'string' && Object.hasOwn(WHY, err.code) ? WHY[err.code] : undefined) ?? (e instanceof Error ? e.message : String(e));
}

/** What a stat says a path is, when it is not what was wanted. */
export function kindOfFile(s: Stats): string {
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isDirectory()) return 'a directory';
  if (s.isFile()) return 'a regular file';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new OutputError(`cannot write ${path}: ${writeFailure(e)}`);
  }
}

/** Refuses `path` unless it is a new name or a regular file (never a link, device, FIFO or directory). */
async function checkTarget(path: string): Promise<void> {
  const s = await lstatOrNull(path);
  if (s && !s.isFile()) throw new OutputError(`cannot write ${path}: it is ${kindOfFile(s)}; daxmc replaces only regular files`);
}

/**
 * Makes `dir` and its missing parents, one level at a time; returns the directories made,
 * outermost first. Throws OutputError naming the path that is not a directory or cannot be made.
 */
export async function makeDirectories(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let p = dir; ; ) {
    let s: Stats;
    try {
      s = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new OutputError(`cannot make the directory ${dir}: ${writeFailure(e)}`);
      const parent = dirname(p);
      missing.unshift(p);
      if (parent === p) break;
      p = parent;
      continue;
    }
    if (!s.isDirectory()) throw new OutputError(`${p} is ${kindOfFile(s)}, not a directory`);
    break;
  }
  for (const m of missing) {
    try {
      await mkdir(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(m).catch(() => null))?.isDirectory()) continue;
      throw new OutputError(`cannot make the directory ${m}: ${writeFailure(e)}`);
    }
  }
  return missing;
}

/**
 * Tries the place files named `names` will be written in `dir`, before the work that produces
 * them: `dir` is (or can be made as) a directory where a file can be created, and each name is
 * new or a regular file. Leaves nothing behind (directories it made are removed again).
 */
export async function checkOutputPlace(dir: string, names: readonly string[]): Promise<void> {
  const made = await makeDirectories(dir);
  try {
    const probe = join(dir, `.daxmc-probe.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(probe, 'wx');
      await handle.close();
    } catch (e) {
      throw new OutputError(`cannot write files in ${dir}: ${writeFailure(e)}`);
    }
    await rm(probe, { force: true });
    for (const n of names) await checkTarget(join(dir, n));
  } finally {
    for (const m of [...made].reverse()) await rmdir(m).catch(() => {});
  }
}

/** The temporary name of a file being written: `.NAME.PID-XXXXXXXX.tmp`, beside it. */
const TEMPORARY = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** Removes the temporary files of `names` in `dir` that processes no longer running left behind. */
export async function removeStaleTemporaries(dir: string, names: readonly string[]): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const m = TEMPORARY.exec(e);
    if (m && names.includes(m[1]) && Number(m[2]) !== process.pid && !processAlive(Number(m[2]))) await rm(join(dir, e), { force: true });
  }
}

/** Writes `content` to `path` through a temporary file in the same directory. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await checkTarget(path);
    // 'wx': a new file of our own, never one that appeared under the temporary name.
    await writeFile(tmp, content, { encoding: 'utf8', flag: 'wx' });
    await checkTarget(path);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${path}: ${writeFailure(e)}`);
  }
}

/** The base name of a trace's files: the spec id with '/' replaced by '_', then the configuration. */
export function traceFileBase(specId: string, config: string): string {
  return `${specId}-${config}`.replace(/[/\\]/g, '_');
}

/** Writes each named file into `dir` (created if missing); returns the paths written, in order. */
export async function writeFilesAtomic(dir: string, files: readonly { readonly name: string; readonly content: string }[]): Promise<string[]> {
  await makeDirectories(dir);
  await removeStaleTemporaries(
    dir,
    files.map((f) => f.name),
  );
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    await writeFileAtomic(path, f.content);
    written.push(path);
  }
  return written;
}
