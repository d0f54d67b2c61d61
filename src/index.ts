// The public API ('daxmc'), for spec files: `import { World, fn, step, call, compile, P, type Claim } from
// 'daxmc'` in a project that installed the package, or from '<checkout>/src/index' in a checkout.
// The spec contract, the engine's entry points and the kernel vocabulary (World, code paths as
// steps, the kernel context K, the property library P); the Linux code paths DAX schemes are
// written from are in 'daxmc/linux' (src/linux/index.ts). Not the CLI.
export * from './core/layout';
export * from './core/spec';
export * from './core/liveness';
export * from './core/errors';
export { check, type CheckOptions } from './check/explore';
export type * from './check/result';
export { run, buildSpec } from './run';
export { replay, type Trace, type TraceStep } from './trace/trace';
export {
  World,
  LockKind,
  Status,
  ErrKind,
  BlockMap,
  BlockUse,
  PageState,
  Slot,
  Pte,
  DATA_GARBAGE,
  DATA_ZERO,
  type WorldOptions,
  type BlockState,
  type LockDecl,
  type Mutex,
  type RwSem,
  type SpinLock,
  type Journal,
  type FreezeLevels,
  type DocumentedOrder,
  type Local,
  type LocalKind,
  type ThreadDecl,
} from './model/world';
export { K, type BlockedOn } from './model/kernel';
export { fn, step, call, NEXT, BLOCK, STAY, RET, EXIT, FAILED, type FnDef, type StepDef, type CallDef, type StepBody, type Control, type FlatStep } from './model/paths';
export { compile, type CompiledWorld } from './model/compile';
export * as P from './model/properties';
export type { PropertyMaker, PropCtx } from './model/properties';
export { StateView, type BlockMapName, type PteName, type SlotName, type ThreadStatusName } from './model/state-view';
export { History, type StepOf } from './model/history';
export * as L from './model/liveness';
export type { LivenessMaker } from './model/liveness';
export type { ModelProperty } from './model/reduction';
export type { Claim, Grade } from './report/claim';
export { checkClaim, checkClaims, type ClaimResult, type ClaimOptions, type ClaimStatus } from './report/run-claims';
