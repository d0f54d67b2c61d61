// The public API, for spec files written outside the repository: `import { World, fn, step,
// call, compile, P, type Claim } from 'daxmc'` in a project that installed the package (the
// compiled dist/index.js and its declarations), or from '<checkout>/src/index' in a checkout.
// What a spec file needs to build a spec, name its claims and run checks; not the CLI.
export * from './core/layout';
export * from './core/spec';
export * from './core/errors';
export { check, type CheckOptions } from './check/explore';
export type * from './check/result';
export { run, buildSpec } from './run';
export { replay, type Trace, type TraceStep } from './trace/trace';
export { World, type WorldOptions, type LockDecl, type LockKind, type Local, type LocalKind, type ThreadDecl, type BlockState } from './model/world';
export { K } from './model/kernel';
export { fn, step, call, NEXT, BLOCK, STAY, RET, EXIT, type FnDef, type StepDef, type CallDef, type StepBody, type Control } from './model/paths';
export { compile, type CompiledWorld } from './model/compile';
export * as P from './model/properties';
export type { PropertyMaker, PropCtx } from './model/properties';
export type { ModelProperty } from './model/reduction';
export type { Claim, Grade } from './report/claim';
