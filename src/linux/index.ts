// daxmc/linux: the Linux code paths a DAX locking scheme is written from. A scheme file builds a
// world (daxWorld / worldOf), declares its filesystem's locks, picks a get_block flavour and a
// fault wrapper, composes the DAX core of its era (v4.2 or v4.7) with the MM plumbing, and
// declares its threads by role. docs/writing-a-spec.md walks through one; every name a scheme
// needs is exported here or from 'daxmc'.
export { R, daxWorld, type DaxWorld, type DaxWorldOptions, type FaultLocals, type FaultResult, type Fs } from './world';
export { takeLabel, dropLabel, take, drop, lockStep, unlockStep, type LockMode, type HeldLock } from './locking';
export {
  enterFault,
  doReadFault,
  doSharedFault,
  doCowFault,
  doWpPfn,
  wpPageShared,
  userLoad,
  userStore,
  userCowStore,
  userPmdAccess,
  type Handlers,
} from './mm';
export {
  unmapMappingRange,
  findGetPage,
  findLockPage,
  findOrCreatePage,
  deleteFromPageCache,
  truncateInodePages,
  truncatePagecache,
  truncateSetsize,
  truncatePagecacheRange,
  type UnmapRange,
} from './pagecache';
export {
  getBlock,
  completeUnwritten,
  faultWrapper,
  pfnMkwrite,
  truncateBlocks,
  truncate,
  holding,
  punchHole,
  writeSyscall,
  freezeThaw,
  journalCommit,
  takeThen,
  type Allocation,
  type GetBlock,
  type GetBlockOptions,
} from './fs';
export * as dax42 from './dax-v4.2';
export * as dax47 from './dax-v4.7';
export type { DaxFaultOptions } from './dax-v4.2';
export type { PageInsertWake, IndexOf } from './dax-v4.7';
export {
  MM_ROLES,
  LOOPING_ROLES,
  threads,
  rolePath,
  spawnThreads,
  processesOf,
  describeThreads,
  configOf,
  defineScheme,
  worldOf,
  freezeRoles,
  daxProperties,
  eachThreadCompletes,
  type MmRole,
  type ThreadSpec,
  type SchemeConfig,
  type SchemeConfigEntry,
  type FsPaths,
} from './scheme';
