// A scheme's configurations: which threads run which code path on which index, in which
// process, and how a scheme file turns them into a spec definition. Threads are declared by
// role: the user accesses the MM provides (load, store, private store, PMD access) and the
// filesystem paths the scheme provides by name (truncate, punch, write(2), freeze, or any
// path of its own such as mmap or evict).
import { SpecError } from '../core/errors';
import type { Config, SpecDefinition } from '../core/spec';
import type { CompiledWorld } from '../model/compile';
import { call, fn, step, type FnDef } from '../model/paths';
import * as P from '../model/properties';
import type { BlockState } from '../model/world';
import { freezeThaw } from './fs';
import { userCowStore, userLoad, userPmdAccess, userStore, type Handlers } from './mm';
import { daxWorld, type DaxWorld } from './world';

/** The roles the MM half provides: user accesses. */
export const MM_ROLES = ['load', 'store', 'load+store', 'cow', 'pmd load', 'pmd store', 'pmd load+store'] as const;
export type MmRole = (typeof MM_ROLES)[number];

/**
 * Background roles that loop for ever (liveness configurations: a thread that keeps running
 * beside the others): a reader that keeps faulting its page in and unmapping it, and a thread
 * that keeps unmapping an index from every process. They never return; "every fault and syscall
 * returns" (src/model/liveness.ts) leaves them out, and they get no "can return" witness.
 */
export const LOOPING_ROLES: ReadonlySet<string> = new Set(['load loop', 'unmap loop']);

/**
 * A thread of a configuration. `role` is an MM role (MM_ROLES) or the name of one of the
 * scheme's filesystem paths (`truncate`, `punch`, `write(2)`, `freeze`, `freeze (stays frozen)`,
 * or a path of its own).
 */
export interface ThreadSpec {
  readonly name: string;
  readonly role: string;
  /** The process (mm) it runs in (default P1). Filesystem paths map nothing, so it rarely matters for them. */
  readonly process?: string;
  /** The file index it works on (default 0). */
  readonly index?: number;
  /** truncate: the new size in pages. */
  readonly size?: number;
  /** More small integer arguments a scheme's own paths read with k.arg(name). */
  readonly args?: Readonly<Record<string, number>>;
}

/**
 * Thread specs by role, for configurations: `threads.store('T1', 'P1')`,
 * `threads.truncate('T3', 1)`, `threads.role('T4', 'journal commit')` for a role of the scheme's own.
 */
export const threads = {
  load: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'load', process, index }),
  store: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'store', process, index }),
  loadStore: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'load+store', process, index }),
  cow: (name: string, process: string, index = 0): ThreadSpec => ({ name, role: 'cow', process, index }),
  truncate: (name: string, size: number): ThreadSpec => ({ name, role: 'truncate', size }),
  punch: (name: string, index = 0): ThreadSpec => ({ name, role: 'punch', index }),
  write: (name: string, index = 0): ThreadSpec => ({ name, role: 'write(2)', index }),
  freeze: (name: string): ThreadSpec => ({ name, role: 'freeze' }),
  role: (name: string, role: string, o: Omit<ThreadSpec, 'name' | 'role'> = {}): ThreadSpec => ({ name, role, ...o }),
} as const;

/** A configuration: the file and the threads. */
export interface SchemeConfig {
  readonly indices: number;
  readonly blocks: number;
  readonly iSize: number;
  readonly initialMap?: readonly BlockState[];
  /** Hole pages that can exist over the run (default: indices + 8, one per index and one per thread at most). */
  readonly pages?: number;
  readonly threads: readonly ThreadSpec[];
}

/** The filesystem paths of a scheme, by role name; each builds its path once (threads share it). */
export type FsPaths = Readonly<Record<string, () => FnDef>>;

/** The freeze roles every scheme has: freeze_super then thaw_super, or stay frozen. */
export function freezeRoles(d: DaxWorld): FsPaths {
  return { freeze: () => freezeThaw(d, true), 'freeze (stays frozen)': () => freezeThaw(d, false) };
}

