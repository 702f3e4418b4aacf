/**
 * AccessLogRecord -> MeshRequestRow: Istio vocabulary is mapped here, once. Reporter from the
 * cluster-name convention (reference section 6), destination from `outbound|port|subset|host`,
 * the mTLS SNI `outbound_.port_.subset_.host` or the authority, identities from SPIFFE URIs,
 * mTLS yes/no/unknown only from evidence (DESIGN.md "never guessed").
 */
import type { AccessLogRecord } from './record';
import { shortFlag } from './response-flags';
import type { MeshRequestRow, ProxyContext } from './row';

const GRPC_CODES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** gRPC status as Envoy's CamelCase name ('14' -> 'Unavailable'). */
export function grpcStatusName(v: string): string {
  if (v.length === 0) return '';
  const n = Number(v);
  if (Number.isInteger(n)) return GRPC_CODES[n] ?? v;
  return v;
}

interface ServiceHost {
  service: string;
  namespace: string;
  host: string;
}

/** `reviews.default.svc.cluster.local` -> reviews / default; other hosts stay whole. */
export function serviceFromHost(hostWithPort: string): ServiceHost {
  let host = hostWithPort;
  const colon = host.lastIndexOf(':');
  if (
    colon > 0 &&
    host.indexOf(']') < colon &&
    /^\d+$/.test(host.slice(colon + 1))
  )
    host = host.slice(0, colon);
  const parts = host.split('.');
  if (parts.length >= 3 && parts[2] === 'svc')
    return { service: parts[0]!, namespace: parts[1]!, host };
  return { service: host, namespace: '', host };
}

/**
 * The service an inbound (server-side) line was for. The mTLS SNI or the inbound cluster name
 * carry the full Kubernetes host; without them (plaintext into an `inbound|port||` cluster) only
 * the client's authority is left, and that may be any form the client used: the full host, the
 * short `productpage.bookinfo:9080` (namespace-qualified) or `productpage:9080`, an IP, or a
 * public name routed in by a gateway. The proxy logging the line IS the destination, so its own
 * canonical service wins over anything that is not a name of a service in its namespace.
 */
export function inboundDestination(
  meshHost: string,
  authority: string,
  self: { service: string; namespace: string },
): { service: string; namespace: string } {
  if (meshHost.length > 0) {
    const { service, namespace } = serviceFromHost(meshHost);
    return { service, namespace };
  }
  if (authority.length === 0)
    return { service: self.service, namespace: self.namespace };
  const dest = serviceFromHost(authority);
  if (dest.namespace !== '')
    return { service: dest.service, namespace: dest.namespace };
  const parts = dest.host.split('.');
  const ip = /^[\d.]+$|^\[?[0-9a-f]*:[0-9a-f:]*\]?$/i.test(dest.host);
  if (!ip && parts.length === 2 && parts[1] === self.namespace)
    return { service: parts[0]!, namespace: self.namespace };
  if (!ip && parts.length === 1)
    return { service: dest.host, namespace: self.namespace };
  if (self.service !== '')
    return { service: self.service, namespace: self.namespace };
  return { service: dest.service, namespace: '' };
}

/** Splits `direction|port|subset|host` (Istio's BuildSubsetKey); undefined for other names. */
export function parseClusterName(
  name: string,
):
  | { direction: string; port: string; subset: string; host: string }
  | undefined {
  const a = name.indexOf('|');
  if (a < 0) return undefined;
  const b = name.indexOf('|', a + 1);
  const c = b < 0 ? -1 : name.indexOf('|', b + 1);
  if (c < 0 || name.indexOf('|', c + 1) >= 0) return undefined;
  return {
    direction: name.slice(0, a),
    port: name.slice(a + 1, b),
    subset: name.slice(b + 1, c),
    host: name.slice(c + 1),
  };
}

/** `outbound_.9080_.v2_.reviews.default.svc.cluster.local` -> its parts (Istio's mTLS SNI). */
export function parseIstioSni(
  sni: string,
): { port: string; subset: string; host: string } | undefined {
  if (!sni.startsWith('outbound_.')) return undefined;
  const p = sni.indexOf('_.', 10);
  if (p < 0) return undefined;
  const s = sni.indexOf('_.', p + 2);
  if (s < 0) return undefined;
  return {
    port: sni.slice(10, p),
    subset: sni.slice(p + 2, s),
    host: sni.slice(s + 2),
  };
}

/** Namespace of `spiffe://td/ns/<ns>/sa/<sa>` ('' when not that shape). */
export function spiffeNamespace(uri: string): string {
  const i = uri.indexOf('/ns/');
  if (i < 0) return '';
  const end = uri.indexOf('/', i + 4);
  return end < 0 ? uri.slice(i + 4) : uri.slice(i + 4, end);
}

function ipOf(address: string): string {
  const colon = address.lastIndexOf(':');
  return colon < 0 ? address : address.slice(0, colon);
}

function toInt(v: string, max: number): number {
  if (v.length === 0) return 0;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), max) : 0;
}

