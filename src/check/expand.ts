// One state's successors, as every search strategy makes them: the spec's candidate actions in
// order, each applied into its own slot of a batch (a fresh copy of the state), with the
// successor's fingerprint. Without canonicalisation a successor's fingerprint is its parent's
// Zobrist fingerprint with the changed bytes' words swapped, so the cost is per changed byte.
// Not the search: deciding what is new, storing and checking properties is the caller's.
import { SpecError, messageOf } from '../core/errors';
import { formatLabel, labelOf, type AmpleSet, type Spec, type WriteLog } from '../core/spec';
import { ByteGuard } from './contract';
import { fingerprint, zobrist, zobristTable } from './fingerprint';
import { copyWords } from './words';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Expander {
  /** Words per state. */
  readonly W: number;
  readonly width: number;
  /**
   * Successor k of the last expand() is the state expanded with the words `deltaIdx[i]` set to
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

  private capacity = 0;
  private readonly cand: Int32Array;
  private candN = 0;
  private readonly pushCand: (a: number) => void;
  private readonly zob: Int32Array;
  private readonly canon: Uint8Array;
  private readonly canonWords: Int32Array;
  private readonly fpu = new Uint32Array(2);
  private readonly fpOut = new Int32Array(2);
  /** The scratch successor: equal to the state being expanded except inside apply(). */
  private readonly next: Uint8Array;
  private readonly nextWords: Int32Array;
  /** The state being expanded (the caller's buffer). */
  private curWords: Int32Array = new Int32Array(0);
  /** While the contract is checked: `next` behind a guard that notes writes of non-bytes. */
  private guard: ByteGuard | undefined;

  /** Whether states are fingerprinted through `toRepresentative` (symmetry, views). */
  readonly useCanonical: boolean;

  constructor(
    readonly spec: Spec,
    /** Fingerprint this representative of each state instead of the state (see explore.ts). */
    private readonly toRepresentative: ((state: Uint8Array, out: Uint8Array) => void) | undefined,
  ) {
    this.useCanonical = toRepresentative !== undefined;
    this.width = spec.layout.width;
    this.W = this.width >> 2;
    this.cand = new Int32Array(Math.max(1, spec.actions.length));
    this.pushCand = (a: number): void => {
      this.cand[this.candN++] = a;
    };
    this.zob = this.useCanonical ? new Int32Array(0) : zobristTable(this.width);
    this.canon = new Uint8Array(this.width);
    this.canonWords = new Int32Array(this.canon.buffer);
    this.next = new Uint8Array(this.width);
    this.nextWords = new Int32Array(this.next.buffer);
    this.grow(Math.min(Math.max(1, spec.actions.length), 64));
    this.deltaIdx = new Int32Array(64 * this.W);
    this.deltaVal = new Int32Array(64 * this.W);
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

  /** The whole-state fingerprint into out[0] (hi), out[1] (lo), as int32s. */
  fingerprint(state: Uint8Array, out: Int32Array): void {
    if (this.toRepresentative !== undefined) {
      this.toRepresentative(state, this.canon);
      fingerprint(this.canonWords, this.fpu);
      out[0] = this.fpu[0];
      out[1] = this.fpu[1];
    } else {
      zobrist(state, this.zob, out);
    }
  }

  /** Writes successor k of the last expand() as words into out from word `at` on. */
  materialize(k: number, out: Int32Array, at: number): void {
    copyWords(this.curWords, 0, out, at, this.W);
    const di = this.deltaIdx;
    const dv = this.deltaVal;
    for (let i = this.dStart[k], e = this.dStart[k + 1]; i < e; i++) out[at + di[i]] = dv[i];
  }

  /**
   * Applies the candidate actions of `cur` (whose fingerprint is curHi, curLo) in order, into
   * one scratch vector that is put back to `cur` after each; an enabled action's successor is
   * kept as the words it changed. With `before` (a copy of cur), checks that no action wrote its
   * input state. Returns the number of successors; an error stops the expansion and is left in
   * `error`. `cur` must stay unchanged until the successors are materialized.
   */
  expand(cur: Uint8Array, curWords: Int32Array, curHi: number, curLo: number, before: Uint8Array | null, ample?: AmpleSet): number {
    const spec = this.spec;
    const actions = spec.actions;
    this.curWords = curWords;
    this.candN = 0;
    this.reduced = false;
    if (ample !== undefined && ample(cur, this.pushCand)) this.reduced = true;
    else {
      this.candN = 0;
      if (spec.candidates) spec.candidates(cur, this.pushCand);
      else for (let a = 0, n = actions.length; a < n; a++) this.cand[this.candN++] = a;
    }
    const candN = this.candN;
    if (candN > this.capacity) this.grow(candN);
    const cand = this.cand;
    const W = this.W;
    const next = this.next;
    const nw = this.nextWords;
    const acts = this.acts;
    const his = this.hi;
    const los = this.lo;
    const pruned = this.pruned;
    const dStart = this.dStart;
    const zob = this.zob;
    const useCanonical = this.useCanonical;
    const constraint = spec.constraint;
    // The spec's log of written bytes, trusted only outside the contract checks (which compare
    // the whole state and check the log against it).
    const log = before === null ? spec.writes : undefined;
    let deltaIdx = this.deltaIdx;
    let deltaVal = this.deltaVal;
    let enabled = false;
    let nb = 0;
    let dn = 0;
    dStart[0] = 0;
    copyWords(curWords, 0, nw, 0, W);
    this.error = undefined;
    for (let c = 0; c < candN; c++) {
      const a = cand[c];
      let ok: boolean;
      try {
        ok = actions[a].apply(cur, before !== null && spec.checksBytes !== true ? (this.guard ??= new ByteGuard(next)).reset() : next);
      } catch (e) {
        this.error =
          e instanceof SpecError
            ? e
            : new SpecError(`action ${formatLabel(labelOf(spec, a))} threw: ${messageOf(e)}; in state ${describeState(spec, cur)}`);
        break;
      }
      if (before !== null) {
        const changed = firstDifference(cur, before);
        if (changed >= 0) {
          this.error = new SpecError(
            `action ${formatLabel(labelOf(spec, a))} changed its input state (${spec.layout.slots[changed]?.path ?? `byte ${changed}`}); actions must write only the successor`,
          );
          break;
        }
        const breach = spec.checksBytes !== true ? this.guard?.breach(spec, a) : undefined;
        if (breach !== undefined) {
          this.error = new SpecError(breach);
          break;
        }
        const unlogged = spec.writes !== undefined ? unloggedWrite(cur, next, spec.writes) : -1;
        if (unlogged >= 0) {
          this.error = new SpecError(
            `action ${formatLabel(labelOf(spec, a))} wrote ${spec.layout.slots[unlogged]?.path ?? `byte ${unlogged}`} without listing it in the spec's write log (Spec.writes)`,
          );
          break;
        }
      }
      const logged = log !== undefined && log.count >= 0 ? log.count : -1;
      if (!ok) {
        // A disabled action may have scribbled on the scratch before saying no.
        if (logged >= 0) {
          const offs = log!.offsets;
          for (let i = 0; i < logged; i++) {
            const j = offs[i] >> 2;
            nw[j] = curWords[j];
          }
          continue;
        }
        for (let j = 0; j < W; j++) {
          if (j + 4 <= W && nw[j] === curWords[j] && nw[j + 1] === curWords[j + 1] && nw[j + 2] === curWords[j + 2] && nw[j + 3] === curWords[j + 3]) {
            j += 3;
            continue;
          }
          if (nw[j] !== curWords[j]) nw[j] = curWords[j];
        }
        continue;
      }
      enabled = true;
      acts[nb] = a;
      let keep = true;
      if (constraint !== undefined && !constraint(next)) {
        pruned[nb] = 1;
        keep = false;
      } else {
        pruned[nb] = 0;
        if (useCanonical) {
          this.fingerprint(next, this.fpOut);
          his[nb] = this.fpOut[0];
          los[nb] = this.fpOut[1];
        }
      }
      if (dn + W > deltaIdx.length) {
        this.growDelta();
        deltaIdx = this.deltaIdx;
        deltaVal = this.deltaVal;
      }
      let h = curHi;
      let l = curLo;
      // The words to look at: the logged ones (a word is put back once handled, so a repeat is
      // skipped), or all of them, four at a time where unchanged.
      const offs = logged >= 0 ? log!.offsets : undefined;
      const end = logged >= 0 ? logged : W;
      for (let i = 0; i < end; i++) {
        let j: number;
        if (offs !== undefined) j = offs[i] >> 2;
        else {
          j = i;
          // Most words are unchanged: skip them four at a time.
          if (j + 4 <= W && nw[j] === curWords[j] && nw[j + 1] === curWords[j + 1] && nw[j + 2] === curWords[j + 2] && nw[j + 3] === curWords[j + 3]) {
            i += 3;
            continue;
          }
        }
        const x = nw[j];
        const y = curWords[j];
        if (x === y) continue;
        nw[j] = y;
        deltaIdx[dn] = j;
        deltaVal[dn++] = x;
        if (!keep || useCanonical) continue;
        const d = x ^ y;
        for (let b = 0; b < 4; b++) {
          const sh = b << 3;
          if (((d >>> sh) & 255) === 0) continue;
          const p = (j << 2) | (LITTLE_ENDIAN ? b : 3 - b);
          const ko = ((p << 8) | ((y >>> sh) & 255)) << 1;
          const kn = ((p << 8) | ((x >>> sh) & 255)) << 1;
          h ^= zob[ko] ^ zob[kn];
          l ^= zob[ko + 1] ^ zob[kn + 1];
        }
      }
      if (keep && !useCanonical) {
        his[nb] = h;
        los[nb] = l;
      }
      dStart[++nb] = dn;
    }
    this.enabled = enabled;
    this.count = nb;
    return nb;
  }
}

/** A byte where next differs from cur that the write log does not list, or -1 (also when the log says "not known"). */
function unloggedWrite(cur: Uint8Array, next: Uint8Array, log: WriteLog): number {
  if (log.count < 0) return -1;
  const listed = new Set<number>();
  for (let i = 0; i < log.count; i++) listed.add(log.offsets[i]);
  for (let i = 0; i < cur.length; i++) if (next[i] !== cur[i] && !listed.has(i)) return i;
  return -1;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export function describeState(spec: Spec, state: Uint8Array): string {
  try {
    return JSON.stringify(spec.layout.decode(state).toJS()).slice(0, 400);
  } catch {
    return '<undecodable>';
  }
}