/** The code path of one role. */
export function rolePath(d: DaxWorld, h: Handlers, role: string, paths: FsPaths): FnDef {
  switch (role) {
    case 'load':
      return userLoad(d, h);
    case 'store':
      return userStore(d, h);
    case 'load+store':
      return fn('load, then store', [call(userLoad(d, h)), call(userStore(d, h))]);
    case 'cow':
      return userCowStore(d, h);
    case 'pmd load':
      return userPmdAccess(d, h, false);
    case 'pmd store':
      return userPmdAccess(d, h, true);
    case 'pmd load+store':
      return fn('pmd load, then pmd store', [call(userPmdAccess(d, h, false)), call(userPmdAccess(d, h, true))]);
    case 'load loop':
      return fn('reader loop', [call(userLoad(d, h), 'load'), step('munmap: zap_page_range', (k) => k.zap(k.idx, false)), step('again', (k) => k.goto('load'))]);
    case 'unmap loop':
      // As unmap_mapping_range over the index, again and again (a truncate or hole punch of the
      // same range repeated for ever).
      return fn('unmapper loop', [step('unmap_mapping_range', (k) => k.zap(k.idx)), step('again', (k) => k.goto('unmap_mapping_range'))]);
  }
  const all = { ...freezeRoles(d), ...paths };
  if (!Object.prototype.hasOwnProperty.call(all, role)) {
    throw new SpecError(`no code path for the role '${role}' (the MM roles: ${MM_ROLES.join(', ')}; this scheme's: ${Object.keys(all).join(', ')})`);
  }
  return all[role]();
}

/**
 * Declares each thread with the code path of its role. Threads of one role share one code path
 * object: the symmetry reduction recognises interchangeable threads by it.
 */
export function spawnThreads(d: DaxWorld, h: Handlers, threads: readonly ThreadSpec[], paths: FsPaths): void {
  const built = new Map<string, FnDef>();
  for (const t of threads) {
    const path = built.get(t.role) ?? rolePath(d, h, t.role, paths);
    built.set(t.role, path);
    const args: Record<string, number> = { ...(t.args ?? {}) };
    if (t.size !== undefined) args.size = t.size;
    d.w.thread(t.name, { process: t.process ?? 'P1', index: t.index ?? 0, path, args, ...(LOOPING_ROLES.has(t.role) ? { forever: true } : {}) });
  }
}

/** The processes the threads name, in order of first mention (P1 if none). */
export function processesOf(threads: readonly ThreadSpec[]): string[] {
  const ps: string[] = [];
  for (const t of threads) {
    const p = t.process ?? 'P1';
    if (!ps.includes(p)) ps.push(p);
  }
  return ps;
}

const FS_WIDE = new Set(['truncate', 'punch', 'write(2)', 'freeze', 'freeze (stays frozen)', 'unmap loop']);

/** "T1: store on index 0 in P1; T2: truncate to 0 pages". */
export function describeThreads(threads: readonly ThreadSpec[]): string {
  return threads
    .map((t) => {
      const where = t.role === 'truncate' ? `to ${t.size} page${t.size === 1 ? '' : 's'}` : t.role.startsWith('freeze') ? '' : `on index ${t.index ?? 0}`;
      const inProcess = FS_WIDE.has(t.role) || t.role.startsWith('freeze') ? '' : ` in ${t.process ?? 'P1'}`;
      return `${t.name}: ${t.role}${where ? ` ${where}` : ''}${inProcess}`;
    })
    .join('; ');
}

/**
 * A named configuration of a scheme whose configurations are of type C: a `Config` whose
 * `params.config` is C, so that `defineScheme<C>` refuses, at type-check time, a configuration
 * written for another type (one without the `variant` field a scheme's C requires, say).
 */
export interface SchemeConfigEntry<C extends SchemeConfig> extends Config {
  readonly params: { readonly config: C };
}

