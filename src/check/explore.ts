// The search: one loop for BFS (a FIFO frontier, shortest counterexamples) and DFS (a LIFO
// frontier), over a table of 64-bit fingerprints. Per successor, in TLC's order: constraint,
// canonicalise (symmetry / view), seen-table insert, domain check, properties, enqueue.
// A non-terminal state with no enabled action is a deadlock. The loop yields to the event loop
// every few milliseconds so that Ctrl-C, timeouts and progress are seen promptly.
import { SpecError, messageOf } from '../core/errors';
import { formatLabel, labelOf, type Spec } from '../core/spec';
import { collisionProbability, fingerprint } from './fingerprint';
import type { CheckListener, CheckResult, Discovery, LimitKind, Stats } from './result';
import { FingerprintTable } from './seen-table';
import { Frontier, StateStore } from './store';

export interface CheckOptions {
  readonly strategy?: 'bfs' | 'dfs';
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
  /** Stop when the process's resident memory passes this many bytes. */
  readonly maxMemoryBytes?: number;
  /** Report deadlocks (default true). */
  readonly deadlock?: boolean;
  /** Only these properties are checked (default: all). */
  readonly properties?: readonly string[];
  /** Stop at the first failing discovery (default) or keep going until every property has one. */
  readonly stopAt?: 'first' | 'all';
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Use the spec's canonical() (symmetry / view) when deduplicating (default true). */
  readonly canonical?: boolean;
  /** How many expansions to check for actions that write their input state (default 2000). */
  readonly contractChecks?: number;
}

const SLICE_MS = 25;

