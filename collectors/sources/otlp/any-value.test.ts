import { describe, expect, it } from 'vitest';
import {
  anyValueToString,
  attributesToMap,
  idToHex,
  int64ToString,
} from './any-value';

describe('anyValueToString', () => {
  it('flattens every AnyValue kind as the ClickHouse exporter does', () => {
    expect(anyValueToString({ stringValue: 'a' })).toBe('a');
    expect(anyValueToString({ boolValue: false })).toBe('false');
    expect(anyValueToString({ intValue: '-9223372036854775808' })).toBe(
      '-9223372036854775808',
    );
    expect(anyValueToString({ doubleValue: 0.1 })).toBe('0.1');
    expect(anyValueToString({ bytesValue: new Uint8Array([1, 2, 3]) })).toBe(
      'AQID',
    );
    expect(
      anyValueToString({
        arrayValue: {
          values: [{ stringValue: 'x' }, { intValue: 2 }, { boolValue: true }],
        },
      }),
    ).toBe('["x",2,true]');
    expect(
      anyValueToString({
        kvlistValue: {
          values: [{ key: 'k', value: { arrayValue: { values: [] } } }],
        },
      }),
    ).toBe('{"k":[]}');
    expect(anyValueToString({})).toBe('');
  });
  it('uses the protobufjs oneof name, not the prototype defaults', () => {
    expect(
      anyValueToString({
        value: 'intValue',
        stringValue: '',
        intValue: { low: 5, high: 0 },
      }),
    ).toBe('5');
  });
  it('keeps int64 exact past 2^53, signed', () => {
    expect(int64ToString({ low: -1, high: -1 })).toBe('-1');
    expect(int64ToString({ low: 0, high: 0x7fffffff })).toBe(
      '9223372032559808512',
    );
  });
  it('ignores junk attributes instead of throwing', () => {
    expect(
      attributesToMap([
        { key: 'a', value: { stringValue: '1' } },
        null as never,
        { key: 5 as never },
      ]),
    ).toEqual({ a: '1' });
    expect(attributesToMap('nope' as never)).toEqual({});
  });
});

describe('idToHex', () => {
  it('reads bytes, hex of any case and base64', () => {
    expect(idToHex(new Uint8Array(8).fill(0xab), 8)).toBe('abababababababab');
    expect(idToHex('EEE19B7EC3C1B174', 8)).toBe('eee19b7ec3c1b174');
    expect(idToHex('Sc130fnc2TY=', 8)).toBe('49cd77d1f9dcd936');
    expect(idToHex('', 8)).toBe('');
  });
  it('refuses wrong lengths and all-zero ids', () => {
    expect(idToHex(new Uint8Array(7), 8)).toBeUndefined();
    expect(idToHex('0000000000000000', 8)).toBeUndefined();
    expect(idToHex('abc', 8)).toBeUndefined();
  });
});
