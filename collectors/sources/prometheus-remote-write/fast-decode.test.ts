import { describe, expect, it } from 'vitest';
import {
  encodeWriteRequest,
  type RwSeries,
} from '~/test/fixtures/metrics/remote-write';
import { seriesId } from '../prometheus-shared/series';
import { decodeSnappy, decodeWriteRequestV1, STALE_NAN } from './decode';
import { decodeNormalizeV1, SeriesByLabelBytes } from './fast-decode';
import { FamilyTypes, normalizeWrite } from './normalize';

/** What the protobufjs path gives, series ids filled in as the ingester computes them. */
function slow(bytes: Buffer, families: FamilyTypes) {
  const wire = decodeWriteRequestV1(bytes);
  for (const [f, t] of wire.metadata) families.set(f, t);
  const n = normalizeWrite(wire.series, families);
  return {
    ...n,
    samples: n.samples.map((s) => ({
      ...s,
      seriesId: seriesId(s.name, s.labels),
    })),
  };
}

const body = (
  series: RwSeries[],
  metadata: { type: number; metric_family_name: string }[] = [],
) => decodeSnappy(encodeWriteRequest(series, metadata), 1 << 20);

const histogram = (ts: number, n: number): RwSeries[] => [
  {
    labels: { __name__: 'lat_count', job: 'j', instance: 'i:1' },
    samples: [{ value: n, timestamp: ts }],
  },
  ...['5', '1e+01', '+Inf'].map((le, k) => ({
    labels: { __name__: 'lat_bucket', job: 'j', instance: 'i:1', le },
    samples: [{ value: n * (k + 1), timestamp: ts }],
  })),
  {
    labels: { __name__: 'req_total', job: 'j', réseau: 'ünïcode ☃' },
    samples: [
      { value: n, timestamp: ts },
      { value: STALE_NAN, timestamp: ts + 1000 },
    ],
  },
  {
    labels: { __name__: 'g', a: '', b: 'x' },
    samples: [{ value: NaN, timestamp: ts }],
  },
  { labels: { __name__: 'empty' }, samples: [] },
];

describe('fast remote_write decode', () => {
  it('gives exactly what the protobufjs path gives, first sight and cached', () => {
    const fastFamilies = new FamilyTypes();
    const slowFamilies = new FamilyTypes();
    const known = new SeriesByLabelBytes(1000);
    const bodies = [
      body(histogram(1_700_000_000_000, 3)),
      body(histogram(1_700_000_060_000, 7)),
      // metadata arrives: cached types are inferred again
      body(histogram(1_700_000_120_000, 9), [
        { type: 2, metric_family_name: 'req_total' },
      ]),
      body(histogram(1_700_000_180_000, 11)),
    ];
    for (const b of bodies) {
      const fast = decodeNormalizeV1(b, fastFamilies, known).normalized;
      expect(fast).toEqual(slow(b, slowFamilies));
    }
    expect(known.map.size).toBe(6);
    const last = decodeNormalizeV1(bodies[3]!, fastFamilies, known).normalized;
    expect(last.samples.find((s) => s.name === 'req_total')?.type).toBe(
      'gauge',
    );
    expect(last.samples.find((s) => s.name === 'lat_count')?.type).toBe(
      'histogram',
    );
    expect(
      last.samples.filter((s) => s.name === 'req_total').map((s) => s.stale),
    ).toEqual([false, true]);
  });

  it('hands a refused series to the slow path, which gives the reason', () => {
    const b = body([
      {
        labels: { __name__: 'ok', a: 'b' },
        samples: [{ value: 1, timestamp: 1 }],
      },
      { labels: { a: 'no name' }, samples: [{ value: 1, timestamp: 1 }] },
    ]);
    const fast = decodeNormalizeV1(
      b,
      new FamilyTypes(),
      new SeriesByLabelBytes(10),
    ).normalized;
    expect(fast.samples.map((s) => s.name)).toEqual(['ok']);
    expect(fast.rejected.map((r) => r.reason)).toEqual(['no __name__ label']);
  });

  it('throws the protobufjs DecodeError for bytes that do not parse', () => {
    expect(() =>
      decodeNormalizeV1(
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]),
        new FamilyTypes(),
        new SeriesByLabelBytes(10),
      ),
    ).toThrow(/not a protobuf prometheus.WriteRequest/);
  });
});
