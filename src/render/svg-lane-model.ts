// What the lane diagram shows, worked out from a trace before anything is drawn: the lanes (one
// per thread, grouped by process when that is known), one row per step with its function, step
// and events (quiet steps, with no lock or data event, marked so they can be drawn compactly),
// the locks each thread holds as intervals with their lock class, arrows for wake-ups and
// blocking, the step that caused a violation and the steps its explanation cites, and the problem
// in the final state (the wait-for cycle, the violated property explained, the error, the stale
// PTEs and lost data). Pure data from a trace; svg-lanes.ts draws it. No DAX knowledge beyond the
// variable and note names the kernel vocabulary documents (threads, pte, blockMap, blockData...,
// notes' data.lock).
import { isIndexed, isKeyed } from 'immutable';
import type { Diagnosis, StepNote } from '../core/spec';
import { encodePath, lassoOf, type Trace } from '../trace/trace';
import { lassoPhrase, stepRole } from './format';
import { SYSTEM_LANE } from './mermaid';

export interface LaneOptions {
  /** Thread -> process, when known from outside the trace (the configuration's parameters). */
  readonly processOf?: Readonly<Record<string, string>>;
  /** Turns a step index into a link target (the HTML report links boxes to its state list). */
  readonly stateHref?: (index: number) => string;
}

export interface Lane {
  readonly name: string;
  /** The process the thread belongs to, if known. */
  readonly process?: string;
  /** Part of the final problem (a thread of the wait-for cycle, the thread that failed). */
  readonly involved: boolean;
}

export interface LaneGroup {
  readonly process: string;
  readonly lanes: readonly string[];
}

export type EventKind = 'acquire' | 'release' | 'wait' | 'wake' | 'error' | 'other';

export interface RowEvent {
  readonly kind: EventKind;
  /** The note's own kind ('map', 'block', ...), kept for the label. */
  readonly noteKind: string;
  readonly text: string;
  /** For lock events: the lock's key (to colour it like its bar). */
  readonly lock?: string;
}

export interface Row {
  /** The step's index in the trace (1 for the first transition). */
  readonly index: number;
  readonly lane: string;
  /** The innermost function of the step's call chain ('' when the action is not "chain: step"). */
  readonly fn: string;
  readonly step: string;
  /** The full action name, "chain > chain: step". */
  readonly full: string;
  readonly events: readonly RowEvent[];
  /** The step hit an error (an 'error' note) or is the step after which the invariant fails. */
  readonly problem: boolean;
  /** What the violation's explanation says of this step: 'cause', or the role of a step it cites. */
  readonly role?: string;
  /** Nothing to show but the step itself: no event, no lock taken or dropped, no role, no problem. */
  readonly quiet: boolean;
}

export interface Bar {
  readonly lane: string;
  /** The lock's key (the note's data.lock, or its text without the mode). */
  readonly lock: string;
  /** Its lock class ('page lock' for every page lock, 'entry lock' for every entry): its colour. */
  readonly cls: string;
  /** What to print: "i_mmap_rwsem", "page lock of H1". */
  readonly label: string;
  readonly mode: string;
  /** Row positions (0-based, into rows) of the acquire and of the release; null: still held at the end. */
  readonly from: number;
  readonly to: number | null;
  /** Column beside the lane, so overlapping holds do not cover each other. */
  readonly slot: number;
  /** A lock the final problem waits for. */
  readonly highlighted: boolean;
}

export interface Arrow {
  readonly kind: 'wake' | 'block' | 'cycle';
  readonly from: string;
  readonly to: string;
  /** Row position (0-based, into rows), or rows.length for the final state. */
  readonly row: number;
  readonly label: string;
  /** The bar the arrow points at (blocking on a held lock), if any. */
  readonly bar?: number;
}

export interface FinalLane {
  readonly lane: string;
  readonly text: string;
  readonly tone: 'problem' | 'waiting' | 'done' | 'plain';
}

export interface PageCell {
  readonly text: string;
  readonly stale: boolean;
  readonly why?: string;
}

export interface PageTable {
  readonly indices: number;
  readonly rows: readonly { readonly name: string; readonly cells: readonly PageCell[]; readonly ghost?: boolean }[];
}

