// A state's facts in the spec's words (Spec.present), compared with the previous state's by key:
// which changed, which are new, which are gone (a released wait queue, a thread's locals cleared
// on return). Text traces, --diff, HTML pages, the dot forms and the explorer all list these.
// Pure functions of StateWords.
import type { ShownField, StateWords } from '../core/spec';

export interface FieldView extends ShownField {
  /** New, or its text differs from the previous state's. */
  readonly changed: boolean;
  /** The previous state's text, when it changed (undefined for a new fact). */
  readonly before?: string;
}

export interface WordsDiff {
  readonly fields: readonly FieldView[];
  /** Facts of the previous state that no longer exist, printed as `(none)`. */
  readonly gone: readonly ShownField[];
}

/** The printed value of a fact that no longer exists. */
export const GONE = '(none)';

export function diffWords(cur: StateWords, prev: StateWords | undefined): WordsDiff {
  const before = new Map((prev?.fields ?? []).map((f) => [f.key, f]));
  const keys = new Set(cur.fields.map((f) => f.key));
  const fields = cur.fields.map((f): FieldView => {
    if (!prev) return { ...f, changed: false };
    const was = before.get(f.key);
    if (!was) return { ...f, changed: true };
    return was.text === f.text ? { ...f, changed: false } : { ...f, changed: true, before: was.text };
  });
  const gone = (prev?.fields ?? []).filter((f) => !keys.has(f.key));
  return { fields, gone };
}

/** `T1 holds`, or `index 0 last user store (ghost)`. */
export function fieldLabel(f: ShownField): string {
  return f.ghost ? `${f.label} (ghost)` : f.label;
}
