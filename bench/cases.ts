// The benchmark list: which spec definition and configuration each benchmark runs, with the
// distinct-state count it must reproduce. Definitions load lazily, so a case only imports its own
// spec module (a spec in progress elsewhere cannot break the others). Not the runner.
import type { SpecDefinition } from '../src/core/spec';

export interface BenchCase {
  /** Name for --only and for the table. */
  readonly name: string;
  /** Spec id (for the table), how to load its definition, and a configuration of it. */
  readonly spec: string;
  readonly definition: () => Promise<SpecDefinition>;
  readonly config: string;
  /** The pinned distinct-state count; a run that differs is reported as a mismatch. */
  readonly distinct?: number;
  /** Check only these properties (a claim's property plus the witnesses); default all. */
  readonly properties?: readonly string[];
  /** Check deadlocks (default true). */
  readonly deadlock?: boolean;
  /** --liveness: the liveness properties the liveness side adds to `properties`. */
  readonly livenessProperties?: readonly string[];
}

const dieHard = async (): Promise<SpecDefinition> => (await import('../specs/examples/die-hard')).dieHard;
const twoPhase = async (): Promise<SpecDefinition> => (await import('../specs/examples/two-phase')).twoPhase;
const lockPage = async (): Promise<SpecDefinition> => (await import('../specs/examples/lock-page')).lockPage;
const coffeeCan = async (): Promise<SpecDefinition> => (await import('../specs/examples/coffee-can')).coffeeCan;

/** A registered spec by id (specs/index.ts), for the DAX schemes. */
export const registered =
  (id: string) =>
  async (): Promise<SpecDefinition> => {
    const { builtinSpecs } = await import('../specs/index');
    const def = builtinSpecs.find((d) => d.id === id);
    if (!def) throw new Error(`no spec '${id}' in the registry`);
    return def;
  };

/** Calibration specs, with the counts TLC reports. */
export const exampleCases: readonly BenchCase[] = [
  { name: 'die-hard', spec: 'die-hard', definition: dieHard, config: 'explore', distinct: 16 },
  { name: 'two-phase-rm5', spec: 'two-phase', definition: twoPhase, config: 'rm5', distinct: 8_832 },
  { name: 'two-phase-rm7', spec: 'two-phase', definition: twoPhase, config: 'rm7', distinct: 296_448 },
  { name: 'two-phase-rm8', spec: 'two-phase', definition: twoPhase, config: 'rm8', distinct: 1_745_408 },
  { name: 'two-phase-rm9', spec: 'two-phase', definition: twoPhase, config: 'rm9', distinct: 10_340_352 },
  // Written the plain way (every action tried, no write log), as bench:peers runs it beside TLC.
  { name: 'lock-page-n4-p4', spec: 'lock-page', definition: lockPage, config: 'n4-p4', distinct: 2_985_984 },
  // Slots of two bytes and a signed one.
  { name: 'coffee-can-1000', spec: 'coffee-can', definition: coffeeCan, config: 'beans-1000', distinct: 140_900 },
];

/**
 * DAX scheme specs: the configurations of the "holds" claims (specs/dax/claims*.ts), checked as
 * the claim checks them (its property only), so the figures measure the work the report does.
 */
export const daxCases: readonly BenchCase[] = [
  { name: 'v4.2-truncate-3t2i', spec: 'v4.2', definition: registered('v4.2'), config: 'truncate-3t2i', distinct: 31_052, properties: ['no PTE maps a freed block'], deadlock: false },
  { name: 'v4.2-cow-truncate-3t2i', spec: 'v4.2', definition: registered('v4.2'), config: 'cow-truncate-3t2i', distinct: 10_976, properties: ['no PTE beyond EOF after truncate'], deadlock: false },
  { name: 'v4.2-mkwrite-freeze-3t2i', spec: 'v4.2', definition: registered('v4.2'), config: 'mkwrite-freeze-3t2i', distinct: 3_361, properties: ['a PTE is made writable only after file_update_time'], deadlock: false },
  // The largest exhaustive DAX configurations the claims run (entry-lock/C4-6-mix, i-mmap/C2-4t2i).
  { name: 'i-mmap-writers-4t2i', spec: 'i-mmap/all', definition: registered('i-mmap/all'), config: 'writers-4t2i', distinct: 947_680, properties: ['no store is lost'], deadlock: false },
  { name: 'entry-lock-fix-mix-5t2i', spec: 'entry-lock/fix', definition: registered('entry-lock/fix'), config: 'mix-5t2i', distinct: 4_498_061, properties: ['deadlock'], deadlock: true },
  // The next largest (claims dax-sem/C3-4 and xfs/deadlock-v4.4), on the rebuilt schemes.
  { name: 'dax-sem-all-paths-5t2i', spec: 'dax-sem', definition: registered('dax-sem'), config: 'all-paths-5t2i', distinct: 3_295_613, properties: ['deadlock'], deadlock: true },
  { name: 'xfs-v4.4-all-paths-5t2i', spec: 'xfs/v4.4', definition: registered('xfs/v4.4'), config: 'all-paths-5t2i', distinct: 2_772_656, properties: ['deadlock'], deadlock: true },
];

export const benchCases: readonly BenchCase[] = [...exampleCases, ...daxCases];

/**
 * `npm run bench -- --liveness`: configurations where liveness holds, each run twice back to
 * back: every state property and deadlocks (the safety check) without, then with, the liveness
 * properties. The largest exhaustive DAX "holds" configurations, and the largest TLA+ example.
 */
export const livenessCases: readonly BenchCase[] = [
  { name: 'token-ring-6x6', spec: 'token-ring', definition: registered('token-ring'), config: '6x6', distinct: 46_656, deadlock: false },
  ...(
    [
      ['entry-lock/fix', 'three-reads+reader', 82_886],
      ['dax-sem', 'truncate-3t2i', 78_664],
      ['i-mmap/all', 'writers-4t2i', 947_680],
      ['dax-sem', 'all-paths-5t2i', 3_295_613],
      ['entry-lock/fix', 'mix-5t2i', 4_498_061],
    ] as const
  ).map(
    ([spec, config, distinct]): BenchCase => ({
      name: `live-${spec.replace('/', '-')}-${config}`,
      spec,
      definition: registered(spec),
      config,
      distinct,
      // The safety side checks deadlocks (what these configurations are claimed free of); the
      // liveness side adds "every fault and syscall returns".
      properties: ['deadlock'],
      livenessProperties: ['every fault and syscall returns'],
    }),
  ),
];
