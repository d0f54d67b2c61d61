// ITF JSON, the Informal Trace Format that Quint and Apalache write: a trace as
// {"#meta", "vars", "states"}, records as objects, lists as arrays, big integers as {"#bigint"}.
// toItf/itfToString write it; parseItf validates a file's shape; replayItf re-runs the spec along
// the stored labels and checks every state against the file. No printing, no file access here.
import { List, Map as IMap, OrderedMap, Set as ISet, is, isIndexed, isKeyed, isSet } from 'immutable';
import { TraceFileError, messageOf } from '../core/errors';
import { formatLabel, type ActionLabel, type Diagnosis, type Mutation, type Spec, type State, type StepNote } from '../core/spec';
import type { ActionPath, TraceKind } from '../check/result';
import { actionByLabel, decodePath, encodePath, replay, type Trace } from './trace';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** An ITF value. Our own traces only use booleans, strings, numbers, arrays and records. */
export type ItfValue =
  | boolean
  | string
  | number
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly [field: string]: ItfValue };

/** The trace-level #meta. `format`, `spec`, `config` and `path` are required when reading. */
export interface ItfMeta {
  readonly format: 'ITF';
  readonly 'format-description': string;
  readonly source: string;
  readonly spec: string;
  readonly config: string;
  readonly property?: string;
  readonly kind?: TraceKind;
  /** The action path, init/a1/a2/... (see encodePath). */
  readonly path: string;
  readonly diagnosis?: Diagnosis;
  readonly explanation?: readonly string[];
  /** A mutant's trace (the load-bearing analysis, `daxmc why --mutant`): the code change, which replay makes again. */
  readonly mutant?: Mutation;
  /**
   * A lasso whose cycle closes by a step (not stuttering): that step, which leads from the last
   * state in "states" back to state `loop` (so its state is not repeated in the file).
   */
  readonly loopAction?: ItfStepMeta;
}

/** The action of a step, as a state's #meta and the trace's loopAction record it. */
export interface ItfStepMeta {
  readonly action: string;
  readonly actor: string | null;
  readonly actionIndex: number;
  readonly notes?: readonly StepNote[];
}

/** A state's #meta: its index, and for states after the first the action that led to it. */
export interface ItfStateMeta {
  readonly index: number;
  readonly action?: string;
  readonly actor?: string | null;
  readonly actionIndex?: number;
  readonly notes?: readonly StepNote[];
}

export type ItfState = { readonly '#meta': ItfStateMeta } & { readonly [name: string]: ItfValue | ItfStateMeta };

export interface Itf {
  readonly '#meta': ItfMeta;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  /**
   * ITF's lasso marker (Apalache ADR-015): the index of the state that starts the loop; the
   * behaviour goes on from the last state back to it, for ever.
   */
  readonly loop?: number;
}

/** What an ITF trace says, decoded, before any spec is consulted. */
export interface ItfTrace {
  readonly spec: string;
  readonly config: string;
  readonly property?: string;
  readonly kind?: TraceKind;
  readonly path: ActionPath;
  /** One per state; null for the initial state. */
  readonly labels: readonly (ActionLabel | null)[];
  readonly values: readonly OrderedMap<string, unknown>[];
  readonly notes: readonly (readonly StepNote[])[];
  readonly diagnosis?: Diagnosis;
  readonly explanation?: readonly string[];
}

const KINDS: readonly TraceKind[] = ['invariant', 'deadlock', 'witness', 'liveness'];

/**
 * The deepest nesting of a state value read from a file. Our layouts nest arrays and records a
 * few levels; a deeper value is not a trace of ours, and walking it would exhaust the stack.
 */
export const MAX_VALUE_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Writing

