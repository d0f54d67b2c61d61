// Compiles a World (threads running code paths over the pmem page model and kernel locks) onto
// the engine's contract: one action per (thread, step), dispatched by each thread's program
// counter; an error state or every thread returned is terminal; a stuck state is diagnosed with
// its wait-for cycle or as a lost wake-up; the lock-order view rides along as an analysis.
import { SpecError, SpecMistake } from '../core/errors';
import { withEngineHooks, type SearchObserver } from '../core/compiled';
import type { Action, Diagnosis, Spec, State, StepNote } from '../core/spec';
import type { LivenessProperty } from '../core/liveness';
import type { Property } from '../core/spec';
import { noLockLeak, type PropertyMaker } from './properties';
import { everyFaultReturns, isLiveness, type LivenessMaker } from './liveness';
import { K, type BlockedOn } from './kernel';
import { Lockdep, type LockEdge } from './lockdep';
import { mutantHost } from './mutation';
import { BLOCK, EXIT, FAILED, JUMP, RET, STAY, flatten, type FlatStep } from './paths';
import { presentWorld } from './present';
import { threadLocalReduction } from './reduction';
import { threadSymmetry } from './symmetry';
import { ErrKind, Status, WAIT_WQ, type World } from './world';

export interface CompiledWorld {
  readonly spec: Spec;
  readonly programs: readonly (readonly FlatStep[])[];
  /** First action index of each thread. */
  readonly actionBase: readonly number[];
}

/**
 * Compiles the world with the given property makers (invariants, witnesses and liveness
 * properties alike). Every world whose threads are not all background loops also gets "every
 * fault and syscall returns" under weak fairness of runnable threads, unless a maker gave a
 * property of that name.
 */
