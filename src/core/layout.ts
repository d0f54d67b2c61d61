// The state layout: a spec declares its variables with finite domains, and a state is one number
// per scalar slot (a State, as actions, properties and renderers see it). The engine stores
// states packed: each slot in 1, 2 or 4 bytes chosen from its domain (signed where it holds
// negative values), as SPIN's state vector. encode/decode turn plain or Immutable values into
// slot values and back at the edges (authoring initial states, rendering traces); pack/unpack
// convert between a State and its packed bytes. Not the search itself.
import { List, OrderedMap } from 'immutable';
import { SpecError } from './errors';

/**
 * A state as specs see it: the value of each scalar slot, in slot order (an enum's code, 0 or 1
 * for a boolean, the integer itself). The engine hands actions, properties and the other hooks
 * Float64Arrays, so that anything an action writes by mistake stays visible to the domain check
 * (256 into a byte-sized slot, 2.5, a string or an object as NaN). Uint8Array is in the type
 * for specs written when every slot was a byte (their functions are typed with it, and their
 * initial states may be bytes); the engine never hands one to a spec.
 */
export type State = Float64Array | Uint8Array;

/** The most an int domain may span: values fit in a signed 32-bit slot. */
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** Enum values a 2-byte slot holds. */
const ENUM_MAX = 65_536;

/** A finite scalar domain. */
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
  if (values.length === 0 || values.length > ENUM_MAX) throw new SpecError(`an enum needs 1..${ENUM_MAX.toLocaleString('en-US')} values, got ${values.length}`);
  if (new Set(values).size !== values.length) throw new SpecError(`enum values repeat: ${values.join(', ')}`);
  const code = {} as Record<K, number>;
  values.forEach((v, i) => (code[v] = i));
  return { kind: 'enum', values, code };
}

