import { describe, expect, it } from 'vitest';
import { ByteWriter, codecOf } from './native-block';

function encode(type: string, values: unknown[]): Buffer {
  const w = new ByteWriter(16);
  codecOf(type)!.encode(w, values);
  return Buffer.from(w.bytes());
}

describe('Native column encoders', () => {
  it('prefixes strings with their UTF-8 byte length as a varint, across the 1-2 byte boundary', () => {
    for (const s of [
      '',
      'abc',
      'x'.repeat(127),
      'x'.repeat(128),
      'é'.repeat(63),
      'é'.repeat(64),
      '😀'.repeat(40),
      'y'.repeat(20_000),
    ]) {
      const bytes = Buffer.from(s, 'utf8');
      const out = encode('String', [s]);
      const len = bytes.length;
      const prefix =
        len < 128
          ? [len]
          : len < 16384
            ? [(len & 0x7f) | 0x80, len >> 7]
            : [(len & 0x7f) | 0x80, ((len >> 7) & 0x7f) | 0x80, len >> 14];
      expect(out.subarray(0, prefix.length)).toEqual(Buffer.from(prefix));
      expect(out.subarray(prefix.length).toString('utf8')).toBe(s);
    }
  });

  it('writes a whole column the same whether it is all short ASCII or not', () => {
    const expected = (values: string[]) =>
      Buffer.concat(
        values.map((v) => {
          const b = Buffer.from(v, 'utf8');
          const len =
            b.length < 128
              ? [b.length]
              : [(b.length & 0x7f) | 0x80, b.length >> 7];
          return Buffer.concat([Buffer.from(len), b]);
        }),
      );
    const ascii = ['', 'http', 'reviews.bookinfo', 'x'.repeat(127), '\t"\\'];
    expect(encode('String', ascii)).toEqual(expected(ascii));
    for (const odd of ['\u0080', 'é', 'Ā', '😀', '\ud800', 'y'.repeat(128)]) {
      const mixed = [...ascii, odd, 'after'];
      expect(encode('String', mixed)).toEqual(expected(mixed));
    }
    expect(encode('String', [7, true, null, { a: 1 }])).toEqual(
      expected(['7', 'true', '', '{"a":1}']),
    );
  });

  it('writes DateTime64(9) ticks exactly (beyond a double), for text with any fraction or offset', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const sec = rand(2 ** 31) * 2 + rand(2);
      const ns = rand(1e9);
      const text = `${new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${String(ns).padStart(9, '0')}`;
      const want = BigInt(sec) * 1_000_000_000n + BigInt(ns);
      expect(encode('DateTime64(9)', [text]).readBigInt64LE(0)).toBe(want);
    }
    const ticks = (type: string, v: unknown) =>
      encode(type, [v]).readBigInt64LE(0);
    expect(ticks('DateTime64(3)', '2026-11-24T10:00:00.5+01:00')).toBe(
      BigInt(Date.UTC(2026, 10, 24, 9, 0, 0, 500)),
    );
    expect(ticks('DateTime64(3)', '2026-11-24T10:00:00.123456Z')).toBe(
      BigInt(Date.UTC(2026, 10, 24, 10, 0, 0, 123)),
    );
    expect(ticks('DateTime64(6)', '2026-11-24')).toBe(
      BigInt(Date.UTC(2026, 10, 24)) * 1000n,
    );
    expect(ticks("DateTime64(3, 'UTC')", 1795514400.25)).toBe(1795514400250n);
    expect(ticks('DateTime64(9)', '1969-12-31 23:59:59.5')).toBe(-500_000_000n);
  });

  it('refuses what the column cannot hold instead of storing something else', () => {
    expect(() => encode('UInt8', [256])).toThrow(/into a UInt8 column/);
    expect(() => encode('UInt64', ['-1'])).toThrow(/into a UInt64 column/);
    expect(() => encode('Int32', [1.5])).toThrow(/into a Int32 column/);
    expect(() => encode('Array(String)', ['not an array'])).toThrow(/Array/);
    expect(() => encode('DateTime', ['tomorrow'])).toThrow(/DateTime/);
  });

  it('has no encoder for types it does not write, so those rows go inline', () => {
    expect(codecOf('AggregateFunction(quantilesTDigest(0.5), Float64)')).toBe(
      undefined,
    );
    expect(codecOf("Enum8('a' = 1)")).toBe(undefined);
    expect(codecOf('Map(LowCardinality(String), String)')?.wireType).toBe(
      'Map(String, String)',
    );
    expect(
      codecOf('SimpleAggregateFunction(sumMap, Map(UInt64, Float64))')
        ?.wireType,
    ).toBe('Map(UInt64, Float64)');
  });
});
