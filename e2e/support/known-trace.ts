/**
 * The e2e trace explorer's known data (e2e/traces.e2e.test.ts): a Bookinfo request as Istio's
 * proxies trace it, the waterfall rows it must give, and the access-log lines of the same request.
 */
import type { SpanSpec } from '../../server/queries/traces-fixtures';

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const BIG = '0af7651916cd43dd8448eb211c80319c';
export const T0 = Date.now() - 2 * 60_000;
const rid = { 'guid:x-request-id': 'e2e-req-1', component: 'proxy' };

/** gateway -> productpage -> (reviews -> ratings [UF,URX 503]), (details) */
export const KNOWN: SpanSpec[] = [
  {
    traceId: TRACE,
    spanId: '0000000000000a01',
    name: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
    service: 'istio-ingressgateway.istio-system',
    kind: 'Client',
    startMs: T0,
    durationMs: 120,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||productpage.bookinfo.svc.cluster.local',
      'http.status_code': '200',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a02',
    parentSpanId: '0000000000000a01',
    name: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
    service: 'productpage.bookinfo',
    startMs: T0 + 2,
    durationMs: 110,
    attributes: {
      ...rid,
      upstream_cluster: 'inbound|9080||',
      'e2e.marker': 'waterfall-1',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a03',
    parentSpanId: '0000000000000a02',
    name: 'reviews.bookinfo.svc.cluster.local:9080/*',
    service: 'productpage.bookinfo',
    kind: 'Client',
    startMs: T0 + 10,
    durationMs: 60,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
      'http.status_code': '200',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a04',
    parentSpanId: '0000000000000a03',
    name: 'reviews.bookinfo.svc.cluster.local:9080/*',
    service: 'reviews.bookinfo',
    startMs: T0 + 12,
    durationMs: 50,
    attributes: { ...rid, upstream_cluster: 'inbound|9080||' },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a05',
    parentSpanId: '0000000000000a04',
    name: 'ratings.bookinfo.svc.cluster.local:9080/*',
    service: 'reviews.bookinfo',
    kind: 'Client',
    startMs: T0 + 20,
    durationMs: 20,
    error: true,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||ratings.bookinfo.svc.cluster.local',
      response_flags: 'UF,URX',
      'http.status_code': '503',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a06',
    parentSpanId: '0000000000000a02',
    name: 'details.bookinfo.svc.cluster.local:9080/*',
    service: 'productpage.bookinfo',
    kind: 'Client',
    startMs: T0 + 80,
    durationMs: 15,
    attributes: {
      ...rid,
      upstream_cluster: 'outbound|9080||details.bookinfo.svc.cluster.local',
    },
  },
  {
    traceId: TRACE,
    spanId: '0000000000000a07',
    parentSpanId: '0000000000000a06',
    name: 'details.bookinfo.svc.cluster.local:9080/*',
    service: 'details.bookinfo',
    startMs: T0 + 82,
    durationMs: 10,
    attributes: { ...rid, upstream_cluster: 'inbound|9080||' },
  },
];
/** [span id, parent span id, depth, duration label] in waterfall order. */
export const EXPECTED_ROWS = [
  ['0000000000000a01', '', '0', '120 ms'],
  ['0000000000000a02', '0000000000000a01', '1', '110 ms'],
  ['0000000000000a03', '0000000000000a02', '2', '60 ms'],
  ['0000000000000a04', '0000000000000a03', '3', '50 ms'],
  ['0000000000000a05', '0000000000000a04', '4', '20 ms'],
  ['0000000000000a06', '0000000000000a02', '2', '15 ms'],
  ['0000000000000a07', '0000000000000a06', '3', '10 ms'],
];

/** Two Istio JSON access-log lines of request e2e-req-1, as Fluent Bit ships them (pod metadata). */
function accessLogLine(o: {
  pod: string;
  app: string;
  atMs: number;
  cluster: string;
  authority: string;
  code: number;
  flags: string;
  durationMs: number;
}): string {
  return JSON.stringify({
    kubernetes: {
      pod_name: o.pod,
      namespace_name: 'bookinfo',
      container_name: 'istio-proxy',
      labels: { app: o.app, version: 'v1' },
    },
    log: JSON.stringify({
      start_time: new Date(o.atMs).toISOString(),
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      response_code: String(o.code),
      response_flags: o.flags,
      response_code_details: '-',
      connection_termination_details: '-',
      upstream_transport_failure_reason: '-',
      bytes_received: '0',
      bytes_sent: '19',
      duration: String(o.durationMs),
      upstream_service_time: '-',
      x_forwarded_for: '-',
      user_agent: 'e2e',
      request_id: 'e2e-req-1',
      authority: o.authority,
      upstream_host: '10.0.0.9:9080',
      upstream_cluster: o.cluster,
      upstream_local_address: '10.0.0.5:40000',
      downstream_local_address: '10.96.0.9:9080',
      downstream_remote_address: '10.0.0.5:50000',
      requested_server_name: '-',
      route_name: 'default',
    }),
  });
}
export const ACCESS_LOG = [
  accessLogLine({
    pod: 'reviews-v2-5b4f8c7d9f-abcde',
    app: 'reviews',
    atMs: T0 + 20,
    cluster: 'outbound|9080||ratings.bookinfo.svc.cluster.local',
    authority: 'ratings:9080',
    code: 503,
    flags: 'UF,URX',
    durationMs: 20,
  }),
  accessLogLine({
    pod: 'productpage-v1-6b746f74dc-9stvs',
    app: 'productpage',
    atMs: T0 + 10,
    cluster: 'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
    authority: 'reviews:9080',
    code: 200,
    flags: '-',
    durationMs: 60,
  }),
];
