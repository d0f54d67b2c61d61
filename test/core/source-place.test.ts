// The frames of a stack as error messages name them: paths and file: URLs as paths, a loader's
// query left out, Node's internals, tsx and data: modules (generated code) skipped. Not which
// frames are daxmc's own (test/model/mistakes.test.ts names the places of real mistakes).
import { describe, expect, it } from 'vitest';
import { framesOf } from '../../src/core/source-place';

describe('framesOf', () => {
  it('reads the file:line of every kind of frame V8 writes, and skips what no one can open', () => {
    const stack = [
      'SpecError: f: step x jumps to y',
      '    at expand (file:///tmp/u/node_modules/daxmc/dist/chunk-7SSQBV6X.js:377:17)',
      '    at Object.build (/tmp/u/bad/type-error.ts:9:14)',
      '    at /tmp/u/bad/top.ts:3:1',
      '    at new World (file:///tmp/my%20specs/world.ts?tsx-namespace=1776:12:5)',
      '    at build (data:text/javascript,var%20a%20%3D%20f(1)%3B%0A?filePath=%2Ftmp%2Fu%2Fbad%2Fgoto-typo.ts%3Fnamespace%3D7bea:2:3)',
      '    at data:text/javascript;base64,aW1wb3J0:40:9',
      '    at load (/tmp/u/node_modules/tsx/dist/register-nyXW-TH3.mjs:3:100)',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:271:25)',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(framesOf(stack)).toEqual([
      '/tmp/u/node_modules/daxmc/dist/chunk-7SSQBV6X.js:377',
      '/tmp/u/bad/type-error.ts:9',
      '/tmp/u/bad/top.ts:3',
      '/tmp/my specs/world.ts:12',
    ]);
  });
});
