// The repository's documentation is self-contained: every relative Markdown link in docs/ and
// README.md names a file that exists, every #anchor names a heading or an explicit <a id> of the
// target page, and no page cites a path outside the repository (the team's notes under
// ../shared/ or /work/). This checks links and paths only, not what the pages say.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, linksOf, outsideReferencesOf } from './links';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const PAGES = [...markdownFiles(join(ROOT, 'docs')), join(ROOT, 'README.md')].sort();

/** Every broken link of one page, as `page: target (why)`. */
function brokenLinks(page: string): string[] {
  const text = readFileSync(page, 'utf8');
  const name = relative(ROOT, page);
  return linksOf(text).flatMap((link) => {
    const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
    const target = pathPart === '' ? page : resolve(dirname(page), decodeURI(pathPart));
    if (!target.startsWith(ROOT)) return [`${name}: ${link} (outside the repository)`];
    if (!existsSync(target)) return [`${name}: ${link} (no such file)`];
    if (anchor === undefined || anchor === '' || !target.endsWith('.md')) return [];
    return anchorsOf(readFileSync(target, 'utf8')).has(anchor) ? [] : [`${name}: ${link} (no such anchor)`];
  });
}

describe('documentation links', () => {
  it('finds the pages it checks', () => {
    const names = PAGES.map((p) => relative(ROOT, p));
    expect(names).toContain('docs/kernel-facts.md');
    expect(names).toContain('README.md');
    expect(names.length).toBeGreaterThan(10);
  });

  it('every relative link and anchor in docs/ and README.md resolves', () => {
    expect(PAGES.flatMap(brokenLinks)).toEqual([]);
  });

  it('no page in docs/ or README.md cites a path outside the repository', () => {
    const found = PAGES.flatMap((page) =>
      outsideReferencesOf(readFileSync(page, 'utf8')).map((ref) => `${relative(ROOT, page)}: ${ref}`),
    );
    expect(found).toEqual([]);
  });

  it('kernel-facts.md has an anchor for every section the specs cite and every bug item', () => {
    const anchors = anchorsOf(readFileSync(join(ROOT, 'docs', 'kernel-facts.md'), 'utf8'));
    const sections = ['0', '1-1', '1-2', '1-3', '1-4', '1-5', '1-6', '2-1', '2-2', '2-3', '2-4', '2-5',
      '3-1', '3-1-v1', '3-1-first', '3-2', '4-1', '4-2', '4-3', '4-4', '4-5', '5', '6', '7', '8', '9'];
    const bugs = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9', 'b10', 'b11', 'b12', 'b13', 'b14',
      'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 's1', 's2', 's3', 's4', 'e1', 'e1-rfc', 'e2', 'e3'];
    const missing = [...sections.map((s) => `sec-${s}`), ...bugs.map((b) => `bug-${b}`)].filter((a) => !anchors.has(a));
    expect(missing).toEqual([]);
  });
});

describe('the link helpers', () => {
  it('reads links outside code, and no links inside code', () => {
    const text = [
      'See [a](a.md), [b](b.md#x) and [web](https://example.org).',
      '`down_write(i_mmap_rwsem)[x](w)` is code, and so is:',
      '```',
      '[c](c.md)',
      '```',
      '![picture](images/p.png)',
    ].join('\n');
    expect(linksOf(text)).toEqual(['a.md', 'b.md#x', 'images/p.png']);
  });

  it('makes GitHub heading anchors and reads explicit ids', () => {
    const text = '# Kernel facts\n## 1.4 `__dax_fault` at v4.2, step by step\n## Notes\n## Notes\n<a id="bug-b1"></a>\n';
    expect([...anchorsOf(text)].sort()).toEqual(
      ['14-__dax_fault-at-v42-step-by-step', 'bug-b1', 'kernel-facts', 'notes', 'notes-1'].sort(),
    );
  });

  it('finds citations of paths outside the repository', () => {
    const text = 'Facts: `../shared/domain/dax-locking.md` §1; figures from `/work/shared/design.md`; see docs/kernel-facts.md.';
    expect(outsideReferencesOf(text)).toEqual(['../shared/domain/dax-locking.md', '/work/shared/design.md']);
  });
});
