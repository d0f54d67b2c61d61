// A compiled world's states in kernel words (Spec.present) on a tiny world, fact by fact; the
// text trace and --diff built from them; and each library property's explanation of a real
// counterexample, with the step that caused it.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { compile } from '../../src/model/compile';
import { fn, step } from '../../src/model/paths';
import * as P from '../../src/model/properties';
import { World } from '../../src/model/world';
import { renderTraceText } from '../../src/render/text';
import { run } from '../../src/run';
import { replay, type Trace } from '../../src/trace/trace';
import { builtinSpecs } from '../../specs/index';

/** One thread takes a mutex and an rwsem for read, inserts a hole page, stores, and returns holding the mutex. */
function tiny() {
  const w = new World({ indices: 1, blocks: 1, processes: ['P1'], iSize: 1 });
  const M = w.mutex('M');
  const S = w.rwsem('S');
  const page = w.local('page', 'page');
  const ret = w.local('ret', 'int', 2, { values: ['0', 'LOCKED', 'SIGBUS'] });
  const mark = w.local('mark', 'bool', 1, { ghost: true });
  w.thread('T1', {
    process: 'P1',
    path: fn('f', [
      step('mutex_lock(M)', (k) => k.lock(M)),
      step('down_read(S)', (k) => k.downRead(S)),
      step('insert', (k) => {
        k.set(page, k.addHolePage(0));
        k.set(ret, 1);
        k.set(mark, 1);
      }),
      step('allocate', (k) => void k.allocBlock(0, 'zeroed')),
      step('map', (k) => k.insertPfn(0, k.blockAt(0), true)),
      step('store', (k) => k.userStore(0)),
      step('up_read(S)', (k) => k.upRead(S)),
    ]),
  });
  return compile(w, 'tiny', [P.noLockLeak]);
}

function traceOf(c: ReturnType<typeof tiny>, actions: number[]): Trace {
  return replay(c.spec, { init: 0, actions }, { specId: 'tiny', config: 'one' });
}

describe('a world state in kernel words', () => {
  it('lists each fact once, in order: threads, file, index, blocks, hole pages, ghosts', () => {
    const c = tiny();
    const t = traceOf(c, [0, 1, 2, 3, 4, 5]);
    const facts = (k: number) => t.steps[k].words!.fields.map((f) => `${f.ghost ? '(ghost) ' : ''}${f.label} = ${f.text}`);
    expect(facts(0)).toEqual(['T1 = at f: mutex_lock(M)', 'T1 holds = nothing', 'i_size = 1 page', 'index 0 = hole', 'index 0 radix slot = empty', 'index 0 PTE = none', 'B1 = free']);
    expect(facts(6)).toEqual([
      'T1 = at f: up_read(S)',
      'T1 holds = M, S (read), page lock of H1',
      'T1 locals = page = H1, ret = LOCKED',
      '(ghost) T1 ghosts = mark',
      'i_size = 1 page',
      'index 0 = B1, written',
      'index 0 radix slot = hole page H1',
      'index 0 PTE = B1, writable',
      "(ghost) index 0 last user store = T1's data",
      "B1 = allocated, T1's data",
      'H1 = in the page cache at index 0, locked by T1',
      '(ghost) a PTE was made writable before file_update_time = yes',
    ]);
    expect(t.steps[0].words!.groups.map((g) => [g.name, g.thread, g.about ?? ''])).toEqual([
      ['T1', true, 'process P1, index 0, runs f'],
      ['file', false, ''],
      ['index 0', false, ''],
      ['blocks', false, ''],
      ['hole pages', false, ''],
      ['ghosts', false, 'bookkeeping the properties read, not kernel state'],
    ]);
  });

  it('a thread that returns keeps only what it still holds; its locals are gone', () => {
    const c = tiny();
    const t = traceOf(c, [0, 1, 2, 3, 4, 5, 6]);
    const last = t.steps[7].words!.fields.filter((f) => f.group === 'T1').map((f) => `${f.label} = ${f.text}`);
    expect(last).toEqual(['T1 = returned', 'T1 holds = M, page lock of H1']);
  });

  it('--diff prints only the facts that changed, and those gone as (none)', () => {
    const c = tiny();
    const t = traceOf(c, [0, 1, 2, 3, 4, 5, 6]);
    expect(renderTraceText(t, { diff: true }).split('\n\n').slice(3).join('\n\n')).toBe(
      [
        'State 3: T1: f: insert\n' +
          '  \\* page: hole page H1 inserted at index 0, locked\n' +
          '  \\* acquire: page lock of H1\n' +
          '* /\\ T1 = at f: allocate\n' +
          '* /\\ T1 holds = M, S (read), page lock of H1\n' +
          '* /\\ T1 locals = page = H1, ret = LOCKED\n' +
          '* /\\ T1 ghosts (ghost) = mark\n' +
          '* /\\ index 0 radix slot = hole page H1\n' +
          '* /\\ H1 = in the page cache at index 0, locked by T1',
        'State 4: T1: f: allocate\n  \\* block: allocates B1 for index 0 (zeroed)\n* /\\ T1 = at f: map\n* /\\ index 0 = B1, written\n* /\\ B1 = allocated, zeroes',
        'State 5: T1: f: map\n  \\* map: P1: PTE 0 -> B1 RW\n* /\\ T1 = at f: store\n* /\\ index 0 PTE = B1, writable\n* /\\ a PTE was made writable before file_update_time (ghost) = yes',
        "State 6: T1: f: store\n  \\* store: stores T1's data through PTE 0 into B1\n* /\\ T1 = at f: up_read(S)\n* /\\ index 0 last user store (ghost) = T1's data\n* /\\ B1 = allocated, T1's data",
        'State 7: T1: f: up_read(S)\n' +
          '  \\* release: S (read)\n' +
          '  \\* return: T1 returns\n' +
          '* /\\ T1 = returned\n' +
          '* /\\ T1 holds = M, page lock of H1\n' +
          '* /\\ T1 locals = (none)\n' +
          '* /\\ T1 ghosts (ghost) = (none)\n',
      ].join('\n\n'),
    );
  });

  it('an engine-contract spec has no words: its traces keep the decoded variables', () => {
    const def = builtinSpecs.find((d) => d.id === 'die-hard')!;
    const spec = def.build(def.configs.goal.params, 'goal');
    expect(spec.present).toBeUndefined();
  });
});

