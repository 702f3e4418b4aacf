import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  encodeWriteRequest,
  encodeWriteRequestV2,
  type RwSeries,
} from '~/test/fixtures/metrics/remote-write';
import {
  decodeSnappy,
  decodeWriteRequestV1,
  decodeWriteRequestV2,
  DecodeError,
  isStaleMarker,
  STALE_NAN,
  TooLargeError,
} from './decode';
import {
  FamilyTypes,
  inferType,
  labelProblem,
  normalizeWrite,
} from './normalize';
import { writeVersionOf } from './receiver';

const series: RwSeries[] = [
  {
    labels: { __name__: 'istio_requests_total', job: 'p', le: '' },
    samples: [
      { value: 5, timestamp: 1700000000000 },
      { value: STALE_NAN, timestamp: 1700000001000 },
    ],
  },
  {
    labels: { __name__: 'g', a: 'b' },
    samples: [{ value: NaN, timestamp: 1700000000000 }],
  },
];

describe('remote_write decoding', () => {
  it('decodes a v1 body, telling stale markers from ordinary NaN', () => {
    const req = decodeWriteRequestV1(
      decodeSnappy(encodeWriteRequest(series), 1 << 20),
    );
    expect(req.series).toHaveLength(2);
    const [a, b] = req.series;
    expect(a!.labels.find((l) => l.name === '__name__')?.value).toBe(
      'istio_requests_total',
    );
    expect(a!.samples).toEqual([
      { value: 5, tsMs: 1700000000000, stale: false },
      { value: NaN, tsMs: 1700000001000, stale: true },
    ]);
    expect(b!.samples[0]!.stale).toBe(false);
    expect(isStaleMarker(NaN)).toBe(false);
  });

  it('decodes a v2 body through its symbol table', () => {
    const req = decodeWriteRequestV2(
      decodeSnappy(encodeWriteRequestV2(series), 1 << 20),
    );
    expect(req.series[1]!.labels).toEqual([
      { name: '__name__', value: 'g' },
      { name: 'a', value: 'b' },
    ]);
    expect(req.series[0]!.samples[1]!.stale).toBe(true);
  });

  it('refuses a snappy body whose length header is over the limit before inflating it', () => {
    const big = Buffer.from(snappy.compress(Buffer.alloc(2 << 20)));
    expect(big.length).toBeLessThan(200_000);
    expect(() => decodeSnappy(big, 1 << 20)).toThrow(TooLargeError);
  });

  it('refuses bad snappy and bad protobuf with a DecodeError', () => {
    expect(() =>
      decodeSnappy(Buffer.from([0x10, 0xff, 0xff, 0xff]), 1 << 20),
    ).toThrow(DecodeError);
    const notProto = Buffer.from(
      snappy.compress(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])),
    );
    expect(() => decodeWriteRequestV1(decodeSnappy(notProto, 1 << 20))).toThrow(
      DecodeError,
    );
  });

  it('dispatches on Content-Type and answers 415 for others', () => {
    expect(writeVersionOf('application/x-protobuf')).toBe('v1');
    expect(
      writeVersionOf('application/x-protobuf;proto=prometheus.WriteRequest'),
    ).toBe('v1');
    expect(
      writeVersionOf(
        'application/x-protobuf;proto=io.prometheus.write.v2.Request',
      ),
    ).toBe('v2');
    expect(() => writeVersionOf('application/json')).toThrow(
      expect.objectContaining({ status: 415 }) as Error,
    );
    expect(() =>
      writeVersionOf('application/x-protobuf;proto=foo.Bar'),
    ).toThrow(/prometheus.WriteRequest/);
  });
});

describe('remote_write normalization', () => {
  it('refuses series with invalid labels and keeps the rest', () => {
    expect(labelProblem([{ name: 'a', value: 'b' }])).toBe('no __name__ label');
    expect(
      labelProblem([
        { name: '__name__', value: 'x' },
        { name: '', value: 'b' },
      ]),
    ).toMatch(/empty name/);
    expect(
      labelProblem([
        { name: '__name__', value: 'x' },
        { name: 'a', value: 'x'.repeat(20_000) },
      ]),
    ).toMatch(/over 16384 bytes/);
    const out = normalizeWrite(
      [
        {
          labels: [{ name: 'a', value: 'b' }],
          samples: [{ value: 1, tsMs: 1, stale: false }],
          histograms: 0,
        },
        {
          labels: [{ name: '__name__', value: 'x_total' }],
          samples: [{ value: 1, tsMs: 1, stale: false }],
          histograms: 0,
        },
      ],
      new FamilyTypes(),
    );
    expect(out.rejected).toHaveLength(1);
    expect(out.samples).toEqual([
      expect.objectContaining({
        name: 'x_total',
        type: 'counter',
        cumulative: true,
      }),
    ]);
  });

  it('infers types from metadata first, then from names', () => {
    const f = new FamilyTypes();
    expect(inferType('foo_total', {}, f)).toEqual({
      type: 'counter',
      cumulative: true,
    });
    expect(inferType('lat_bucket', { le: '1' }, f)).toEqual({
      type: 'histogram',
      cumulative: true,
    });
    expect(inferType('lat_count', {}, f)).toEqual({
      type: 'histogram',
      cumulative: true,
    });
    expect(inferType('rpc_count', {}, f)).toEqual({
      type: 'untyped',
      cumulative: false,
    });
    f.set('rpc', 'summary');
    expect(inferType('rpc_count', {}, f)).toEqual({
      type: 'summary',
      cumulative: true,
    });
    f.set('temperature', 'gauge');
    expect(inferType('temperature', {}, f)).toEqual({
      type: 'gauge',
      cumulative: false,
    });
  });
});
