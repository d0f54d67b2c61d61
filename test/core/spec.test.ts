// The small helpers of the spec contract and the error classes the CLI maps to exit codes.
import { describe, expect, it } from 'vitest';
import { SpecError, TraceFileError, UsageError, messageOf } from '../../src/core/errors';
import { formatLabel, labelOf } from '../../src/core/spec';
import { chain } from '../fixtures/specs';
import { buildDieHard } from '../../specs/examples/die-hard';

describe('action labels', () => {
  it('labelOf gives the name and actor (null when none); formatLabel prefixes the actor', () => {
    expect(labelOf(chain(2), 1)).toEqual({ name: 'Step', actor: 'p' });
    expect(labelOf(buildDieHard(true), 0)).toEqual({ name: 'FillSmallJug', actor: null });
    expect(formatLabel({ name: 'lock_page', actor: 't1' })).toBe('t1: lock_page');
    expect(formatLabel({ name: 'TMCommit', actor: null })).toBe('TMCommit');
  });
});

describe('errors', () => {
  it('each class keeps its name, so the CLI can tell them apart', () => {
    expect(new SpecError('x').name).toBe('SpecError');
    expect(new TraceFileError('x').name).toBe('TraceFileError');
    expect(new UsageError('x').name).toBe('UsageError');
    expect(new SpecError('x')).toBeInstanceOf(Error);
    expect(messageOf(new UsageError('no such spec'))).toBe('no such spec');
    expect(messageOf('plain')).toBe('plain');
  });
});
