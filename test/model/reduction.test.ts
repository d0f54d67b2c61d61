// Partial-order reduction (--por): the engine's conditions C0 and C3 on a hand-made ample
// function that would otherwise ignore a thread for ever; the model's assumptions checked on
// every reachable state of DAX configurations (no step touches another thread's private bytes;
// each property reads no more of the thread blocks than it declares); every non-slow claim
// keeps its verdict; pinned reduced counts; and the CLI.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { defineLayout, intRange } from '../../src/core/layout';
import type { Spec } from '../../src/core/spec';
import { FootprintCache, type ModelProperty } from '../../src/model/reduction';
import { buildSpec } from '../../src/run';
import { safetyClaims } from '../../specs/dax/claims';
import { LOCK_ORDER } from '../../src/report/claim';
import { builtinSpecs } from '../../specs/index';
import { daxmc } from '../cli/helpers';
import { reachable } from '../fixtures/reachable';

const specOf = (id: string, config: string): Spec => buildSpec(builtinSpecs.find((d) => d.id === id)!, config).spec;

/**
 * Thread A spins in a local loop (a: 0 -> 1 -> 0 ...); thread B's one step sets b, which the
 * invariant forbids. The ample function always offers A's step alone: only the cycle proviso
 * (C3) makes the search expand B somewhere on A's cycle.
 */
function spinner(ampleAlways: boolean): Spec {
  const layout = defineLayout({ a: intRange(0, 1), b: intRange(0, 1) });
  const { a: A, b: B } = layout.at;
  return {
    name: 'spinner',
    layout,
    init: [layout.encode({ a: 0, b: 0 })],
    actions: [
      {
        name: 'spin',
        actor: 'A',
        apply(s, t) {
          t[A] = 1 - s[A];
          return true;
        },
      },
      {
        name: 'set b',
        actor: 'B',
        apply(s, t) {
          if (s[B] !== 0) return false;
          t[B] = 1;
          return true;
        },
      },
    ],
    properties: [{ name: 'b stays 0', kind: 'always', holds: (s) => s[B] === 0 }],
    reduction: () =>
      ampleAlways
        ? (_s, push) => {
            push(0);
            return true;
          }
        : undefined,
  };
}

describe('the engine side: C0 and C3', () => {
  it('the cycle proviso expands a state of a local cycle in full, so B is not ignored', async () => {
    const r = await check(spinner(true), { por: true });
    expect(r.verdict).toBe('fail');
    expect(r.failure?.property).toBe('b stays 0');
    // State (0,0): A's step leads to the new (1,0): ample. (1,0): A's step leads back to (0,0),
    // seen: full expansion, which runs B.
    expect(r.reduction).toEqual({ available: true, ample: 1, tried: 2 });
    expect(r.failure?.path.actions).toEqual([0, 1]);
  });

  it('a successor seen but not yet expanded does not void the ample set', async () => {
    // Two initial states, (0,0) and (1,0). At (0,0) the ample set {spin} leads to (1,0), which
    // is queued but not expanded: the set stands, and (0,1) is never built.
    const base = spinner(false);
    const layout = base.layout;
    const spec: Spec = {
      ...base,
      init: [layout.encode({ a: 0, b: 0 }), layout.encode({ a: 1, b: 0 })],
      actions: [{ ...base.actions[0], apply: (s, t) => s[0] === 0 && ((t[0] = 1), true) }, base.actions[1]],
      reduction: () => (s, push) => s[0] === 0 && (push(0), true),
    };
    const r = await check(spec, { por: true, properties: [], deadlock: false });
    expect(r.stats.distinct).toBe(3);
    expect(r.reduction).toEqual({ available: true, ample: 1, tried: 1 });
    expect((await check(spec, { properties: [], deadlock: false })).stats.distinct).toBe(4);
  });

  it('without --por the ample function is never asked; a spec without one searches in full', async () => {
    const plain = await check(spinner(true));
    expect(plain.reduction).toBeUndefined();
    expect(plain.failure?.path.actions).toEqual([1]);
    const none = await check(spinner(false), { por: true });
    expect(none.reduction).toEqual({ available: false, ample: 0, tried: 0 });
    expect(none.failure?.path.actions).toEqual([1]);
  });

  it('an ample subset with nothing enabled falls back to every candidate (C0)', async () => {
    const spec = spinner(false);
    const r = await check({ ...spec, reduction: () => (_s, push) => (push(1), true) }, { por: true, properties: [] , deadlock: false });
    // Offering only "set b" (not a sound ample set: it skips A's states (1,0), which is what
    // shows that it was used): enabled at (0,0), so ample; disabled at (0,1) and (1,1), so
    // those are expanded in full.
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(3);
    expect(r.reduction).toEqual({ available: true, ample: 1, tried: 3 });
  });
});

