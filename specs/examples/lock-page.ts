// LockPage: N threads pick one of P pages, take the file's mutex and then the page's lock, change
// the page (an empty page gets one of two contents; one with contents is emptied) and release,
// for ever; written the plain way (no dispatch, no write log). bench/peers/LockPage.tla is its
// TLA+ twin: at N = P = 4 TLC 2.20 and daxmc count 2,985,984 distinct and 22,118,401 generated.
// A benchmark beside TLC (npm run bench:peers), not a DAX scheme.
import { arrayOf, defineLayout, enumOf, intRange } from '../../src/core/layout';
import type { Action, Property, Spec, SpecDefinition } from '../../src/core/spec';

const PC = enumOf('pick', 'lockFile', 'lockPage', 'change', 'unlockPage', 'unlockFile');
const { pick, lockFile, lockPage: lockingPage, change, unlockPage, unlockFile } = PC.code;

export function buildLockPage(n: number, p: number): Spec {
  const threads = Array.from({ length: n }, (_, i) => `t${i + 1}`);
  const layout = defineLayout({
    pc: arrayOf(n, PC, threads),
    page: arrayOf(n, intRange(1, p), threads),
    /** The thread holding the file's mutex (1-based), or 0. */
    fileLock: intRange(0, n),
    /** Per page, the thread holding its lock, or 0. */
    pageLock: arrayOf(p, intRange(0, n)),
    /** Per page: 0 empty, or one of two contents. */
    data: arrayOf(p, intRange(0, 2)),
  });
  const { pc: PCS, page: PAGE, fileLock: FILE, pageLock: LOCK, data: DATA } = layout.at;

  const actions: Action[] = [];
  for (let t = 0; t < n; t++) {
    const actor = threads[t];
    const me = t + 1;
    for (let q = 1; q <= p; q++) {
      actions.push({
        name: `Pick page ${q}`,
        actor,
        apply(s, x) {
          if (s[PCS + t] !== pick) return false;
          x[PAGE + t] = q;
          x[PCS + t] = lockFile;
          return true;
        },
      });
    }
    actions.push(
      {
        name: 'LockFile',
        actor,
        apply(s, x) {
          if (s[PCS + t] !== lockFile || s[FILE] !== 0) return false;
          x[FILE] = me;
          x[PCS + t] = lockingPage;
          return true;
        },
      },
      {
        name: 'LockPage',
        actor,
        apply(s, x) {
          if (s[PCS + t] !== lockingPage || s[LOCK + s[PAGE + t] - 1] !== 0) return false;
          x[LOCK + s[PAGE + t] - 1] = me;
          x[PCS + t] = change;
          return true;
        },
      },
      ...[1, 2].map(
        (v): Action => ({
          name: `Write ${v}`,
          actor,
          apply(s, x) {
            if (s[PCS + t] !== change || s[DATA + s[PAGE + t] - 1] !== 0) return false;
            x[DATA + s[PAGE + t] - 1] = v;
            x[PCS + t] = unlockPage;
            return true;
          },
        }),
      ),
      {
        name: 'Clear',
        actor,
        apply(s, x) {
          if (s[PCS + t] !== change || s[DATA + s[PAGE + t] - 1] === 0) return false;
          x[DATA + s[PAGE + t] - 1] = 0;
          x[PCS + t] = unlockPage;
          return true;
        },
      },
      {
        name: 'UnlockPage',
        actor,
        apply(s, x) {
          if (s[PCS + t] !== unlockPage) return false;
          x[LOCK + s[PAGE + t] - 1] = 0;
          x[PCS + t] = unlockFile;
          return true;
        },
      },
      {
        name: 'UnlockFile',
        actor,
        apply(s, x) {
          if (s[PCS + t] !== unlockFile) return false;
          x[FILE] = 0;
          x[PCS + t] = pick;
          return true;
        },
      },
    );
  }

  const properties: Property[] = [
    {
      name: 'Exclusive: a thread changes a page only holding the file mutex and its lock',
      kind: 'always',
      holds(s) {
        for (let t = 0; t < n; t++) {
          if (s[PCS + t] === change && (s[FILE] !== t + 1 || s[LOCK + s[PAGE + t] - 1] !== t + 1)) return false;
        }
        return true;
      },
    },
  ];
  const init = layout.encode({
    pc: threads.map(() => 'pick'),
    page: threads.map(() => 1),
    fileLock: 0,
    pageLock: Array.from({ length: p }, () => 0),
    data: Array.from({ length: p }, () => 0),
  });
  return { name: `lock-page (${n} threads, ${p} pages)`, layout, init: [init], actions, properties };
}

export const lockPage: SpecDefinition = {
  id: 'lock-page',
  title: 'Threads that lock a page and change it (LockPage.tla)',
  description: 'N threads pick one of P pages, take a file mutex and the page lock, change the page, release. A benchmark against TLC.',
  configs: {
    'n2-p2': { description: '2 threads, 2 pages (TLC: 720 distinct, 1,633 generated)', params: { threads: 2, pages: 2 } },
    'n3-p3': { description: '3 threads, 3 pages (TLC: 40,824 distinct, 177,877 generated)', params: { threads: 3, pages: 3 } },
    'n4-p4': { description: '4 threads, 4 pages (TLC: 2,985,984 distinct, 22,118,401 generated)', params: { threads: 4, pages: 4 } },
  },
  defaultConfig: 'n2-p2',
  build(params) {
    const { threads, pages } = params;
    if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`threads must be a whole number from 1 to 64, got ${String(threads)}`);
    if (typeof pages !== 'number' || !Number.isInteger(pages) || pages < 1 || pages > 255) throw new Error(`pages must be a whole number from 1 to 255, got ${String(pages)}`);
    return buildLockPage(threads, pages);
  },
};