/** Converts a decoded state value (Immutable collections, strings, numbers, booleans) to ITF. */
export function toItfValue(v: unknown): ItfValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return { '#bigint': BigInt(v).toString() };
    return v;
  }
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (isKeyed(v)) {
    const keys = v.keySeq().toArray();
    if (keys.every((k) => typeof k === 'string')) {
      const o: Record<string, ItfValue> = {};
      v.forEach((x, k) => void (o[k as string] = toItfValue(x)));
      return o;
    }
    return { '#map': v.entrySeq().toArray().map(([k, x]) => [toItfValue(k), toItfValue(x)] as const) };
  }
  if (isIndexed(v)) return v.toArray().map(toItfValue);
  if (isSet(v)) return { '#set': v.toArray().map(toItfValue) };
  if (Array.isArray(v)) return v.map(toItfValue);
  // Decoded layouts hold nothing else; anything here is an engine bug, not bad input.
  throw new Error(`cannot write ${String(v)} as an ITF value`);
}

/** The ITF form of a trace. */
export function toItf(trace: Trace): Itf {
  const first = trace.steps[0];
  if (!first) throw new Error('a trace has at least its initial state'); // replay() always adds it
  const vars = first.value.keySeq().toArray();
  const loop = trace.path.loop;
  // A cycle's closing step leads back to state `loop`: the file keeps that state once, and the step in loopAction.
  const closing = loop !== undefined && loop < trace.path.actions.length ? trace.steps[trace.steps.length - 1] : undefined;
  const kept = closing ? trace.steps.slice(0, -1) : trace.steps;
  const meta: ItfMeta = {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: 'daxmc',
    spec: trace.spec,
    config: trace.config,
    ...(trace.property !== undefined ? { property: trace.property } : {}),
    ...(trace.kind !== undefined ? { kind: trace.kind } : {}),
    path: encodePath(trace.path),
    ...(trace.diagnosis ? { diagnosis: copyDiagnosis(trace.diagnosis) } : {}),
    ...(trace.explanation && trace.explanation.length > 0 ? { explanation: [...trace.explanation] } : {}),
    ...(trace.mutant !== undefined ? { mutant: { ...trace.mutant } } : {}),
    ...(closing ? { loopAction: stepMeta(closing) } : {}),
  };
  const states = kept.map((step): ItfState => {
    const sm: ItfStateMeta =
      step.label === null
        ? { index: step.index }
        : {
            index: step.index,
            action: step.label.name,
            actor: step.label.actor,
            actionIndex: step.action ?? -1,
            ...(step.notes.length > 0 ? { notes: step.notes.map(copyNote) } : {}),
          };
    const s: Record<string, ItfValue | ItfStateMeta> = { '#meta': sm };
    for (const n of vars) s[n] = toItfValue(step.value.get(n));
    return s as ItfState;
  });
  return { '#meta': meta, vars, states, ...(loop !== undefined ? { loop } : {}) };
}

function stepMeta(step: Trace['steps'][number]): ItfStepMeta {
  return {
    action: step.label?.name ?? '',
    actor: step.label?.actor ?? null,
    actionIndex: step.action ?? -1,
    ...(step.notes.length > 0 ? { notes: step.notes.map(copyNote) } : {}),
  };
}

function copyNote(n: StepNote): StepNote {
  return { kind: n.kind, text: n.text, ...(n.data ? { data: { ...n.data } } : {}) };
}

function copyDiagnosis(d: Diagnosis): Diagnosis {
  return { kind: d.kind, summary: d.summary, details: [...d.details], ...(d.actors ? { actors: [...d.actors] } : {}) };
}

const META_ORDER = ['format', 'format-description', 'source', 'spec', 'config', 'mutant', 'property', 'kind', 'path', 'diagnosis', 'explanation', 'loopAction'];
const STATE_META_ORDER = ['index', 'action', 'actor', 'actionIndex', 'notes'];

function ordered(o: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o).sort()) if (!(k in out)) out[k] = o[k];
  return out;
}