/** A view of `s` that records which bytes are read. */
function recording(s: Float64Array, reads: Set<number>): Float64Array {
  return new Proxy(s, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^[0-9]+$/.test(prop)) {
        reads.add(Number(prop));
        return target[Number(prop)];
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** The byte ranges of the thread blocks, from the layout's slot paths ("threads[T1].pc"...). */
function threadBytes(spec: Spec): { owner: Map<number, string>; field: Map<number, string> } {
  const owner = new Map<number, string>();
  const field = new Map<number, string>();
  spec.layout.slots.forEach((slot, i) => {
    const m = /^threads\[([^\]]+)\]\.(.+)$/.exec(slot.path);
    if (m) {
      owner.set(i, m[1]);
      field.set(i, m[2]);
    }
  });
  return { owner, field };
}

describe("the model's assumptions, on every reachable state", () => {
  const configs: [string, string][] = [
    ['v4.2', 'truncate-3t2i'],
    ['i-mmap/all', 'two-writers'],
    ['dax-sem', 'cow-truncate-3t2i'],
    ['entry-lock/v4.7', 'two-reads-one-write'],
    ['entry-lock/fix', 'e3-truncate'],
  ];
  for (const [id, config] of configs) {
    it(`${id} ${config}: no step writes another thread's pc, status, time flag or locals`, () => {
      const spec = specOf(id, config);
      const { owner, field } = threadBytes(spec);
      expect(owner.size).toBeGreaterThan(0);
      const states = [...reachable(spec).values()];
      for (const s of states) {
        const cands: number[] = [];
        spec.candidates!(s, (a) => cands.push(a));
        for (const a of cands) {
          const t = s.slice();
          if (!spec.actions[a].apply(s, t)) continue;
          for (let i = 0; i < t.length; i++) {
            if (t[i] === s[i] || !owner.has(i) || field.get(i) === 'waitOn') continue;
            expect(owner.get(i), `${spec.actions[a].actor}: ${spec.actions[a].name} wrote ${spec.layout.slots[i].path}`).toBe(spec.actions[a].actor);
          }
        }
      }
    });

    it(`${id} ${config}: each property reads no more of the thread blocks than it declares`, () => {
      const spec = specOf(id, config);
      const { field } = threadBytes(spec);
      const states = [...reachable(spec).values()];
      for (const p of spec.properties as ModelProperty[]) {
        if (p.threadBytes === undefined) continue;
        const reads = new Set<number>();
        for (const s of states) p.holds(recording(s, reads));
        for (const i of reads) {
          const f = field.get(i);
          if (f === undefined) continue;
          expect(p.threadBytes === 'status' && f === 'status', `${p.name} reads ${spec.layout.slots[i].path}`).toBe(true);
        }
      }
    });
  }
});

describe('every non-slow claim with --por', () => {
  // A lock-order claim reads every lock acquisition's interleaving, which the reduction may leave
  // out: `check --lock-order --por` is refused, so those claims are not run reduced.
  for (const claim of safetyClaims.filter((c) => !c.slow && c.property !== LOCK_ORDER)) {
    it(`${claim.id}: ${claim.expect}`, async () => {
      const deadlock = claim.property === 'deadlock';
      const spec = specOf(claim.spec, claim.config);
      const witnesses = claim.expect === 'holds' ? spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name) : [];
      const r = await check(spec, { properties: [deadlock ? 'deadlock' : claim.property, ...witnesses], deadlock, por: true });
      expect(r.unwitnessed).toEqual([]);
      if (claim.expect === 'found') {
        expect(r.verdict).toBe('fail');
        expect(r.failure?.property).toBe(claim.property);
      } else {
        expect(r.verdict).toBe('pass');
        expect(r.stats.distinct).toBeLessThanOrEqual(claim.distinct);
      }
    });
  }
});

describe('every non-slow claim with --por and --symmetry together', () => {
  // A lock-order claim reads every lock acquisition's interleaving, which the reduction may leave
  // out: `check --lock-order --por` is refused, so those claims are not run reduced.
  for (const claim of safetyClaims.filter((c) => !c.slow && c.property !== LOCK_ORDER)) {
    it(`${claim.id}: ${claim.expect}`, async () => {
      const deadlock = claim.property === 'deadlock';
      const spec = specOf(claim.spec, claim.config);
      const witnesses = claim.expect === 'holds' ? spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name) : [];
      const r = await check(spec, { properties: [deadlock ? 'deadlock' : claim.property, ...witnesses], deadlock, por: true, symmetry: true });
      expect(r.unwitnessed).toEqual([]);
      expect(r.verdict).toBe(claim.expect === 'found' ? 'fail' : 'pass');
      if (claim.expect === 'found') expect(r.failure?.property).toBe(claim.property);
    });
  }
});