function now(): number {
  return performance.now();
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function check(spec: Spec, options: CheckOptions = {}, listener: CheckListener = {}): Promise<CheckResult> {
  const started = now();
  const width = spec.layout.width;
  const strategy = options.strategy ?? 'bfs';
  const checkDeadlock = options.deadlock ?? true;
  const stopAtFirst = (options.stopAt ?? 'first') === 'first';
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const deadline = options.timeoutMs !== undefined ? started + options.timeoutMs : Infinity;
  const maxMemory = options.maxMemoryBytes ?? Infinity;
  const progressEvery = options.progressIntervalMs ?? 1000;
  const contractChecks = options.contractChecks ?? 2000;
  const useCanonical = (options.canonical ?? true) && spec.canonical !== undefined;

  const selected = options.properties;
  if (selected) {
    for (const p of selected) {
      if (p !== 'deadlock' && !spec.properties.some((q) => q.name === p)) {
        throw new SpecError(`spec ${spec.name} has no property '${p}'`);
      }
    }
  }
  const props = spec.properties.filter((p) => !selected || selected.includes(p.name));
  const invariants = props.filter((p) => p.kind === 'always');
  const witnesses = props.filter((p) => p.kind === 'sometimes');
  const witnessed = new Array<boolean>(witnesses.length).fill(false);
  const violated = new Array<boolean>(invariants.length).fill(false);
  const deadlockWanted = checkDeadlock && (!selected || selected.includes('deadlock') || selected.length === 0);

  const actions = spec.actions;
  const nActions = actions.length;
  const table = new FingerprintTable();
  // Roots keep their initial-state index in the action slot, so size it for both.
  const store = new StateStore(Math.max(nActions, spec.init.length));
  const frontier = new Frontier(width, strategy === 'dfs');
  const covGen = new Uint32Array(nActions);
  const covNew = new Uint32Array(nActions);
  const discoveries: Discovery[] = [];
  let failure: Discovery | undefined;

  const cur = new Uint8Array(width);
  const next = new Uint8Array(width);
  const canon = new Uint8Array(width);
  const nextWords = new Int32Array(next.buffer);
  const canonWords = new Int32Array(canon.buffer);
  const fp = new Uint32Array(2);
  const depthOut = new Int32Array(1);
  const before = new Uint8Array(width);

  let generated = 0;
  let maxLevel = 0;
  let limit: { kind: LimitKind; detail: string } | undefined;
  let depthCut = false;
  let expansions = 0;

  const record = (d: Discovery): void => {
    discoveries.push(d);
    listener.onDiscovery?.(d);
    if (d.kind !== 'witness' && !failure) failure = d;
  };

  const fingerprintOf = (state: Uint8Array, words: Int32Array): void => {
    if (useCanonical) {
      spec.canonical!(state, canon);
      fingerprint(canonWords, fp);
    } else {
      fingerprint(words, fp);
    }
  };

  /** Checks a new state; returns true if the search should stop. */
  const checkState = (state: Uint8Array, id: number): boolean => {
    const bad = spec.layout.firstInvalidSlot(state);
    if (bad >= 0) {
      const path = store.pathTo(id);
      const how = path.actions.length === 0 ? `initial state ${path.init}` : `action ${formatLabel(labelOf(spec, path.actions[path.actions.length - 1]))}`;
      throw new SpecError(`${how} wrote a value outside its domain: ${spec.layout.describeSlotValue(bad, state[bad])}`);
    }
    for (let i = 0; i < invariants.length; i++) {
      if (violated[i]) continue;
      if (!invariants[i].holds(state)) {
        violated[i] = true;
        record({ property: invariants[i].name, kind: 'invariant', path: store.pathTo(id) });
        if (stopAtFirst) return true;
      }
    }
    for (let i = 0; i < witnesses.length; i++) {
      if (witnessed[i]) continue;
      if (witnesses[i].holds(state)) {
        witnessed[i] = true;
        record({ property: witnesses[i].name, kind: 'witness', path: store.pathTo(id) });
      }
    }
    return false;
  };

  // With nothing that can fail, "every failure found" must not end the search early.
  const allFailuresFound = (): boolean =>
    (invariants.length > 0 || deadlockWanted) &&
    violated.every(Boolean) && (!deadlockWanted || discoveries.some((d) => d.kind === 'deadlock'));

  const stats = (): Stats => ({
    distinct: table.size,
    generated,
    depth: maxLevel,
    queued: frontier.size,
    elapsedMs: now() - started,
    collisionProbability: collisionProbability(table.size, generated),
    storeBytes: table.bytes + store.bytes,
  });

  const finish = (error?: string): CheckResult => {
    const unwitnessed = witnesses.filter((_, i) => !witnessed[i]).map((w) => w.name);
    const verdict = error !== undefined ? 'error' : failure ? 'fail' : limit ? 'incomplete' : 'pass';
    return {
      verdict,
      ...(failure ? { failure } : {}),
      discoveries,
      unwitnessed,
      stats: stats(),
      coverage: { generated: covGen, distinct: covNew },
      ...(limit ? { limit } : {}),
      ...(error !== undefined ? { error } : {}),
      strategy,
      analyses: error === undefined && spec.analyses ? spec.analyses((id) => store.pathTo(id)) : [],
    };
  };

  const describeState = (state: Uint8Array): string => {
    try {
      return JSON.stringify(spec.layout.decode(state).toJS()).slice(0, 400);
    } catch {
      return '<undecodable>';
    }
  };

  // Candidate dispatch: the spec may narrow which actions to try in a state.
  const cand = new Int32Array(Math.max(1, nActions));
  let candN = 0;
  const pushCand = (a: number): void => {
    cand[candN++] = a;
  };

  let stopped = false;
  if (options.signal?.aborted) {
    limit = { kind: 'interrupted', detail: 'interrupted' };
    stopped = true;
  }
  try {
    // Initial states.
    for (let k = 0; k < spec.init.length && !stopped; k++) {
      const s = spec.init[k];
      if (s.length !== width) throw new SpecError(`initial state ${k} has ${s.length} bytes, the layout ${width}`);
      generated++;
      next.set(s);
      if (spec.constraint && !spec.constraint(next)) continue;
      fingerprintOf(next, nextWords);
      if (!table.insert(fp[0], fp[1])) continue;
      const id = store.add(-1, k);
      maxLevel = 1;
      if (checkState(next, id)) stopped = true;
      frontier.push(next, id, 1);
    }

    let lastYield = now();
    let lastProgress = lastYield;
    while (!stopped && frontier.size > 0) {
      const id = frontier.pop(cur, depthOut);
      const depth = depthOut[0];
      if (depth > maxLevel) maxLevel = depth;
      spec.observe?.beforeExpand(id);
      const atDepthLimit = depth >= maxDepth;
      const checkContract = expansions < contractChecks;
      if (checkContract) before.set(cur);
      expansions++;

      candN = 0;
      if (spec.candidates) spec.candidates(cur, pushCand);
      else for (let a = 0; a < nActions; a++) cand[candN++] = a;

      let enabled = false;
      for (let c = 0; c < candN; c++) {
        const a = cand[c];
        next.set(cur);
        let ok: boolean;
        try {
          ok = actions[a].apply(cur, next);
        } catch (e) {
          if (e instanceof SpecError) throw e;
          throw new SpecError(
            `action ${formatLabel(labelOf(spec, a))} threw: ${messageOf(e)}; in state ${describeState(cur)}`,
          );
        }
        if (checkContract) {
          for (let i = 0; i < width; i++) {
            if (cur[i] !== before[i]) {
              throw new SpecError(
                `action ${formatLabel(labelOf(spec, a))} changed its input state (${spec.layout.slots[i]?.path ?? `byte ${i}`}); actions must write only the successor`,
              );
            }
          }
        }
        if (!ok) continue;
        enabled = true;
        generated++;
        covGen[a]++;
        if (spec.constraint && !spec.constraint(next)) continue;
        fingerprintOf(next, nextWords);
        if (atDepthLimit) {
          if (!table.has(fp[0], fp[1])) depthCut = true;
          continue;
        }
        if (!table.insert(fp[0], fp[1])) continue;
        covNew[a]++;
        const nid = store.add(id, a);
        if (depth + 1 > maxLevel) maxLevel = depth + 1;
        if (checkState(next, nid)) {
          stopped = true;
          break;
        }
        frontier.push(next, nid, depth + 1);
      }
      if (stopped) break;
      if (!enabled && deadlockWanted && !(spec.isTerminal?.(cur) ?? false)) {
        if (!discoveries.some((d) => d.kind === 'deadlock')) {
          record({ property: 'deadlock', kind: 'deadlock', path: store.pathTo(id) });
          if (stopAtFirst) break;
        }
      }
      if (!stopAtFirst && allFailuresFound()) break;
      if (table.size >= maxStates) {
        if (frontier.size > 0) limit = { kind: 'states', detail: `reached --max-states ${maxStates}` };
        break;
      }

      if ((expansions & 255) === 0) {
        const t = now();
        if (t - lastYield >= SLICE_MS) {
          if (t >= deadline) {
            limit = { kind: 'time', detail: `reached the time limit of ${Math.round((options.timeoutMs ?? 0) / 1000)} s` };
            break;
          }
          if (maxMemory !== Infinity && process.memoryUsage.rss() > maxMemory) {
            limit = { kind: 'memory', detail: `resident memory passed ${Math.round(maxMemory / 2 ** 20)} MiB` };
            break;
          }
          if (t - lastProgress >= progressEvery) {
            lastProgress = t;
            listener.onProgress?.({ distinct: table.size, generated, depth: maxLevel, queued: frontier.size, elapsedMs: t - started });
          }
          await yieldToEventLoop();
          lastYield = now();
          if (options.signal?.aborted) {
            limit = { kind: 'interrupted', detail: 'interrupted' };
            break;
          }
        }
      }
    }
    if (!limit && depthCut && !failure) limit = { kind: 'depth', detail: `reached --max-depth ${maxDepth}` };
    listener.onProgress?.({ distinct: table.size, generated, depth: maxLevel, queued: frontier.size, elapsedMs: now() - started });
    return finish();
  } catch (e) {
    if (e instanceof SpecError) return finish(e.message);
    throw e;
  }
}