/** W3C traceparent, B3 single header or X-B3-TraceId -> 32 lower-case hex chars ('' if none). */
export function traceIdOf(rec: AccessLogRecord): string {
  if (rec.traceparent.length >= 55) {
    const id = rec.traceparent.slice(3, 35).toLowerCase();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  }
  const b3 =
    rec.b3TraceId || (rec.b3.length > 0 ? (rec.b3.split('-')[0] ?? '') : '');
  if (/^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{32}$/.test(b3))
    return b3.toLowerCase().padStart(32, '0');
  return '';
}

function isoTimestamp(v: string): string {
  if (v.length >= 19 && v.charCodeAt(4) === 45) return v;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    // seconds, milliseconds or microseconds since the epoch
    const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n / 1000;
    // Past what a Date holds (a garbled number): the arrival time, as for unparsable text.
    const date = new Date(ms);
    return Number.isNaN(date.getTime())
      ? new Date().toISOString()
      : date.toISOString();
  }
  const parsed = Date.parse(v);
  return Number.isNaN(parsed)
    ? new Date().toISOString()
    : new Date(parsed).toISOString();
}

function flagsOf(rec: AccessLogRecord): string[] {
  const raw = rec.responseFlags || rec.responseFlagsLong;
  if (raw.length === 0) return [];
  const parts = raw.split(',');
  if (rec.responseFlags.length === 0)
    for (let i = 0; i < parts.length; i++) parts[i] = shortFlag(parts[i]!);
  return parts;
}

type Reporter = MeshRequestRow['Reporter'];

function reporterOf(
  rec: AccessLogRecord,
  direction: string | undefined,
  cluster: string,
  ctx: ProxyContext | undefined,
): Reporter {
  if (ctx?.proxyType === 'gateway' || ctx?.proxyType === 'waypoint')
    return 'gateway';
  if (
    direction === 'inbound' ||
    direction === 'inbound-vip' ||
    cluster.startsWith('InboundPassthroughCluster')
  )
    return 'inbound';
  if (
    direction === 'outbound' ||
    cluster === 'PassthroughCluster' ||
    cluster === 'BlackHoleCluster'
  ) {
    if (ctx?.proxyType === 'sidecar') return 'outbound';
    // A sidecar's outbound capture keeps the original destination (a Service IP) as local
    // address; a gateway's listener is its own pod address, the same IP it connects from.
    const local = rec.downstreamLocalAddress;
    if (
      local.length > 0 &&
      rec.upstreamLocalAddress.length > 0 &&
      ipOf(local) === ipOf(rec.upstreamLocalAddress)
    ) {
      return 'gateway';
    }
    return 'outbound';
  }
  return 'unknown';
}

/**
 * mTLS from evidence only. The TLS-version slots hold '-' when the format logged the field and
 * the connection had no TLS (plaintext), '' when the format does not log it.
 */
function mtlsOf(
  rec: AccessLogRecord,
  reporter: Reporter,
): { mtls: MeshRequestRow['Mtls']; tls: string } {
  if (reporter === 'inbound') {
    const tls = rec.downstreamTlsVersion;
    if (
      rec.downstreamPeerUriSan.startsWith('spiffe://') ||
      rec.requestedServerName.startsWith('outbound_.')
    ) {
      return { mtls: 'yes', tls: tls === '-' ? '' : tls };
    }
    if (tls === '-') return { mtls: 'no', tls: '' };
    return { mtls: 'unknown', tls };
  }
  const tls = rec.upstreamTlsVersion;
  if (rec.upstreamPeerUriSan.startsWith('spiffe://'))
    return { mtls: 'yes', tls: tls === '-' ? '' : tls };
  // No upstream connection (a local reply: fault abort, circuit breaker, no healthy host): '-'
  // says nothing about TLS then.
  const connected = rec.upstreamHost !== '' && rec.upstreamHost !== '-';
  if (tls === '-') return { mtls: connected ? 'no' : 'unknown', tls: '' };
  return { mtls: 'unknown', tls };
}

function putExtra(
  extra: Record<string, string>,
  key: string,
  value: string,
): void {
  if (value.length > 0) extra[key] = value;
}

/**
 * One mesh_requests row from one access-log entry. `ctx` is what is known about the proxy that
 * wrote it (file path, shipper metadata, ALS node); without it, reporter comes from the line.
 */
