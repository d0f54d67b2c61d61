// One state's successors, as every search makes them: the candidate actions in order, each
// applied to one scratch state, an enabled one kept as the slots it changed, each changed value
// checked against its slot's domain, and the successor's Zobrist fingerprint (per changed byte).
// Also the action contract: no action may write its input state. Not the search: what is new,
// storing and checking properties is the pipeline's (pipeline.ts).
import { SpecError, messageOf } from '../core/errors';
import { formatLabel, labelOf, type AmpleSet, type Spec } from '../core/spec';
import type { WriteLog } from '../core/compiled';
import { readSlot, type State } from '../core/layout';
import type { CompiledSpec, Representative } from './compiled-spec';
import { fingerprint, zobrist, zobristTable } from './fingerprint';
import { copyWords } from './words';

/**
 * How an expansion checks that no action wrote its input state: after every action, naming
 * the action and checking the write log too (`action`: the first expansions of a run); once
 * after all the state's actions (`state`: then the expansion is made again the first way, to
 * name the action); or not at all (`none`).
 */
export type InputCheck = 'action' | 'state' | 'none';

export class Expander {
  /** Slots per state, bytes and words of a packed state. */
  readonly n: number;
  readonly width: number;
  readonly W: number;
  /**
   * Successor k of the last expand() is the state expanded with the slots `deltaIdx[i]` set to
   * `deltaVal[i]` for i in dStart[k]..dStart[k+1]-1 (materialize() writes it out).
   */
  deltaIdx = new Int32Array(0);
  deltaVal = new Int32Array(0);
  dStart = new Int32Array(0);
  /** Action index, fingerprint halves, and whether the constraint pruned it, per successor. */
  acts = new Int32Array(0);
  hi = new Int32Array(0);
  lo = new Int32Array(0);
  pruned = new Uint8Array(0);
  /** Successors made by the last expand(). */
  count = 0;
  /** Whether any action was enabled in the last expand() (pruned successors count). */
  enabled = false;
  /** Whether the last expand() tried only an ample subset of the candidates. */
  reduced = false;
  /** An error met in the last expand(), after its `count` successors; the caller raises it in order. */
  error: SpecError | undefined;

  private readonly spec: Spec;
  private capacity = 0;
  private readonly cand: Int32Array;
  private candN = 0;
  private readonly pushCand: (a: number) => void;
  private readonly zob: Int32Array;
  private readonly toRepresentative: Representative | undefined;
  private readonly canon: State;
  private readonly keyBytes: Uint8Array;
  private readonly keyWords: Int32Array;
  private readonly fpu = new Uint32Array(2);
  private readonly fpOut = new Int32Array(2);
  /** The scratch successor: equal to the state being expanded except inside apply(). */
  private readonly next: State;
  /** A copy of the state being expanded, for the contract check after each action. */
  private readonly before: State;
  /** Per slot, the serial of the successor whose delta already lists it (repeated log entries). */
  private readonly stamp: Int32Array;
  private serial = 0;
  /** The state being expanded (the caller's buffers). */
  private cur: State = new Float64Array(0);
  private curBytes: Uint8Array = new Uint8Array(0);
  private curWords: Int32Array = new Int32Array(0);

  /** Whether states are fingerprinted through a representative (symmetry, views). */
  readonly useCanonical: boolean;

  constructor(readonly c: CompiledSpec) {
    this.spec = c.spec;
    this.toRepresentative = c.representative;
    this.useCanonical = c.representative !== undefined;
    this.n = c.slots;
    this.width = c.width;
    this.W = c.words;
    this.cand = new Int32Array(Math.max(1, c.actions.length));
    this.pushCand = (a: number): void => {
      this.cand[this.candN++] = a;
    };
    this.zob = this.useCanonical ? new Int32Array(0) : zobristTable(this.width);
    this.canon = c.bytePath ? new Uint8Array(this.width) : new Float64Array(this.n);
    this.keyWords = new Int32Array(this.W);
    this.keyBytes = new Uint8Array(this.keyWords.buffer);
    // On the byte path (compiled-spec.ts) states are their packed bytes; otherwise slot values.
    this.next = c.bytePath ? new Uint8Array(this.width) : new Float64Array(this.n);
    this.before = c.bytePath ? new Uint8Array(this.width) : new Float64Array(this.n);
    this.stamp = new Int32Array(this.n);
    this.grow(Math.min(Math.max(1, c.actions.length), 64));
    this.deltaIdx = new Int32Array(64 * Math.max(1, this.n));
    this.deltaVal = new Int32Array(64 * Math.max(1, this.n));
  }

