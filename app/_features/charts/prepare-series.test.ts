import { describe, expect, it } from 'vitest';
import { histogramBars, redPoints, stackedRates } from './prepare-series';

const point = {
  t: 0,
  requestsPerSecond: 10,
  errorRatio: 0.1,
  connectionsPerSecond: 2,
  bytesPerSecond: 0,
  p50: 1,
  p90: 2,
  p95: 3,
  p99: 4,
};

describe('chart preparation', () => {
  it('splits requests into ok and errors, and uses connections for TCP', () => {
    expect(redPoints([point], false)).toEqual([{ t: 0, ok: 9, errors: 1 }]);
    expect(redPoints([point], true)).toEqual([{ t: 0, ok: 2, errors: 0 }]);
  });

  it('keeps the busiest keys in the given order and folds the rest into "other"', () => {
    const s = stackedRates(
      [
        { t: 0, rates: { '5xx': 1, '2xx': 10, '4xx': 2, 'no response': 0.1 } },
        { t: 60_000, rates: { '2xx': 8 } },
      ],
      { top: 2, order: ['2xx', '4xx', '5xx'] },
    );
    expect(s.keys).toEqual(['2xx', '4xx', 'other']);
    expect(s.points).toEqual([
      { t: 0, '2xx': 10, '4xx': 2, other: 1.1 },
      { t: 60_000, '2xx': 8, '4xx': 0, other: 0 },
    ]);
  });

  it('labels histogram bars by upper bound, +Inf as above the last bound', () => {
    expect(
      histogramBars({
        '25000': 3,
        '1000': 1,
        '18446744073709551615': 2,
        '5000': 0,
      }),
    ).toEqual([
      { label: '≤ 1.00 ms', count: 1 },
      { label: '≤ 25.0 ms', count: 3 },
      { label: '> 25.0 ms', count: 2 },
    ]);
  });
});
