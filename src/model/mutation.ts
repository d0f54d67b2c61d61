// Code mutations of a compiled world, for the load-bearing analysis (src/report/rests-on.ts):
// which mechanisms the code uses (recorded from the kernel operations each step performs during a
// search) and how to take one away: drop a lock/unlock pair in one function, wake one instead of
// all (or all instead of one, or nobody), drop an i_size or page->mapping check, swap two
// consecutive lock steps. Generic over every world: nothing here names a scheme. Not the analysis
// itself (which runs the mutants) and not the engine (which never sees a mutation).
import { SpecError } from '../core/errors';
import type { Action, Mechanism, MutantHost, Mutation } from '../core/spec';
import { PAGE_LOCK, WAKE_ALL, WAKE_AS_WRITTEN, WAKE_NONE, WAKE_ONE, type K, type KernelHook } from './kernel';
import type { FlatStep } from './paths';
import type { World } from './world';

/** What the host needs of a compiled world: its kernel context, programs and actions. */
export interface MutableWorld {
  readonly world: World;
  readonly k: K;
  readonly programs: readonly (readonly FlatStep[])[];
  readonly actions: readonly Action[];
  readonly actionBase: readonly number[];
}

/**
 * The mutations, as Mutation records (all fields strings, so they survive JSON):
 * - drop-lock {lock, mode, fn}: the acquisitions of `lock` in `mode` by the steps of function
 *   `fn` do nothing, and so does a release of it by a thread that runs `fn` and does not hold it;
 * - wake {fn, step, written, as}: the wake-up at `fn: step`, written as wake-one or wake-all,
 *   wakes one, all or nobody instead;
 * - drop-check {check, fn, step}: the i_size or page->mapping check at `fn: step` always passes
 *   (i_size reads past every index; the page is still in the file);
 * - swap {fn, first, second}: the two consecutive lock steps of `fn` run in the other order.
 */
export type MutationKind = 'drop-lock' | 'wake' | 'drop-check' | 'swap';

