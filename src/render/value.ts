// TLA+-style printing of decoded state values (what layout.decode and fromItfValue return):
// strings quoted, booleans TRUE/FALSE, lists as <<a, b>>, records as [k |-> v], sets as {a, b}.
// A pure function of the value; no layout or spec is consulted.
import { isIndexed, isKeyed, isSet } from 'immutable';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A record field name: bare when it is a TLA+ identifier, otherwise a quoted string. */
export function formatKey(k: unknown): string {
  if (typeof k === 'string' && IDENTIFIER.test(k)) return k;
  return formatValue(k);
}

/** Prints one value on one line. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return `<${String(v)}>`;
  if (isKeyed(v)) {
    const parts: string[] = [];
    v.forEach((x, k) => void parts.push(`${formatKey(k)} |-> ${formatValue(x)}`));
    return `[${parts.join(', ')}]`;
  }
  if (isIndexed(v)) return `<<${v.toArray().map(formatValue).join(', ')}>>`;
  if (isSet(v)) return `{${v.toArray().map(formatValue).join(', ')}}`;
  if (Array.isArray(v)) return `<<${v.map(formatValue).join(', ')}>>`;
  if (typeof v === 'object') {
    return `[${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${formatKey(k)} |-> ${formatValue(x)}`).join(', ')}]`;
  }
  return String(v);
}
