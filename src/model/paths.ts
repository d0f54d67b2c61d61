// Code paths as labelled steps, the way PlusCal labels a process: a function is a list of steps
// and calls; each step is one atomic action with a guard (return BLOCK) and an effect. Calls into
// shared sub-paths (get_block, unmap_mapping_range) are inlined per call site when the spec is
// compiled, so a thread's program counter alone says where every return goes. Not the engine.
import { SpecError } from '../core/errors';
import { framesOf, isOwnFile, ownPath, shortPath } from '../core/source-place';
import type { K } from './kernel';

/** What a step tells the interpreter to do next. Jumps are made with k.goto(label). */
export type Control = number;
/** Continue with the next step (also what `undefined` means). */
export const NEXT: Control = -1;
/** The step is not enabled here (a lock is held, a wake-up has not come). */
export const BLOCK: Control = -2;
/** The step ran (the state changed) but the thread stays at this step (e.g. joined a wait queue). */
export const STAY: Control = -3;
/** Return from the current function to the step after its call site. */
export const RET: Control = -4;
/** The thread's whole code path returns. */
export const EXIT: Control = -5;
/** The step hit an error state (lock misuse, NULL dereference); set by k.fail(). */
export const FAILED: Control = -6;
/** Jumps are encoded as JUMP + target pc. */
export const JUMP = 1000;

export type StepBody = (k: K) => Control | void;

export interface StepDef {
  readonly kind: 'step';
  readonly label: string;
  readonly run: StepBody;
  /** Where the step was written (file:line), for errors that name the spec writer's mistake. */
  readonly where: SourcePlace;
}

/**
 * Where a step or function was defined, read lazily from a captured stack (formatting a stack
 * costs far more than capturing it, and it is needed only for an error message). A step written
 * inside daxmc's own code-path library (truncate_setsize, say) is named by the line of the spec
 * file that built it, with the library's place after it: the spec writer's mistake is there.
 */
export class SourcePlace {
  private readonly holder: { stack?: string } = {};
  private text: string | undefined;
  constructor(skip: Function) {
    Error.captureStackTrace(this.holder, skip);
  }
  toString(): string {
    if (this.text === undefined) {
      const frames = framesOf(this.holder.stack ?? '');
      const first = frames[0];
      if (first === undefined) this.text = 'an unknown place';
      else if (!isOwnFile(first)) this.text = shortPath(first);
      else {
        const user = frames.find((f) => !isOwnFile(f));
        // A bundled chunk's line (dist/chunk-X.js:363) tells a reader nothing: only src/ is named.
        const own = ownPath(first);
        const lib = own.startsWith('dist/') ? '' : ` (in daxmc ${own})`;
        this.text = user === undefined ? `daxmc ${own}` : `${shortPath(user)}${lib}`;
      }
    }
    return this.text;
  }
}

export interface CallDef {
  readonly kind: 'call';
  /** The call site's label (a goto target); defaults to the callee's name. */
  readonly label: string;
  readonly fn: () => FnDef;
}

export interface FnDef {
  readonly name: string;
  readonly body: readonly (StepDef | CallDef)[];
  /** A fault/mkwrite/truncate handler: properties that wait for "every fault has returned" use it. */
  readonly handler: boolean;
  /** The handler works on the whole file (a PMD fault, a truncate), not only the thread's index. */
  readonly wholeFile: boolean;
}

/** A step: `step('lock_page', k => k.lockPage(k.get(page)))`. */
export function step(label: string, run: StepBody): StepDef {
  if (typeof label !== 'string' || label === '') throw new SpecError(`${new SourcePlace(step)}: a step needs a label (a kernel function or statement name)`);
  if (typeof run !== 'function') throw new SpecError(`${new SourcePlace(step)}: step '${label}' has no body (a function of k)`);
  return { kind: 'step', label, run, where: new SourcePlace(step) };
}

/** A call into a sub-path, inlined at compile time. Pass a thunk for forward references. */
export function call(fn: FnDef | (() => FnDef), label?: string): CallDef {
  const thunk = typeof fn === 'function' ? fn : () => fn;
  return { kind: 'call', label: label ?? (typeof fn === 'function' ? '' : fn.name), fn: thunk };
}

/** A kernel function: `fn('__dax_fault', [step(...), call(getBlock), ...])`. */
export function fn(name: string, body: readonly (StepDef | CallDef)[], opts: { handler?: boolean; wholeFile?: boolean } = {}): FnDef {
  if (!Array.isArray(body)) throw new SpecError(`${new SourcePlace(fn)}: fn('${name}', ...) needs a list of steps and calls`);
  body.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || (item.kind !== 'step' && item.kind !== 'call')) {
      throw new SpecError(`${new SourcePlace(fn)}: item ${i + 1} of ${name} is neither a step(...) nor a call(...)`);
    }
  });
  return { name, body, handler: opts.handler ?? opts.wholeFile ?? false, wholeFile: opts.wholeFile ?? false };
}

