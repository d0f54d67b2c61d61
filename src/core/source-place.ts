// Places in source files for error messages: the frames of a captured stack, and which of them
// are daxmc's own code (src/ of a checkout, dist/ of the package) rather than the spec writer's.
// Only strings; nothing here runs a spec.

/** The file:line of each frame of a stack, Node's own and tsx's left out. */
export function framesOf(stack: string): string[] {
  return stack
    .split('\n')
    .slice(1)
    .map((l) => placeOfFrame(l.trim()))
    .filter((f): f is string => f !== undefined && !f.includes('/node_modules/tsx/'));
}

/**
 * A frame's file:line: a path, or a file: URL as a path, without a query (a loader's mark, such as
 * tsx's ?namespace=). None for Node's internals, and none for a data: module: generated code (a
 * loader's compiled copy, a worker bundle) whose lines are not those of a file anyone can open.
 */
function placeOfFrame(frame: string): string | undefined {
  // "at f (where:line:col)", "at new C (where:line:col)" or "at where:line:col"; a data: URL's
  // code may hold parentheses, but never a space.
  const m = /^at (?:.*? \()?(.+?):(\d+):\d+\)?$/.exec(frame);
  if (m === null) return undefined;
  const where = m[1];
  if (where.startsWith('node:') || where.startsWith('data:')) return undefined;
  const file = where.startsWith('file://') ? decodeURIComponent(where.slice('file://'.length)) : where;
  return `${file.replace(/\?.*$/, '')}:${m[2]}`;
}

/**
 * daxmc's own code: src/ of a checkout, or dist/ of the package (this file is src/core/source-place.ts,
 * or bundled into a chunk directly under dist/). Read once; never changes.
 */
const OWN_DIR: string | undefined = (() => {
  // This module's own file, from the first frame of a stack made here (not the module URL, which a
  // worker bundle run as a data: module cannot use).
  const here = placeOfFrame(new Error().stack?.split('\n')[1]?.trim() ?? '')?.replace(/:\d+$/, '');
  if (here === undefined || !here.startsWith('/')) return undefined;
  const dir = here.slice(0, here.lastIndexOf('/') + 1);
  return dir.endsWith('/src/core/') ? dir.slice(0, -'core/'.length) : dir;
})();

export function isOwnFile(file: string): boolean {
  return OWN_DIR !== undefined && file.startsWith(OWN_DIR) && !file.slice(OWN_DIR.length).includes('/specs/');
}

/** A place in daxmc's own code, from its root (src/linux/fs.ts:120, dist/chunk-X.js:363). */
export function ownPath(file: string): string {
  const root = OWN_DIR === undefined ? '' : OWN_DIR.replace(/[^/]+\/$/, '');
  return root && file.startsWith(root) ? file.slice(root.length) : shortPath(file);
}

/** A path relative to the working directory when it lies inside it. */
export function shortPath(file: string): string {
  const cwd = typeof process !== 'undefined' ? process.cwd() : '';
  return cwd && file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

/**
 * Where an error thrown by a spec writer's code was thrown: the first frame outside daxmc's own
 * code and Node's, relative to the working directory; undefined when there is none.
 */
export function userPlaceOf(e: unknown): string | undefined {
  const stack = e instanceof Error ? e.stack : undefined;
  if (stack === undefined) return undefined;
  const user = framesOf(stack).find((f) => !isOwnFile(f));
  return user === undefined ? undefined : shortPath(user);
}
