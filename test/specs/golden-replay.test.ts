// Every committed golden counterexample replays: `daxmc replay traces/dax/<scheme>/<bug>.itf.json`
// reproduces the discovery it records (exit 11 for a deadlock, 12 for a safety violation, 13 for
// a liveness lasso).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daxmc } from '../cli/helpers';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'traces', 'dax');

function itfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? itfFiles(join(dir, e.name)) : e.name.endsWith('.itf.json') ? [join(dir, e.name)] : [],
  );
}

describe('golden traces replay', () => {
  const files = itfFiles(DIR).sort();
  it('exist', () => expect(files.length).toBeGreaterThan(40));
  for (const f of files) {
    it(relative(ROOT, f), async () => {
      const r = await daxmc(['replay', f, '--format', 'json']);
      expect(r.err).toBe('');
      expect([11, 12, 13]).toContain(r.code);
    });
  }
});