describe('the lock leak explains itself', () => {
  it('names the step that ended the path and what it still holds', async () => {
    const c = tiny();
    const r = await check(c.spec, { properties: ['no lock is held after return'] });
    const t = replay(c.spec, r.failure!.path, { specId: 'tiny', config: 'one', kind: 'invariant', property: r.failure!.property });
    expect(t.explanation).toEqual([
      "T1 at f: up_read(S) (step 7) ends T1's code path, still holding M, page lock of H1",
      'T1 took M at T1 at f: mutex_lock(M) (step 1), and no step released it',
      'T1 took the page lock of H1 at T1 at f: insert (step 3), and no step released it',
      'every later taker of it waits for ever',
    ]);
    expect(t.cause).toBe(7);
    expect(t.related).toEqual([
      { step: 1, role: 'M taken' },
      { step: 3, role: 'page lock of H1 taken' },
    ]);
  });
});

/** The explanation of a built-in spec's counterexample, and the steps it marks. */
async function explained(id: string, config: string, property: string) {
  const def = builtinSpecs.find((d) => d.id === id)!;
  const out = await run(def, { config, check: { properties: [property] } });
  const t = out.trace!;
  return { lines: t.explanation, cause: t.cause, related: t.related ?? [], length: t.path.actions.length };
}

