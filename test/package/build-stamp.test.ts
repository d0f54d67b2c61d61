// The launcher's choice between dist/ and the sources (bin/build-stamp.mjs), on a made-up package
// directory: a checkout runs dist/ only while every input is as it was built and no absent entry
// point has appeared; an installed package (no src/) runs dist/ whenever it is there. Also the
// build's rewriting of relative imports in the declarations (scripts/build.ts).
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STAMP_FILE, builtIsCurrent, stampOf } from '../../bin/build-stamp.mjs';
import { withJsExtensions } from '../../scripts/build';
import { tempDir } from '../cli/helpers';

function put(root: string, file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** A checkout built from src/a.ts and specs/b.ts, without src/linux/index.ts. */
function builtCheckout(): string {
  const root = tempDir();
  put(root, 'src/a.ts', 'export const a = 1;\n');
  put(root, 'specs/b.ts', 'export const b = 2;\n');
  put(root, 'dist/cli.js', 'export async function main() { return 0; }\n');
  put(root, STAMP_FILE, JSON.stringify(stampOf(root, ['src/a.ts', 'specs/b.ts'], ['src/linux/index.ts'])));
  return root;
}

describe('the build stamp', () => {
  it('records size and modification time of each input, and the absent entry points', () => {
    const root = builtCheckout();
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8'));
    expect(stamp.format).toBe(1);
    expect(stamp.inputs.map((i: unknown[]) => i.slice(0, 2))).toEqual([
      ['specs/b.ts', 20],
      ['src/a.ts', 20],
    ]);
    expect(stamp.absent).toEqual(['src/linux/index.ts']);
  });

  it('lets a checkout run dist/ while nothing changed, by path or by URL', () => {
    const root = builtCheckout();
    expect(builtIsCurrent(root)).toBe(true);
    expect(builtIsCurrent(pathToFileURL(`${root}/`))).toBe(true);
  });

  it('sends a checkout to the sources when an input is edited: another size, or a later time', () => {
    const root = builtCheckout();
    writeFileSync(join(root, 'src/a.ts'), 'export const a = 10;\n');
    expect(builtIsCurrent(root)).toBe(false);
    const other = builtCheckout();
    utimesSync(join(other, 'specs/b.ts'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(builtIsCurrent(other)).toBe(false);
  });

  it('sends a checkout to the sources when an input is gone or an absent entry point appears', () => {
    const root = builtCheckout();
    rmSync(join(root, 'specs/b.ts'));
    expect(builtIsCurrent(root)).toBe(false);
    const other = builtCheckout();
    put(other, 'src/linux/index.ts', 'export {};\n');
    expect(builtIsCurrent(other)).toBe(false);
  });

  it('sends a checkout to the sources without a build, or with a stamp that is not one', () => {
    const root = builtCheckout();
    rmSync(join(root, 'dist/cli.js'));
    expect(builtIsCurrent(root)).toBe(false);
    const other = builtCheckout();
    writeFileSync(join(other, STAMP_FILE), '{"format": 1, "inputs": [');
    expect(builtIsCurrent(other)).toBe(false);
    const third = builtCheckout();
    rmSync(join(third, STAMP_FILE));
    expect(builtIsCurrent(third)).toBe(false);
  });

  it('runs dist/ in an installed package (no src/), stamp or not', () => {
    const root = builtCheckout();
    rmSync(join(root, 'src'), { recursive: true });
    rmSync(join(root, STAMP_FILE));
    expect(builtIsCurrent(root)).toBe(true);
    rmSync(join(root, 'dist/cli.js'));
    expect(builtIsCurrent(root)).toBe(false);
  });
});

describe('the declarations of the build', () => {
  it('give relative imports the extension Node resolves: a file, a directory index, the parent', () => {
    const root = tempDir();
    put(root, 'src/index.ts', '');
    put(root, 'src/core/spec.ts', '');
    put(root, 'src/model/world.ts', '');
    const dts = [
      "export * from './core/spec';",
      "import type { X } from '../core/spec';",
      'export declare const Pte: import("..").EnumDomain<"none">;',
      "export { y } from './core/spec.js';",
      "import { OrderedMap } from 'immutable';",
      "export * from './missing';",
    ].join('\n');
    expect(withJsExtensions(dts, join(root, 'src', 'model')).split('\n')).toEqual([
      "export * from './core/spec';",
      "import type { X } from '../core/spec.js';",
      'export declare const Pte: import("../index.js").EnumDomain<"none">;',
      "export { y } from './core/spec.js';",
      "import { OrderedMap } from 'immutable';",
      "export * from './missing';",
    ]);
    expect(withJsExtensions("export * from './core/spec';\nexport * from './model/world';", join(root, 'src'))).toBe(
      "export * from './core/spec.js';\nexport * from './model/world.js';",
    );
  });
});
