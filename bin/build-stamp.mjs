// The build stamp: which files dist/ was built from (path, size, modification time), written by
// scripts/build.ts as dist/build-stamp.json and read by the launcher (bin/daxmc.mjs) to decide
// whether dist/ may run. Plain JavaScript: the launcher reads it before any TypeScript loader.
// Not the build itself, and not the worker bundle's cache (src/check/worker-bundle.ts).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP_FILE = 'dist/build-stamp.json';

/**
 * The stamp of a build from `files` (paths from `root`); `absent`: entry points that did not
 * exist, so that one appearing later (src/linux/index.ts) makes the build stale.
 */
export function stampOf(root, files, absent = []) {
  const inputs = [...new Set(files)].sort().map((file) => {
    const s = statSync(join(root, file));
    return [file, s.size, s.mtimeMs];
  });
  return { format: 1, inputs, absent: [...absent].sort() };
}

/**
 * Whether the launcher may run dist/ from the package at `root` (a path or file: URL):
 * - an installed package (no src/ beside dist/): whenever dist/cli.js is there;
 * - a checkout: when every file dist/ was built from has the size and modification time it had,
 *   and no entry point that was absent has appeared since. Otherwise the sources run.
 */
export function builtIsCurrent(root) {
  const dir = typeof root === 'string' ? root : fileURLToPath(root);
  if (!exists(join(dir, 'dist', 'cli.js'))) return false;
  if (!exists(join(dir, 'src'))) return true;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (stamp?.format !== 1 || !Array.isArray(stamp.inputs) || !Array.isArray(stamp.absent)) return false;
  for (const entry of stamp.inputs) {
    if (!Array.isArray(entry) || entry.length !== 3) return false;
    const [file, size, mtimeMs] = entry;
    let s;
    try {
      s = statSync(join(dir, file));
    } catch {
      return false;
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
  }
  for (const file of stamp.absent) if (exists(join(dir, file))) return false;
  return true;
}

function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