describe('the property library explains counterexamples with their cause', () => {
  it('a lost store (v4.2 B1): whose store, at which step, zeroed by which step', async () => {
    expect(await explained('v4.2', 'b1-two-writers', 'no store is lost')).toEqual({
      lines: [
        "T1 at store: access (step 36) stores T1's data at index 0, into B1",
        "then T2 at dax_insert_mapping: clear_pmem (step 44) zeroes B1",
        "so index 0 reads zeroes where T1 stored T1's data: the store is lost"
      ],
      cause: 44,
      related: [
        {
          step: 36,
          role: "the lost store"
        }
      ],
      length: 44
    });
  });

  it('a stale hole page (v4.2 B2): the hole-page insert is the cause, not the step where the check fired', async () => {
    expect(await explained('v4.2', 'b2-read-vs-write', 'no stale hole page')).toEqual({
      lines: [
        "index 0 has B1 (zeroes), allocated by T1 at ext2_get_block(create): allocate (step 15)",
        "hole page H1 is in the page cache at index 0: inserted by T2 at dax_load_hole: find_or_create_page (step 29), after the block was allocated",
        "readers of index 0 get the hole page, not B1, so they miss what is stored in B1; the check applies once every fault at index 0 has returned (from step 33)"
      ],
      cause: 29,
      related: [
        {
          step: 15,
          role: "block allocated"
        }
      ],
      length: 33
    });
  });

  it('a PTE to a freed block (v4.2 B3): which PTE, which block, freed where', async () => {
    expect(await explained('v4.2', 'b3-punch', 'no PTE maps a freed block')).toEqual({
      lines: [
        "the PTE for index 0 maps B1 read-only, installed by T1 at dax_insert_mapping: vm_insert_mixed (step 19)",
        "B1 was freed by T2 at ext4_punch_hole: ext4_ext_remove_space (step 25), after the PTE was installed, and the PTE was not zapped",
        "so P1 reaches a block the file no longer has at index 0"
      ],
      cause: 25,
      related: [
        {
          step: 19,
          role: "PTE installed"
        }
      ],
      length: 25
    });
  });

  it('lock misuse (v4.3 B12): the failing step and what the thread held before it', async () => {
    expect(await explained('v4.3', 'b12-cow', 'no lock misuse')).toEqual({
      lines: [
        "T1 at do_cow_fault: unlock (step 13): lock misuse: up_write(i_mmap_rwsem) by T1, which holds it for read",
        "before that step T1 held i_mmap_rwsem (read)"
      ],
      cause: 13,
      related: [],
      length: 13
    });
  });

  it('a block past EOF (v4.2 B11): the allocation after i_size shrank', async () => {
    expect(await explained('v4.2', 'b11-truncate', 'no block is allocated past EOF')).toEqual({
      lines: [
        "index 0 has B1, allocated by T1 at ext2_get_block(create): allocate (step 26)",
        "but i_size is 0 pages (set by T2 at truncate_setsize: i_size_write (step 10)), and every thread has returned: B1 is leaked past EOF"
      ],
      cause: 26,
      related: [
        {
          step: 10,
          role: "i_size set"
        }
      ],
      length: 39
    });
  });

  it('a COW PTE beyond EOF (v4.2/cow-no-hold B13): the fault mapped it after i_size shrank', async () => {
    expect(await explained('v4.2/cow-no-hold', 'b13-cow-truncate', 'no PTE beyond EOF after truncate')).toEqual({
      lines: [
        "the PTE for index 0 maps private COW copy, installed by T1 at do_cow_fault: install_anon_pte (step 25)",
        "but i_size is 0 pages (set by T2 at truncate_setsize: i_size_write (step 15)), and truncate_pagecache ran at T2 at truncate_pagecache: truncated (step 27)"
      ],
      cause: 25,
      related: [
        {
          step: 27,
          role: "page cache truncated"
        }
      ],
      length: 27
    });
  });

  it('a store while frozen (v4.2 B8): the store, and the freeze in force', async () => {
    expect(await explained('v4.2', 'b8-freeze', 'no store while frozen')).toEqual({
      lines: [
        "T1 at store: access (step 32) stores data through a writable PTE while the filesystem is frozen",
        "T2 had frozen the filesystem at PAGEFAULT (it holds sb_writers[PAGEFAULT] for write) since T2 at freeze_super: sb_wait_write(PAGEFAULT) (step 31)"
      ],
      cause: 32,
      related: [
        {
          step: 31,
          role: "frozen"
        }
      ],
      length: 32
    });
  });

  it('a PTE made writable without file_update_time (v4.2/pre-v4.1 B9): which PTE, at which step', async () => {
    expect(await explained('v4.2/pre-v4.1', 'b9-mtime', 'a PTE is made writable only after file_update_time')).toEqual({
      lines: [
        "T1 at do_wp_page: wp_page_reuse (step 21) makes a PTE writable before its fault has called file_update_time: the PTE for index 0 (B1)",
        "T1's fault had not called file_update_time, so c/mtime do not change for the writes that follow"
      ],
      cause: 21,
      related: [],
      length: 21
    });
  });
});

describe('a deadlock behind a leaked lock explains itself', () => {
  it('i-mmap R9: the return of the thread that still holds i_mmap_rwsem is the cause', async () => {
    const def = builtinSpecs.find((d) => d.id === 'i-mmap/pmd-null-fix')!;
    const out = await run(def, { config: 'r9-leak-blocks-a-reader', check: { properties: ['deadlock'], deadlock: true } });
    const t = out.trace!;
    expect(t.diagnosis?.kind).toBe('deadlock (lock leaked)');
    expect(t.explanation).toEqual([
      "T1 at pmd store: fallback (step 8) ends T1's code path, still holding i_mmap_rwsem (write)",
      'T1 took i_mmap_rwsem (write) at T1 at __dax_pmd_fault: i_mmap_lock_write (step 5), and no step released it',
      'every later taker of it waits for ever',
    ]);
    expect(t.related).toEqual([{ step: 5, role: 'i_mmap_rwsem taken' }]);
    expect(t.cause).toBe(8);
    expect(renderTraceText(t, { diff: true })).toContain(
      'Diagnosis: deadlock (lock leaked): threads wait for a lock held by a thread that has returned\n' +
        '  T2 at load > do_read_fault > ext4_dax_fault > __dax_fault: i_mmap_lock_write waits for i_mmap_rwsem (write), held by T1, which has returned\n' +
        '  T1 holds i_mmap_rwsem (write)\n' +
        '  T2 holds nothing\n' +
        'Caused by step 8:\n' +
        "  T1 at pmd store: fallback (step 8) ends T1's code path, still holding i_mmap_rwsem (write)\n" +
        '  T1 took i_mmap_rwsem (write) at T1 at __dax_pmd_fault: i_mmap_lock_write (step 5), and no step released it\n' +
        '  every later taker of it waits for ever\n',
    );
  });

  it('a wait-for cycle has no single cause: the diagnosis alone', async () => {
    const def = builtinSpecs.find((d) => d.id === 'v4.2/pmd')!;
    const out = await run(def, { config: 'b4-zero-then-write', check: { properties: ['deadlock'], deadlock: true } });
    expect(out.trace!.diagnosis?.kind).toBe('self-deadlock');
    expect(out.trace!.cause).toBeUndefined();
    expect(out.trace!.explanation).toBeUndefined();
  });
});
