import { describe, expect, it } from 'vitest';
import {
  durationNs,
  formatDateTime64,
  unixMicrosParts,
  unixNanosParts,
} from './time';

describe('unixNanosParts', () => {
  it('keeps every nanosecond of a decimal string beyond 2^53', () => {
    expect(unixNanosParts('1795514400123456789')).toEqual({
      seconds: 1795514400,
      nanos: 123456789,
    });
  });
  it('splits a protobufjs Long (unsigned fixed64) exactly', () => {
    // 1795514400123456789 = 0x18EB0E8E_C1D2F515
    const ns = 1795514400123456789n;
    const long = {
      low: Number(ns & 0xffffffffn) | 0,
      high: Number(ns >> 32n) | 0,
    };
    expect(unixNanosParts(long)).toEqual({
      seconds: 1795514400,
      nanos: 123456789,
    });
  });
  it('takes small numbers and refuses junk', () => {
    expect(unixNanosParts(1500)).toEqual({ seconds: 0, nanos: 1500 });
    expect(unixNanosParts('12abc')).toBeUndefined();
    expect(unixNanosParts(-1)).toBeUndefined();
    expect(unixNanosParts(null)).toBeUndefined();
  });
});

describe('formatDateTime64', () => {
  it('writes UTC with nine fraction digits', () => {
    expect(formatDateTime64({ seconds: 1795514400, nanos: 5 })).toBe(
      '2026-11-24 10:00:00.000000005',
    );
    expect(formatDateTime64({ seconds: 1795514401, nanos: 999999999 })).toBe(
      '2026-11-24 10:00:01.999999999',
    );
  });
});

describe('durations and microseconds', () => {
  it('subtracts across seconds, and clamps a negative duration to 0', () => {
    expect(
      durationNs({ seconds: 10, nanos: 999999999 }, { seconds: 11, nanos: 1 }),
    ).toBe(2);
    expect(
      durationNs({ seconds: 11, nanos: 0 }, { seconds: 10, nanos: 0 }),
    ).toBe(0);
  });
  it('turns Zipkin microseconds into parts', () => {
    expect(unixMicrosParts(1470150004008762)).toEqual({
      seconds: 1470150004,
      nanos: 8762000,
    });
  });
});
