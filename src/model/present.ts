// A compiled world's state in kernel words (Spec.present): where each thread is (function and
// step, not a pc), which locks it holds and how, its locals by name, each index's block, radix
// slot, wait queue and PTEs, what each block holds ("zeroes", "T1's data"), the hole pages that
// exist, and the ghost flags the properties read, marked as ghosts. Every renderer (text traces,
// --diff, lane diagrams, HTML pages, the explorer) lists these facts. Reads the packed state only.
import type { ShownField, ShownGroup, State, StateWords } from '../core/spec';
import type { FlatStep } from './paths';
import { BlockMap, BlockUse, DATA_GARBAGE, DATA_ZERO, ErrKind, PageState, Pte, Slot, Status, WAIT_WQ, misuseWords, type Offsets, type World } from './world';

/** What the world's words need: the world, its offsets and each thread's flat program. */
export interface PresentCtx {
  readonly world: World;
  readonly off: Offsets;
  readonly programs: readonly (readonly FlatStep[])[];
}

/** A block's contents: 0 never initialised, 1 zeroes, 2 + t thread t's data. */
export function dataWords(world: World, v: number): string {
  if (v === DATA_GARBAGE) return 'old contents (never zeroed)';
  if (v === DATA_ZERO) return 'zeroes';
  const t = world.threads[v - 2];
  return t ? `${t.name}'s data` : `data ${v}`;
}

/** "__dax_fault: get_block" (the innermost function and the step) and the whole chain. */
export function stepWords(st: FlatStep): { short: string; full: string } {
  return { short: `${st.chain[st.chain.length - 1]}: ${st.label}`, full: `${st.chain.join(' > ')}: ${st.label}` };
}

/** The locks thread t holds in `s`, each with its mode: `i_mmap_rwsem (read)`, `page lock of H1`. */
export function heldWords(c: PresentCtx, s: State, t: number): string[] {
  const { world, off } = c;
  const out: string[] = [];
  for (const l of world.locks) {
    if (s[off.lockOwner + l.id] === t + 1) out.push(l.kind === 'rwsem' ? `${l.name} (write)` : l.name);
    if (s[off.lockReaders + l.id] & (1 << t)) out.push(`${l.name} (read)`);
  }
  for (let p = 1; p <= world.pageCount; p++) if (s[off.pageOwner + p - 1] === t + 1) out.push(`page lock of H${p}`);
  for (let i = 0; i < world.opts.indices; i++) if (s[off.entryLocked + i] && s[off.entryOwner + i] === t + 1) out.push(`entry lock of index ${i}`);
  return out;
}

function threadName(world: World, tid: number): string {
  return world.threads[tid - 1]?.name ?? `thread ${tid}`;
}

/** The error state's words: `lock misuse: up_read(dax_sem) by T3, which holds it for write`, `NULL dereference by T1 (page is NULL)`. */
export function errorWords(c: PresentCtx, s: State): string | undefined {
  const { world, off } = c;
  const err = s[off.err];
  if (err === 0) return undefined;
  const who = threadName(world, s[off.errThread]);
  const info = s[off.errInfo];
  const kind = ErrKind.values[err];
  let what = '';
  if (kind === 'lock misuse') {
    // The release in words, from the error state (a misuse releases nothing), as the step's note says it.
    return `lock misuse: ${misuseWords(world, off, (at) => s[at], s[off.errThread] - 1, info)}`;
  } else if (kind === 'NULL dereference') {
    const l = info >= 128 ? world.locals[info - 128] : undefined;
    what = l ? ` (${l.name} is NULL)` : ' (a NULL page)';
  }
  return `${kind} by ${who}${what}`;
}

function localWords(c: PresentCtx, s: State, t: number, ghosts: boolean): string[] {
  const { world, off } = c;
  const b = off.thread + t * off.threadWidth;
  const out: string[] = [];
  if (!ghosts && s[b + off.tTime]) out.push('file_update_time done');
  for (const l of world.locals) {
    if ((l.ghost ?? false) !== ghosts) continue;
    const v = s[b + off.tLocals + l.id];
    if (v === 0) continue;
    if (l.kind === 'bool') out.push(l.name);
    else if (l.kind === 'page') out.push(`${l.name} = H${v}`);
    else if (l.kind === 'block') out.push(`${l.name} = B${v}`);
    else out.push(`${l.name} = ${l.values?.[v] ?? v}`);
  }
  return out;
}

/** A PTE in words: `B1, writable`, `hole page H1, read-only`, `none`. */
export function pteWords(kind: number, ref: number): string {
  switch (Pte.values[kind]) {
    case 'none':
      return 'none';
    case 'ro-hole':
      return `hole page H${ref}, read-only`;
    case 'ro-pfn':
      return `B${ref}, read-only`;
    case 'rw-pfn':
      return `B${ref}, writable`;
    case 'anon':
      return 'private COW copy';
    case 'huge-zero':
      return 'huge zero page (PMD), read-only';
    case 'pmd-pfn':
      return `B${ref} (PMD)`;
    default:
      return `PTE kind ${kind}`;
  }
}

/** The thread's place: `at __dax_fault: get_block, queued for i_mmap_rwsem (write)`. */
export function positionWords(c: PresentCtx, s: State, t: number): { text: string; detail?: string } {
  const { world, off, programs } = c;
  const b = off.thread + t * off.threadWidth;
  const status = Status.values[s[b + off.tStatus]];
  if (status === 'returned') return { text: 'returned' };
  const st = programs[t][s[b + off.tPc]];
  if (!st) return { text: `${status} at pc ${s[b + off.tPc]}` };
  const w = stepWords(st);
  let text = `${status === 'failed' ? 'failed at' : 'at'} ${w.short}`;
  const wait = s[b + off.tWait];
  if (wait >= WAIT_WQ) text += `, asleep on the wait queue of index ${wait - WAIT_WQ}`;
  else if (wait > 0 && world.locks[wait - 1]) text += `, queued for ${world.locks[wait - 1].name} (write)`;
  return { text, detail: w.full };
}

