import { List, Map, OrderedMap, Set } from 'immutable';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../src/render/value';

describe('formatValue (TLA+ style)', () => {
  it('prints scalars as TLA+ does', () => {
    expect(formatValue('working')).toBe('"working"');
    expect(formatValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(formatValue(true)).toBe('TRUE');
    expect(formatValue(false)).toBe('FALSE');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('prints lists as sequences and records with |->', () => {
    expect(formatValue(List([1, 2, 3]))).toBe('<<1, 2, 3>>');
    expect(formatValue(List())).toBe('<<>>');
    expect(formatValue(List([List([0]), List([])]))).toBe('<<<<0>>, <<>>>>');
    expect(formatValue(OrderedMap({ rm1: 'working', rm2: 'aborted' }))).toBe('[rm1 |-> "working", rm2 |-> "aborted"]');
    expect(formatValue(OrderedMap({ b: true, a: List([false]) }))).toBe('[b |-> TRUE, a |-> <<FALSE>>]');
  });

  it('quotes record keys that are not identifiers', () => {
    expect(formatValue(OrderedMap({ 'sb_writers[WRITE]': 0, i_mutex: 1 }))).toBe('["sb_writers[WRITE]" |-> 0, i_mutex |-> 1]');
    expect(formatValue(Map([[1, 'x']]))).toBe('[1 |-> "x"]');
  });

  it('prints sets with braces', () => {
    expect(formatValue(Set(['a']))).toBe('{"a"}');
  });
});