/** Writes an ITF trace: keys in a fixed order, 2-space indent, a trailing newline. */
export function itfToString(itf: Itf): string {
  const top: Record<string, unknown> = {
    '#meta': ordered(itf['#meta'] as unknown as Record<string, unknown>, META_ORDER),
    vars: itf.vars,
    states: itf.states.map((s) => {
      const out: Record<string, unknown> = { '#meta': ordered(s['#meta'] as unknown as Record<string, unknown>, STATE_META_ORDER) };
      for (const v of itf.vars) out[v] = s[v];
      return out;
    }),
    ...(itf.loop !== undefined ? { loop: itf.loop } : {}),
  };
  return `${JSON.stringify(top, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Converts an ITF value back to the decoded form: records to OrderedMap, arrays to List. */
export function fromItfValue(v: unknown, where = 'value', depth = 0): unknown {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (depth >= MAX_VALUE_DEPTH) throw new TraceFileError(`${where}: nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const inner = depth + 1;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TraceFileError(`${where}: ${v} is not a number ITF allows`);
    return v;
  }
  if (Array.isArray(v)) return List(v.map((x, i) => fromItfValue(x, `${where}[${i}]`, inner)));
  if (v === null || typeof v !== 'object') throw new TraceFileError(`${where}: ${v === null ? 'null' : typeof v} is not an ITF value`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0].startsWith('#')) {
    const tag = keys[0];
    const x = o[tag];
    switch (tag) {
      case '#bigint': {
        if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) throw new TraceFileError(`${where}: "#bigint" must hold a decimal string`);
        const b = BigInt(x);
        return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      case '#tup':
        if (!Array.isArray(x)) throw new TraceFileError(`${where}: "#tup" must hold an array`);
        return List(x.map((y, i) => fromItfValue(y, `${where}[${i}]`, inner)));
      case '#set':
        if (!Array.isArray(x)) throw new TraceFileError(`${where}: "#set" must hold an array`);
        return ISet(x.map((y, i) => fromItfValue(y, `${where}{${i}}`, inner)));
      case '#map':
        if (!Array.isArray(x) || !x.every((p) => Array.isArray(p) && p.length === 2)) {
          throw new TraceFileError(`${where}: "#map" must hold an array of [key, value] pairs`);
        }
        return IMap((x as [unknown, unknown][]).map(([k, y], i) => [fromItfValue(k, `${where}<key ${i}>`, inner), fromItfValue(y, `${where}<value ${i}>`, inner)]));
      case '#unserializable':
        throw new TraceFileError(`${where}: the trace holds an unserializable value (${String(x)})`);
      default:
        break;
    }
  }
  let m = OrderedMap<string, unknown>();
  for (const k of keys) m = m.set(k, fromItfValue(o[k], `${where}.${k}`, inner));
  return m;
}

/**
 * Checks what fromItfValue would accept, without building anything (a file's states are decoded
 * one at a time when they are compared, not all at once). Iterative: no depth exhausts the stack.
 */
export function checkItfValue(root: unknown, rootWhere = 'value'): void {
  const stack: [unknown, string, number][] = [[root, rootWhere, 0]];
  while (stack.length > 0) {
    const [v, where, depth] = stack.pop()!;
    if (typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TraceFileError(`${where}: ${v} is not a number ITF allows`);
      continue;
    }
    if (depth >= MAX_VALUE_DEPTH) throw new TraceFileError(`${rootWhere}: nested deeper than ${MAX_VALUE_DEPTH} levels`);
    const push = (x: unknown, at: string): void => void stack.push([x, at, depth + 1]);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) push(v[i], `${where}[${i}]`);
      continue;
    }
    if (v === null || typeof v !== 'object') throw new TraceFileError(`${where}: ${v === null ? 'null' : typeof v} is not an ITF value`);
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0].startsWith('#')) {
      const tag = keys[0];
      const x = o[tag];
      if (tag === '#bigint') {
        if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) throw new TraceFileError(`${where}: "#bigint" must hold a decimal string`);
        continue;
      }
      if (tag === '#tup' || tag === '#set') {
        if (!Array.isArray(x)) throw new TraceFileError(`${where}: "${tag}" must hold an array`);
        for (let i = x.length - 1; i >= 0; i--) push(x[i], tag === '#tup' ? `${where}[${i}]` : `${where}{${i}}`);
        continue;
      }
      if (tag === '#map') {
        if (!Array.isArray(x) || !x.every((p) => Array.isArray(p) && p.length === 2)) {
          throw new TraceFileError(`${where}: "#map" must hold an array of [key, value] pairs`);
        }
        for (let i = x.length - 1; i >= 0; i--) {
          push((x[i] as unknown[])[1], `${where}<value ${i}>`);
          push((x[i] as unknown[])[0], `${where}<key ${i}>`);
        }
        continue;
      }
      if (tag === '#unserializable') throw new TraceFileError(`${where}: the trace holds an unserializable value (${String(x)})`);
    }
    for (let i = keys.length - 1; i >= 0; i--) push(o[keys[i]], `${where}.${keys[i]}`);
  }
}