export interface LaneModel {
  readonly title: string;
  readonly subtitle: string;
  readonly lanes: readonly Lane[];
  /** Null when no thread's process is known. */
  readonly groups: readonly LaneGroup[] | null;
  readonly rows: readonly Row[];
  readonly bars: readonly Bar[];
  readonly arrows: readonly Arrow[];
  /** Lock keys in order of first appearance. */
  readonly locks: readonly string[];
  /** Lock classes of the bars, in order of first appearance (the legend). */
  readonly classes: readonly string[];
  /** The step that caused the violation, when the property explained it. */
  readonly cause?: number;
  readonly finalIndex: number;
  readonly final: readonly FinalLane[];
  /** The problem, in lines: headline, then details. Empty for a plain path. */
  readonly problem: readonly string[];
  readonly problemKind: 'deadlock' | 'invariant' | 'witness' | 'liveness' | 'none';
  readonly pages?: PageTable;
  /** A lasso's cycle: the rows that repeat for ever (fromRow to the last row), or stuttering at the end. */
  readonly loop?: LaneLoop;
}

/** The loop marker of a lasso in the lane model (drawn by svg-loop.ts). */
export interface LaneLoop {
  /** First row of the cycle (0-based into rows); rows.length when the last state stutters. */
  readonly fromRow: number;
  readonly stutter: boolean;
  /** The state the cycle goes back to. */
  readonly backTo: number;
  readonly label: string;
}

/** The loop marker of a trace, if it is a lasso. */
export function laneLoop(trace: Trace): LaneLoop | undefined {
  const lasso = lassoOf(trace);
  if (!lasso) return undefined;
  return lasso.stutter
    ? { fromRow: trace.path.actions.length, stutter: true, backTo: lasso.start, label: 'stutters for ever' }
    : { fromRow: lasso.start, stutter: false, backTo: lasso.start, label: `back to state ${lasso.start}, for ever` };
}

// ---------------------------------------------------------------------------------------------
// Reading decoded values (Immutable from replay or ITF, or plain objects)

function field(v: unknown, key: string | number): unknown {
  if (isKeyed(v)) return v.get(key);
  if (isIndexed(v)) return typeof key === 'number' ? v.get(key) : undefined;
  if (Array.isArray(v)) return typeof key === 'number' ? v[key] : undefined;
  if (v !== null && typeof v === 'object') return (v as Record<string, unknown>)[String(key)];
  return undefined;
}

function keysOf(v: unknown): string[] {
  if (isKeyed(v)) return v.keySeq().toArray().map(String);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isIndexed(v)) return Object.keys(v as object);
  return [];
}

function itemsOf(v: unknown): unknown[] {
  if (isIndexed(v)) return v.toArray();
  if (Array.isArray(v)) return v;
  return [];
}

// ---------------------------------------------------------------------------------------------
// Names

/** "a > b: step" -> { fn: 'b', step: 'step' }; a name without ': ' is all step. */
export function splitActionName(name: string): { fn: string; step: string; chain: readonly string[] } {
  const at = name.indexOf(': ');
  if (at < 0) return { fn: '', step: name, chain: [] };
  const chain = name.slice(0, at).split(' > ');
  return { fn: chain[chain.length - 1], step: name.slice(at + 2), chain };
}

const MODE_SUFFIX = / \((read|write)\)$/;

/** A lock as the diagnosis names it ("the page lock of H1", "i_mmap_rwsem (write)") -> "page lock of H1". */
export function lockLabel(s: string): string {
  return s.replace(MODE_SUFFIX, '').replace(/^the /, '');
}

/** A lock's class, as lockdep names it: every page lock is 'page lock', every entry lock 'entry lock'. */
export function lockClass(key: string): string {
  if (/^page lock\b/.test(key)) return 'page lock';
  if (/^entry \d+$/.test(key) || /^entry lock\b/.test(key)) return 'entry lock';
  return key;
}