describe('pinned reductions', () => {
  it('the reduced counts of three "holds" checks', async () => {
    const cases: [string, string, string, number, number][] = [
      ['v4.2', 'truncate-3t2i', 'no PTE maps a freed block', 31_052, 20_962],
      ['entry-lock/fix', 'four-reads', 'deadlock', 28_632, 19_128],
      ['dax-sem', 'truncate-3t2i', 'no PTE maps a freed block', 78_664, 72_408],
    ];
    for (const [id, config, property, full, reduced] of cases) {
      const spec = specOf(id, config);
      const witnesses = spec.properties.filter((p) => p.kind === 'sometimes').map((p) => p.name);
      const deadlock = property === 'deadlock';
      const options = { properties: [property, ...witnesses], deadlock };
      expect((await check(spec, options)).stats.distinct, `${id} ${config}`).toBe(full);
      const r = await check(specOf(id, config), { ...options, por: true });
      expect(r.verdict).toBe('pass');
      expect(r.stats.distinct, `${id} ${config} reduced`).toBe(reduced);
    }
  });
});

describe('the seen set under --por', () => {
  it('gives the same reduction whether the proviso ids are the seen set or kept beside it', async () => {
    const options = { properties: ['deadlock'], deadlock: true, por: true };
    const run = (extra: object) => check(specOf('entry-lock/fix', 'four-reads'), { ...options, ...extra });
    // Default: the id table is the seen set. Spilling and narrowed tables keep it apart.
    const merged = await run({});
    expect(merged.stats.distinct).toBe(19_128);
    const separate = [await run({ spill: { memoryEntries: 4096 } }), await run({ fingerprintBits: 63 })];
    for (const r of separate) {
      expect(r.verdict).toBe('pass');
      expect(r.stats.distinct).toBe(19_128);
      expect(r.stats.generated).toBe(merged.stats.generated);
      expect(r.reduction).toEqual(merged.reduction);
    }
    // One table instead of two: fewer bytes than the seen table and the ids side by side.
    expect(merged.stats.storeBytes).toBeLessThan(separate[1].stats.storeBytes);
  });
});

describe('daxmc check --por', () => {
  it('prints the reduction figures and the qualified verdict', async () => {
    const r = await daxmc(['check', 'dax-sem', '--config', 'two-writers', '--por', '--property', 'no store is lost']);
    expect(r.code).toBe(12);
    expect(r.out.split('\n')[0]).toBe('FAIL  invariant "no store is lost" violated after 50 steps (BFS with partial-order reduction: shortest in the reduced graph)');
    expect(r.out).toMatch(/^ {2}reduction {3}partial-order: [0-9,]+ states expanded by one thread-private step, [0-9,]+ more fully by the cycle proviso$/m);
  });

  it('says when nothing can be reduced, combines with --symmetry, and refuses --workers', async () => {
    const r = await daxmc(['check', 'two-phase', '--por']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('daxmc: spec two-phase, configuration rm3 offers no partial-order reduction for the checked properties');
    expect(r.out).toContain('  reduction   partial-order: none');
    const s = await daxmc(['check', 'entry-lock/fix', '--config', 'four-reads', '--por', '--symmetry', '--property', 'deadlock']);
    expect(s.code).toBe(0);
    expect(s.out.split('\n')[0]).toBe('PASS  no deadlock over 1,128 distinct states');
    const w = await daxmc(['check', 'two-phase', '--por', '--workers', '2']);
    expect(w.code).toBe(2);
    expect(w.err).toBe("daxmc: --por needs to know, for each successor, whether it has been expanded already (the cycle proviso), which the parallel search's workers do not know while a level is being expanded: drop --workers or --por\n");
  });
});

describe('the footprint cache', () => {
  it('keys a thread block by its bytes without the wait marker, across growth', () => {
    const width = 7;
    const skip = 2;
    const cache = new FootprintCache(width, skip);
    const state = new Uint8Array(5 + width);
    const b = 5;
    const keyOf = (n: number): void => {
      for (let i = 0, j = 0; i < width; i++) state[b + i] = i === skip ? 0 : (n >> (3 * j++)) & 7;
    };
    // 2,000 different blocks (the cache starts at 64 slots), each classified 0, 1 or 2.
    for (let n = 0; n < 2000; n++) {
      keyOf(n * 7);
      expect(cache.get(state, b)).toBe(-1);
      cache.set(state, b, n % 3);
    }
    for (let n = 0; n < 2000; n++) {
      keyOf(n * 7);
      state[b + skip] = n & 255; // the wait marker is not part of the key
      state[b - 1] = n & 255; // nor is anything outside the block
      expect(cache.get(state, b)).toBe(n % 3);
    }
    keyOf(3);
    expect(cache.get(state, b)).toBe(-1);
  });
});
