/**
 * A tiny OTLP/HTTP traces receiver for tests: node:http on 127.0.0.1:0, decoding
 * ExportTraceServiceRequest protobuf bodies with protobufjs (the few message types defined
 * inline, field numbers from opentelemetry-proto trace.proto / common.proto / resource.proto).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package otlp;
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10; Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const ExportTraceServiceRequest = root.lookupType(
  'otlp.ExportTraceServiceRequest',
);

export interface DecodedSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** OTLP SpanKind: 2 SERVER, 3 CLIENT. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  attributes: Record<string, string>;
}

interface RawKeyValue {
  key: string;
  value?: { string_value?: string };
}
interface RawSpan {
  trace_id: Uint8Array;
  span_id: Uint8Array;
  parent_span_id?: Uint8Array;
  trace_state?: string;
  name: string;
  kind?: number;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  attributes?: RawKeyValue[];
  status?: { code?: number };
}
interface RawRequest {
  resource_spans?: {
    resource?: { attributes?: RawKeyValue[] };
    scope_spans?: { spans?: RawSpan[] }[];
  }[];
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
const attrs = (kvs: RawKeyValue[] | undefined) =>
  Object.fromEntries(
    (kvs ?? []).map((kv) => [kv.key, kv.value?.string_value ?? '']),
  );

/** Decodes an ExportTraceServiceRequest body into flat spans. */
export function decodeTraces(body: Uint8Array): DecodedSpan[] {
  const msg = ExportTraceServiceRequest.decode(body);
  const req = ExportTraceServiceRequest.toObject(msg, {
    longs: String,
    defaults: false,
  }) as RawRequest;
  const out: DecodedSpan[] = [];
  for (const rs of req.resource_spans ?? []) {
    const serviceName = attrs(rs.resource?.attributes)['service.name'] ?? '';
    for (const ss of rs.scope_spans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          serviceName,
          traceId: hex(s.trace_id),
          spanId: hex(s.span_id),
          parentSpanId: hex(s.parent_span_id),
          traceState: s.trace_state ?? '',
          name: s.name,
          kind: s.kind ?? 0,
          startNs: BigInt(s.start_time_unix_nano),
          endNs: BigInt(s.end_time_unix_nano),
          statusCode: s.status?.code ?? 0,
          attributes: attrs(s.attributes),
        });
      }
    }
  }
  return out;
}

export interface OtlpReceiver {
  url: string;
  spans: DecodedSpan[];
  contentTypes: string[];
  requests: number;
  close(): Promise<void>;
}

/** Starts a receiver; `status` is the HTTP status it answers /v1/traces with (200 = accept). */
export async function startOtlpReceiver(status = 200): Promise<OtlpReceiver> {
  const state = {
    spans: [] as DecodedSpan[],
    contentTypes: [] as string[],
    requests: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (req.method !== 'POST' || req.url !== '/v1/traces' || status !== 200) {
        res.writeHead(req.url === '/v1/traces' ? status : 404).end();
        return;
      }
      state.contentTypes.push(req.headers['content-type'] ?? '');
      state.spans.push(...decodeTraces(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    get spans() {
      return state.spans;
    },
    get contentTypes() {
      return state.contentTypes;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
