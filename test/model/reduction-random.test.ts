// Partial-order reduction on 150 generated worlds: 2 or 3 threads whose code paths are random
// mixes of lock operations (mutexes and an rwsem, so deadlocks, self-deadlocks and lock misuse
// all occur), thread-private steps (counter updates, waits and loops on a local) and
// returns. For each, --por must give the plain search's verdict (a failure the plain search
// also finds; or a pass, with the same unwitnessed witnesses and never more states), and with
// --all the same set of failures and witnesses.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { Prng } from '../../src/check/prng';
import type { Spec } from '../../src/core/spec';
import { compile } from '../../src/model/compile';
import type { K } from '../../src/model/kernel';
import { NEXT, fn, step, type Control, type FnDef } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import { World } from '../../src/model/world';

/** With `shared`, every thread runs one path (built once), so the threads are interchangeable. */
function randomWorld(seed: number, shared = false): Spec {
  const rng = new Prng(seed);
  const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
  const locks = [w.mutex('A'), w.mutex('B'), w.rwsem('S')];
  const x = w.local('x', 'int', 3);
  const threads = 2 + rng.below(2);
  let sharedPath: FnDef | undefined;
  for (let t = 0; t < threads; t++) {
    if (sharedPath) {
      w.thread(`T${t + 1}`, { process: 'P1', path: sharedPath });
      continue;
    }
    const n = 3 + rng.below(5);
    const steps: ReturnType<typeof step>[] = [];
    // Mostly well-nested acquire/release (so runs can pass), with rare misuse and leaks.
    const held: { l: (typeof locks)[number]; read: boolean }[] = [];
    let i = 0;
    const add = (run: (k: K) => Control): void => {
      steps.push(step(`s${i}`, run));
      i++;
    };
    while (i < n) {
      const kind = rng.below(10);
      if (kind <= 2) {
        const free = locks.filter((l) => !held.some((h) => h.l === l));
        const l = free.length > 0 ? free[rng.below(free.length)] : locks[rng.below(locks.length)];
        const read = l.kind === 'rwsem' && rng.below(2) === 0;
        held.push({ l, read });
        add((k) => (l.kind === 'rwsem' ? (read ? k.downRead(l) : k.downWrite(l)) : k.lock(l)));
      } else if (kind <= 4 && held.length > 0) {
        const { l, read } = held.splice(rng.below(held.length), 1)[0];
        const wrong = rng.below(12) === 0;
        add((k) => (l.kind === 'rwsem' ? (read !== wrong ? k.upRead(l) : k.upWrite(l)) : k.unlock(l)));
      } else if (kind <= 6) {
        const d = 1 + rng.below(2);
        add((k) => {
          k.set(x, (k.get(x) + d) % 4);
          return NEXT;
        });
      } else if (kind === 7 && i > 0 && held.length === 0) {
        // A loop on the local: back to an earlier step while x is odd.
        const back = `s${rng.below(i)}`;
        add((k) => (k.get(x) % 2 === 1 ? (k.set(x, (k.get(x) + 1) % 4), k.goto(back)) : NEXT));
      } else if (kind === 8) {
        const v = rng.below(4);
        add((k) => k.waitUntil(k.get(x) !== v, `x != ${v}`));
      } else add((k) => (held.length === 0 && k.get(x) === 3 ? k.exit() : NEXT));
    }
    while (held.length > 0) {
      const { l, read } = held.pop()!;
      if (rng.below(10) === 0) continue; // a leaked lock
      add((k) => (l.kind === 'rwsem' ? (read ? k.upRead(l) : k.upWrite(l)) : k.unlock(l)));
    }
    const path = fn(`path${t + 1}`, steps);
    if (shared) sharedPath = path;
    w.thread(`T${t + 1}`, { process: 'P1', path });
  }
  const props = [P.noLockMisuse, P.noLockLeak, ...Array.from({ length: threads }, (_, t) => P.completes(t))];
  return compile(w, `random-${seed}`, props).spec;
}

const SEEDS = Array.from({ length: 150 }, (_, i) => 500 + i * 104_729);

describe('--por on 150 random worlds', () => {
  it('gives the plain verdict every time, never more states, and reduces often', async () => {
    let reduced = 0;
    let failures = 0;
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      // --por keeps safety verdicts; liveness (a random world may livelock) is compared elsewhere.
      const plain = await check(randomWorld(seed), { liveness: false });
      const por = await check(randomWorld(seed), { por: true });
      const where = `seed ${seed}`;
      expect(por.verdict, where).toBe(plain.verdict);
      if (por.failure) {
        // Which failure a search meets first depends on its order; it must be a real one.
        const all = await check(randomWorld(seed), { stopAt: 'all', liveness: false });
        expect(all.discoveries.map((d) => `${d.kind}:${d.property}`), where).toContain(`${por.failure.kind}:${por.failure.property}`);
      }
      if (plain.verdict === 'pass') {
        // (A run stopped by a failure has met the witnesses its order met so far.)
        expect(por.unwitnessed, where).toEqual(plain.unwitnessed);
        expect(por.stats.distinct, where).toBeLessThanOrEqual(plain.stats.distinct);
      }
      if (por.stats.distinct < plain.stats.distinct) reduced++;
      if (plain.failure) {
        failures++;
        kinds.add(`${plain.failure.kind}:${plain.failure.property}`);
      }
    }
    // The generator is not degenerate: failures of several kinds, passes, and real reductions.
    expect(failures).toBeGreaterThan(20);
    expect(failures).toBeLessThan(130);
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    expect(reduced).toBeGreaterThan(100);
  });

  it('with every failure searched for (--all), finds the same failures and witnesses', async () => {
    for (const seed of SEEDS) {
      const plain = await check(randomWorld(seed), { stopAt: 'all', liveness: false });
      const por = await check(randomWorld(seed), { stopAt: 'all', por: true });
      const found = (r: typeof plain) => r.discoveries.map((d) => `${d.kind}:${d.property}`).sort();
      expect(found(por), `seed ${seed}`).toEqual(found(plain));
    }
  });

  it('with interchangeable threads, --por and --symmetry together give the plain verdict', async () => {
    let symmetric = 0;
    let reduced = 0;
    for (const seed of SEEDS) {
      const plain = await check(randomWorld(seed, true), { stopAt: 'all', liveness: false });
      const spec = randomWorld(seed, true);
      if (spec.symmetry) symmetric++;
      const both = await check(spec, { por: true, symmetry: true });
      const where = `seed ${seed}`;
      expect(both.verdict, where).toBe(plain.verdict);
      if (both.failure) expect(plain.discoveries.map((d) => `${d.kind}:${d.property}`), where).toContain(`${both.failure.kind}:${both.failure.property}`);
      const all = await check(randomWorld(seed, true), { stopAt: 'all', por: true, symmetry: true });
      const failures = (r: typeof plain) => [...new Set(r.discoveries.filter((d) => d.kind !== 'witness').map((d) => `${d.kind}:${d.property}`))].sort();
      expect(failures(all), where).toEqual(failures(plain));
      if (all.stats.distinct < plain.stats.distinct) reduced++;
    }
    expect(symmetric).toBe(SEEDS.length);
    expect(reduced).toBeGreaterThan(100);
  });
});
