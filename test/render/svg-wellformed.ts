// A small XML well-formedness checker and parser for the SVG tests: an optional declaration, one
// root element, matched tags, quoted and unique attributes, only the five predefined entities and
// numeric character references, no raw '<' or '&' in text or attribute values. Throws with the
// offset on the first error; returns the element tree for queries. Not a general XML parser
// (no DTDs, no CDATA, no processing instructions beyond the declaration).

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

function decodeEntities(s: string, at: number): string {
  return s.replace(/&([^;&\s]*);?/g, (m, body: string, off: number) => {
    if (!m.endsWith(';')) throw new Error(`offset ${at + off}: '&' not followed by an entity reference`);
    switch (body) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const num = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!num) throw new Error(`offset ${at + off}: unknown entity &${body};`);
    return String.fromCodePoint(num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]));
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`offset ${i}: ${why} near ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const skipSpace = (): void => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail("expected '<'");
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attrs, children: [] };
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected a space before an attribute');
      const an = name();
      skipSpace();
      if (src[i] !== '=') fail("expected '='");
      i++;
      skipSpace();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail(`'<' in the value of ${an}`);
      if (an in attrs) fail(`attribute ${an} repeated`);
      attrs[an] = decodeEntities(raw, i + 1);
      i = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= src.length) fail(`<${tag}> is not closed`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (src[i] !== '>') fail("expected '>'");
        i++;
        return { name: tag, attrs, children };
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (src[i] === '<') {
        children.push(element());
        continue;
      }
      const next = src.indexOf('<', i);
      const raw = src.slice(i, next < 0 ? src.length : next);
      children.push(decodeEntities(raw, i));
      i += raw.length;
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== src.length) fail('content after the root element');
  return root;
}

/** Every element (depth first, document order) that satisfies `pred`. */
export function findAll(root: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (pred(e)) out.push(e);
    for (const c of e.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  return out;
}

/** Elements whose class attribute has every one of `classes`. */
export function byClass(root: XmlElement, ...classes: string[]): XmlElement[] {
  return findAll(root, (e) => {
    const have = (e.attrs.class ?? '').split(/\s+/);
    return classes.every((c) => have.includes(c));
  });
}

/** The text content of an element (its <title> children included). */
export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** The text of the element's own <title> child, if any. */
export function titleOf(e: XmlElement): string | undefined {
  const t = e.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'title');
  return t ? textOf(t) : undefined;
}
