// daxmc's error classes recognise their instances by brand, not by class identity: an error made
// by a second copy of src/core/errors.ts (a spec file whose 'daxmc' is another installation) is
// still a SpecError to the CLI, with its exit code. Not the messages (test/cli does those).
import { describe, expect, it, vi } from 'vitest';
import * as ours from '../../src/core/errors';
import { exitCodeOfError } from '../../src/cli/exit-codes';

async function otherCopy(): Promise<typeof ours> {
  vi.resetModules();
  return import('../../src/core/errors');
}

describe('error brands', () => {
  it("an error of another copy of the module is an instance of this copy's class, and of its ancestors only", async () => {
    const theirs = await otherCopy();
    expect(theirs.SpecError).not.toBe(ours.SpecError);
    const mistake = new theirs.SpecMistake('x');
    expect(mistake instanceof ours.SpecMistake).toBe(true);
    expect(mistake instanceof ours.SpecError).toBe(true);
    expect(mistake instanceof Error).toBe(true);
    const spec = new theirs.SpecError('x');
    expect([spec instanceof ours.SpecError, spec instanceof ours.SpecMistake, spec instanceof ours.UsageError]).toEqual([true, false, false]);
    const usage = new theirs.UsageError('x');
    expect([usage instanceof ours.UsageError, usage instanceof ours.SpecError, usage instanceof ours.OutputError, usage instanceof ours.TraceFileError]).toEqual([true, false, false, false]);
    expect(new theirs.TraceFileError('x') instanceof ours.TraceFileError).toBe(true);
    expect(new theirs.OutputError('x') instanceof ours.OutputError).toBe(true);
    expect([spec.name, mistake.name, usage.name, mistake.message]).toEqual(['SpecError', 'SpecError', 'UsageError', 'x']);
  });

  it('gives the exit code of the kind, whichever copy made the error; a look-alike is not one', async () => {
    const theirs = await otherCopy();
    expect([new theirs.SpecMistake('x'), new theirs.UsageError('x'), new theirs.TraceFileError('x'), new theirs.OutputError('x')].map(exitCodeOfError)).toEqual([3, 2, 4, 2]);
    const lookAlike = Object.assign(new Error('x'), { name: 'SpecError' });
    expect(lookAlike instanceof ours.SpecError).toBe(false);
    expect([exitCodeOfError(lookAlike), exitCodeOfError('SpecError'), exitCodeOfError(null)]).toEqual([1, 1, 1]);
  });
});