/** The words of every state of this world (Spec.present). */
export function presentWorld(c: PresentCtx): (s: State) => StateWords {
  const { world, off, programs } = c;
  const T = world.threads.length;
  const N = world.opts.indices;
  const B = world.opts.blocks;
  const P = world.pageCount;
  const procs = world.opts.processes;
  const groups: ShownGroup[] = [
    ...world.threads.map((th, t) => ({
      name: th.name,
      thread: true,
      about: `process ${th.process}, index ${th.index}, runs ${programs[t][0]?.chain[0] ?? '?'}`,
    })),
    { name: 'file', thread: false },
    ...Array.from({ length: N }, (_, i) => ({ name: `index ${i}`, thread: false })),
    ...(B > 0 ? [{ name: 'blocks', thread: false }] : []),
    { name: 'hole pages', thread: false },
    { name: 'ghosts', thread: false, about: 'bookkeeping the properties read, not kernel state' },
  ];
  return (s) => {
    const f: ShownField[] = [];
    for (let t = 0; t < T; t++) {
      const name = world.threads[t].name;
      const pos = positionWords(c, s, t);
      f.push({ key: name, group: name, label: name, text: pos.text, ...(pos.detail ? { detail: pos.detail } : {}) });
      const held = heldWords(c, s, t);
      f.push({ key: `${name}.holds`, group: name, label: `${name} holds`, text: held.length ? held.join(', ') : 'nothing' });
      const locals = localWords(c, s, t, false);
      if (locals.length) f.push({ key: `${name}.locals`, group: name, label: `${name} locals`, text: locals.join(', ') });
      const ghosts = localWords(c, s, t, true);
      if (ghosts.length) f.push({ key: `${name}.ghosts`, group: name, label: `${name} ghosts`, text: ghosts.join(', '), ghost: true });
    }
    const err = errorWords(c, s);
    if (err) f.push({ key: 'error', group: 'file', label: 'error', text: err });
    const size = s[off.iSize];
    f.push({ key: 'i_size', group: 'file', label: 'i_size', text: `${size} page${size === 1 ? '' : 's'}` });
    for (let i = 0; i < N; i++) {
      const g = `index ${i}`;
      const bm = BlockMap.values[s[off.bm + i]];
      const blk = s[off.blk + i];
      f.push({ key: `index.${i}`, group: g, label: g, text: bm === 'hole' ? 'hole' : `B${blk}, ${bm}` });
      const slot = Slot.values[s[off.slot + i]];
      const owner = s[off.entryOwner + i];
      const locked = s[off.entryLocked + i] !== 0;
      const slotText =
        slot === 'page'
          ? `hole page H${s[off.slotPage + i]}`
          : slot === 'locked-empty'
            ? `empty entry, locked by ${threadName(world, owner)}`
            : slot === 'dax'
              ? `DAX entry${locked ? `, locked by ${threadName(world, owner)}` : ''}`
              : 'empty';
      f.push({ key: `index.${i}.slot`, group: g, label: `${g} radix slot`, text: slotText });
      const waiters: string[] = [];
      for (let k = 0; k < T; k++) {
        const u = s[off.wq + i * T + k];
        if (u) waiters.push(threadName(world, u));
      }
      if (waiters.length) f.push({ key: `index.${i}.queue`, group: g, label: `${g} wait queue`, text: waiters.join(', ') });
      for (let m = 0; m < procs.length; m++) {
        const text = pteWords(s[off.pte + m * N + i], s[off.pteRef + m * N + i]);
        f.push({ key: `index.${i}.pte.${procs[m]}`, group: g, label: procs.length === 1 ? `${g} PTE` : `${g} PTE in ${procs[m]}`, text });
      }
      const stored = s[off.stored + i];
      if (stored) f.push({ key: `index.${i}.stored`, group: g, label: `${g} last user store`, text: dataWords(world, stored), ghost: true });
    }
    for (let b = 1; b <= B; b++) {
      const data = s[off.blockData + b - 1];
      const free = s[off.blockUse + b - 1] === BlockUse.code.free;
      const text = free ? (data >= 2 ? `free, still holding ${dataWords(world, data)}` : 'free') : `allocated, ${dataWords(world, data)}`;
      f.push({ key: `block.B${b}`, group: 'blocks', label: `B${b}`, text });
    }
    for (let p = 1; p <= P; p++) {
      const st = PageState.values[s[off.pageState + p - 1]];
      if (st === 'free') continue;
      const at = s[off.pageIndex + p - 1];
      const lock = s[off.pageOwner + p - 1];
      const where = st === 'cached' ? `in the page cache at index ${at}` : `deleted from the page cache (was at index ${at})`;
      f.push({ key: `page.H${p}`, group: 'hole pages', label: `H${p}`, text: `${where}${lock ? `, locked by ${threadName(world, lock)}` : ''}` });
    }
    const ghost = (key: string, label: string, on: number): void => {
      if (on) f.push({ key, group: 'ghosts', label, text: 'yes', ghost: true });
    };
    ghost('ghost.truncated', 'truncate_pagecache has run', s[off.truncated]);
    ghost('ghost.noTime', 'a PTE was made writable before file_update_time', s[off.vNoTime]);
    ghost('ghost.frozenWritable', 'a PTE was made writable while frozen', s[off.vFrozenWritable]);
    ghost('ghost.frozenStore', 'data was stored while frozen', s[off.vFrozenStore]);
    return { groups, fields: f };
  };
}