/** Compares decoded values, ignoring the order of record fields (JSON reorders integer-like keys). */
export function sameValue(a: unknown, b: unknown): boolean {
  return is(unordered(a), unordered(b));
}

function unordered(v: unknown): unknown {
  if (isKeyed(v)) return IMap(v.entrySeq().map(([k, x]) => [k, unordered(x)] as [unknown, unknown]));
  if (isIndexed(v)) return List(v.toArray().map(unordered));
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return String(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and validates an ITF trace written by daxmc. Throws TraceFileError with one line naming
 * `fileName` and what is wrong: not JSON, wrong shape, a missing #meta field, a bad value.
 */
export function parseItf(text: string, fileName: string): Itf {
  const fail = (what: string): never => {
    throw new TraceFileError(`${fileName}: ${what}`);
  };
  // A byte-order mark is not JSON, but editors on some systems write one: accept it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') fail('the file is empty');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    fail(`not valid JSON (${oneLine(messageOf(e))}); the file may be truncated`);
  }
  if (!isObject(raw)) fail(`expected a JSON object with "#meta", "vars" and "states", got ${describe(raw)}`);
  const top = raw as Record<string, unknown>;
  // Own properties only, here and below: a key such as "constructor" or "__proto__" is data.
  const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
  const meta = own(top, '#meta');
  if (meta === undefined) fail('no "#meta": not an ITF trace written by daxmc');
  if (!isObject(meta)) fail(`"#meta" must be an object, got ${describe(meta)}`);
  const m = Object.fromEntries(Object.entries(meta as Record<string, unknown>)) as Record<string, unknown>;
  Object.setPrototypeOf(m, null);
  if (m.format !== 'ITF') fail(m.format === undefined ? '"#meta" has no "format" (expected "ITF")' : `"#meta".format is ${describe(m.format)}, expected "ITF"`);
  for (const f of ['spec', 'config', 'path']) {
    if (m[f] === undefined) fail(`"#meta" has no "${f}"`);
    if (typeof m[f] !== 'string') fail(`"#meta".${f} must be a string, got ${describe(m[f])}`);
  }
  if (m.property !== undefined && typeof m.property !== 'string') fail(`"#meta".property must be a string, got ${describe(m.property)}`);
  if (m.kind !== undefined && !KINDS.includes(m.kind as TraceKind)) {
    fail(`"#meta".kind is ${describe(m.kind)}, expected one of ${KINDS.join(', ')}`);
  }
  if (m.kind !== undefined && m.kind !== 'deadlock' && m.property === undefined) fail(`"#meta" has kind "${String(m.kind)}" but no "property"`);
  let path: ActionPath = { init: 0, actions: [] };
  try {
    path = decodePath(m.path as string);
  } catch (e) {
    fail(`"#meta".path: ${messageOf(e)}`);
  }
  if (m.diagnosis !== undefined) checkDiagnosis(m.diagnosis, fail);
  if (m.explanation !== undefined && !(Array.isArray(m.explanation) && m.explanation.every((x) => typeof x === 'string'))) {
    fail('"#meta".explanation must be an array of strings');
  }
  if (m.mutant !== undefined && !(isObject(m.mutant) && Object.values(m.mutant as object).every((x) => typeof x === 'string') && typeof (m.mutant as Record<string, unknown>).kind === 'string')) {
    fail('"#meta".mutant must be an object of strings with a "kind" (a code change of daxmc why)');
  }

  const vars = own(top, 'vars');
  if (vars === undefined) fail('no "vars"');
  if (!Array.isArray(vars) || vars.length === 0 || !vars.every((v) => typeof v === 'string')) fail('"vars" must be a non-empty array of variable names');
  const names = vars as string[];
  if (new Set(names).size !== names.length) fail('"vars" names a variable twice');
  const states = own(top, 'states');
  if (states === undefined) fail('no "states"');
  if (!Array.isArray(states) || states.length === 0) fail('"states" must be a non-empty array');
  const list = states as unknown[];
  // A lasso that closes by a step keeps the state it goes back to once: one state fewer.
  const closes = path.loop !== undefined && path.loop < path.actions.length;
  const expected = path.actions.length + (closes ? 0 : 1);
  if (list.length !== expected) {
    fail(`"#meta".path has ${path.actions.length} actions${closes ? ' and closes a cycle' : ''} but there are ${list.length} states (expected ${expected})`);
  }
  if (top.loop !== undefined || path.loop !== undefined) {
    if (!Number.isInteger(top.loop) || (top.loop as number) < 0 || (top.loop as number) >= list.length) {
      fail(`"loop" must be the index of a state (0..${list.length - 1}), got ${describe(top.loop)}`);
    }
    if (top.loop !== path.loop) fail(`"loop" is ${String(top.loop)} but "#meta".path says ${path.loop === undefined ? 'no loop' : `@${path.loop}`}`);
  }
  if (closes) {
    const la = m.loopAction;
    if (!isObject(la)) fail('"#meta" has no "loopAction" (the step that closes the cycle)');
    const l = la as Record<string, unknown>;
    if (typeof l.action !== 'string') fail('"#meta".loopAction has no "action"');
    if (!(typeof l.actor === 'string' || l.actor === null)) fail(`"#meta".loopAction.actor must be a string or null, got ${describe(l.actor)}`);
    if (l.actionIndex !== path.actions[path.actions.length - 1]) {
      fail(`"#meta".loopAction.actionIndex is ${String(l.actionIndex)} but "#meta".path says ${path.actions[path.actions.length - 1]}`);
    }
    if (l.notes !== undefined) checkNotes(l.notes, '"#meta".loopAction.notes', fail);
  } else if (m.loopAction !== undefined) fail('"#meta" has a "loopAction" but no cycle closes by a step');
  list.forEach((s, i) => {
    const at = `states[${i}]`;
    if (!isObject(s)) fail(`${at} must be an object, got ${describe(s)}`);
    const st = s as Record<string, unknown>;
    const sm = own(st, '#meta');
    if (!isObject(sm)) fail(`${at} has no "#meta" object`);
    const smm = Object.setPrototypeOf(Object.fromEntries(Object.entries(sm as Record<string, unknown>)), null) as Record<string, unknown>;
    if (smm.index !== i) fail(`${at}."#meta".index is ${describe(smm.index)}, expected ${i}`);
    if (i > 0) {
      if (typeof smm.action !== 'string') fail(`${at}."#meta" has no "action" (the action's name)`);
      if (!(typeof smm.actor === 'string' || smm.actor === null)) fail(`${at}."#meta".actor must be a string or null, got ${describe(smm.actor)}`);
      if (!Number.isInteger(smm.actionIndex) || (smm.actionIndex as number) < 0) fail(`${at}."#meta" has no "actionIndex" (a whole number)`);
      if (smm.actionIndex !== path.actions[i - 1]) {
        fail(`${at}."#meta".actionIndex is ${String(smm.actionIndex)} but "#meta".path says ${path.actions[i - 1]}`);
      }
      if (smm.notes !== undefined) checkNotes(smm.notes, `${at}."#meta".notes`, fail);
    }
    for (const n of names) if (!Object.hasOwn(st, n)) fail(`${at} has no variable "${n}"`);
    for (const k of Object.keys(st)) if (k !== '#meta' && !names.includes(k)) fail(`${at} has "${k}", which is not in "vars"`);
    for (const n of names) {
      try {
        checkItfValue(st[n], `states[${i}].${n}`);
      } catch (e) {
        fail(messageOf(e));
      }
    }
  });
  return raw as unknown as Itf;
}

function checkNotes(v: unknown, at: string, fail: (w: string) => never): void {
  if (!Array.isArray(v)) fail(`${at} must be an array`);
  (v as unknown[]).forEach((n, i) => {
    if (!isObject(n) || typeof n.kind !== 'string' || typeof n.text !== 'string') fail(`${at}[${i}] must be {"kind", "text"}`);
    const d = (n as Record<string, unknown>).data;
    if (d !== undefined && !isObject(d)) fail(`${at}[${i}].data must be an object`);
  });
}

function checkDiagnosis(v: unknown, fail: (w: string) => never): void {
  if (!isObject(v) || typeof v.kind !== 'string' || typeof v.summary !== 'string') fail('"#meta".diagnosis must be {"kind", "summary", "details"}');
  const d = v as Record<string, unknown>;
  if (!Array.isArray(d.details) || !d.details.every((x) => typeof x === 'string')) fail('"#meta".diagnosis.details must be an array of strings');
  if (d.actors !== undefined && !(Array.isArray(d.actors) && d.actors.every((x) => typeof x === 'string'))) {
    fail('"#meta".diagnosis.actors must be an array of strings');
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** What replayItf needs of a (validated) ITF trace before the spec runs: all but the state values. */
function itfOutline(itf: Itf): Omit<ItfTrace, 'values' | 'notes'> {
  const m = itf['#meta'];
  return {
    spec: m.spec,
    config: m.config,
    ...(m.property !== undefined ? { property: m.property } : {}),
    ...(m.kind !== undefined ? { kind: m.kind } : {}),
    path: decodePath(m.path),
    labels: itf.states.map((s, i) => (i === 0 ? null : { name: s['#meta'].action ?? '', actor: s['#meta'].actor ?? null })),
  };
}

/** Decodes a (validated) ITF trace: path, labels, state values, notes. Consults no spec. */
export function fromItf(itf: Itf): ItfTrace {
  const m = itf['#meta'];
  const path = decodePath(m.path);
  const labels: (ActionLabel | null)[] = [];
  const values: OrderedMap<string, unknown>[] = [];
  const notes: (readonly StepNote[])[] = [];
  itf.states.forEach((s, i) => {
    const sm = s['#meta'];
    labels.push(i === 0 ? null : { name: sm.action ?? '', actor: sm.actor ?? null });
    notes.push(sm.notes ? sm.notes.map(copyNote) : []);
    let v = OrderedMap<string, unknown>();
    for (const n of itf.vars) v = v.set(n, fromItfValue(s[n], `states[${i}].${n}`));
    values.push(v);
  });
  // The step that closes a cycle leads back to state `loop`: its state is that one again.
  if (m.loopAction && path.loop !== undefined) {
    labels.push({ name: m.loopAction.action, actor: m.loopAction.actor });
    notes.push(m.loopAction.notes ? m.loopAction.notes.map(copyNote) : []);
    values.push(values[path.loop]);
  }
  return {
    spec: m.spec,
    config: m.config,
    ...(m.property !== undefined ? { property: m.property } : {}),
    ...(m.kind !== undefined ? { kind: m.kind } : {}),
    path,
    labels,
    values,
    notes,
    ...(m.diagnosis ? { diagnosis: copyDiagnosis(m.diagnosis) } : {}),
    ...(m.explanation ? { explanation: [...m.explanation] } : {}),
  };
}

/**
 * Replays an ITF trace against `spec` (built from the trace's spec and configuration): resolves
 * each step's action by its label, cross-checks the stored action index, re-runs the spec, and
 * checks every state of the file against the replayed one. Throws TraceFileError naming the step
 * (and the variable) where the file and the spec part ways.
 */
export function replayItf(spec: Spec, itf: Itf): Trace {
  // The labels and the path only: the file's state values are decoded one state at a time below,
  // so a long trace is never held twice over (as JSON and as decoded values).
  const data = itfOutline(itf);
  const names = spec.layout.names;
  if (itf.vars.length !== names.length || itf.vars.some((v, i) => v !== names[i])) {
    throw new TraceFileError(
      `the trace's variables (${itf.vars.join(', ')}) are not those of spec ${spec.name} (${names.join(', ')}): the trace belongs to another spec`,
    );
  }
  data.labels.forEach((label, k) => {
    if (label === null) return;
    const idx = actionByLabel(spec, label, `step ${k}`);
    const stored = data.path.actions[k - 1];
    if (idx !== stored) {
      throw new TraceFileError(
        `step ${k}: ${formatLabel(label)} is action ${idx} in the spec but the trace stores action ${stored}: the spec's actions have changed`,
      );
    }
  });
  if (data.property !== undefined && data.kind !== 'deadlock' && !spec.properties.some((p) => p.name === data.property) && !(spec.liveness ?? []).some((p) => p.name === data.property)) {
    throw new TraceFileError(`the spec has no property "${data.property}"`);
  }
  const trace = replay(spec, data.path, {
    specId: data.spec,
    config: data.config,
    ...(data.property !== undefined ? { property: data.property } : {}),
    ...(data.kind !== undefined ? { kind: data.kind } : {}),
    ...(itf['#meta'].mutant !== undefined ? { mutant: itf['#meta'].mutant } : {}),
  });
  trace.steps.forEach((step, k) => {
    // A lasso's closing step leads back to state `loop`, which the file holds once.
    const file = k < itf.states.length ? itf.states[k] : itf.states[data.path.loop ?? k];
    for (const n of names) {
      const stored = fromItfValue(file[n], `states[${k}].${n}`);
      if (!sameValue(stored, step.value.get(n))) {
        throw new TraceFileError(
          `state ${k}: variable ${n} is ${clip(JSON.stringify(toItfValue(stored)))} in the trace but ${clip(JSON.stringify(toItfValue(step.value.get(n))))} on replay`,
        );
      }
    }
  });
  const last = trace.steps[trace.steps.length - 1];
  if (data.kind === 'deadlock') {
    const enabled = firstEnabled(spec, last.state);
    if (enabled !== undefined) {
      throw new TraceFileError(`the trace ends in state ${last.index}, which is not a deadlock: ${enabled} is enabled there`);
    }
    if (spec.isTerminal?.(last.state)) {
      throw new TraceFileError(`the trace ends in state ${last.index}, which is terminal (every thread finished), not a deadlock`);
    }
  } else if (data.kind === 'witness' && data.property !== undefined) {
    const p = spec.properties.find((q) => q.name === data.property);
    if (p && !p.holds(last.state)) {
      throw new TraceFileError(`the trace ends in state ${last.index}, which does not witness "${data.property}"`);
    }
  }
  return trace;
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The label of the first action enabled in `state`, if any. */
export function firstEnabled(spec: Spec, given: State): string | undefined {
  const state = Float64Array.from(given);
  const next = new Float64Array(state.length);
  for (let a = 0; a < spec.actions.length; a++) {
    next.set(state);
    let ok = false;
    try {
      ok = spec.actions[a].apply(state, next);
    } catch (e) {
      throw new TraceFileError(`${formatLabel({ name: spec.actions[a].name, actor: spec.actions[a].actor ?? null })} threw on replay: ${messageOf(e)}`);
    }
    if (ok) return formatLabel({ name: spec.actions[a].name, actor: spec.actions[a].actor ?? null });
  }
  return undefined;
}
