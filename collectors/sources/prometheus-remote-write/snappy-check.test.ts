import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { checkSnappyBlock } from './snappy-check';

describe('checkSnappyBlock', () => {
  it('accepts what a snappy encoder writes', () => {
    for (const n of [0, 1, 61, 100, 70_000]) {
      const raw = Buffer.from(
        Array.from({ length: n }, (_, i) => (i * 7) % 13),
      );
      expect(() => checkSnappyBlock(snappy.compress(raw))).not.toThrow();
    }
  });

  it('refuses a literal length with the top bit set (snappyjs loops ~2^31 times on it)', () => {
    const body = Buffer.from('8ACDeXOP5Pwn1bGjXQE=', 'base64');
    expect(() => checkSnappyBlock(body)).toThrow(/invalid snappy block/);
  });

  it('refuses copies from before the start, and outputs longer or shorter than claimed', () => {
    expect(() => checkSnappyBlock(Buffer.from([4, 0x01, 0x05]))).toThrow(
      /before the start/,
    );
    expect(() => checkSnappyBlock(Buffer.from([1, 0x04, 0x61, 0x62]))).toThrow(
      /longer/,
    );
    expect(() => checkSnappyBlock(Buffer.from([3, 0x00, 0x61]))).toThrow(
      /shorter/,
    );
  });
});