/** A named configuration: its description (with the threads spelled out) and its parameters. */
export function configOf<C extends SchemeConfig>(description: string, c: C): SchemeConfigEntry<C> {
  return { description: `${description} (${describeThreads(c.threads)})`, params: { config: c } };
}

/** The property library a DAX scheme checks (every safety claim), and "each thread can return". */
export const daxProperties: readonly P.PropertyMaker[] = [
  P.noLockMisuse,
  P.noNullDereference,
  P.noBug,
  P.noPteToFreedBlock,
  P.noStaleHolePage,
  P.noLostStore,
  P.writableUpdatesTime,
  P.noWritableWhileFrozen,
  P.noStoreWhileFrozen,
  P.noBlockPastEof,
  P.noPteBeyondEof,
  P.noLockLeak,
];

/**
 * `completes(t)` for every thread: each code path can run to completion (the model is not
 * vacuous); not for a background loop (LOOPING_ROLES), which never returns.
 */
export function eachThreadCompletes(threads: readonly unknown[]): P.PropertyMaker[] {
  return threads.flatMap((t, i) => (LOOPING_ROLES.has((t as { role?: string }).role ?? '') ? [] : [P.completes(i)]));
}

/**
 * A spec definition whose configurations carry a scheme configuration in `params.config`
 * (written with `configOf<C>`). `build(config, name, configName)` compiles one: `config` is the
 * configuration's C, `name` is `<id>/<configuration>` (the name to give `compile`), and
 * `configName` the configuration's own name in `configs`. Variants of one scheme in one file
 * are a field of C (`variant: 'locked' | 'unlocked'`) that `build` reads to choose the paths
 * (docs/writing-a-spec.md, "Variants in one file"), not a test of the configuration's name.
 */
export function defineScheme<C extends SchemeConfig>(o: {
  id: string;
  title: string;
  description: string;
  configs: Readonly<Record<string, SchemeConfigEntry<C>>>;
  defaultConfig: string;
  build(config: C, name: string, configName: string): CompiledWorld;
}): SpecDefinition {
  if (!Object.prototype.hasOwnProperty.call(o.configs, o.defaultConfig)) {
    throw new SpecError(`scheme ${o.id}: the default configuration '${o.defaultConfig}' is not one of its configurations (${Object.keys(o.configs).join(', ')})`);
  }
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    configs: o.configs,
    defaultConfig: o.defaultConfig,
    build(params, name) {
      const c = params.config as C | undefined;
      if (!c || typeof c !== 'object' || !Array.isArray(c.threads)) throw new SpecError(`configuration ${name} has no scheme configuration (params.config with threads)`);
      checkThreads(c.threads);
      return o.build(c, `${o.id}/${name}`, name).spec;
    },
  };
}

/** What a configuration's threads must have before any path is built: distinct names, truncate's size. */
function checkThreads(ts: readonly ThreadSpec[]): void {
  const seen = new Set<string>();
  for (const t of ts) {
    if (seen.has(t.name)) throw new SpecError(`two threads are named '${t.name}' (each thread of a configuration needs its own name)`);
    seen.add(t.name);
    if (t.role === 'truncate' && t.size === undefined && !(t.args && Object.prototype.hasOwnProperty.call(t.args, 'size'))) {
      throw new SpecError(`thread ${t.name} truncates but has no size: give the new size in pages (threads.truncate('${t.name}', 0), or size: 0)`);
    }
  }
}

/** The DAX world of a configuration: its file, and one process per process name its threads use. */
export function worldOf(c: SchemeConfig): DaxWorld {
  return daxWorld({
    indices: c.indices,
    blocks: c.blocks,
    processes: processesOf(c.threads),
    iSize: c.iSize,
    ...(c.initialMap ? { initialMap: c.initialMap } : {}),
    ...(c.pages !== undefined ? { pages: c.pages } : {}),
  });
}