export function compile(world: World, name: string, properties: readonly (PropertyMaker | LivenessMaker)[] = []): CompiledWorld {
  const { layout, off } = world.layout();
  const T = world.threads.length;
  const programs = world.threads.map((th) => flatten(th.path));
  const threadNames = world.threads.map((th) => th.name);
  const classNames = world.lockClasses().names;
  // A documented order names lock classes: every name must be one.
  const documentedOrders = world.documentedOrders;
  for (const o of documentedOrders) {
    for (const c of o.classes) {
      if (!classNames.includes(c)) throw new SpecError(`${o.where ? `${o.where}: ` : ''}the documented lock order ${o.classes.join(' -> ')} names '${c}', which is not a lock class of this world (it has: ${classNames.join(', ')})`);
    }
  }
  const k = new K(world, off);
  let lockdep = new Lockdep(classNames);
  k.lockdep = lockdep;
  // Where the lock-order edges of the last four expansions start (for observe.rewind).
  const markId = new Int32Array(4);
  const markAt = new Int32Array(4);
  let markN = 0;
  const actions: Action[] = [];
  const actionBase: number[] = [];
  const actionThread: number[] = [];
  const actionStep: FlatStep[] = [];
  const tw = off.threadWidth;
  const errAt = off.err;
  const threadAt = off.thread;
  const RUNNING = Status.code.running;
  const RETURNED = Status.code.returned;

  // The step's own code, then the interpreter's bookkeeping (k.endStep marks the boundary,
  // which ends a footprint recording of the partial-order reduction).
  const run = (t: number, st: FlatStep, cur: State, next: State, notes: StepNote[] | null, probe: boolean): boolean => {
    const b = threadAt + t * tw;
    const log = k.writes;
    log.count = 0;
    if (cur[errAt] !== 0 || cur[b + 1] !== RUNNING || cur[b] !== st.pc) return false;
    k.bind(next, t, st);
    k.notes = notes;
    k.probe = probe;
    let c = st.run(k);
    if (c === undefined) c = -1;
    if (c === BLOCK) return false;
    if (c === FAILED) return true;
    if (c === STAY) {
      if (log.count < 0) {
        for (let i = 0; i < next.length; i++) if (next[i] !== cur[i]) return true;
      } else for (let i = 0; i < log.count; i++) if (next[log.offsets[i]] !== cur[log.offsets[i]]) return true;
      return false;
    }
    let pc: number;
    if (c >= JUMP) pc = c - JUMP;
    else if (c === RET) pc = st.retPc;
    else if (c === EXIT) pc = -1;
    else pc = st.nextPc;
    if (pc < 0) {
      // A returned thread keeps only its status: clearing its locals merges equal outcomes.
      k.endStep();
      k.zero(b, tw);
      k.w(b + 1, RETURNED);
      if (notes) notes.push({ kind: 'return', text: `${threadNames[t]} returns` });
    } else {
      k.endStep();
      k.w(b, pc);
    }
    return true;
  };

  for (let t = 0; t < T; t++) {
    actionBase.push(actions.length);
    for (const st of programs[t]) {
      const idx = actions.length;
      actionThread.push(t);
      actionStep.push(st);
      actions.push({
        name: `${st.chain.join(' > ')}: ${st.label}`,
        actor: threadNames[t],
        apply(cur, next) {
          lockdep.action = idx;
          return run(t, st, cur, next, null, false);
        },
      });
    }
  }
  if (actions.length > 0xfffe) throw new Error('too many steps');

  // Mistakes that do not depend on the state (a lock used with the wrong call, a jump to a label
  // that does not exist) are caught now, when the spec is built: every step runs once, as a
  // probe, on the initial state with its thread's pc moved to it. Other errors of that made-up
  // state are not the spec's fault and are left to the search.
  const init = world.initialState(layout, off);
  for (let t = 0; t < T; t++) {
    for (const st of programs[t]) {
      const cur = Uint8Array.from(init);
      cur[off.thread + t * tw] = st.pc;
      try {
        run(t, st, cur, Uint8Array.from(cur), null, true);
      } catch (e) {
        if (e instanceof SpecMistake) throw e;
      } finally {
        k.probe = false;
      }
    }
  }

  const isTerminal = (s: State): boolean => {
    if (s[off.err] !== 0) return true;
    for (let t = 0; t < T; t++) if (s[off.thread + t * tw + 1] === Status.code.running) return false;
    return true;
  };

  /** What thread t's current step waits for, by probing it on a scratch copy. */
  const probeBlocked = (s: State, t: number): BlockedOn | undefined => {
    const b = off.thread + t * tw;
    const st = programs[t][s[b]];
    const scratch = Float64Array.from(s);
    const ok = run(t, st, s, scratch, null, true);
    return ok ? undefined : k.blockedOn;
  };

  const lockName = (l: number): string => world.locks[l].name;
  const holdersOf = (s: State, on: BlockedOn): { threads: number[]; what: string } => {
    const threads: number[] = [];
    switch (on.kind) {
      case 'lock': {
        const owner = s[off.lockOwner + on.lock];
        if (owner) threads.push(owner - 1);
        if (on.write) {
          const r = s[off.lockReaders + on.lock];
          for (let u = 0; u < T; u++) if (r & (1 << u)) threads.push(u);
        } else if (!owner) {
          // A reader blocked by a queued writer waits for that writer (Linux rwsem fairness).
          for (let u = 0; u < T; u++) if (s[off.thread + u * tw + 2] === on.lock + 1) threads.push(u);
        }
        return { threads, what: world.locks[on.lock].kind !== 'mutex' && world.locks[on.lock].kind !== 'spinlock' ? `${lockName(on.lock)} (${on.write ? 'write' : 'read'})` : lockName(on.lock) };
      }
      case 'page': {
        const owner = s[off.pageOwner + on.page - 1];
        if (owner) threads.push(owner - 1);
        return { threads, what: `the page lock of H${on.page}` };
      }
      case 'entry': {
        const owner = s[off.entryOwner + on.index];
        if (owner && s[off.entryLocked + on.index]) threads.push(owner - 1);
        return { threads, what: `the entry lock of index ${on.index}` };
      }
      case 'wakeup': {
        const owner = s[off.entryOwner + on.index];
        if (owner && s[off.entryLocked + on.index]) threads.push(owner - 1);
        return { threads, what: `a wake-up on the wait queue of entry ${on.index}` };
      }
      case 'cond':
        return { threads, what: on.what };
    }
  };

  /**
   * What each running thread waits for (probing its step), and a wait-for cycle among them if
   * there is one: each thread of the cycle waits for a lock the next one holds. A thread whose
   * step is enabled waits for nothing, so in a state that is not stuck a cycle is still found
   * among the threads that are.
   */
  const waitsOf = (s: State, everyThread: boolean, minLength = 1) => {
    const waits = new Map<number, { on: BlockedOn | undefined; holders: number[]; what: string }>();
    for (let t = 0; t < T; t++) {
      if (s[off.thread + t * tw + 1] !== Status.code.running) continue;
      const on = probeBlocked(s, t);
      const h = on ? holdersOf(s, on) : { threads: [], what: 'an unknown condition' };
      if (!on && !everyThread) continue;
      waits.set(t, { on, holders: h.threads, what: h.what });
    }
    let cycle: number[] | undefined;
    for (const start of waits.keys()) {
      const path: number[] = [];
      const seen = new Set<number>();
      let cur: number | undefined = start;
      while (cur !== undefined && !seen.has(cur)) {
        seen.add(cur);
        path.push(cur);
        const w = waits.get(cur);
        cur = w?.holders.find((u) => waits.has(u));
      }
      if (cur !== undefined && path.length - path.indexOf(cur) >= minLength) {
        cycle = path.slice(path.indexOf(cur));
        break;
      }
    }
    return { waits, cycle };
  };
  const describeWait = (s: State, t: number, w: { holders: readonly number[]; what: string }): string => {
    const pc = s[off.thread + t * tw];
    const st = programs[t][pc];
    const holders = w.holders.map((u) => (u === t ? `${threadNames[u]} itself` : s[off.thread + u * tw + 1] === Status.code.running ? threadNames[u] : `${threadNames[u]}, which has returned`));
    return `${threadNames[t]} at ${st.chain.join(' > ')}: ${st.label} waits for ${w.what}${holders.length ? `, held by ${holders.join(' and ')}` : ''}`;
  };

  const diagnose = (s: State): Diagnosis | undefined => {
    if (s[off.err] !== 0) return undefined;
    const { waits, cycle } = waitsOf(s, true);
    const lines: string[] = [];
    const describe = (t: number): string => describeWait(s, t, waits.get(t)!);
    for (const t of waits.keys()) lines.push(describe(t));
    const held = (t: number): string => {
      const hs: string[] = [];
      for (let l = 0; l < world.locks.length; l++) {
        if (s[off.lockOwner + l] === t + 1) hs.push(world.locks[l].kind === 'rwsem' || world.locks[l].kind === 'journal' ? `${lockName(l)} (write)` : lockName(l));
        if (s[off.lockReaders + l] & (1 << t)) hs.push(`${lockName(l)} (read)`);
      }
      for (let p = 1; p <= k.P; p++) if (s[off.pageOwner + p - 1] === t + 1) hs.push(`page lock of H${p}`);
      for (let i = 0; i < k.N; i++) if (s[off.entryLocked + i] && s[off.entryOwner + i] === t + 1) hs.push(`entry lock of index ${i}`);
      return hs.length ? hs.join(', ') : 'nothing';
    };
    for (let t = 0; t < T; t++) lines.push(`${threadNames[t]} holds ${held(t)}`);
    if (cycle) {
      const self = cycle.length === 1;
      return {
        kind: self ? 'self-deadlock' : 'deadlock',
        summary: self
          ? `${threadNames[cycle[0]]} waits for ${waits.get(cycle[0])!.what}, which it holds itself`
          : `wait-for cycle: ${cycle.map((t) => `${threadNames[t]} waits for ${waits.get(t)!.what}`).join('; ')}`,
        details: lines,
        actors: cycle.map((t) => threadNames[t]),
      };
    }
    const sleepers = [...waits.entries()].filter(([, w]) => w.on?.kind === 'wakeup');
    if (sleepers.length > 0) {
      return {
        kind: 'lost wake-up',
        summary: `${sleepers.map(([t]) => threadNames[t]).join(' and ')} sleep${sleepers.length === 1 ? 's' : ''} on an entry wait queue that no remaining step will wake`,
        details: lines,
        actors: sleepers.map(([t]) => threadNames[t]),
      };
    }
    const leaked = [...waits.values()].some((w) => w.holders.some((u) => s[off.thread + u * tw + 1] !== Status.code.running));
    return {
      kind: leaked ? 'deadlock (lock leaked)' : 'deadlock',
      summary: leaked ? 'threads wait for a lock held by a thread that has returned' : 'no thread can take a step',
      details: lines,
      actors: [...waits.keys()].map((t) => threadNames[t]),
    };
  };

  // The lock-order view observes the search (an engine hook, not part of the spec contract).
  const observer: SearchObserver = {
    beforeExpand(id) {
      lockdep.stateId = id;
      const m = markN++ & 3;
      markId[m] = id;
      markAt[m] = lockdep.edges.length;
    },
    rewind(id, action) {
      // The search stopped after `action` of the expansion of `id` (it may have looked one
      // state ahead): drop the edges observed after that point, a suffix of the list, and
      // rebuild the rest in order so that their first examples stay the same.
      let from = -1;
      for (let j = 1; j <= Math.min(markN, 4); j++) {
        const m = (markN - j) & 3;
        if (markId[m] === id) {
          from = markAt[m];
          break;
        }
      }
      if (from < 0) return;
      const edges = lockdep.edges;
      let cut = from;
      while (cut < edges.length && edges[cut].stateId === id && edges[cut].action <= action) cut++;
      if (cut === edges.length) return;
      const fresh = new Lockdep(classNames);
      for (const e of edges.slice(0, cut)) {
        fresh.stateId = e.stateId;
        fresh.action = e.action;
        fresh.acquire(e.thread, e.to, e.toWrite, [e.from], [e.fromWrite ? 1 : 0], 1);
      }
      fresh.stateId = id;
      fresh.action = action;
      lockdep = fresh;
      k.lockdep = fresh;
    },
    save() {
      return lockdep.inOrderMade().map((e) => ({ ...e }));
    },
    unordered() {
      lockdep.least = true;
    },
    merge(saved, keep) {
      // Each edge's first example is where a one-thread BFS meets it first: the least
      // (state id, action); a stable sort keeps the order of edges made by one step.
      const all: LockEdge[] = [];
      for (const list of saved) for (const e of list as readonly LockEdge[]) if (keep(e.stateId)) all.push(e);
      all.push(...lockdep.edges);
      all.sort((a, b) => a.stateId - b.stateId || a.action - b.action);
      const fresh = new Lockdep(classNames);
      for (const e of all) {
        fresh.stateId = e.stateId;
        fresh.action = e.action;
        fresh.acquire(e.thread, e.to, e.toWrite, [e.from], [e.fromWrite ? 1 : 0], 1);
      }
      fresh.stateId = lockdep.stateId;
      fresh.action = lockdep.action;
      lockdep = fresh;
      k.lockdep = fresh;
    },
  };

  /** A wait-for cycle of two or more threads in `s`, one line per thread of it (for a property). */
  const waitFor = (s: State): string[] | undefined => {
    if (s[off.err] !== 0) return undefined;
    const { waits, cycle } = waitsOf(s, false, 2);
    return cycle?.map((t) => describeWait(s, t, waits.get(t)!));
  };
  const stepOf = (a: number): { thread: number; step: FlatStep } => ({ thread: actionThread[a], step: actionStep[a] });
  const made = properties.map((mk) => mk({ world, off, programs, stepOf, waitFor }));
  const liveness: LivenessProperty[] = made.filter(isLiveness);
  const stateProperties = made.filter((p): p is Property => !isLiveness(p));
  const returns = everyFaultReturns()({ world, off, programs, stepOf });
  if (world.threads.some((th) => !th.forever) && !liveness.some((p) => p.name === returns.name)) liveness.unshift(returns);

  /**
   * A liveness counterexample in kernel words. Stuttering where no step is enabled is a deadlock
   * (the same diagnosis as the deadlock check). On a cycle: a fault or syscall that takes steps
   * on it without returning is a livelock (its retry loop spins; the steps are named), and
   * threads that take no step there while others run are starved (what each waits for: a lock,
   * a wake-up on a wait queue).
   */
  const diagnoseCycle = (_property: string, states: readonly State[], acts: readonly number[]): Diagnosis | undefined => {
    const first = states[0];
    if (first[off.err] !== 0) return undefined;
    const running = (st: State, t: number): boolean => st[off.thread + t * tw + 1] === Status.code.running;
    const stepName = (a: number): string => {
      const st = actionStep[a];
      return `${st.chain[st.chain.length - 1] ?? ''}${st.chain.length > 0 ? ': ' : ''}${st.label}`;
    };
    if (acts.length === 0) {
      const d = diagnose(first);
      const enabled = [...Array(T).keys()].filter((t) => running(first, t) && probeBlocked(first, t) === undefined);
      if (enabled.length === 0 && d) {
        return { ...d, summary: `${d.summary}; no thread can take a step: a deadlock, not starvation (the deadlock check reports it too)` };
      }
      return {
        kind: 'stuttering',
        summary: `nothing happens for ever although ${enabled.map((t) => threadNames[t]).join(' and ')} could run: the fairness assumed does not cover ${enabled.length === 1 ? 'it' : 'them'}`,
        details: d?.details ?? [],
        actors: enabled.map((t) => threadNames[t]),
      };
    }
    const movers: number[] = [];
    for (const a of acts) if (!movers.includes(actionThread[a])) movers.push(actionThread[a]);
    const stuck = [...Array(T).keys()].filter((t) => running(first, t) && !movers.includes(t));
    const spinning = movers.filter((t) => !world.threads[t].forever && running(first, t));
    const details: string[] = [];
    const pcOf = (st: State, t: number): number => st[off.thread + t * tw];
    /** Per mover: the step that jumps back (its loop's retry) and where to, in words. */
    const loopOf = new Map<number, string>();
    for (const t of movers) {
      const steps: string[] = [];
      let back = '';
      acts.forEach((a, i) => {
        if (actionThread[a] !== t) return;
        if (!steps.includes(stepName(a))) steps.push(stepName(a));
        const after = states[(i + 1) % states.length];
        if (back === '' && running(after, t) && pcOf(after, t) <= pcOf(states[i], t)) {
          back = `${stepName(a)} goes back to ${stepName(actionBase[t] + pcOf(after, t))}`;
        }
      });
      loopOf.set(t, back);
      const n = acts.filter((a) => actionThread[a] === t).length;
      const role = world.threads[t].forever ? 'keeps running' : 'loops without returning';
      details.push(`${threadNames[t]} ${role}${back ? `: ${back}` : ''}, ${n} step${n === 1 ? '' : 's'} a round${steps.length <= 8 ? ` (${steps.join(', ')})` : ''}`);
    }
    const waitWords: string[] = [];
    for (const t of stuck) {
      const blockedIn = states.map((st) => probeBlocked(st, t));
      const on = blockedIn.find((b) => b !== undefined);
      const runnable = blockedIn.filter((b) => b === undefined).length;
      const st = programs[t][first[off.thread + t * tw]];
      const what = on ? holdersOf(first, on).what : 'nothing';
      const words =
        runnable === 0
          ? on?.kind === 'wakeup'
            ? `sleeps on ${what} that never comes`
            : `waits for ${what} in every state of the cycle`
          : `could run in ${runnable} of the ${states.length} states of the cycle but is never scheduled there`;
      waitWords.push(`${threadNames[t]} ${words}`);
      details.push(`${threadNames[t]} at ${st.chain.join(' > ')}: ${st.label} ${words}`);
    }
    for (let t = 0; t < T; t++) if (!running(first, t)) details.push(`${threadNames[t]} has ${first[off.thread + t * tw + 1] === Status.code.returned ? 'returned' : 'failed'}`);
    const moverNames = movers.map((t) => threadNames[t]).join(' and ');
    if (spinning.length > 0) {
      const loops = spinning.map((t) => `${threadNames[t]} retries for ever${loopOf.get(t) ? ` (${loopOf.get(t)})` : ''}`);
      const others = movers.filter((t) => !spinning.includes(t)).map((t) => threadNames[t]);
      return {
        kind: 'livelock',
        summary: `${loops.join('; ')} without returning${others.length > 0 ? `, while ${others.join(' and ')} ${others.length === 1 ? 'keeps' : 'keep'} running` : ''}${stuck.length > 0 ? `; ${waitWords.join('; ')}` : ''}`,
        details,
        actors: [...spinning, ...stuck].map((t) => threadNames[t]),
      };
    }
    return {
      kind: 'starvation',
      summary: `${waitWords.join('; ')}, while ${moverNames} ${movers.length === 1 ? 'keeps' : 'keep'} running`,
      details,
      actors: stuck.map((t) => threadNames[t]),
    };
  };

  const symmetry = threadSymmetry(world, off);
  const spec: Spec = {
    name,
    layout,
    init: [world.initialState(layout, off)],
    actions,
    properties: [...world.properties, ...stateProperties],
    liveness,
    diagnoseCycle,
    isTerminal,
    ...(symmetry ? { symmetry } : {}),
    mutants: mutantHost({ world, k, programs, actions, actionBase }),
    reduction(checked) {
      return threadLocalReduction(
        {
          off,
          programs,
          actionBase,
          properties: spec.properties,
          width: layout.width,
          runRecorded: (t, st, cur, next, lo, hi, skip) => {
            const saved = k.lockdep;
            k.lockdep = null;
            k.record(lo, hi, skip);
            try {
              const enabled = run(t, st, cur, next, null, true);
              return { enabled, outside: k.outside };
            } finally {
              k.stopRecording();
              k.lockdep = saved;
              k.probe = false;
            }
          },
        },
        checked,
      );
    },
    candidates(s, push) {
      if (s[off.err] !== 0) return;
      for (let t = 0; t < T; t++) {
        const b = off.thread + t * tw;
        if (s[b + 1] === Status.code.running) push(actionBase[t] + s[b]);
      }
    },
    diagnose,
    explainDeadlock(path) {
      // A lock leaked by a thread that returned: its return is the cause (noLockLeak says which).
      const last = path.states[path.states.length - 1];
      if (diagnose(last)?.kind !== 'deadlock (lock leaked)') return undefined;
      return noLockLeak({ world, off, programs, stepOf }).explain?.(path);
    },
    present: presentWorld({ world, off, programs }),
    explain(_property, s) {
      const lines: string[] = [];
      if (s[off.err] !== 0) {
        const t = s[off.errThread] - 1;
        lines.push(`${ErrKind.values[s[off.err]]} in ${threadNames[t] ?? '?'}`);
      }
      return lines;
    },
    notes(a, before, after) {
      const notes: StepNote[] = [];
      const t = actionThread[a];
      const st = actionStep[a];
      notes.push({ kind: 'call', text: [...st.chain, st.label].join(' > '), data: { thread: threadNames[t] } });
      const scratch = Float64Array.from(before);
      const saved = k.lockdep;
      k.lockdep = null;
      run(t, st, before, scratch, notes, false);
      k.lockdep = saved;
      void after;
      return notes;
    },
    analyses(pathTo) {
      const enabledAfter = (p: { init: number; actions: readonly number[] }, action: number): boolean => {
        // Replays the path on scratch vectors, with lockdep off (it must see only the search).
        const saved = k.lockdep;
        k.lockdep = null;
        try {
          let cur = Uint8Array.from(spec.init[p.init]);
          for (const a of p.actions) {
            const next = Uint8Array.from(cur);
            if (!run(actionThread[a], actionStep[a], cur, next, null, false)) return false;
            cur = next;
          }
          return action >= 0 && run(actionThread[action], actionStep[action], cur, Uint8Array.from(cur), null, false);
        } finally {
          k.lockdep = saved;
        }
      };
      return [lockdep.analysis(threadNames, (a) => (a >= 0 ? `${threadNames[actionThread[a]]}: ${actions[a].name}` : '?'), pathTo, documentedOrders, enabledAfter)];
    },
  };
  // Every state write goes through K.w, which logs it: the engine looks only at those slots. A
  // step sees only its successor (K binds `next`), so no action can write its input state.
  // K.w refuses a value that is not a byte, so the engine may run on the packed bytes.
  // The engine applies the steps through one function (one call site, one target), as apply() does.
  const applyAction = (a: number, cur: State, next: State): boolean => {
    lockdep.action = a;
    return run(actionThread[a], actionStep[a], cur, next, null, false);
  };
  withEngineHooks(spec, { writes: k.writes, observer, successorOnly: true, checksBytes: true, applyAction: { actions, apply: applyAction } });
  return { spec, programs, actionBase };
}

export { WAIT_WQ };
