// Types of bin/build-stamp.mjs, for scripts/build.ts and the tests.
export interface BuildStamp {
  readonly format: 1;
  /** [path from the package root, size in bytes, modification time in ms]. */
  readonly inputs: readonly (readonly [string, number, number])[];
  readonly absent: readonly string[];
}
export declare const STAMP_FILE: string;
export declare function stampOf(root: string, files: Iterable<string>, absent?: Iterable<string>): BuildStamp;
export declare function builtIsCurrent(root: string | URL): boolean;
