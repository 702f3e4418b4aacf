// decode + normalize of 1000-span OTLP requests (protobuf and JSON), Istio-like spans.
// Run: npx vitest bench --project unit collectors/sources/otlp/decode.bench.ts
import { bench, describe } from 'vitest';
import { decodeOtlpJson, decodeOtlpProtobuf } from './decode';
import { normalizeOtlpTraces } from './normalize';
import { ExportTraceServiceRequest } from './proto';

const SPANS = 1000;
const attrs = (pairs: [string, string][]) =>
  pairs.map(([key, v]) => ({ key, value: { stringValue: v } }));

function spans(hex: boolean) {
  return Array.from({ length: SPANS }, (_, i) => {
    const id = (n: number, bytes: number) => {
      const b = Buffer.alloc(bytes);
      b.writeUInt32BE(n + 1, bytes - 4);
      return hex ? b.toString('hex') : b;
    };
    return {
      traceId: id(i >> 3, 16),
      spanId: id(i, 8),
      parentSpanId: i % 8 ? id(i - 1, 8) : undefined,
      name: 'reviews.bookinfo.svc.cluster.local:9080/*',
      kind: 3,
      startTimeUnixNano: String(1795514400000000000n + BigInt(i) * 1000003n),
      endTimeUnixNano: String(
        1795514400000000000n + BigInt(i) * 1000003n + 2345678n,
      ),
      attributes: attrs([
        [
          'node_id',
          'sidecar~10.244.0.25~productpage-v1-6f89b6c557-sg2bc.bookinfo~bookinfo.svc.cluster.local',
        ],
        [
          'upstream_cluster',
          'outbound|9080||reviews.bookinfo.svc.cluster.local',
        ],
        ['http.status_code', '200'],
        ['http.method', 'GET'],
        ['http.url', 'http://reviews:9080/reviews/0'],
        ['istio.canonical_service', 'productpage'],
        ['istio.namespace', 'bookinfo'],
        ['response_flags', '-'],
        ['guid:x-request-id', 'e4e8c177-3962-9359-945e-61e7175cd867'],
        ['component', 'proxy'],
        ['peer.address', '10.244.0.25'],
        ['request_size', '0'],
        ['response_size', '442'],
      ]),
      events: [
        {
          timeUnixNano: String(
            1795514400000000000n + BigInt(i) * 1000003n + 2345000n,
          ),
          name: 'cr',
        },
      ],
    };
  });
}
const request = (hex: boolean) => ({
  resourceSpans: [
    {
      resource: {
        attributes: attrs([['service.name', 'productpage.bookinfo']]),
      },
      scopeSpans: [{ scope: { name: 'envoy' }, spans: spans(hex) }],
    },
  ],
});
const protobufBody = ExportTraceServiceRequest.encode(
  ExportTraceServiceRequest.fromObject(request(false)),
).finish();
const jsonBody = Buffer.from(JSON.stringify(request(true)));

describe(`OTLP decode + normalize, ${SPANS} spans per request`, () => {
  bench('protobuf decode only', () => {
    decodeOtlpProtobuf(protobufBody);
  });
  bench('protobuf decode + normalize', () => {
    if (
      normalizeOtlpTraces(decodeOtlpProtobuf(protobufBody)).rows.length !==
      SPANS
    )
      throw new Error('lost spans');
  });
  bench('JSON decode + normalize', () => {
    if (normalizeOtlpTraces(decodeOtlpJson(jsonBody)).rows.length !== SPANS)
      throw new Error('lost spans');
  });
});
