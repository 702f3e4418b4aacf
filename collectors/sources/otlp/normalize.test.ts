import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, decodeOtlpProtobuf, otlpEncodingOf } from './decode';
import { normalizeOtlpTraces, spanKindName, statusCodeName } from './normalize';
import { ExportTraceServiceRequest } from './proto';

const span = {
  traceId: '5B8EFFF798038103D269B633813FC60C',
  spanId: 'EEE19B7EC3C1B174',
  name: 'op',
  kind: 3,
  startTimeUnixNano: '1795514400000000001',
  endTimeUnixNano: '1795514400000000101',
  events: [
    {
      timeUnixNano: '1795514400000000050',
      name: 'e',
      attributes: [{ key: 'n', value: { intValue: '7' } }],
    },
  ],
  links: [
    { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
  ],
  status: { code: 2, message: 'boom' },
};
const request = (
  spans: unknown[],
  resource = [{ key: 'service.name', value: { stringValue: 'svc' } }],
) => ({
  resourceSpans: [
    {
      resource: { attributes: resource },
      scopeSpans: [{ scope: { name: 'lib', version: '1' }, spans }],
    },
  ],
});

describe('normalizeOtlpTraces', () => {
  it('maps an OTLP/JSON span to an otel_traces row', () => {
    const { rows, rejected } = normalizeOtlpTraces(
      decodeOtlpJson(Buffer.from(JSON.stringify(request([span])))),
    );
    expect(rejected).toEqual([]);
    expect(rows[0]).toMatchObject({
      TraceId: '5b8efff798038103d269b633813fc60c',
      SpanId: 'eee19b7ec3c1b174',
      ParentSpanId: '',
      Timestamp: '2026-11-24 10:00:00.000000001',
      Duration: 100,
      SpanKind: 'Client',
      ServiceName: 'svc',
      ScopeName: 'lib',
      ScopeVersion: '1',
      StatusCode: 'Error',
      StatusMessage: 'boom',
      'Events.Timestamp': ['2026-11-24 10:00:00.000000050'],
      'Events.Name': ['e'],
      'Events.Attributes': [{ n: '7' }],
      'Links.TraceId': ['0af7651916cd43dd8448eb211c80319c'],
      'Links.SpanId': ['b7ad6b7169203331'],
    });
  });

  it('gives the same row for the same span sent as protobuf', () => {
    const pb = ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject({
        resourceSpans: [
          {
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: 'svc' } },
              ],
            },
            scopeSpans: [
              {
                scope: { name: 'lib', version: '1' },
                spans: [
                  {
                    ...span,
                    traceId: Buffer.from(span.traceId, 'hex'),
                    spanId: Buffer.from(span.spanId, 'hex'),
                    links: [
                      {
                        traceId: Buffer.from(span.links[0]!.traceId, 'hex'),
                        spanId: Buffer.from(span.links[0]!.spanId, 'hex'),
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
    const fromJson = normalizeOtlpTraces(
      decodeOtlpJson(Buffer.from(JSON.stringify(request([span])))),
    ).rows[0];
    expect(normalizeOtlpTraces(decodeOtlpProtobuf(pb)).rows[0]).toEqual(
      fromJson,
    );
  });

  it('rejects bad spans with a reason and keeps the rest', () => {
    const { rows, rejected } = normalizeOtlpTraces(
      request([
        span,
        { ...span, traceId: 'abcd' },
        { ...span, spanId: '0000000000000000' },
        { ...span, parentSpanId: 'xyz' },
        { ...span, startTimeUnixNano: '0' },
        'not a span',
      ]) as never,
    );
    expect(rows).toHaveLength(1);
    expect(rejected.map((r) => r.reason)).toEqual([
      'trace_id is not 16 non-zero bytes',
      'span_id is not 8 non-zero bytes',
      'parent_span_id is not empty or 8 non-zero bytes',
      'missing or invalid start_time_unix_nano',
      'span is not an object',
    ]);
  });

  it('names a service-less resource after its Istio canonical service', () => {
    const istio = {
      ...span,
      attributes: [
        { key: 'istio.canonical_service', value: { stringValue: 'reviews' } },
        { key: 'istio.namespace', value: { stringValue: 'bookinfo' } },
      ],
    };
    expect(
      normalizeOtlpTraces(request([istio], []) as never).rows[0]?.ServiceName,
    ).toBe('reviews.bookinfo');
  });

  it('tolerates enum names from standard proto JSON', () => {
    expect(spanKindName('SPAN_KIND_SERVER')).toBe('Server');
    expect(spanKindName(9)).toBe('Unspecified');
    expect(statusCodeName('STATUS_CODE_OK')).toBe('Ok');
  });
});

describe('decoders', () => {
  it('picks the encoding from the content type', () => {
    expect(otlpEncodingOf('application/x-protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('application/json; charset=utf-8')).toBe('json');
    expect(otlpEncodingOf('text/plain')).toBeUndefined();
  });
  it('throws DecodeError for bodies that are not requests', () => {
    expect(() => decodeOtlpJson(Buffer.from('[1]'))).toThrow(
      /not an OTLP\/JSON/,
    );
    expect(() => decodeOtlpProtobuf(Buffer.from('garbage garbage'))).toThrow(
      /not an OTLP/,
    );
  });
});
