// The packed state layout: a spec declares its variables with finite domains, and every state is
// a fixed-width byte vector (one byte per scalar slot, as SPIN's state vector). Actions read and
// write slots by offset on the hot path; encode/decode turn plain or Immutable values into bytes
// and back at the edges (authoring initial states, rendering traces). Not the search itself.
import { List, OrderedMap } from 'immutable';
import { SpecError } from './errors';

/** A finite scalar domain. Every scalar is stored as one byte holding its code 0..255. */
export type Domain =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'bool' };

/** A variable: a scalar, a fixed-length array, or a record of named fields. */
export type VarType =
  | Domain
  | { readonly kind: 'array'; readonly length: number; readonly of: VarType; readonly keys?: readonly string[] }
  | { readonly kind: 'record'; readonly fields: Readonly<Record<string, VarType>> };

/** An enum domain that also carries its codes by name: `RM.code.working === 0`. */
export interface EnumDomain<K extends string> {
  readonly kind: 'enum';
  readonly values: readonly K[];
  readonly code: Readonly<Record<K, number>>;
}

export function enumOf<K extends string>(...values: K[]): EnumDomain<K> {
  if (values.length === 0 || values.length > 256) throw new SpecError(`an enum needs 1..256 values, got ${values.length}`);
  if (new Set(values).size !== values.length) throw new SpecError(`enum values repeat: ${values.join(', ')}`);
  const code = {} as Record<K, number>;
  values.forEach((v, i) => (code[v] = i));
  return { kind: 'enum', values, code };
}

export function intRange(min: number, max: number): Domain {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 255 || min > max) {
    throw new SpecError(`an int domain must satisfy 0 <= min <= max <= 255, got ${min}..${max}`);
  }
  return { kind: 'int', min, max };
}

export const bool: Domain = { kind: 'bool' };

export function arrayOf(length: number, of: VarType, keys?: readonly string[]): VarType {
  if (!Number.isInteger(length) || length < 0) throw new SpecError(`an array length must be a whole number, got ${length}`);
  if (keys && keys.length !== length) throw new SpecError(`array keys (${keys.length}) must match its length (${length})`);
  return keys ? { kind: 'array', length, of, keys } : { kind: 'array', length, of };
}

export function recordOf(fields: Record<string, VarType>): VarType {
  return { kind: 'record', fields };
}

/** One scalar slot of the vector: its printable path and domain. */
export interface Slot {
  readonly path: string;
  readonly domain: Domain;
  /** Largest legal byte value. */
  readonly maxCode: number;
  readonly minCode: number;
}

/**
 * A decoded state: each top-level variable's name and value, in declaration order. It is an
 * immutable OrderedMap (values: numbers, strings, booleans, and immutable Lists and Maps for
 * arrays and records; compare them with immutable's \`is\`), declared here by the part renderers
 * and specs use, so that the package's type declarations do not pull in immutable's.
 */
export interface DecodedState extends Iterable<[string, unknown]> {
  get(name: string): unknown;
  has(name: string): boolean;
  readonly size: number;
  keySeq(): Iterable<string> & { toArray(): string[] };
  entrySeq(): Iterable<[string, unknown]> & { toArray(): [string, unknown][] };
  forEach(f: (value: unknown, name: string) => unknown): number;
  toJS(): Record<string, unknown>;
  equals(other: unknown): boolean;
  hashCode(): number;
}

export interface Layout<V extends Record<string, VarType> = Record<string, VarType>> {
  readonly vars: V;
  /** Names of the top-level variables, in declaration order. */
  readonly names: readonly string[];
  /** Byte offset of each top-level variable; arrays and records are laid out row-major. */
  readonly at: { readonly [K in keyof V]: number };
  /** Bytes per state, padded to a multiple of 4 so the hash reads 32-bit words. */
  readonly width: number;
  /** Scalar slots in offset order. */
  readonly slots: readonly Slot[];
  /** Offsets (from a variable's base) and slot counts, for renderers. */
  readonly spans: { readonly [K in keyof V]: { readonly offset: number; readonly size: number } };
  encode(value: unknown, where?: string): Uint8Array;
  decode(state: Uint8Array): DecodedState;
  /** Returns the first slot whose byte is outside its domain, or -1. */
  firstInvalidSlot(state: Uint8Array): number;
  describeSlotValue(slot: number, code: number): string;
}