/** A function's name without the #2, #3 of its second and later calls from one function. */
export function functionOf(st: FlatStep): string {
  return st.chain[st.chain.length - 1].replace(/#\d+$/, '');
}

const SB_START: Readonly<Record<string, string>> = { write: 'sb_start_write', pagefault: 'sb_start_pagefault', fs: 'sb_start_intwrite' };

/** Lock words: name, class, whether it is a freeze level (and which). */
function lockFacts(world: World, name: string): { id: number; lockClass: string; kind: string; level?: string } | undefined {
  if (name === 'page lock') return { id: PAGE_LOCK, lockClass: 'page lock', kind: 'page' };
  const l = world.locks.find((x) => x.name === name);
  if (!l) return undefined;
  const f = world.freezeLocks;
  const level = f ? (['write', 'pagefault', 'fs'] as const).find((lv) => f[lv].id === l.id) : undefined;
  return { id: l.id, lockClass: l.lockClass, kind: l.kind, ...(level ? { level } : {}) };
}

function field(m: Mutation, key: string): string {
  const v = Object.hasOwn(m, key) ? m[key] : undefined;
  if (typeof v !== 'string' || v === '') throw new SpecError(`the mutation ${JSON.stringify(m)} has no '${key}'`);
  return v;
}

/** The mechanism a mutation takes away, in words, with what it is about. */
export function mechanismOf(world: World, m: Mutation): Mechanism {
  const kind = field(m, 'kind');
  switch (kind) {
    case 'drop-lock': {
      const name = field(m, 'lock');
      const mode = field(m, 'mode');
      const fn = field(m, 'fn');
      const l = lockFacts(world, name);
      if (!l) throw new SpecError(`the mutation names the lock '${name}', which this world does not declare (it has: ${world.locks.map((x) => x.name).join(', ')}, page lock)`);
      if (mode !== 'read' && mode !== 'write') throw new SpecError(`the mutation's mode is '${mode}', not 'read' or 'write'`);
      const exclusive = l.kind === 'mutex' || l.kind === 'spinlock' || l.kind === 'page';
      const words = l.level && mode === 'read' ? SB_START[l.level] : exclusive ? name : `${name}(${mode})`;
      const freeze = l.level !== undefined;
      return {
        id: `drop ${words} in ${fn}`,
        kind: freeze ? 'freeze level' : 'lock',
        about: [...new Set([l.lockClass, name, fn, freeze ? 'freeze level' : 'lock', ...(freeze && mode === 'read' ? [words] : [])])],
        mutation: { kind, lock: name, mode, fn },
      };
    }
    case 'wake': {
      const fn = field(m, 'fn');
      const step = field(m, 'step');
      const written = field(m, 'written');
      const as = field(m, 'as');
      if (!['one', 'all'].includes(written) || !['one', 'all', 'none'].includes(as) || written === as) throw new SpecError(`the wake mutation ${JSON.stringify(m)} needs 'written' one or all and a different 'as' (one, all, none)`);
      const words = as === 'none' ? 'no wake-up' : as === 'one' ? 'wake one instead of all' : 'wake all instead of one';
      return { id: `${words} at ${fn}: ${step}`, kind: 'wake-up', about: ['wake-up', fn], mutation: { kind, fn, step, written, as } };
    }
    case 'drop-check': {
      const check = field(m, 'check');
      const fn = field(m, 'fn');
      const step = field(m, 'step');
      if (check !== 'i_size' && check !== 'page->mapping') throw new SpecError(`the mutation's check is '${check}', not 'i_size' or 'page->mapping'`);
      return { id: `drop the ${check} check at ${fn}: ${step}`, kind: `${check} check`, about: [`${check} check`, check, fn], mutation: { kind, check, fn, step } };
    }
    case 'swap': {
      const fn = field(m, 'fn');
      const first = field(m, 'first');
      const second = field(m, 'second');
      return { id: `swap ${first} and ${second} in ${fn}`, kind: 'lock order', about: ['lock order', fn], mutation: { kind, fn, first, second } };
    }
    default:
      throw new SpecError(`the mutation kind '${kind}' is not one of drop-lock, wake, drop-check, swap`);
  }
}

/** What the recorder saw one step do, over a whole search. */
interface StepOps {
  /** `${lock}:${w|r}` of each acquisition. */
  readonly acquires: Set<string>;
  readonly releases: Set<string>;
  readonly wakes: Set<'one' | 'all'>;
  size: boolean;
  mapping: boolean;
  /** Lock classes held at every check this step made (null: none made yet). */
  held: Set<number> | null;
}

/** A KernelHook that changes nothing and notes what each step does. */
class Recorder implements KernelHook {
  readonly ops = new Map<FlatStep, StepOps>();
  private at(k: K): StepOps {
    let o = this.ops.get(k.step);
    if (o === undefined) {
      o = { acquires: new Set(), releases: new Set(), wakes: new Set(), size: false, mapping: false, held: null };
      this.ops.set(k.step, o);
    }
    return o;
  }
  private checked(k: K, o: StepOps): void {
    const now = new Set(k.heldClasses());
    o.held = o.held === null ? now : new Set([...o.held].filter((c) => now.has(c)));
  }
  acquire(k: K, lock: number, write: boolean): boolean {
    this.at(k).acquires.add(`${lock}:${write ? 'w' : 'r'}`);
    return false;
  }
  release(k: K, lock: number, write: boolean): boolean {
    this.at(k).releases.add(`${lock}:${write ? 'w' : 'r'}`);
    return false;
  }
  wake(k: K, all: boolean): number {
    this.at(k).wakes.add(all ? 'all' : 'one');
    return WAKE_AS_WRITTEN;
  }
  size(k: K): boolean {
    const o = this.at(k);
    o.size = true;
    this.checked(k, o);
    return false;
  }
  mapping(k: K): boolean {
    const o = this.at(k);
    o.mapping = true;
    this.checked(k, o);
    return false;
  }
}

/** The mechanisms a recording met, in code order (thread by thread, step by step), each once. */
function mechanismsMet(c: MutableWorld, rec: Recorder): Mechanism[] {
  const out = new Map<string, Mechanism>();
  const classNames = c.world.lockClasses().names;
  const lockName = (id: number): string => (id === PAGE_LOCK ? 'page lock' : c.world.locks[id].name);
  const add = (m: Mutation, under?: Set<number> | null): void => {
    const mech = mechanismOf(c.world, m);
    if (out.has(mech.id)) return;
    out.set(mech.id, under && under.size > 0 ? { ...mech, context: `under ${[...under].map((x) => classNames[x]).join(', ')}` } : mech);
  };
  for (const program of c.programs) {
    for (const st of program) {
      const o = rec.ops.get(st);
      if (!o) continue;
      const fn = functionOf(st);
      for (const a of o.acquires) {
        const [lock, w] = a.split(':');
        add({ kind: 'drop-lock', lock: lockName(Number(lock)), mode: w === 'w' ? 'write' : 'read', fn });
      }
      for (const written of o.wakes) {
        for (const as of ['one', 'all', 'none'] as const) if (as !== written) add({ kind: 'wake', fn, step: st.label, written, as });
      }
      if (o.size) add({ kind: 'drop-check', check: 'i_size', fn, step: st.label }, o.held);
      if (o.mapping) add({ kind: 'drop-check', check: 'page->mapping', fn, step: st.label }, o.held);
      // Two consecutive steps of one function that each only take one lock (different locks).
      const next = st.nextPc >= 0 ? program[st.nextPc] : undefined;
      const n = next ? rec.ops.get(next) : undefined;
      if (next && n && next.labels === st.labels && onlyTakes(o) && onlyTakes(n)) {
        const [a] = o.acquires;
        const [b] = n.acquires;
        if (a.split(':')[0] !== b.split(':')[0]) add({ kind: 'swap', fn, first: st.label, second: next.label });
      }
    }
  }
  return [...out.values()];
}

function onlyTakes(o: StepOps): boolean {
  return o.acquires.size === 1 && o.releases.size === 0 && o.wakes.size === 0 && !o.size && !o.mapping;
}

/** Marks, per thread and pc, the steps a predicate picks. */
function stepsWhere(c: MutableWorld, pick: (st: FlatStep) => boolean): Uint8Array[] {
  return c.programs.map((p) => Uint8Array.from(p, (st) => (pick(st) ? 1 : 0)));
}

const none = (marks: readonly Uint8Array[]): boolean => marks.every((m) => m.every((x) => x === 0));

/** The KernelHook of one mutation (every kind but swap, which changes the programs instead). */
class MutantHook implements KernelHook {
  lock = -2;
  write = false;
  /** Steps whose acquisitions (drop-lock), wake-ups (wake) or checks (drop-check) change. */
  marks: readonly Uint8Array[] = [];
  /** drop-lock: the threads that run the function (their unheld releases are skipped). */
  runs: readonly boolean[] = [];
  wakeWritten = false;
  wakeAs = WAKE_AS_WRITTEN;
  checkSize = false;
  checkMapping = false;
  acquire(k: K, lock: number, write: boolean): boolean {
    return lock === this.lock && write === this.write && this.marks[k.t][k.step.pc] === 1;
  }
  release(k: K, lock: number, write: boolean, held: boolean): boolean {
    return lock === this.lock && write === this.write && !held && this.runs[k.t];
  }
  wake(k: K, all: boolean): number {
    return all === this.wakeWritten && this.wakeAs !== WAKE_AS_WRITTEN && this.marks[k.t][k.step.pc] === 1 ? this.wakeAs : WAKE_AS_WRITTEN;
  }
  size(k: K): boolean {
    return this.checkSize && this.marks[k.t][k.step.pc] === 1;
  }
  mapping(k: K): boolean {
    return this.checkMapping && this.marks[k.t][k.step.pc] === 1;
  }
}

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** Swaps two consecutive steps of every instance of `fn` that has them: bodies, labels, places. */
function swapSteps(c: MutableWorld, fn: string, first: string, second: string): number {
  let n = 0;
  c.programs.forEach((program, t) => {
    for (const a of program) {
      if (a.label !== first || functionOf(a) !== fn || a.nextPc < 0) continue;
      const b = program[a.nextPc];
      if (b.label !== second || b.labels !== a.labels) continue;
      const ma = a as Mutable<FlatStep>;
      const mb = b as Mutable<FlatStep>;
      [ma.run, mb.run] = [b.run, a.run];
      [ma.label, mb.label] = [b.label, a.label];
      [ma.where, mb.where] = [b.where, a.where];
      const labels = a.labels as Map<string, number>;
      labels.set(first, b.pc);
      labels.set(second, a.pc);
      for (const st of [a, b]) (c.actions[c.actionBase[t] + st.pc] as Mutable<Action>).name = `${st.chain.join(' > ')}: ${st.label}`;
      n++;
    }
  });
  return n;
}

/** Spec.mutants of a compiled world. */
export function mutantHost(c: MutableWorld): MutantHost {
  let applied = false;
  return {
    record() {
      const rec = new Recorder();
      c.k.hook = rec;
      return () => {
        if (c.k.hook === rec) c.k.hook = null;
        return mechanismsMet(c, rec);
      };
    },
    apply(m) {
      if (applied) throw new SpecError('a spec takes one mutation: build a fresh one for the next');
      const mech = mechanismOf(c.world, m);
      const mu = mech.mutation;
      const hook = new MutantHook();
      switch (mu.kind) {
        case 'drop-lock': {
          const l = lockFacts(c.world, mu.lock)!;
          hook.lock = l.id;
          hook.write = mu.mode === 'write';
          hook.marks = stepsWhere(c, (st) => functionOf(st) === mu.fn);
          hook.runs = hook.marks.map((row) => row.some((x) => x === 1));
          break;
        }
        case 'wake':
          hook.marks = stepsWhere(c, (st) => functionOf(st) === mu.fn && st.label === mu.step);
          hook.wakeWritten = mu.written === 'all';
          hook.wakeAs = mu.as === 'one' ? WAKE_ONE : mu.as === 'all' ? WAKE_ALL : WAKE_NONE;
          break;
        case 'drop-check':
          hook.marks = stepsWhere(c, (st) => functionOf(st) === mu.fn && st.label === mu.step);
          hook.checkSize = mu.check === 'i_size';
          hook.checkMapping = mu.check === 'page->mapping';
          break;
        case 'swap':
          if (swapSteps(c, mu.fn, mu.first, mu.second) === 0) throw new SpecError(`no function ${mu.fn} here has the consecutive steps '${mu.first}' and '${mu.second}'`);
          applied = true;
          return mech;
      }
      if (none(hook.marks)) throw new SpecError(`the mutation '${mech.id}' names code no thread of this configuration runs`);
      c.k.hook = hook;
      applied = true;
      return mech;
    },
  };
}
