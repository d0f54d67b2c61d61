// Text from the input (option values, file names, a trace's #meta) made safe to echo on a
// terminal: control characters (C0, DEL, C1) and the Unicode line separators and bidirectional
// overrides become visible escapes (`\x1b`, `\u202e`), so an error line can neither move the
// cursor, recolour the terminal nor reorder what it shows. Not a quoting for shells or HTML.

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `s` with every unprintable character written as an escape. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, escape);
}

/** A message as one printable line: runs of white space become one space, the rest escaped. */
export function oneLine(s: string): string {
  return printable(s.replace(/[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g, ' ').trim());
}
