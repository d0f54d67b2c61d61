// Markdown helpers for the documentation link test: the relative links of a page (outside code),
// the anchors a page offers (GitHub heading slugs and explicit <a id>), and citations of paths
// outside the repository. Test support only; not a Markdown parser.

/** The text with fenced code blocks blanked out. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text with fenced code blocks and inline code spans blanked out. */
function withoutCode(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of a page (`[text](target)` and `![alt](target)`), web links left out. */
export function linksOf(text: string): string[] {
  const links: string[] = [];
  for (const m of withoutCode(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] as string;
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
  }
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  // HTML tags drop out, but not a `<word>` inside a code span, which GitHub shows as text.
  const outsideCode = heading.split('`').map((part, i) => (i % 2 === 1 ? part : part.replace(/<[^>]+>/g, ''))).join('`');
  return outsideCode
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a page offers: heading slugs (repeats numbered as GitHub does) and <a id="...">. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = slugOf(m[1] as string);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  return anchors;
}

/** Paths outside the repository a page cites: the team's notes (../shared/...) or /work/... */
export function outsideReferencesOf(text: string): string[] {
  const refs = text.matchAll(/\/work\/[\w./+-]+|(?:\.\.\/)*\bshared\/(?:domain|seeds|anchors|hooks|design\.md|style\.md)[\w./-]*/g);
  return [...refs].map((m) => m[0].replace(/\.+$/, ''));
}
