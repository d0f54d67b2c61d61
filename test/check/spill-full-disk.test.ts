// The seen table's spill file on a disk that refuses it: the search ends incomplete with limit
// kind `disk` and the figures reached, never an internal error. The refusing disk is /dev/full
// behind the name of the file the first merge writes (root ignores file permissions, and no
// test mounts a file system).
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/explore';
import { buildSpec } from '../../src/run';
import { twoPhase } from '../../specs/examples/two-phase';
import { tempDir } from '../cli/helpers';

describe('a full disk while spilling', () => {
  it('ends the run incomplete (disk) at the first merge, with its figures; the run file is removed', async () => {
    const dir = tempDir();
    symlinkSync('/dev/full', join(dir, 'fingerprints.run.next'));
    const r = await check(buildSpec(twoPhase, 'rm5').spec, { spill: { memoryEntries: 1000, dir } });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toEqual({ kind: 'disk', detail: "the disk refused the seen table's spill file: no space left on the device" });
    expect({ distinct: r.stats.distinct, spilled: r.stats.spilled, merges: r.stats.merges }).toEqual({ distinct: 1000, spilled: 0, merges: 0 });
    expect(r.stats.generated).toBe(3792);
    // close() removed what it wrote (the link in place of its next run file included).
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the same search with room on the disk passes over all 8,832 states', async () => {
    const r = await check(buildSpec(twoPhase, 'rm5').spec, { spill: { memoryEntries: 1000, dir: tempDir() } });
    expect(r.verdict).toBe('pass');
    expect(r.stats.distinct).toBe(8832);
  });
});
