// A guard on the successor vector an action writes, used while the engine checks the contract
// (the first expansions of a run): every element write must be a byte, a whole number 0..255
// (or a boolean, stored as 1 or 0). A typed array would silently store anything else as some
// byte (an object, an array or a string as 0, 256 as 0, 2.5 as 2), so a spec that keeps a JS
// value in its state would be checked as another model. Not the domain check (findings.ts),
// which catches a byte outside its slot's domain.
import { formatLabel, labelOf, type Spec } from '../core/spec';

const INDEX = /^(0|[1-9][0-9]*)$/;

function isByte(v: unknown): boolean {
  return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    try {
      return (JSON.stringify(v) ?? String(v)).slice(0, 80);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

export class ByteGuard {
  /** The guarded vector: writes go through to the target; methods run on the target itself. */
  readonly view: Uint8Array;
  /** The first write since reset() that was not a byte: its index and value (-1: none). */
  private index = -1;
  private value: unknown;

  constructor(target: Uint8Array) {
    this.view = new Proxy(target, {
      set: (t, prop, value) => {
        if (this.index < 0 && typeof prop === 'string' && INDEX.test(prop) && !isByte(value)) {
          this.index = Number(prop);
          this.value = value;
        }
        return Reflect.set(t, prop, value);
      },
      get: (t, prop) => {
        const v: unknown = Reflect.get(t, prop);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
  }

  /** Returns the guarded view, forgetting earlier writes. */
  reset(): Uint8Array {
    this.index = -1;
    this.value = undefined;
    return this.view;
  }

  /** The contract breach of action `action` since reset(), as a message; undefined if none. */
  breach(spec: Spec, action: number): string | undefined {
    if (this.index < 0) return undefined;
    const slot = spec.layout.slots[this.index]?.path ?? `byte ${this.index}`;
    const stored = new Uint8Array([Number(this.value)])[0];
    return `action ${formatLabel(labelOf(spec, action))} wrote ${show(this.value)} into ${slot}, which holds a byte (a code 0..255; it would be stored as ${stored}): encode values with the layout's codes`;
  }
}
