import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { uncompressSnappyBlock } from './snappy-block';

describe('uncompressSnappyBlock', () => {
  it('gives back what a snappy encoder compressed (literals, copies, runs)', () => {
    const inputs = [0, 1, 61, 100, 70_000].map((n) =>
      Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) % 13)),
    );
    inputs.push(Buffer.alloc(100_000, 0x61)); // one long run: overlapping copies
    inputs.push(
      Buffer.from(
        Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24),
      ),
    ); // mostly literals, with long (4-byte length) literal tags
    for (const raw of inputs) {
      const out = uncompressSnappyBlock(snappy.compress(raw), 1 << 20);
      expect(Buffer.compare(out, raw)).toBe(0);
    }
  });

  it('refuses a literal length with the top bit set (snappyjs loops ~2^31 times on it)', () => {
    const body = Buffer.from('8ACDeXOP5Pwn1bGjXQE=', 'base64');
    expect(() => uncompressSnappyBlock(body, 1 << 30)).toThrow(
      /invalid snappy block/,
    );
  });

  it('refuses copies from before the start, outputs longer or shorter than claimed, and bombs', () => {
    expect(() =>
      uncompressSnappyBlock(Buffer.from([4, 0x01, 0x05]), 100),
    ).toThrow(/before the start/);
    expect(() =>
      uncompressSnappyBlock(Buffer.from([1, 0x04, 0x61, 0x62]), 100),
    ).toThrow(/longer/);
    expect(() =>
      uncompressSnappyBlock(Buffer.from([3, 0x00, 0x61]), 100),
    ).toThrow(/shorter/);
    expect(() => uncompressSnappyBlock(Buffer.from([0x0a, 0x61]), 4)).toThrow(
      /over the limit/,
    );
    expect(() => uncompressSnappyBlock(Buffer.from([0x05, 0x0d]), 100)).toThrow(
      /truncated tag/,
    );
  });
});