export function normalizeRecord(
  rec: AccessLogRecord,
  signal: MeshRequestRow['Signal'],
  ctx?: ProxyContext,
): MeshRequestRow {
  let cluster = rec.upstreamCluster;
  if (cluster.endsWith(';')) cluster = cluster.slice(0, -1);
  const parsedCluster = parseClusterName(cluster);
  const reporter = reporterOf(rec, parsedCluster?.direction, cluster, ctx);
  const kind: MeshRequestRow['Kind'] =
    rec.method.length === 0 && rec.path.length === 0 ? 'tcp' : 'http';
  const grpcStatus = grpcStatusName(rec.grpcStatus);
  const protocol: MeshRequestRow['Protocol'] =
    kind === 'tcp'
      ? 'tcp'
      : grpcStatus.length > 0 ||
          (rec.protocol === 'HTTP/2' &&
            rec.method === 'POST' &&
            rec.userAgent.includes('grpc'))
        ? 'grpc'
        : 'http';
  const { mtls, tls } = mtlsOf(rec, reporter);

  // The proxy that logged the line is the source on outbound/gateway lines, the destination on inbound ones.
  const self = {
    workload: ctx?.workload ?? '',
    namespace: ctx?.namespace ?? '',
    service: ctx?.service ?? '',
    version: ctx?.version ?? '',
    cluster: ctx?.cluster ?? '',
  };
  const row: MeshRequestRow = {
    Timestamp:
      rec.startTime.length > 0
        ? isoTimestamp(rec.startTime)
        : new Date().toISOString(),
    Kind: kind,
    Reporter: reporter,
    Signal: signal,
    SourceWorkload: '',
    SourceNamespace: '',
    SourceService: '',
    SourceVersion: '',
    SourcePrincipal: '',
    SourceCluster: '',
    SourceAddress: rec.downstreamRemoteAddress,
    DestinationWorkload: '',
    DestinationNamespace: '',
    DestinationService: '',
    DestinationVersion: '',
    DestinationPrincipal: '',
    DestinationCluster: '',
    DestinationAddress: '',
    Protocol: protocol,
    Method: rec.method,
    Path: rec.path,
    Authority: rec.authority,
    Route: rec.routeName,
    ResponseCode: toInt(rec.responseCode, 65535),
    GrpcStatus: grpcStatus,
    ResponseFlags: flagsOf(rec),
    DurationMs: toInt(rec.duration, 4294967295),
    BytesReceived: toInt(rec.bytesReceived, Number.MAX_SAFE_INTEGER),
    BytesSent: toInt(rec.bytesSent, Number.MAX_SAFE_INTEGER),
    RequestId: rec.requestId,
    TraceId: traceIdOf(rec),
    UpstreamCluster: cluster,
    UpstreamHost: rec.upstreamHost,
    UpstreamTransportFailureReason: rec.upstreamTransportFailureReason,
    Mtls: mtls,
    TlsVersion: tls,
    NodeId: ctx?.nodeId ?? '',
    Extra: {},
  };

  if (reporter === 'inbound') {
    const sni = parseIstioSni(rec.requestedServerName);
    const dest = inboundDestination(
      sni?.host || (parsedCluster?.host ?? ''),
      rec.authority,
      self,
    );
    row.DestinationService = dest.service;
    row.DestinationNamespace = dest.namespace || self.namespace;
    row.DestinationWorkload = self.workload;
    row.DestinationVersion = self.version || (sni?.subset ?? '');
    row.DestinationCluster = self.cluster;
    row.DestinationPrincipal = rec.downstreamLocalUriSan;
    row.DestinationAddress = rec.downstreamLocalAddress;
    row.SourcePrincipal = rec.downstreamPeerUriSan;
    row.SourceNamespace = spiffeNamespace(rec.downstreamPeerUriSan);
  } else {
    row.SourceWorkload = self.workload;
    row.SourceNamespace = self.namespace;
    row.SourceService = self.service;
    row.SourceVersion = self.version;
    row.SourceCluster = self.cluster;
    row.SourcePrincipal = rec.upstreamLocalUriSan;
    if (parsedCluster && parsedCluster.host.length > 0) {
      const dest = serviceFromHost(parsedCluster.host);
      row.DestinationService = dest.service;
      row.DestinationNamespace = dest.namespace;
      row.DestinationVersion = parsedCluster.subset;
    } else if (
      cluster === 'PassthroughCluster' ||
      cluster === 'BlackHoleCluster'
    ) {
      row.DestinationService = cluster;
    } else if (rec.authority.length > 0) {
      const dest = serviceFromHost(rec.authority);
      row.DestinationService = dest.service;
      row.DestinationNamespace = dest.namespace;
    }
    row.DestinationPrincipal = rec.upstreamPeerUriSan;
    row.DestinationNamespace ||= spiffeNamespace(rec.upstreamPeerUriSan);
    row.DestinationAddress = rec.upstreamHost;
  }

  const extra = row.Extra;
  putExtra(extra, 'protocol', rec.protocol);
  putExtra(extra, 'response_code_details', rec.responseCodeDetails);
  putExtra(
    extra,
    'connection_termination_details',
    rec.connectionTerminationDetails,
  );
  putExtra(extra, 'upstream_service_time', rec.upstreamServiceTime);
  putExtra(extra, 'x_forwarded_for', rec.xForwardedFor);
  putExtra(extra, 'user_agent', rec.userAgent);
  putExtra(extra, 'upstream_local_address', rec.upstreamLocalAddress);
  putExtra(extra, 'downstream_local_address', rec.downstreamLocalAddress);
  putExtra(extra, 'requested_server_name', rec.requestedServerName);
  if (rec.extra) for (const k in rec.extra) extra[k] = rec.extra[k]!;
  return row;
}
