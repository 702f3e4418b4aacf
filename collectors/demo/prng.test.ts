import { describe, expect, it } from 'vitest';
import { Rng, hash32, rngFor } from './prng';

describe('prng', () => {
  it('gives the same stream for the same label and a different one for another', () => {
    const a = rngFor(7, 'edge', 'x', 1000);
    const b = rngFor(7, 'edge', 'x', 1000);
    const c = rngFor(8, 'edge', 'x', 1000);
    const seqA = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws uniform floats, bounded integers and percentages', () => {
    const rng = new Rng('uniform');
    let sum = 0;
    let hits = 0;
    let outOfRange = 0;
    const ints = new Set<number>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outOfRange++;
      sum += x;
      ints.add(rng.int(3, 5));
      if (rng.chance(10)) hits++;
    }
    expect(outOfRange).toBe(0);
    expect([...ints].sort()).toEqual([3, 4, 5]);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(hits / n).toBeGreaterThan(0.095);
    expect(hits / n).toBeLessThan(0.105);
  });

  it('picks by weight and makes ids of the right shape', () => {
    const rng = new Rng('weights');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 20_000; i++)
      counts[
        rng.pickWeighted(['a', 'b'] as const, (x) => (x === 'a' ? 3 : 1))
      ]++;
    expect(counts.a / 20_000).toBeGreaterThan(0.73);
    expect(counts.a / 20_000).toBeLessThan(0.77);
    expect(rng.hex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(rng.hex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(rng.uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(hash32('abc')).toBe(hash32('abc'));
    expect(hash32('abc')).not.toBe(hash32('abd'));
  });
});
