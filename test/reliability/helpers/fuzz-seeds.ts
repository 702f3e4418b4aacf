/** Valid inputs of every decoder, the starting points of the mutations. */
import snappy from 'snappyjs';
import { istioLine } from '~/collectors/sources/envoy-access-log/testdata/lines';
import {
  StreamAccessLogsMessage,
  Struct,
} from '~/collectors/sources/envoy-als/proto';
import { ExportTraceServiceRequest } from '~/collectors/sources/otlp/proto';
import { WriteRequest } from '~/collectors/sources/prometheus-remote-write/proto';
import { otlpRequest } from './span-sender';

export function otlpJsonSeed(): string {
  return JSON.stringify(otlpRequest(1000, 3));
}

export function otlpProtobufSeed(): Uint8Array {
  const req = otlpRequest(2000, 3);
  for (const rs of req.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans as Record<string, unknown>[]) {
        span.traceId = Buffer.from(span.traceId as string, 'hex');
        span.spanId = Buffer.from(span.spanId as string, 'hex');
        span.events = [{ timeUnixNano: String(Date.now() * 1e6), name: 'ev' }];
      }
  return ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject(req),
  ).finish();
}

export function zipkinSeed(): string {
  const ts = Date.now() * 1000;
  return JSON.stringify([
    {
      traceId: '5af7183fb1d4cf5f',
      id: '352bff9a74ca9ad2',
      parentId: '6b221d5bc9e6496c',
      name: 'get /api',
      kind: 'SERVER',
      timestamp: ts,
      duration: 207000,
      localEndpoint: {
        serviceName: 'backend',
        ipv4: '192.168.99.101',
        port: 9000,
      },
      remoteEndpoint: { ipv4: '172.19.0.2', port: 58648 },
      tags: {
        'http.method': 'GET',
        'http.path': '/api',
        'http.status_code': '200',
      },
      annotations: [{ timestamp: ts + 10, value: 'wr' }],
    },
  ]);
}

/** Protobuf WriteRequest (uncompressed) and the snappy body a Prometheus sends. */
export function remoteWriteSeed(): { proto: Uint8Array; body: Uint8Array } {
  const proto = WriteRequest.encode(
    WriteRequest.fromObject({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'istio_requests_total' },
            {
              name: 'destination_service',
              value: 'reviews.bookinfo.svc.cluster.local',
            },
            { name: 'reporter', value: 'destination' },
            { name: 'response_code', value: '200' },
          ],
          samples: [{ value: 42, timestamp: Date.now() }],
        },
      ],
    }),
  ).finish();
  return { proto, body: snappy.compress(proto) };
}

export const accessLogTextSeeds = (): string[] => [istioLine(0), istioLine(1)];

export function accessLogJsonSeed(): string {
  return JSON.stringify({
    start_time: new Date().toISOString(),
    method: 'GET',
    path: '/reviews/0',
    protocol: 'HTTP/1.1',
    response_code: 200,
    response_flags: '-',
    bytes_received: 0,
    bytes_sent: 295,
    duration: 7,
    upstream_service_time: '6',
    x_forwarded_for: null,
    user_agent: 'curl/8',
    request_id: '6d1d1d1d-0000-4000-8000-000000000001',
    authority: 'reviews:9080',
    upstream_host: '10.44.1.27:9080',
    upstream_cluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local',
    upstream_local_address: '10.44.1.23:46520',
    downstream_local_address: '10.0.45.184:9080',
    downstream_remote_address: '10.44.1.23:46520',
    requested_server_name: null,
    route_name: 'default',
  });
}

export function alsSeed(): Uint8Array {
  const now = Math.floor(Date.now() / 1000) - 60;
  const addr = (address: string, port: number) => ({
    socket_address: { address, port_value: port },
  });
  return StreamAccessLogsMessage.encode(
    StreamAccessLogsMessage.fromObject({
      identifier: {
        node: {
          id: 'sidecar~10.44.1.27~reviews-v2-5b667bcbf8-x7k2p.bookinfo~bookinfo.svc.cluster.local',
          metadata: { fields: { CLUSTER_ID: { stringValue: 'east' } } },
        },
        log_name: 'http_envoy_accesslog',
      },
      http_logs: {
        log_entry: [
          {
            common_properties: {
              start_time: { seconds: now, nanos: 250_000_000 },
              duration: { seconds: 0, nanos: 17_000_000 },
              downstream_remote_address: addr('10.44.1.23', 37652),
              upstream_remote_address: addr('10.44.1.27', 9080),
              upstream_cluster: 'inbound|9080||',
              filter_state_objects: {
                downstream_peer: {
                  type_url: 'type.googleapis.com/google.protobuf.Struct',
                  value: Struct.encode(
                    Struct.fromObject({
                      fields: { workload: { stringValue: 'productpage-v1' } },
                    }),
                  ).finish(),
                },
              },
            },
            protocol_version: 'HTTP11',
            request: {
              request_method: 'GET',
              path: '/reviews/1',
              authority: 'reviews:9080',
            },
            response: {
              response_code: { value: 503 },
              response_body_bytes: 95,
            },
          },
        ],
      },
      tcp_logs: undefined,
    }),
  ).finish();
}