function sizeOf(t: VarType): number {
  switch (t.kind) {
    case 'enum':
    case 'int':
    case 'bool':
      return 1;
    case 'array':
      return t.length * sizeOf(t.of);
    case 'record':
      return Object.values(t.fields).reduce((n, f) => n + sizeOf(f), 0);
  }
}

function scalarRange(d: Domain): [number, number] {
  switch (d.kind) {
    case 'enum':
      return [0, d.values.length - 1];
    case 'int':
      return [d.min, d.max];
    case 'bool':
      return [0, 1];
  }
}

function isPlainContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** Reads `.get(k)` on Immutable collections and `[k]` on plain ones. */
function member(v: unknown, k: string | number): unknown {
  const anyV = v as { get?: (k: unknown) => unknown } & Record<string | number, unknown>;
  if (typeof anyV.get === 'function' && !(v instanceof Map)) return anyV.get(k);
  if (v instanceof Map) return v.get(k);
  return anyV[k];
}

function sizeOfValue(v: unknown): number | undefined {
  const anyV = v as { size?: number; length?: number };
  if (Array.isArray(v)) return v.length;
  if (typeof anyV.size === 'number') return anyV.size;
  return undefined;
}

export function defineLayout<V extends Record<string, VarType>>(vars: V): Layout<V> {
  const names = Object.keys(vars) as (keyof V & string)[];
  if (names.length === 0) throw new SpecError('a layout needs at least one variable');
  const at = {} as Record<keyof V, number>;
  const spans = {} as Record<keyof V, { offset: number; size: number }>;
  const slots: Slot[] = [];
  let offset = 0;
  const walk = (t: VarType, path: string): void => {
    switch (t.kind) {
      case 'enum':
      case 'int':
      case 'bool': {
        const [lo, hi] = scalarRange(t);
        slots.push({ path, domain: t, minCode: lo, maxCode: hi });
        return;
      }
      case 'array':
        for (let i = 0; i < t.length; i++) walk(t.of, `${path}[${t.keys ? t.keys[i] : i}]`);
        return;
      case 'record':
        for (const [f, ft] of Object.entries(t.fields)) walk(ft, `${path}.${f}`);
        return;
    }
  };
  for (const n of names) {
    at[n] = offset;
    const size = sizeOf(vars[n]);
    spans[n] = { offset, size };
    walk(vars[n], n);
    offset += size;
  }
  const width = Math.max(4, (offset + 3) & ~3);
  const minCodes = Uint8Array.from(slots.map((s) => s.minCode));
  const maxCodes = Uint8Array.from(slots.map((s) => s.maxCode));

  const encodeInto = (buf: Uint8Array, t: VarType, v: unknown, off: number, path: string): number => {
    switch (t.kind) {
      case 'enum': {
        if (typeof v !== 'string') throw new SpecError(`${path}: expected one of ${t.values.join(', ')}, got ${show(v)}`);
        const c = t.values.indexOf(v);
        if (c < 0) throw new SpecError(`${path}: '${v}' is not one of ${t.values.join(', ')}`);
        buf[off] = c;
        return off + 1;
      }
      case 'int': {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < t.min || v > t.max) {
          throw new SpecError(`${path}: expected an integer in ${t.min}..${t.max}, got ${show(v)}`);
        }
        buf[off] = v;
        return off + 1;
      }
      case 'bool': {
        if (typeof v !== 'boolean') throw new SpecError(`${path}: expected a boolean, got ${show(v)}`);
        buf[off] = v ? 1 : 0;
        return off + 1;
      }
      case 'array': {
        if (t.keys && isPlainContainer(v) && !Array.isArray(v) && !List.isList(v)) {
          let o = off;
          for (let i = 0; i < t.length; i++) o = encodeInto(buf, t.of, member(v, t.keys[i]), o, `${path}[${t.keys[i]}]`);
          return o;
        }
        if (!isPlainContainer(v) || sizeOfValue(v) !== t.length) {
          throw new SpecError(`${path}: expected a list of ${t.length}, got ${show(v)}`);
        }
        let o = off;
        for (let i = 0; i < t.length; i++) o = encodeInto(buf, t.of, member(v, i), o, `${path}[${i}]`);
        return o;
      }
      case 'record': {
        if (!isPlainContainer(v)) throw new SpecError(`${path}: expected a record, got ${show(v)}`);
        let o = off;
        for (const [f, ft] of Object.entries(t.fields)) o = encodeInto(buf, ft, member(v, f), o, `${path}.${f}`);
        return o;
      }
    }
  };

  const decodeFrom = (buf: Uint8Array, t: VarType, off: number): [unknown, number] => {
    switch (t.kind) {
      case 'enum':
        return [t.values[buf[off]] ?? `<bad ${buf[off]}>`, off + 1];
      case 'int':
        return [buf[off], off + 1];
      case 'bool':
        return [buf[off] === 1, off + 1];
      case 'array': {
        const items: unknown[] = [];
        let o = off;
        for (let i = 0; i < t.length; i++) {
          const [x, n] = decodeFrom(buf, t.of, o);
          items.push(x);
          o = n;
        }
        if (t.keys) {
          let keyed = OrderedMap<string, unknown>();
          t.keys.forEach((k, i) => (keyed = keyed.set(k, items[i])));
          return [keyed, o];
        }
        return [List(items), o];
      }
      case 'record': {
        let m = OrderedMap<string, unknown>();
        let o = off;
        for (const [f, ft] of Object.entries(t.fields)) {
          const [x, n] = decodeFrom(buf, ft, o);
          m = m.set(f, x);
          o = n;
        }
        return [m, o];
      }
    }
  };

  return {
    vars,
    names,
    at,
    width,
    slots,
    spans,
    encode(value: unknown, where = 'state'): Uint8Array {
      if (!isPlainContainer(value)) throw new SpecError(`${where}: expected a record of variables, got ${show(value)}`);
      const buf = new Uint8Array(width);
      for (const n of names) {
        const v = member(value, n);
        if (v === undefined) throw new SpecError(`${where}: variable '${n}' is not assigned`);
        encodeInto(buf, vars[n], v, at[n], `${where}.${n}`);
      }
      const keys = Array.isArray(value) ? [] : keysOf(value);
      for (const k of keys) if (!(k in vars)) throw new SpecError(`${where}: '${k}' is not a declared variable`);
      return buf;
    },
    decode(state: Uint8Array): OrderedMap<string, unknown> {
      let m = OrderedMap<string, unknown>();
      for (const n of names) m = m.set(n, decodeFrom(state, vars[n], at[n])[0]);
      return m;
    },
    firstInvalidSlot: compileDomainCheck(minCodes, maxCodes),
    describeSlotValue(slot: number, code: number): string {
      const s = slots[slot];
      return `${s.path} = ${code} (domain ${describeDomain(s.domain)})`;
    },
  };
}