  private grow(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, this.capacity * 2, 8);
    this.acts = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.lo = new Int32Array(cap);
    this.pruned = new Uint8Array(cap);
    this.dStart = new Int32Array(cap + 1);
    this.capacity = cap;
  }

  private growDelta(): void {
    const n = this.deltaIdx.length * 2;
    const i = new Int32Array(n);
    i.set(this.deltaIdx);
    const v = new Int32Array(n);
    v.set(this.deltaVal);
    this.deltaIdx = i;
    this.deltaVal = v;
  }

  /** The packed form of the state's representative (or of the state): the exact seen set's key. Reused buffer. */
  key(state: State): Uint8Array {
    if (this.toRepresentative !== undefined) {
      this.toRepresentative(state, this.canon);
      this.c.layout.pack(this.canon, this.keyBytes);
    } else this.c.layout.pack(state, this.keyBytes);
    return this.keyBytes;
  }

  /** The whole-state fingerprint into out[0] (hi), out[1] (lo), as int32s. */
  fingerprint(state: State, out: Int32Array): void {
    const key = this.key(state);
    if (this.toRepresentative !== undefined) {
      fingerprint(this.keyWords, this.fpu);
      out[0] = this.fpu[0];
      out[1] = this.fpu[1];
    } else zobrist(key, this.zob, out);
  }

  /** Writes successor k of the last expand() as slot values into out. */
  materialize(k: number, out: State): void {
    if (out !== this.cur) out.set(this.cur);
    const di = this.deltaIdx;
    const dv = this.deltaVal;
    for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) out[di[i]] = dv[i];
  }

  /**
   * Successor k of the last expand(), as slot values in the expander's scratch state (no copy):
   * valid until leave(k), which the caller must call before anything else expands.
   */
  enter(k: number): State {
    const next = this.next;
    const di = this.deltaIdx;
    const dv = this.deltaVal;
    for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) next[di[i]] = dv[i];
    return next;
  }

  /** Puts the scratch state back after enter(k). */
  leave(k: number): void {
    const next = this.next;
    const cur = this.cur;
    const di = this.deltaIdx;
    for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) next[di[i]] = cur[di[i]];
  }

  /** Writes successor k of the last expand() packed into outWords from word `at` on (outBytes: the same memory as bytes). */
  materializePacked(k: number, outWords: Int32Array, outBytes: Uint8Array, at: number): void {
    copyWords(this.curWords, 0, outWords, at, this.W);
    const di = this.deltaIdx;
    const dv = this.deltaVal;
    const base = at << 2;
    if (this.c.bytesOnly) {
      for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) outBytes[base + di[i]] = dv[i];
      return;
    }
    const offsets = this.c.offsets;
    const kinds = this.c.kinds;
    for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) {
      const j = di[i];
      const v = dv[i];
      const o = base + offsets[j];
      const z = kinds[j] & 7;
      outBytes[o] = v;
      if (z > 1) {
        outBytes[o + 1] = v >> 8;
        if (z > 2) {
          outBytes[o + 2] = v >> 16;
          outBytes[o + 3] = v >> 24;
        }
      }
    }
  }

  /**
   * Applies the candidate actions of `cur` (packed: curBytes, curWords; fingerprint curHi, curLo)
   * in order, into one scratch state that is put back to `cur` after each; an enabled action's
   * successor is kept as the slots it changed. Returns the number of successors; an error
   * stops the expansion and is left in `error`. `cur` must stay unchanged until the successors
   * are materialized.
   */
  expand(cur: State, curBytes: Uint8Array, curWords: Int32Array, curHi: number, curLo: number, check: InputCheck, ample?: AmpleSet): number {
    const nb = this.expandOnce(cur, curBytes, curWords, curHi, curLo, check, ample);
    if (check === 'state' && this.error === undefined) {
      const changed = this.inputChange();
      if (changed >= 0) {
        // Put the state back and expand it again, checking after each action, to name the one
        // that wrote it (an action that writes its input only now and then is named generally).
        if (cur !== curBytes) this.c.layout.unpack(curBytes, 0, cur as Float64Array);
        const again = this.expandOnce(cur, curBytes, curWords, curHi, curLo, 'action', ample);
        if (this.error === undefined) {
          this.error = new SpecError(
            `an action changed its input state (${this.slotPath(changed)}) while ${describeState(this.spec, cur)} was expanded; actions must write only the successor`,
          );
        }
        return again;
      }
    }
    return nb;
  }

  /** The first slot where the state being expanded no longer equals its packed form, or -1. */
  private inputChange(): number {
    const cur = this.cur;
    const bytes = this.curBytes;
    const n = this.n;
    if (this.c.bytesOnly) {
      let i = 0;
      for (; i + 4 <= n; i += 4) if (cur[i] !== bytes[i] || cur[i + 1] !== bytes[i + 1] || cur[i + 2] !== bytes[i + 2] || cur[i + 3] !== bytes[i + 3]) break;
      for (; i < n; i++) if (cur[i] !== bytes[i]) return i;
      return -1;
    }
    const offsets = this.c.offsets;
    const kinds = this.c.kinds;
    for (let i = 0; i < n; i++) if (cur[i] !== readSlot(bytes, offsets[i], kinds[i])) return i;
    return -1;
  }

  private slotPath(i: number): string {
    return this.c.layout.slots[i]?.path ?? `slot ${i}`;
  }

  private expandOnce(cur: State, curBytes: Uint8Array, curWords: Int32Array, curHi: number, curLo: number, check: InputCheck, ample?: AmpleSet): number {
    const c = this.c;
    const spec = this.spec;
    const actions = c.actions;
    const applyAction = c.applyAction;
    this.cur = cur;
    this.curBytes = curBytes;
    this.curWords = curWords;
    this.candN = 0;
    this.reduced = false;
    // Every action, in order, when the spec has no dispatch (cand is then not read).
    let every = false;
    if (ample !== undefined && ample(cur, this.pushCand)) this.reduced = true;
    else {
      this.candN = 0;
      if (spec.candidates) spec.candidates(cur, this.pushCand);
      else {
        every = true;
        this.candN = actions.length;
      }
    }
    const candN = this.candN;
    if (candN > this.capacity) this.grow(candN);
    const cand = this.cand;
    const n = this.n;
    const next = this.next;
    const acts = this.acts;
    const his = this.hi;
    const los = this.lo;
    const pruned = this.pruned;
    const dStart = this.dStart;
    const zob = this.zob;
    const useCanonical = this.useCanonical;
    const constraint = spec.constraint;
    const loB = c.lo;
    const hiB = c.hi;
    const bytesOnly = c.bytesOnly;
    const stamp = this.stamp;
    const perAction = check === 'action';
    // The spec's log of written slots, trusted only outside the per-action checks (which
    // compare the whole state and check the log against it).
    const log: WriteLog | undefined = perAction ? undefined : c.writes;
    const before = this.before;
    if (perAction) before.set(cur);
    let deltaIdx = this.deltaIdx;
    let deltaVal = this.deltaVal;
    let enabled = false;
    let nb = 0;
    let dn = 0;
    dStart[0] = 0;
    next.set(cur);
    this.error = undefined;
    // Whether a disabled action ran on the scratch since it was last put back (unlogged specs).
    let dirty = false;
    for (let ci = 0; ci < candN; ci++) {
      const a = every ? ci : cand[ci];
      let ok: boolean;
      try {
        ok = applyAction !== undefined ? applyAction(a, cur, next) : actions[a].apply(cur, next);
        if (ok && dirty) {
          // The disabled actions before it may have scribbled on the scratch: run it again on
          // a clean one (actions are deterministic; replay checks that). Cheaper than cleaning
          // up after every disabled action, as most actions tried are disabled.
          next.set(cur);
          dirty = false;
          ok = applyAction !== undefined ? applyAction(a, cur, next) : actions[a].apply(cur, next);
          if (!ok) throw new SpecError(`action ${formatLabel(labelOf(spec, a))} was enabled, then disabled, in the same state: the spec is nondeterministic (it reads something outside the state: a clock, Math.random, a module variable)`);
        }
      } catch (e) {
        this.error =
          e instanceof SpecError ? e : new SpecError(`action ${formatLabel(labelOf(spec, a))} threw: ${messageOf(e)}; in state ${describeState(spec, cur)}`);
        next.set(cur);
        break;
      }
      if (perAction) {
        const changed = firstDifference(cur, before);
        if (changed >= 0) {
          this.error = new SpecError(`action ${formatLabel(labelOf(spec, a))} changed its input state (${this.slotPath(changed)}); actions must write only the successor`);
          cur.set(before);
          next.set(cur);
          break;
        }
        const unlogged = c.writes !== undefined ? unloggedWrite(cur, next, c.writes) : -1;
        if (unlogged >= 0) {
          this.error = new SpecError(`action ${formatLabel(labelOf(spec, a))} wrote ${this.slotPath(unlogged)} without listing it in its write log`);
          next.set(cur);
          break;
        }
      }
      const logged = log !== undefined && log.count >= 0 ? log.count : -1;
      if (!ok) {
        // A disabled action may have scribbled on the scratch before saying no.
        if (logged >= 0) {
          const offs = log!.offsets;
          for (let i = 0; i < logged; i++) {
            const j = offs[i];
            next[j] = cur[j];
          }
          continue;
        }
        // Without a log: put the scratch back (a native copy costs less than finding what
        // changed) during the per-action checks, else only before the next enabled action.
        if (perAction) next.set(cur);
        else dirty = true;
        continue;
      }
      enabled = true;
      if (dn + n > deltaIdx.length) {
        this.growDelta();
        deltaIdx = this.deltaIdx;
        deltaVal = this.deltaVal;
      }
      const serial = ++this.serial;
      const from = dn;
      let h = curHi;
      let l = curLo;
      let bad = -1;
      // First the slots that changed: among the logged ones (a repeat is skipped by its stamp),
      // or among all of them, four at a time where unchanged.
      if (logged >= 0) {
        const offs = log!.offsets;
        for (let i = 0; i < logged; i++) {
          const j = offs[i];
          if (stamp[j] === serial) continue;
          stamp[j] = serial;
          if (next[j] !== cur[j]) deltaIdx[dn++] = j;
        }
      } else {
        let j = 0;
        for (; j + 4 <= n; j += 4) {
          if (next[j] === cur[j] && next[j + 1] === cur[j + 1] && next[j + 2] === cur[j + 2] && next[j + 3] === cur[j + 3]) continue;
          for (let q = j; q < j + 4; q++) if (next[q] !== cur[q]) deltaIdx[dn++] = q;
        }
        for (; j < n; j++) if (next[j] !== cur[j]) deltaIdx[dn++] = j;
      }
      // Then each change: its domain, its value, the fingerprint.
      for (let i = from; i < dn; i++) {
        const j = deltaIdx[i];
        const x = next[j];
        const y = cur[j];
        // NaN (a string, an object), a fraction or a value past the slot's range: caught here,
        // before it could be packed into some other legal value.
        if (!(x >= loB[j] && x <= hiB[j]) || (x | 0) !== x) {
          bad = j;
          break;
        }
        deltaVal[i] = x;
        if (useCanonical) continue;
        if (bytesOnly) {
          const ko = ((j << 8) | y) << 1;
          const kn = ((j << 8) | x) << 1;
          h ^= zob[ko] ^ zob[kn];
          l ^= zob[ko + 1] ^ zob[kn + 1];
        } else {
          const o = c.offsets[j];
          const z = c.kinds[j] & 7;
          for (let b = 0; b < z; b++) {
            const ob = (y >>> (b << 3)) & 255;
            const xb = (x >>> (b << 3)) & 255;
            if (ob === xb) continue;
            const ko = (((o + b) << 8) | ob) << 1;
            const kn = (((o + b) << 8) | xb) << 1;
            h ^= zob[ko] ^ zob[kn];
            l ^= zob[ko + 1] ^ zob[kn + 1];
          }
        }
      }
      if (bad >= 0) {
        this.error = new SpecError(`action ${formatLabel(labelOf(spec, a))} wrote a value outside its domain: ${c.layout.describeSlotValue(bad, next[bad])}`);
        next.set(cur);
        break;
      }
      acts[nb] = a;
      if (constraint !== undefined && !constraint(next)) pruned[nb] = 1;
      else {
        pruned[nb] = 0;
        if (useCanonical) {
          this.fingerprint(next, this.fpOut);
          h = this.fpOut[0];
          l = this.fpOut[1];
        }
      }
      his[nb] = h;
      los[nb] = l;
      // Put the scratch back.
      for (let i = from; i < dn; i++) {
        const j = deltaIdx[i];
        next[j] = cur[j];
      }
      dStart[++nb] = dn;
    }
    this.enabled = enabled;
    this.count = nb;
    return nb;
  }
}

/** A slot where next differs from cur that the write log does not list, or -1 (also when the log says "not known"). */
function unloggedWrite(cur: State, next: State, log: WriteLog): number {
  if (log.count < 0) return -1;
  const listed = new Set<number>();
  for (let i = 0; i < log.count; i++) listed.add(log.offsets[i]);
  for (let i = 0; i < cur.length; i++) if (!Object.is(next[i], cur[i]) && !listed.has(i)) return i;
  return -1;
}

function firstDifference(a: State, b: State): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

export function describeState(spec: Spec, state: State): string {
  try {
    return JSON.stringify(spec.layout.decode(state).toJS()).slice(0, 400);
  } catch {
    return '<undecodable>';
  }
}
