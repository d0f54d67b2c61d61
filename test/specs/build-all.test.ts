// Every configuration of every built-in spec builds: a configuration that names a role its
// variant lacks, or a spec whose steps misuse a lock, is a spec error here rather than when
// somebody first runs it.
import { describe, expect, it } from 'vitest';
import { buildSpec } from '../../src/run';
import { builtinSpecs } from '../../specs/index';

describe('every built-in configuration', () => {
  for (const def of builtinSpecs) {
    it(`${def.id}: ${Object.keys(def.configs).length} configurations build`, () => {
      for (const config of Object.keys(def.configs)) {
        const { spec } = buildSpec(def, config);
        expect(spec.actions.length, `${def.id} ${config}`).toBeGreaterThan(0);
      }
    });
  }
});