/**
 * The domain check runs on every new state, so it is generated once per layout as straight-line
 * code (one comparison per slot whose domain does not cover every byte value): several times
 * faster than a loop over two tables. The generated text contains only integer literals.
 */
function compileDomainCheck(minCodes: Uint8Array, maxCodes: Uint8Array): (state: Uint8Array) => number {
  const lines: string[] = [];
  for (let i = 0; i < minCodes.length; i++) {
    const lo = minCodes[i];
    const hi = maxCodes[i];
    if (lo === 0 && hi === 255) continue;
    lines.push(lo === 0 ? `if (s[${i}] > ${hi}) return ${i};` : `if (s[${i}] < ${lo} || s[${i}] > ${hi}) return ${i};`);
  }
  lines.push('return -1;');
  return new Function('s', lines.join('\n')) as (state: Uint8Array) => number;
}

function keysOf(v: unknown): string[] {
  const anyV = v as { keySeq?: () => { toArray(): unknown[] } };
  if (typeof anyV.keySeq === 'function') return anyV.keySeq().toArray().map(String);
  if (v instanceof Map) return [...v.keys()].map(String);
  return Object.keys(v as object);
}

export function describeDomain(d: Domain): string {
  switch (d.kind) {
    case 'enum':
      return `{${d.values.join(', ')}}`;
    case 'int':
      return `${d.min}..${d.max}`;
    case 'bool':
      return 'boolean';
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object' && v !== null) return 'a record';
  return String(v);
}
