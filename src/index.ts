// The public API, for spec files written outside the repository:
// `import { World, fn, step, call, compile, P } from '<daxmc checkout>/src/index'`.
export * from './core/layout';
export * from './core/spec';
export * from './core/errors';
export { check, type CheckOptions } from './check/explore';
export type * from './check/result';
export { run, buildSpec } from './run';
export { replay, type Trace, type TraceStep } from './trace/trace';
export { World } from './model/world';
export { K } from './model/kernel';
export { fn, step, call, NEXT, BLOCK, STAY, RET, EXIT } from './model/paths';
export { compile } from './model/compile';
export * as P from './model/properties';
export type { ModelProperty } from './model/reduction';
