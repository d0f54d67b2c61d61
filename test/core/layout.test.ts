// The packed layout: offsets and width, encode/decode round trips (keyed arrays decode to
// OrderedMap, unkeyed ones to List, records to OrderedMap), domain checks and error messages.
import { List, Map as IMap, OrderedMap, is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/core/errors';
import { arrayOf, bool, defineLayout, enumOf, intRange, recordOf } from '../../src/core/layout';

const PC = enumOf('idle', 'lock', 'done');
const layout = defineLayout({
  pc: arrayOf(2, PC, ['t1', 't2']),
  held: bool,
  counts: arrayOf(3, intRange(0, 9)),
  page: recordOf({ state: enumOf('hole', 'written'), block: intRange(1, 4), dirty: bool }),
});

const sample = {
  pc: { t1: 'lock', t2: 'done' },
  held: true,
  counts: [3, 0, 9],
  page: { state: 'written', block: 4, dirty: false },
};

describe('defineLayout', () => {
  it('lays variables out row-major, one byte per scalar, width padded to 4', () => {
    expect(layout.names).toEqual(['pc', 'held', 'counts', 'page']);
    expect(layout.at).toEqual({ pc: 0, held: 2, counts: 3, page: 6 });
    expect(layout.spans.page).toEqual({ offset: 6, size: 3 });
    expect(layout.width).toBe(12);
    expect(layout.slots.map((s) => s.path)).toEqual([
      'pc[t1]',
      'pc[t2]',
      'held',
      'counts[0]',
      'counts[1]',
      'counts[2]',
      'page.state',
      'page.block',
      'page.dirty',
    ]);
    expect(layout.slots[7]).toMatchObject({ minCode: 1, maxCode: 4 });
    expect(PC.code).toEqual({ idle: 0, lock: 1, done: 2 });
  });

  it('a one-byte layout still has a 4-byte width (the hash reads 32-bit words)', () => {
    expect(defineLayout({ x: bool }).width).toBe(4);
    expect(defineLayout({ x: arrayOf(5, bool) }).width).toBe(8);
  });

  it('encodes plain values into slot values, packed into the expected bytes', () => {
    const s = layout.encode(sample);
    expect(s).toBeInstanceOf(Float64Array);
    expect(Array.from(s)).toEqual([1, 2, 1, 3, 0, 9, 1, 4, 0]);
    const bytes = new Uint8Array(layout.width);
    layout.pack(s, bytes);
    expect(Array.from(bytes)).toEqual([1, 2, 1, 3, 0, 9, 1, 4, 0, 0, 0, 0]);
    const back = new Float64Array(9);
    layout.unpack(bytes, 0, back);
    expect(Array.from(back)).toEqual(Array.from(s));
    expect(layout.bytesOnly).toBe(true);
  });

  it('decodes keyed arrays to OrderedMap, unkeyed arrays to List, records to OrderedMap', () => {
    const v = layout.decode(layout.encode(sample));
    expect(OrderedMap.isOrderedMap(v)).toBe(true);
    expect(OrderedMap.isOrderedMap(v.get('pc'))).toBe(true);
    expect(List.isList(v.get('counts'))).toBe(true);
    expect(OrderedMap.isOrderedMap(v.get('page'))).toBe(true);
    expect(v.toJS()).toEqual(sample);
    expect([...(v.get('pc') as OrderedMap<string, string>).keys()]).toEqual(['t1', 't2']);
    expect([...(v.get('page') as OrderedMap<string, unknown>).keys()]).toEqual(['state', 'block', 'dirty']);
  });

  it('round-trips: decode(encode(v)) equals v, and encode(decode(s)) gives the same bytes', () => {
    const s = layout.encode(sample);
    const v = layout.decode(s);
    expect(Array.from(layout.encode(v))).toEqual(Array.from(s));
    expect(is(layout.decode(layout.encode(v)), v)).toBe(true);
    // Every value of every slot, one slot at a time.
    for (let i = 0; i < layout.slots.length; i++) {
      for (let c = layout.slots[i].minCode; c <= layout.slots[i].maxCode; c++) {
        const t = s.slice();
        t[i] = c;
        expect(Array.from(layout.encode(layout.decode(t)))).toEqual(Array.from(t));
      }
    }
  });

  it('encodes Immutable and JS Map values as well as plain ones', () => {
    const v = IMap<string, unknown>({
      pc: IMap({ t1: 'lock', t2: 'done' }),
      held: true,
      counts: List([3, 0, 9]),
      page: new Map<string, unknown>([
        ['state', 'written'],
        ['block', 4],
        ['dirty', false],
      ]),
    });
    expect(Array.from(layout.encode(v))).toEqual(Array.from(layout.encode(sample)));
    // A keyed array may also be given as a list in key order.
    expect(Array.from(layout.encode({ ...sample, pc: ['lock', 'done'] }))).toEqual(Array.from(layout.encode(sample)));
  });

  it('firstInvalidSlot finds a value outside its domain (or not a whole number); describeSlotValue names it', () => {
    const s = layout.encode(sample);
    expect(layout.firstInvalidSlot(s)).toBe(-1);
    s[7] = 0; // page.block is 1..4
    expect(layout.firstInvalidSlot(s)).toBe(7);
    expect(layout.describeSlotValue(7, 0)).toBe('page.block = 0 (domain 1..4)');
    s[1] = 3; // pc[t2] has 3 values
    expect(layout.firstInvalidSlot(s)).toBe(1);
    expect(layout.describeSlotValue(1, 3)).toBe('pc[t2] = 3 (domain {idle, lock, done})');
    expect(layout.describeSlotValue(2, 2)).toBe('held = 2 (domain boolean)');
    const t = layout.encode(sample);
    t[4] = 2.5;
    expect(layout.firstInvalidSlot(t)).toBe(4);
    t[4] = NaN;
    expect(layout.firstInvalidSlot(t)).toBe(4);
    expect(layout.describeSlotValue(4, NaN)).toBe('counts[1] = NaN, not a number (a string, an object or undefined was written) (domain 0..9)');
    t[4] = 256;
    expect(layout.firstInvalidSlot(t)).toBe(4);
  });
});

describe('slots wider than a byte', () => {
  const wide = defineLayout({
    beans: intRange(0, 1000),
    temp: intRange(-40, 40),
    delta: intRange(-1000, 1000),
    big: intRange(-(2 ** 31), 2 ** 31 - 1),
    count: intRange(0, 70_000),
    flag: bool,
    many: enumOf(...Array.from({ length: 300 }, (_, i) => `v${i}`)),
  });

  it('takes 1, 2 or 4 bytes a slot from the domain, signed where it holds negative values', () => {
    expect(wide.slots.map((s) => [s.path, s.bytes, s.signed, s.offset])).toEqual([
      ['beans', 2, false, 0],
      ['temp', 1, true, 2],
      ['delta', 2, true, 3],
      ['big', 4, true, 5],
      ['count', 4, false, 9],
      ['flag', 1, false, 13],
      ['many', 2, false, 14],
    ]);
    expect(wide.width).toBe(16);
    expect(wide.bytesOnly).toBe(false);
    expect(wide.at).toEqual({ beans: 0, temp: 1, delta: 2, big: 3, count: 4, flag: 5, many: 6 });
  });

  it('packs and unpacks every corner of each domain', () => {
    const corners = [
      { beans: 0, temp: -40, delta: -1000, big: -(2 ** 31), count: 0, flag: false, many: 'v0' },
      { beans: 1000, temp: 40, delta: 1000, big: 2 ** 31 - 1, count: 70_000, flag: true, many: 'v299' },
      { beans: 255, temp: -1, delta: -129, big: -65_536, count: 65_535, flag: true, many: 'v256' },
      { beans: 256, temp: 0, delta: 128, big: 65_536, count: 65_536, flag: false, many: 'v255' },
    ];
    const bytes = new Uint8Array(wide.width + 4);
    for (const v of corners) {
      const s = wide.encode(v);
      wide.pack(s, bytes, 4);
      const back = new Float64Array(wide.slots.length);
      wide.unpack(bytes, 4, back);
      expect(Array.from(back)).toEqual(Array.from(s));
      expect(wide.decode(back).toJS()).toEqual(v);
    }
    // Little-endian, two's complement: delta = -2 is fe ff.
    const s = wide.encode({ ...corners[0], delta: -2 });
    wide.pack(s, bytes);
    expect([bytes[3], bytes[4]]).toEqual([0xfe, 0xff]);
  });

  it('refuses values outside the range, and names them', () => {
    expect(() => wide.encode({ beans: 1001, temp: 0, delta: 0, big: 0, count: 0, flag: false, many: 'v0' })).toThrow('state.beans: expected an integer in 0..1000, got 1001');
    const s = wide.encode({ beans: 0, temp: 0, delta: 0, big: 0, count: 0, flag: false, many: 'v0' });
    s[1] = -41;
    expect(wide.firstInvalidSlot(s)).toBe(1);
    expect(wide.describeSlotValue(1, -41)).toBe('temp = -41 (domain -40..40)');
  });
});

describe('layout errors are SpecErrors with the path of the value', () => {
  const bad = (v: unknown): string => {
    try {
      layout.encode(v);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return (e as Error).message;
    }
    throw new Error('encode accepted a bad value');
  };

  it('a plain object or array where a scalar is expected', () => {
    expect(bad({ ...sample, held: { yes: true } })).toBe('state.held: expected a boolean, got a record');
    expect(bad({ ...sample, counts: [3, [1], 9] })).toBe('state.counts[1]: expected an integer in 0..9, got a list of 1');
    expect(bad({ ...sample, pc: { t1: { x: 1 }, t2: 'done' } })).toBe(
      'state.pc[t1]: expected one of idle, lock, done, got a record',
    );
    expect(bad({ ...sample, page: { ...sample.page, block: [4] } })).toBe(
      'state.page.block: expected an integer in 1..4, got a list of 1',
    );
  });

  it('an undeclared variable, and a declared one left out', () => {
    expect(bad({ ...sample, extra: 1 })).toBe("state: 'extra' is not a declared variable");
    const { held: _held, ...noHeld } = sample;
    expect(bad(noHeld)).toBe("state: variable 'held' is not assigned");
  });

  it('values outside their domain, lists of the wrong length, non-records', () => {
    expect(bad({ ...sample, counts: [3, 0, 10] })).toBe('state.counts[2]: expected an integer in 0..9, got 10');
    expect(bad({ ...sample, counts: [3, 0] })).toBe('state.counts: expected a list of 3, got a list of 2');
    expect(bad({ ...sample, pc: { t1: 'lock', t2: 'sleeping' } })).toBe(
      "state.pc[t2]: 'sleeping' is not one of idle, lock, done",
    );
    expect(bad({ ...sample, held: 1 })).toBe('state.held: expected a boolean, got 1');
    expect(bad({ ...sample, page: 'written' })).toBe("state.page: expected a record, got 'written'");
    expect(bad(42)).toBe('state: expected a record of variables, got 42');
    expect(() => layout.encode({ ...sample, held: 'no' }, 'init[2]')).toThrow("init[2].held: expected a boolean, got 'no'");
  });

  it('bad declarations', () => {
    expect(() => enumOf()).toThrow(SpecError);
    expect(() => enumOf('a', 'a')).toThrow('enum values repeat: a, a');
    expect(() => intRange(0, 2 ** 31)).toThrow('-2147483648 <= min <= max <= 2147483647');
    expect(() => intRange(-(2 ** 31) - 1, 0)).toThrow('-2147483648 <= min <= max <= 2147483647');
    expect(() => intRange(0.5, 2)).toThrow(SpecError);
    expect(() => intRange(3, 2)).toThrow(SpecError);
    expect(() => arrayOf(2, bool, ['a'])).toThrow('array keys (1) must match its length (2)');
    expect(() => arrayOf(1.5, bool)).toThrow(SpecError);
    expect(() => defineLayout({})).toThrow('a layout needs at least one variable');
  });
});
