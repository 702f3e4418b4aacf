/**
 * The one-pass protobuf decoder gives exactly the rows of the protobufjs decoder + normalizer,
 * and hands every request it does not take (rejected spans, bad bytes) to them.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf } from './decode';
import { decodeOtlpTracesProtobuf, fastDecodeOtlpTraces } from './fast-decode';
import { normalizeOtlpTraces } from './normalize';
import { ExportTraceServiceRequest } from './proto';
import { makeSdkSpans } from './sdk-spans';

const general = (body: Uint8Array) =>
  normalizeOtlpTraces(decodeOtlpProtobuf(body));
const encode = (req: object) =>
  ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject(req),
  ).finish();
const id = (n: number, bytes: number) => {
  const b = Buffer.alloc(bytes);
  b.writeUInt32BE(n, bytes - 4);
  return b;
};
const kv = (key: string, value: object) => ({ key, value });

/** Spans with every field and value kind the decoders handle. */
function richRequest() {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            kv('service.name', { stringValue: 'reviews.bookinfo' }),
            kv('host.cpus', { intValue: 4 }),
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'envoy', version: '1.2.3' },
            spans: [
              {
                traceId: id(1, 16),
                spanId: id(2, 8),
                traceState: 'ot=th:8',
                name: 'GET /ü/日本',
                kind: 3,
                startTimeUnixNano: '1795514400123456789',
                endTimeUnixNano: '1795514401000000000',
                attributes: [
                  kv('s', { stringValue: 'ü😀' }),
                  kv('b', { boolValue: true }),
                  kv('f', { boolValue: false }),
                  kv('i', { intValue: -42 }),
                  kv('big', { intValue: '9223372036854775807' }),
                  kv('d', { doubleValue: 0.25 }),
                  kv('arr', {
                    arrayValue: {
                      values: [{ stringValue: 'a' }, { intValue: 1 }],
                    },
                  }),
                  kv('kv', {
                    kvlistValue: { values: [kv('x', { boolValue: true })] },
                  }),
                  kv('bytes', { bytesValue: Buffer.from([1, 2, 3]) }),
                  kv('empty', {}),
                  kv('', { stringValue: 'no key' }),
                  kv('s', { stringValue: 'last wins' }),
                ],
                events: [
                  {
                    timeUnixNano: '1795514400500000001',
                    name: 'cr',
                    attributes: [kv('a', { stringValue: '1' })],
                  },
                  { name: 'no time' },
                ],
                links: [
                  {
                    traceId: id(3, 16),
                    spanId: id(4, 8),
                    traceState: 'x=y',
                    attributes: [kv('why', { stringValue: 'retry' })],
                  },
                  { traceId: id(0, 16), spanId: id(5, 4) },
                ],
                status: { code: 2, message: 'boom' },
              },
              {
                traceId: id(1, 16),
                spanId: id(6, 8),
                parentSpanId: id(2, 8),
                kind: 2,
                startTimeUnixNano: '1795514400999999999',
                endTimeUnixNano: '1795514400000000001',
                status: { code: 7 },
                attributes: [
                  kv('node_id', {
                    stringValue:
                      'sidecar~10.0.0.1~ratings-v1-6f89b6c557-sg2bc.bookinfo~bookinfo.svc.cluster.local',
                  }),
                ],
              },
            ],
          },
          { spans: [] },
        ],
      },
      {
        // no service.name: the Istio fallback derives it
        resource: { attributes: [] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: id(7, 16),
                spanId: id(8, 8),
                kind: 9,
                startTimeUnixNano: '1',
                attributes: [
                  kv('istio.canonical_service', { stringValue: 'details' }),
                  kv('istio.namespace', { stringValue: 'bookinfo' }),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('fast OTLP protobuf decode', () => {
  it('gives the general path rows for spans with every field and attribute kind', () => {
    const body = encode(richRequest());
    const rows = fastDecodeOtlpTraces(body);
    expect(rows).toBeDefined();
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(general(body).rows);
    expect(rows![0]!.SpanAttributes).toMatchObject({
      s: 'last wins',
      i: '-42',
      big: '9223372036854775807',
      arr: '["a",1]',
      bytes: 'AQID',
      empty: '',
    });
    expect(rows![0]!.Timestamp).toBe('2026-11-24 10:00:00.123456789');
  });

  it('gives the general path rows for a request of the real OpenTelemetry JS SDK', async () => {
    const body = ProtobufTraceSerializer.serializeRequest(
      await makeSdkSpans(),
    )!;
    const rows = fastDecodeOtlpTraces(body);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(general(body).rows);
  });

  it('splits fixed64 nanoseconds exactly across second boundaries', () => {
    for (const ns of [
      '1000000000',
      '999999999',
      '1795514399999999999',
      '1795514400000000000',
      '4294967296000000000',
      '4294967295999999999',
      '9223372036854775807',
    ]) {
      const body = encode({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: id(1, 16),
                    spanId: id(1, 8),
                    startTimeUnixNano: ns,
                  },
                ],
              },
            ],
          },
        ],
      });
      expect(decodeOtlpTracesProtobuf(body).rows[0]!.Timestamp).toBe(
        general(body).rows[0]!.Timestamp,
      );
    }
  });

  it('hands requests with rejected spans to the general path', () => {
    const span = {
      traceId: id(1, 16),
      spanId: id(2, 8),
      startTimeUnixNano: '5',
    };
    for (const bad of [
      { ...span, traceId: id(0, 16) },
      { ...span, spanId: id(2, 4) },
      { ...span, parentSpanId: id(0, 8) },
      { ...span, startTimeUnixNano: '0' },
    ]) {
      const body = encode({
        resourceSpans: [{ scopeSpans: [{ spans: [span, bad] }] }],
      });
      expect(fastDecodeOtlpTraces(body)).toBeUndefined();
      const out = decodeOtlpTracesProtobuf(body);
      expect(out.rows).toHaveLength(1);
      expect(out.rejected).toHaveLength(1);
      expect(out).toEqual(general(body));
    }
  });

  it('leaves bytes that are not a request to the general path, which refuses them', () => {
    const body = encode(richRequest());
    const truncated = body.subarray(0, body.length - 7);
    expect(fastDecodeOtlpTraces(truncated)).toBeUndefined();
    expect(() => decodeOtlpTracesProtobuf(truncated)).toThrow(
      /not an OTLP ExportTraceServiceRequest/,
    );
  });
});