/** The integers min..max; a slot of 1, 2 or 4 bytes holds them (signed when min < 0). */
export function intRange(min: number, max: number): Domain {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < INT_MIN || max > INT_MAX || min > max) {
    throw new SpecError(`an int domain must satisfy -2147483648 <= min <= max <= 2147483647 (whole numbers), got ${min}..${max}`);
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

/** One scalar slot of a state: its printable path, domain, and where it is packed. */
export interface Slot {
  readonly path: string;
  readonly domain: Domain;
  /** Least and greatest legal value. */
  readonly minCode: number;
  readonly maxCode: number;
  /** Bytes of the packed slot: 1, 2 or 4 (the least that holds the domain). */
  readonly bytes: 1 | 2 | 4;
  /** Whether the packed slot is a two's-complement signed integer (the domain has negative values). */
  readonly signed: boolean;
  /** Byte offset of the packed slot. */
  readonly offset: number;
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
  /** Slot index of each top-level variable's first slot; arrays and records are laid out row-major. */
  readonly at: { readonly [K in keyof V]: number };
  /** Bytes per packed state, padded to a multiple of 4 so the hash reads 32-bit words. */
  readonly width: number;
  /** Scalar slots in order; a State holds slots.length values. */
  readonly slots: readonly Slot[];
  /** Whether every slot packs into one unsigned byte, at the byte of its own index. */
  readonly bytesOnly: boolean;
  /** First slot and slot count of each variable, for renderers. */
  readonly spans: { readonly [K in keyof V]: { readonly offset: number; readonly size: number } };
  /** A State of slot values from a plain or Immutable record of the variables. */
  encode(value: unknown, where?: string): Float64Array;
  decode(state: State): DecodedState;
  /** A State with every slot 0 (not necessarily in the domains). */
  blank(): Float64Array;
  /** Returns the first slot whose value is outside its domain (or not a whole number), or -1. */
  firstInvalidSlot(state: State): number;
  describeSlotValue(slot: number, value: number): string;
  /** Writes the packed bytes of `state` into out[at..at+width-1] (the padding is zeroed). */
  pack(state: State, out: Uint8Array, at?: number): void;
  /** Reads the packed state at bytes[at..] into `out`. */
  unpack(bytes: Uint8Array, at: number, out: Float64Array): void;
}

function slotCount(t: VarType): number {
  switch (t.kind) {
    case 'enum':
    case 'int':
    case 'bool':
      return 1;
    case 'array':
      return t.length * slotCount(t.of);
    case 'record':
      return Object.values(t.fields).reduce((n, f) => n + slotCount(f), 0);
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

/** The packed size of values lo..hi: the least of 1, 2, 4 bytes, signed when lo < 0. */
export function packedSize(lo: number, hi: number): { readonly bytes: 1 | 2 | 4; readonly signed: boolean } {
  if (lo >= 0) return { bytes: hi <= 0xff ? 1 : hi <= 0xffff ? 2 : 4, signed: false };
  return { bytes: lo >= -128 && hi <= 127 ? 1 : lo >= -32768 && hi <= 32767 ? 2 : 4, signed: true };
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
  let bytes = 0;
  const walk = (t: VarType, path: string): void => {
    switch (t.kind) {
      case 'enum':
      case 'int':
      case 'bool': {
        const [lo, hi] = scalarRange(t);
        const size = packedSize(lo, hi);
        slots.push({ path, domain: t, minCode: lo, maxCode: hi, bytes: size.bytes, signed: size.signed, offset: bytes });
        bytes += size.bytes;
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
    at[n] = slots.length;
    spans[n] = { offset: slots.length, size: slotCount(vars[n]) };
    walk(vars[n], n);
  }
  const width = Math.max(4, (bytes + 3) & ~3);
  const n = slots.length;
  const bytesOnly = slots.every((s) => s.bytes === 1 && !s.signed);
  const sizes = Uint8Array.from(slots.map((s) => (s.signed ? 8 : 0) | s.bytes));
  const offsets = Int32Array.from(slots.map((s) => s.offset));

  const encodeInto = (buf: Float64Array, t: VarType, v: unknown, i: number, path: string): number => {
    switch (t.kind) {
      case 'enum': {
        if (typeof v !== 'string') throw new SpecError(`${path}: expected one of ${t.values.join(', ')}, got ${show(v)}`);
        const c = t.values.indexOf(v);
        if (c < 0) throw new SpecError(`${path}: '${v}' is not one of ${t.values.join(', ')}`);
        buf[i] = c;
        return i + 1;
      }
      case 'int': {
        if (typeof v === 'bigint' && v >= BigInt(t.min) && v <= BigInt(t.max)) v = Number(v);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < t.min || v > t.max) {
          throw new SpecError(`${path}: expected an integer in ${t.min}..${t.max}, got ${show(v)}`);
        }
        buf[i] = v;
        return i + 1;
      }
      case 'bool': {
        if (typeof v !== 'boolean') throw new SpecError(`${path}: expected a boolean, got ${show(v)}`);
        buf[i] = v ? 1 : 0;
        return i + 1;
      }
      case 'array': {
        if (t.keys && isPlainContainer(v) && !Array.isArray(v) && !List.isList(v)) {
          let o = i;
          for (let k = 0; k < t.length; k++) o = encodeInto(buf, t.of, member(v, t.keys[k]), o, `${path}[${t.keys[k]}]`);
          return o;
        }
        if (!isPlainContainer(v) || sizeOfValue(v) !== t.length) {
          throw new SpecError(`${path}: expected a list of ${t.length}, got ${show(v)}`);
        }
        let o = i;
        for (let k = 0; k < t.length; k++) o = encodeInto(buf, t.of, member(v, k), o, `${path}[${k}]`);
        return o;
      }
      case 'record': {
        if (!isPlainContainer(v)) throw new SpecError(`${path}: expected a record, got ${show(v)}`);
        let o = i;
        for (const [f, ft] of Object.entries(t.fields)) o = encodeInto(buf, ft, member(v, f), o, `${path}.${f}`);
        return o;
      }
    }
  };

  const decodeFrom = (s: State, t: VarType, i: number): [unknown, number] => {
    switch (t.kind) {
      case 'enum':
        return [t.values[s[i]] ?? `<bad ${s[i]}>`, i + 1];
      case 'int':
        return [s[i], i + 1];
      case 'bool':
        return [s[i] === 1, i + 1];
      case 'array': {
        const items: unknown[] = [];
        let o = i;
        for (let k = 0; k < t.length; k++) {
          const [x, m] = decodeFrom(s, t.of, o);
          items.push(x);
          o = m;
        }
        if (t.keys) {
          let keyed = OrderedMap<string, unknown>();
          t.keys.forEach((key, k) => (keyed = keyed.set(key, items[k])));
          return [keyed, o];
        }
        return [List(items), o];
      }
      case 'record': {
        let m = OrderedMap<string, unknown>();
        let o = i;
        for (const [f, ft] of Object.entries(t.fields)) {
          const [x, next] = decodeFrom(s, ft, o);
          m = m.set(f, x);
          o = next;
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
    bytesOnly,
    spans,
    encode(value: unknown, where = 'state'): Float64Array {
      if (!isPlainContainer(value)) throw new SpecError(`${where}: expected a record of variables, got ${show(value)}`);
      const buf = new Float64Array(n);
      for (const name of names) {
        const v = member(value, name);
        if (v === undefined) throw new SpecError(`${where}: variable '${name}' is not assigned`);
        encodeInto(buf, vars[name], v, at[name], `${where}.${name}`);
      }
      const keys = Array.isArray(value) ? [] : keysOf(value);
      for (const k of keys) if (!Object.prototype.hasOwnProperty.call(vars, k)) throw new SpecError(`${where}: '${k}' is not a declared variable`);
      return buf;
    },
    decode(state: State): OrderedMap<string, unknown> {
      let m = OrderedMap<string, unknown>();
      for (const name of names) m = m.set(name, decodeFrom(state, vars[name], at[name])[0]);
      return m;
    },
    blank(): Float64Array {
      return new Float64Array(n);
    },
    firstInvalidSlot: compileDomainCheck(slots),
    describeSlotValue(slot: number, value: number): string {
      const s = slots[slot];
      const what = Number.isNaN(value) ? 'NaN, not a number (a string, an object or undefined was written)' : String(value);
      return `${s.path} = ${what} (domain ${describeDomain(s.domain)})`;
    },
    pack(state: State, out: Uint8Array, base = 0): void {
      if (bytesOnly) {
        for (let i = 0; i < n; i++) out[base + i] = state[i];
        for (let b = n; b < width; b++) out[base + b] = 0;
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = state[i] | 0;
        const o = base + offsets[i];
        const z = sizes[i] & 7;
        out[o] = v;
        if (z > 1) {
          out[o + 1] = v >> 8;
          if (z > 2) {
            out[o + 2] = v >> 16;
            out[o + 3] = v >> 24;
          }
        }
      }
      for (let b = bytes; b < width; b++) out[base + b] = 0;
    },
    unpack(packed: Uint8Array, base: number, out: Float64Array): void {
      if (bytesOnly) {
        out.set(packed.subarray(base, base + n));
        return;
      }
      for (let i = 0; i < n; i++) out[i] = readSlot(packed, base + offsets[i], sizes[i]);
    },
  };
}

/**
 * An initial state as slot values: a State of the layout's slot count (layout.encode), or, for a
 * layout of one-byte slots, its packed bytes (the form layout.encode gave before slots could
 * be wider: the padding after the slots must be 0). Checked against the domains.
 */
export function initialState(layout: Layout, s: State, k: number): Float64Array {
  const n = layout.slots.length;
  const len = (s as { length?: unknown } | null)?.length;
  if (typeof len !== 'number') throw new SpecError(`initial state ${k} is not an encoded state (use layout.encode)`);
  let ok = len === n;
  if (!ok && layout.bytesOnly && len === layout.width) {
    ok = true;
    for (let i = n; i < len; i++) if (s[i] !== 0) ok = false;
  }
  if (!ok) throw new SpecError(`initial state ${k} has ${len} values, the layout ${n} slots`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = s[i];
  const bad = layout.firstInvalidSlot(out);
  if (bad >= 0) throw new SpecError(`initial state ${k} holds a value outside its domain: ${layout.describeSlotValue(bad, out[bad])}`);
  return out;
}

/** The value of a packed slot at bytes[o..]: `kind` is its byte count, plus 8 when signed. */
export function readSlot(bytes: Uint8Array, o: number, kind: number): number {
  switch (kind) {
    case 1:
      return bytes[o];
    case 9:
      return (bytes[o] << 24) >> 24;
    case 2:
      return bytes[o] | (bytes[o + 1] << 8);
    case 10:
      return ((bytes[o] | (bytes[o + 1] << 8)) << 16) >> 16;
    default:
      // 4 bytes, signed or not: the domain is within the signed 32-bit range.
      return bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
  }
}

/**
 * The domain check of a whole state (initial states; the engine checks each value an action
 * writes as it finds it), generated once per layout as straight-line code: a value is legal when
 * it is a whole number within the slot's range (NaN fails every comparison). The generated
 * text contains only integer literals.
 */
function compileDomainCheck(slots: readonly Slot[]): (state: State) => number {
  const lines: string[] = ['let v;'];
  slots.forEach((s, i) => {
    lines.push(`v = s[${i}]; if (!(v >= ${s.minCode} && v <= ${s.maxCode}) || (v | 0) !== v) return ${i};`);
  });
  lines.push('return -1;');
  return new Function('s', lines.join('\n')) as (state: State) => number;
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
