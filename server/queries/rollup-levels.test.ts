import { describe, expect, it } from 'vitest';
import { rollupRanges } from './rollup-levels';

const at = (h: number, m: number) => Date.UTC(2025, 0, 1, h, m);
const w = (a: number, b: number) => ({
  startMs: a,
  endMs: b,
  seconds: (b - a) / 1000,
});

describe('which rollup table serves which part of a window', () => {
  it('reads minutes only at the ragged ends, 10-minute buckets up to whole hours, hours between', () => {
    const r = rollupRanges(w(at(9, 57), at(13, 4)), true);
    expect(r.lookbackMs).toBe(at(9, 56));
    expect(r.minutes).toEqual([
      [at(9, 57), at(10, 0)],
      [at(13, 0), at(13, 4)],
    ]);
    expect(r.tenMinutes).toEqual([
      [at(10, 0), at(10, 0)],
      [at(13, 0), at(13, 0)],
    ]);
    expect(r.hours).toEqual([at(10, 0), at(13, 0)]);
  });

  it('uses 10-minute buckets alone when no whole hour fits', () => {
    const r = rollupRanges(w(at(10, 3), at(10, 58)), true);
    expect(r.minutes).toEqual([
      [at(10, 3), at(10, 10)],
      [at(10, 50), at(10, 58)],
    ]);
    expect(r.tenMinutes[0]).toEqual([at(10, 10), at(10, 50)]);
    expect(r.hours[0]).toBe(r.hours[1]);
  });

  it('reads every minute for short windows and when asked to (time series)', () => {
    for (const r of [
      rollupRanges(w(at(10, 3), at(10, 15)), true),
      rollupRanges(w(at(9, 0), at(12, 0)), false),
    ]) {
      expect(r.tenMinutes.every(([a, b]) => a === b)).toBe(true);
      expect(r.hours[0]).toBe(r.hours[1]);
      expect(r.minutes[1][0]).toBe(r.minutes[1][1]);
    }
  });
});
