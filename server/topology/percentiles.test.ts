import { describe, expect, it } from 'vitest';
import {
  INF_BUCKET_KEY,
  bucketOfMs,
  cumulativeBuckets,
  histogramQuantileMs,
  latencyPercentiles,
  mergeBuckets,
} from './percentiles';

// Every expected value below is computed by hand with Prometheus's bucketQuantile rules.
describe('histogramQuantileMs (Prometheus histogram_quantile)', () => {
  it('interpolates linearly inside the bucket, from the previous bound of the full ladder', () => {
    // Only the (10, 25] ms bucket holds data; Prometheus would see 0.5/1/5/10 ms buckets empty.
    const counts = { '25000': 10 };
    expect(histogramQuantileMs(0.5, counts)).toBeCloseTo(17.5, 10); // 10 + 15 * 5/10
    expect(histogramQuantileMs(0.95, counts)).toBeCloseTo(24.25, 10); // 10 + 15 * 9.5/10
  });

  it('starts the first bucket at 0', () => {
    expect(histogramQuantileMs(0.5, { '500': 2 })).toBeCloseTo(0.25, 10); // 0 + 0.5 * 1/2
  });

  it('returns the highest finite bound when the rank falls in +Inf', () => {
    const counts = { '1000': 4, '5000': 4, [INF_BUCKET_KEY]: 2 };
    expect(histogramQuantileMs(0.9, counts)).toBe(3_600_000);
    expect(histogramQuantileMs(0.5, counts)).toBeCloseTo(2, 10); // (1, 5]: 1 + 4 * 1/4
    expect(histogramQuantileMs(0.8, counts)).toBeCloseTo(5, 10); // rank 8 = cumulative 8: upper bound
  });

  it('picks the first bucket whose cumulative count reaches the rank (rank on a boundary)', () => {
    // rank 5 reaches the 1 ms bucket exactly: its upper bound, not the next bucket.
    expect(histogramQuantileMs(0.5, { '1000': 5, '5000': 5 })).toBeCloseTo(
      1,
      10,
    );
  });

  it('uses bounds that are not on the default ladder (custom buckets)', () => {
    // ladder 5 ms, 7 ms, 10 ms: (5, 7] holds everything.
    expect(histogramQuantileMs(0.5, { '7000': 10 })).toBeCloseTo(6, 10);
  });

  it('is null for an empty histogram and follows Prometheus outside [0, 1]', () => {
    expect(histogramQuantileMs(0.5, {})).toBeNull();
    expect(histogramQuantileMs(0.5, { '1000': 0 })).toBeNull();
    expect(histogramQuantileMs(1.5, { '1000': 1 })).toBe(Infinity);
    expect(histogramQuantileMs(-0.5, { '1000': 1 })).toBe(-Infinity);
  });

  it('treats negative counts (a counter reset inside a minute) as empty buckets', () => {
    expect(histogramQuantileMs(0.5, { '1000': -3, '25000': 4 })).toBeCloseTo(
      17.5,
      10,
    );
  });

  it('accepts the +Inf key however UInt64 max was serialised', () => {
    expect(
      histogramQuantileMs(0.99, { '1000': 1, '1.8446744073709552e19': 99 }),
    ).toBe(3_600_000);
  });

  it('gives p50/p90/p95/p99 together', () => {
    const counts = { '5000': 50, '10000': 40, '25000': 10 };
    expect(latencyPercentiles(counts)).toEqual({
      p50: 5, // rank 50 = cumulative of (1, 5]
      p90: 10, // rank 90 = cumulative of (5, 10]
      p95: 17.5, // (10, 25]: 10 + 15 * 5/10
      p99: 23.5, // 10 + 15 * 9/10
    });
    expect(latencyPercentiles({})).toEqual({
      p50: null,
      p90: null,
      p95: null,
      p99: null,
    });
  });
});

describe('histogram helpers', () => {
  it('builds the cumulative ladder with a trailing +Inf bucket', () => {
    const c = cumulativeBuckets({ '1000': 2, [INF_BUCKET_KEY]: 1 });
    expect(c[0]).toEqual({ upperUs: 500, cumulative: 0 });
    expect(c[1]).toEqual({ upperUs: 1000, cumulative: 2 });
    expect(c[c.length - 1]).toEqual({ upperUs: Infinity, cumulative: 3 });
  });

  it('finds the bucket of a value', () => {
    expect(bucketOfMs(12)).toEqual({ lowerMs: 10, upperMs: 25 });
    expect(bucketOfMs(25)).toEqual({ lowerMs: 10, upperMs: 25 });
    expect(bucketOfMs(0.2)).toEqual({ lowerMs: 0, upperMs: 0.5 });
    expect(bucketOfMs(5e6).upperMs).toBe(Infinity);
  });

  it('merges bucket maps', () => {
    expect(mergeBuckets({ '1000': 1 }, { '1000': 2, '5000': 1 })).toEqual({
      '1000': 3,
      '5000': 1,
    });
  });
});