function noteData(n: StepNote, key: string): string | undefined {
  const v = n.data?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function lockKey(n: StepNote): string {
  return noteData(n, 'lock') ?? lockLabel(n.text);
}

function lockMode(n: StepNote): string {
  return noteData(n, 'mode') ?? MODE_SUFFIX.exec(n.text)?.[1] ?? 'exclusive';
}

// ---------------------------------------------------------------------------------------------
// Who waits for what, from the diagnosis

export interface WaitFor {
  readonly actor: string;
  readonly what: string;
  readonly holders: readonly string[];
}

function holdersIn(s: string | undefined): string[] {
  if (s === undefined) return [];
  return s
    .split(' and ')
    .map((h) => h.replace(/ itself$/, '').replace(/, which has returned$/, '').trim())
    .filter((h) => h !== '');
}

/**
 * What each waiting thread waits for, read from the diagnosis: its detail lines
 * ("T1 at f > g: step waits for X, held by T2") or else its summary ("T1 waits for X, held by T2; ...").
 */
export function waitsOf(d: Diagnosis | undefined): WaitFor[] {
  if (!d) return [];
  const out: WaitFor[] = [];
  const seen = new Set<string>();
  for (const line of d.details) {
    const m = /^(\S+) at .*? waits for (.+?)(?:, held by (.+))?$/.exec(line);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    out.push({ actor: m[1], what: m[2], holders: holdersIn(m[3]) });
  }
  const summary = d.summary.replace(/^wait-for cycle: /, '');
  for (const part of summary.split('; ')) {
    const self = /^(\S+) waits for (.+?), which it holds itself$/.exec(part);
    if (self && !seen.has(self[1])) {
      seen.add(self[1]);
      out.push({ actor: self[1], what: self[2], holders: [self[1]] });
      continue;
    }
    const m = /^(\S+) waits for (.+?)(?:, held by (.+))?$/.exec(part);
    if (m && !seen.has(m[1])) {
      seen.add(m[1]);
      out.push({ actor: m[1], what: m[2], holders: holdersIn(m[3]) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lanes and processes

function threadNames(trace: Trace): string[] {
  return keysOf(trace.steps[0]?.value.get('threads'));
}

/**
 * Thread -> process. From the options when given; otherwise from the trace: with one process
 * (the keys of the `pte` variable) every thread is in it; with several, a thread is in the process
 * its `map` notes name ("P2: PTE 0 -> B1 RW"). Threads whose process cannot be told stay ungrouped.
 */
export function processesOf(trace: Trace, given?: Readonly<Record<string, string>>): { processes: string[]; of: Map<string, string> } {
  const of = new Map<string, string>();
  const processes = keysOf(trace.steps[0]?.value.get('pte'));
  if (given) {
    for (const [t, p] of Object.entries(given)) {
      of.set(t, p);
      if (!processes.includes(p)) processes.push(p);
    }
    return { processes, of };
  }
  if (processes.length === 0) return { processes, of };
  const threads = new Set([...threadNames(trace), ...trace.steps.flatMap((s) => (s.label?.actor ? [s.label.actor] : []))]);
  if (processes.length === 1) {
    for (const t of threads) of.set(t, processes[0]);
    return { processes, of };
  }
  for (const step of trace.steps) {
    const actor = step.label?.actor;
    if (!actor || of.has(actor)) continue;
    for (const n of step.notes) {
      if (n.kind !== 'map') continue;
      const p = processes.find((q) => n.text.startsWith(`${q}: `));
      if (p) {
        of.set(actor, p);
        break;
      }
    }
  }
  return { processes, of };
}

/**
 * The process of each thread from a DAX configuration's parameters: `threads: [{name, process}]`,
 * at the top or one level down (the v4.2 definitions keep it under `config`).
 */
export function processesFromParams(params: unknown): Record<string, string> | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const candidates = [params, ...Object.values(params as Record<string, unknown>)];
  const threads = candidates.map((c) => (c !== null && typeof c === 'object' ? (c as { threads?: unknown }).threads : undefined)).find(Array.isArray);
  if (!Array.isArray(threads)) return undefined;
  const out: Record<string, string> = {};
  for (const t of threads) {
    // A thread with no process (a truncate, which maps nothing) stays ungrouped.
    const name = (t as { name?: unknown }).name;
    const process = (t as { process?: unknown }).process;
    if (typeof name === 'string' && typeof process === 'string') out[name] = process;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// The final state's pages (stale PTEs)

const HOLE_PTES = new Set(['ro-hole', 'huge-zero']);
const PFN_PTES = new Set(['ro-pfn', 'rw-pfn', 'pmd-pfn']);

/**
 * A block's contents as the kernel vocabulary encodes them (blockData, stored): 0 never
 * initialised, 1 zeroes, 2 + t the data thread t stored (threads in declaration order).
 */
export function dataText(v: number, threads: readonly string[]): string {
  if (v === 0) return 'old contents';
  if (v === 1) return 'zeroes';
  return `${threads[v - 2] ?? `thread ${v - 1}`}'s data`;
}

/**
 * The file's pages in the final state, when the state has the pmem page model: the block map, the
 * data each index reads, the radix slot, each process's PTE and the last user store (a ghost);
 * stale PTEs, stale hole pages and lost data marked.
 */
export function pageTable(value: (name: string) => unknown): PageTable | undefined {
  const blockMap = itemsOf(value('blockMap'));
  const blockOf = itemsOf(value('blockOf'));
  const slot = itemsOf(value('slot'));
  const slotPage = itemsOf(value('slotPage'));
  const pte = value('pte');
  const pteRef = value('pteRef');
  const blockUse = value('blockUse');
  const blockData = value('blockData');
  const stored = itemsOf(value('stored'));
  const threads = keysOf(value('threads'));
  if (blockMap.length === 0 || keysOf(pte).length === 0) return undefined;
  const N = blockMap.length;
  const rows: { name: string; cells: PageCell[]; ghost?: boolean }[] = [];
  const blockAt = (i: number): number => Number(blockOf[i] ?? 0);
  rows.push({
    name: 'block map',
    cells: blockMap.map((b, i) => ({ text: `${String(b)}${blockAt(i) > 0 ? ` B${blockAt(i)}` : ''}`, stale: false })),
  });
  if (keysOf(blockData).length > 0) {
    rows.push({
      name: 'data',
      cells: blockMap.map((_, i) => {
        const b = blockAt(i);
        if (b === 0) return { text: '\u2014', stale: false };
        const v = Number(field(blockData, `B${b}`) ?? 0);
        const want = Number(stored[i] ?? 0);
        const text = dataText(v, threads);
        if (want !== 0 && want !== v) return { text, stale: true, why: `index ${i} reads ${text} from B${b} where ${dataText(want, threads).replace(/'s data$/, '')} stored ${dataText(want, threads)}` };
        return { text, stale: false };
      }),
    });
  }
  if (slot.length === N) {
    rows.push({
      name: 'radix slot',
      cells: slot.map((x, i) => {
        const page = Number(slotPage[i] ?? 0);
        if (String(x) === 'page' && String(blockMap[i]) !== 'hole') {
          return { text: `hole page${page ? ` H${page}` : ''}`, stale: true, why: `a hole page is still in the page cache at index ${i}, where block B${blockAt(i)} is allocated` };
        }
        return { text: String(x) === 'page' && page ? `hole page H${page}` : String(x), stale: false };
      }),
    });
  }
  for (const p of keysOf(pte)) {
    const kinds = itemsOf(field(pte, p));
    const refs = itemsOf(field(pteRef, p));
    const cells: PageCell[] = kinds.map((k, i) => {
      const kind = String(k);
      const ref = Number(refs[i] ?? 0);
      if (HOLE_PTES.has(kind) && String(blockMap[i]) !== 'hole') {
        return { text: kind, stale: true, why: `${p} still maps a ${kind === 'huge-zero' ? 'huge zero page' : 'hole page'} at index ${i}, where block B${blockAt(i)} is allocated` };
      }
      if (PFN_PTES.has(kind) && ref > 0) {
        const use = String(field(blockUse, `B${ref}`) ?? '');
        const text = `${kind} B${ref}`;
        if (use !== 'allocated') return { text, stale: true, why: `${p} maps B${ref} at index ${i}, but B${ref} is freed` };
        if (blockAt(i) !== ref) return { text, stale: true, why: `${p} maps B${ref} at index ${i}, but index ${i} now has ${blockAt(i) > 0 ? `B${blockAt(i)}` : 'no block'}` };
        return { text, stale: false };
      }
      return { text: kind, stale: false };
    });
    rows.push({ name: `PTE ${p}`, cells });
  }
  if (stored.some((v) => Number(v) !== 0)) {
    rows.push({ name: 'last store', ghost: true, cells: stored.map((v) => ({ text: Number(v) === 0 ? '\u2014' : dataText(Number(v), threads), stale: false })) });
  }
  return { indices: N, rows };
}

// ---------------------------------------------------------------------------------------------
// Holding a lock, as the state says (catches releases no note reports: an entry replaced)

/**
 * Whether thread number `tid` (1-based, the state's encoding) holds `lock` in the decoded state,
 * from the kernel vocabulary's variables (lockOwner/lockReaders, pageLock, entryLocked/entryOwner);
 * undefined when the state does not say.
 */
export function holdsInState(value: (name: string) => unknown, lock: string, tid: number): boolean | undefined {
  if (tid < 1) return undefined;
  const entry = /^entry (\d+)$/.exec(lock);
  if (entry) {
    const locked = itemsOf(value('entryLocked'));
    const owner = itemsOf(value('entryOwner'));
    const i = Number(entry[1]);
    if (i >= locked.length || i >= owner.length) return undefined;
    return locked[i] === true && Number(owner[i]) === tid;
  }
  const page = /^page lock (H\d+)$/.exec(lock);
  if (page) {
    const owner = field(value('pageLock'), page[1]);
    return owner === undefined ? undefined : Number(owner) === tid;
  }
  const owners = value('lockOwner');
  if (!keysOf(owners).includes(lock)) return undefined;
  const readers = Number(field(value('lockReaders'), lock) ?? 0);
  return Number(field(owners, lock)) === tid || (readers & (1 << (tid - 1))) !== 0;
}

// ---------------------------------------------------------------------------------------------
// The model

function headline(trace: Trace): string {
  const n = trace.path.actions.length;
  const steps = `${n} step${n === 1 ? '' : 's'}`;
  switch (trace.kind) {
    case 'invariant':
      return `invariant "${trace.property ?? '?'}" violated after ${steps}`;
    case 'deadlock':
      return `${trace.diagnosis?.kind ?? 'deadlock'} after ${steps}`;
    case 'witness':
      return `"${trace.property ?? '?'}" witnessed after ${steps}`;
    case 'liveness':
      return `liveness "${trace.property ?? '?'}" violated: ${lassoPhrase(trace.path)}`;
    case undefined:
      return `a path of ${steps}`;
  }
}

export function laneModel(trace: Trace, opts: LaneOptions = {}): LaneModel {
  const steps = trace.steps.filter((s) => s.label !== null);
  const laneOfStep = (actor: string | null): string => actor ?? SYSTEM_LANE;
  const waits = trace.kind === 'deadlock' ? waitsOf(trace.diagnosis) : [];

  // Lanes: declared threads first (the state's `threads` keys), then actors by first appearance.
  const names: string[] = [];
  const add = (n: string): void => {
    if (!names.includes(n)) names.push(n);
  };
  const declared = threadNames(trace);
  for (const n of declared) add(n);
  for (const s of steps) add(laneOfStep(s.label!.actor));
  for (const a of trace.diagnosis?.actors ?? []) add(a);
  if (names.length === 0) add(SYSTEM_LANE);

  const { processes, of } = processesOf(trace, opts.processOf);
  const involvedSet = new Set<string>();
  if (trace.kind === 'deadlock' || trace.kind === 'liveness') for (const a of trace.diagnosis?.actors ?? []) involvedSet.add(a);

  let order = names;
  let groups: LaneGroup[] | null = null;
  if (names.some((n) => of.has(n))) {
    groups = [];
    for (const p of processes) {
      const lanes = names.filter((n) => of.get(n) === p);
      if (lanes.length > 0) groups.push({ process: p, lanes });
    }
    const rest = names.filter((n) => !of.has(n));
    order = [...groups.flatMap((g) => g.lanes), ...rest];
  }

  // Rows, bars and arrows, walking the steps in order.
  const rows: Row[] = [];
  const bars: Bar[] = [];
  const arrows: Arrow[] = [];
  const locks: string[] = [];
  const labels = new Map<string, string>();
  const holding = new Map<string, Map<string, number>>(); // lane -> lock -> bar index
  const slotsInUse = new Map<string, (number | null)[]>(); // lane -> slot -> bar index
  const heldBy = (lock: string): string[] => order.filter((l) => holding.get(l)?.has(lock));

  steps.forEach((s, r) => {
    const lane = laneOfStep(s.label!.actor);
    const { fn, step } = splitActionName(s.label!.name);
    const events: RowEvent[] = [];
    let problem = false;
    const mine = holding.get(lane) ?? new Map<string, number>();
    holding.set(lane, mine);
    const slots = slotsInUse.get(lane) ?? [];
    slotsInUse.set(lane, slots);
    for (const n of s.notes) {
      switch (n.kind) {
        case 'call':
          break;
        case 'acquire': {
          const key = lockKey(n);
          if (!locks.includes(key)) locks.push(key);
          if (!labels.has(key)) labels.set(key, lockLabel(n.text));
          events.push({ kind: 'acquire', noteKind: n.kind, text: n.text, lock: key });
          if (mine.has(key)) break; // a second acquire of a held lock: the spec reports misuse itself
          let slot = slots.indexOf(null);
          if (slot < 0) slot = slots.length;
          slots[slot] = bars.length;
          mine.set(key, bars.length);
          bars.push({ lane, lock: key, cls: lockClass(key), label: labels.get(key)!, mode: lockMode(n), from: r, to: null, slot, highlighted: false });
          break;
        }
        case 'release': {
          const key = lockKey(n);
          events.push({ kind: 'release', noteKind: n.kind, text: n.text, lock: key });
          const b = mine.get(key);
          if (b === undefined) break;
          bars[b] = { ...bars[b], to: r };
          mine.delete(key);
          slots[bars[b].slot] = null;
          break;
        }
        case 'wait': {
          const key = noteData(n, 'lock') ?? noteData(n, 'queue');
          events.push({ kind: 'wait', noteKind: n.kind, text: n.text, ...(key !== undefined ? { lock: key } : {}) });
          if (key === undefined) break;
          for (const h of heldBy(key)) {
            arrows.push({ kind: 'block', from: lane, to: h, row: r, label: `waits: ${n.text}`, bar: holding.get(h)!.get(key)! });
          }
          break;
        }
        case 'wake': {
          events.push({ kind: 'wake', noteKind: n.kind, text: n.text });
          const target = noteData(n, 'target');
          if (target !== undefined) {
            if (!order.includes(target)) order = [...order, target];
            arrows.push({ kind: 'wake', from: lane, to: target, row: r, label: n.text });
          }
          break;
        }
        case 'error':
          events.push({ kind: 'error', noteKind: n.kind, text: n.text });
          problem = true;
          involvedSet.add(lane);
          break;
        default:
          events.push({ kind: 'other', noteKind: n.kind, text: n.text });
      }
    }
    // Close the bars of locks the state says this thread no longer holds (released without a note).
    for (const [held, laneMap] of holding) {
      const tid = declared.indexOf(held) + 1;
      for (const [key, b] of [...laneMap]) {
        if (bars[b].from === r && held === lane) continue;
        if (holdsInState((n) => s.value.get(n), key, tid) === false) {
          bars[b] = { ...bars[b], to: r };
          laneMap.delete(key);
          const ss = slotsInUse.get(held);
          if (ss) ss[bars[b].slot] = null;
        }
      }
    }
    if (trace.kind === 'invariant' && r === steps.length - 1) problem = true;
    const role = trace.kind === 'invariant' || trace.kind === 'deadlock' ? stepRole(trace, s.index) : undefined;
    const quiet = events.length === 0 && !problem && role === undefined && !bars.some((b) => b.from === r || b.to === r);
    rows.push({ index: s.index, lane, fn, step, full: s.label!.name, events, problem, ...(role ? { role } : {}), quiet });
  });
  // A bar closed by the state at a later row makes that row show something: not quiet.
  for (const b of bars) if (b.to !== null && rows[b.to]?.quiet) rows[b.to] = { ...rows[b.to], quiet: false };

  // The final state: who waits for what (a deadlock), and which held locks they wait for.
  const last = trace.steps[trace.steps.length - 1];
  const finalRow = rows.length;
  const waitingLane = new Map<string, WaitFor>();
  for (const w of waits) {
    waitingLane.set(w.actor, w);
    const wanted = lockLabel(w.what);
    for (const h of w.holders) {
      const b = bars.findIndex((x) => x.lane === h && x.to === null && x.label === wanted);
      // A waiter the diagnosis names (a thread of the cycle, or one stuck behind a leaked lock) is the problem.
      const inCycle = involvedSet.has(w.actor);
      if (b >= 0 && inCycle) bars[b] = { ...bars[b], highlighted: true };
      arrows.push({
        kind: inCycle ? 'cycle' : 'block',
        from: w.actor,
        to: h,
        row: finalRow,
        label: `waits for ${w.what}`,
        ...(b >= 0 ? { bar: b } : {}),
      });
    }
  }
  const status = (lane: string): string | undefined => {
    const v = field(field(last.value.get('threads'), lane), 'status');
    return typeof v === 'string' ? v : undefined;
  };
  // Where a running thread is, in the spec's words (`at do_read_fault: do_set_pte`), if it has them.
  const position = (lane: string): string | undefined => last.words?.fields.find((f) => f.key === lane)?.text;
  const final: FinalLane[] = order.map((lane) => {
    const w = waitingLane.get(lane);
    if (w) return { lane, text: `waits for ${w.what}`, tone: involvedSet.has(lane) ? 'problem' : 'waiting' };
    const st = status(lane);
    if (st === 'failed') return { lane, text: position(lane) ?? 'failed', tone: 'problem' };
    if (st === 'returned') return { lane, text: 'returned', tone: 'done' };
    if (st !== undefined) return { lane, text: position(lane) ?? st, tone: 'plain' };
    return { lane, text: '', tone: 'plain' };
  });

  let problem: string[] = [];
  let problemKind: LaneModel['problemKind'] = 'none';
  switch (trace.kind) {
    case 'deadlock':
      problemKind = 'deadlock';
      problem = trace.diagnosis
        ? [`${trace.diagnosis.kind}: ${trace.diagnosis.summary}`, ...trace.diagnosis.details]
        : [`deadlock in state ${last.index}: no action is enabled and not every thread has finished`];
      if (trace.explanation?.length) problem.push(`caused by step ${trace.cause ?? '?'}: ${trace.explanation.join('; ')}`);
      break;
    case 'invariant':
      problemKind = 'invariant';
      problem = [
        `invariant "${trace.property ?? '?'}" violated in state ${last.index}${trace.cause !== undefined && trace.cause !== last.index ? `, caused by step ${trace.cause}` : ''}`,
        ...(trace.explanation ?? []),
      ];
      for (const r of rows) for (const e of r.events) if (e.kind === 'error' && !problem.includes(e.text)) problem.push(e.text);
      break;
    case 'witness':
      problemKind = 'witness';
      problem = [`"${trace.property ?? '?'}" witnessed in state ${last.index}`];
      break;
    case 'liveness':
      problemKind = 'liveness';
      problem = [
        `liveness "${trace.property ?? '?'}" violated: ${lassoPhrase(trace.path)}`,
        ...(trace.diagnosis ? [`${trace.diagnosis.kind}: ${trace.diagnosis.summary}`, ...trace.diagnosis.details] : []),
      ];
      break;
    case undefined:
      break;
  }
  const loop = laneLoop(trace);
  const pages = trace.kind === 'invariant' ? pageTable((n) => last.value.get(n)) : undefined;
  // Without the property's own explanation, the stale cells say what is wrong.
  if (pages && !trace.explanation?.length) for (const row of pages.rows) for (const c of row.cells) if (c.stale && c.why) problem.push(c.why);
  const classes: string[] = [];
  for (const b of bars) if (!classes.includes(b.cls)) classes.push(b.cls);

  const lanes: Lane[] = order.map((name) => ({ name, ...(of.has(name) ? { process: of.get(name)! } : {}), involved: involvedSet.has(name) }));
  return {
    title: `${trace.spec}, configuration ${trace.config}`,
    subtitle: `${headline(trace)}; path ${encodePath(trace.path)}`,
    lanes,
    groups,
    rows,
    bars,
    arrows,
    locks,
    classes,
    ...((trace.kind === 'invariant' || trace.kind === 'deadlock') && trace.cause !== undefined ? { cause: trace.cause } : {}),
    finalIndex: last.index,
    final,
    problem,
    problemKind,
    ...(pages ? { pages } : {}),
    ...(loop ? { loop } : {}),
  };
}