/** One step after inlining: its place in the thread's program. */
export interface FlatStep {
  readonly pc: number;
  readonly label: string;
  /** The call chain, outermost first: ['ext2_dax_fault', '__dax_fault', 'get_block']. */
  readonly chain: readonly string[];
  readonly run: StepBody;
  /** pc after NEXT: the following item of this function, or where the function returns. */
  nextPc: number;
  /** pc after RET from this step's function; -1 when the thread's whole path returns. */
  retPc: number;
  /** Labels of this step's function instance -> pc. */
  readonly labels: ReadonlyMap<string, number>;
  /** Inside a handler function (a fault, mkwrite or truncate in progress). */
  readonly inHandler: boolean;
  /** Inside a whole-file handler (PMD fault, truncate). */
  readonly wholeFile: boolean;
  /** Where the step was written. */
  readonly where: SourcePlace;
}

/** The literal goto targets a step body names: `k.goto('retry')`, found in its source text. */
export function literalGotos(run: StepBody): string[] {
  const out: string[] = [];
  const re = /\.goto\(\s*(['"`])((?:(?!\1)[^\\$])*)\1\s*\)/g;
  const src = Function.prototype.toString.call(run);
  for (let m = re.exec(src); m !== null; m = re.exec(src)) out.push(m[2]);
  return out;
}

/** Inlines a thread's code path into a flat program; pcs are 0..n-1. */
export function flatten(root: FnDef, maxSteps = 250): FlatStep[] {
  const out: FlatStep[] = [];
  interface Instance {
    start: number;
    setRet(pc: number): void;
  }
  const expand = (f: FnDef, chain: readonly string[], inHandler: boolean, depth: number, inWhole = false): Instance => {
    const myChain = [...chain, f.name];
    if (depth > 16) throw new SpecError(`calls nest deeper than 16 at ${myChain.join(' > ')}: is ${f.name} recursive?`);
    if (f.body.length === 0) throw new SpecError(`${myChain.join(' > ')} has no steps`);
    const handler = inHandler || f.handler;
    const whole = inWhole || f.wholeFile;
    const labels = new Map<string, number>();
    const counts = new Map<string, number>();
    // Each item: its first pc, and how to tell it where to continue afterwards.
    const items: { start: number; setAfter(pc: number): void }[] = [];
    const own: FlatStep[] = [];
    for (const item of f.body) {
      if (item.kind === 'step') {
        if (labels.has(item.label)) throw new SpecError(`${item.where}: ${myChain.join(' > ')}: two steps are labelled '${item.label}'`);
        const st: FlatStep = { pc: out.length, label: item.label, chain: myChain, run: item.run, nextPc: -1, retPc: -1, labels, inHandler: handler, wholeFile: whole, where: item.where };
        labels.set(item.label, st.pc);
        out.push(st);
        own.push(st);
        items.push({ start: st.pc, setAfter: (pc) => (st.nextPc = pc) });
      } else {
        const callee = item.fn();
        if (callee === null || typeof callee !== 'object' || !Array.isArray(callee.body)) {
          throw new SpecError(`${myChain.join(' > ')}: call(${item.label || '?'}) does not lead to a fn(...)`);
        }
        const base = item.label || callee.name;
        const n = (counts.get(base) ?? 0) + 1;
        counts.set(base, n);
        const name = n > 1 ? `${base}#${n}` : base;
        if (labels.has(name)) throw new SpecError(`${myChain.join(' > ')}: a step and a call are both labelled '${name}'`);
        const sub = expand(n > 1 ? { ...callee, name } : callee, myChain, handler, depth + 1, whole);
        labels.set(name, sub.start);
        items.push({ start: sub.start, setAfter: (pc) => sub.setRet(pc) });
      }
      if (out.length > maxSteps) throw new SpecError(`the code path ${chain[0] ?? f.name} has more than ${maxSteps} steps after inlining`);
    }
    // A goto names a label of its own function instance: check every literal target now, so a
    // typo is a spec error when the spec is built, not when (or if) the step runs.
    for (const st of own) {
      for (const target of literalGotos(st.run)) {
        if (!labels.has(target)) {
          throw new SpecError(`${st.where}: ${myChain.join(' > ')}: step '${st.label}' jumps to '${target}', which is not a step or call of ${f.name} (it has: ${[...labels.keys()].map((l) => `'${l}'`).join(', ')})`);
        }
      }
    }
    for (let j = 0; j + 1 < items.length; j++) items[j].setAfter(items[j + 1].start);
    return {
      start: items[0].start,
      setRet(pc: number) {
        for (const st of own) st.retPc = pc;
        items[items.length - 1].setAfter(pc);
      },
    };
  };
  expand(root, [], false, 0).setRet(-1);
  return out;
}
