// Writes output files so that an interrupted run leaves no half-written file: each file goes to
// a temporary name in the same directory and is renamed into place (rename is atomic there).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes `content` to `path` through a temporary file in the same directory. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = join(path, '..');
  const tmp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The base name of a trace's files: the spec id with '/' replaced by '_', then the configuration. */
export function traceFileBase(specId: string, config: string): string {
  return `${specId}-${config}`.replace(/[/\\]/g, '_');
}

/** Writes each named file into `dir` (created if missing); returns the paths written, in order. */
export async function writeFilesAtomic(dir: string, files: readonly { readonly name: string; readonly content: string }[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    await writeFileAtomic(path, f.content);
    written.push(path);
  }
  return written;
}
