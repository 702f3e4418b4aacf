import { describe, expect, it } from 'vitest';
import { prepareHeatmap } from './prepare-heatmap';

describe('latency heatmap cells', () => {
  it('gives each step the share of its requests per bucket, fastest bucket first', () => {
    const h = prepareHeatmap([
      { t: 0, buckets: { '25000': 3, '100000': 1 } },
      { t: 60_000, buckets: {} },
      { t: 120_000, buckets: { '18446744073709551615': 2 } },
    ]);
    expect(h.rows).toEqual(['≤ 25.0 ms', '≤ 100 ms', '> 100 ms']);
    expect(h.times).toEqual([0, 60_000, 120_000]);
    expect(h.cells.map((r) => r.map((c) => c.share))).toEqual([
      [0.75, 0, 0],
      [0.25, 0, 0],
      [0, 0, 1],
    ]);
    expect(h.cells[2]![2]!.count).toBe(2);
  });

  it('has no rows without requests', () => {
    expect(prepareHeatmap([{ t: 0, buckets: {} }]).rows).toEqual([]);
  });
});
