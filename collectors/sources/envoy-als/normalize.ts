/**
 * ALS wire objects (envoy.data.accesslog.v3 HTTP/TCP entries, as plain objects) -> the access-log
 * record the text parser produces, so one normalizer (../envoy-access-log/normalize.ts) applies.
 * The stream's node identifier gives the reporting proxy (sidecar~ / router~ / waypoint~).
 */
import { AccessLogRecord } from '../envoy-access-log/record';
import type { ProxyContext } from '../envoy-access-log/row';
import { workloadFromPod } from '../envoy-access-log/context';
import { Struct, toObjectOptions } from './proto';

/* Plain-object shapes of the decoded messages (only the fields read here). */
interface Timestamp {
  seconds?: number;
  nanos?: number;
}
interface SocketAddress {
  address?: string;
  port_value?: number;
}
interface Address {
  socket_address?: SocketAddress;
  pipe?: { path?: string };
  envoy_internal_address?: { server_listener_name?: string };
}
interface San {
  uri?: string;
  dns?: string;
}
interface CertProps {
  subject_alt_name?: San[];
}
interface TlsProps {
  tls_version?: string;
  tls_sni_hostname?: string;
  local_certificate_properties?: CertProps;
  peer_certificate_properties?: CertProps;
}
interface AnyMsg {
  type_url?: string;
  value?: Buffer;
}
export interface AlsCommon {
  downstream_remote_address?: Address;
  downstream_local_address?: Address;
  tls_properties?: TlsProps;
  start_time?: Timestamp;
  time_to_last_downstream_tx_byte?: Timestamp;
  time_to_last_upstream_rx_byte?: Timestamp;
  upstream_remote_address?: Address;
  upstream_local_address?: Address;
  upstream_cluster?: string;
  response_flags?: Record<string, unknown>;
  upstream_transport_failure_reason?: string;
  route_name?: string;
  filter_state_objects?: Record<string, AnyMsg>;
  custom_tags?: Record<string, string>;
  duration?: Timestamp;
  connection_termination_details?: string;
  upstream_request_attempt_count?: number;
}
export interface AlsHttpEntry {
  common_properties?: AlsCommon;
  protocol_version?: string;
  request?: {
    request_method?: string;
    scheme?: string;
    authority?: string;
    path?: string;
    user_agent?: string;
    forwarded_for?: string;
    request_id?: string;
    original_path?: string;
    request_body_bytes?: number;
    request_headers?: Record<string, string>;
  };
  response?: {
    response_code?: { value?: number };
    response_body_bytes?: number;
    response_headers?: Record<string, string>;
    response_trailers?: Record<string, string>;
    response_code_details?: string;
  };
}
export interface AlsTcpEntry {
  common_properties?: AlsCommon;
  connection_properties?: { received_bytes?: number; sent_bytes?: number };
}
export interface AlsNode {
  id?: string;
  cluster?: string;
  metadata?: unknown;
}

/** ResponseFlags proto field -> short flag (fields 1-27, reference section 8). */
const FLAG_FIELDS: Record<string, string> = {
  failed_local_healthcheck: 'LH',
  no_healthy_upstream: 'UH',
  upstream_request_timeout: 'UT',
  local_reset: 'LR',
  upstream_remote_reset: 'UR',
  upstream_connection_failure: 'UF',
  upstream_connection_termination: 'UC',
  upstream_overflow: 'UO',
  no_route_found: 'NR',
  delay_injected: 'DI',
  fault_injected: 'FI',
  rate_limited: 'RL',
  unauthorized_details: 'UAEX',
  rate_limit_service_error: 'RLSE',
  downstream_connection_termination: 'DC',
  upstream_retry_limit_exceeded: 'URX',
  stream_idle_timeout: 'SI',
  invalid_envoy_request_headers: 'IH',
  downstream_protocol_error: 'DPE',
  upstream_max_stream_duration_reached: 'UMSDR',
  response_from_cache_filter: 'RFCF',
  no_filter_config_found: 'NFCF',
  duration_timeout: 'DT',
  upstream_protocol_error: 'UPE',
  no_cluster_found: 'NC',
  overload_manager: 'OM',
  dns_resolution_failure: 'DF',
};

const HTTP_VERSIONS: Record<string, string> = {
  HTTP10: 'HTTP/1.0',
  HTTP11: 'HTTP/1.1',
  HTTP2: 'HTTP/2',
  HTTP3: 'HTTP/3',
};
const TLS_VERSIONS: Record<string, string> = {
  TLSv1: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

function address(a: Address | undefined): string {
  if (!a) return '';
  if (a.socket_address)
    return `${a.socket_address.address ?? ''}:${a.socket_address.port_value ?? 0}`;
  return a.pipe?.path ?? a.envoy_internal_address?.server_listener_name ?? '';
}

function isoTime(t: Timestamp | undefined): string {
  if (!t) return '';
  const ms = (t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

function durationMs(t: Timestamp | undefined): string {
  if (!t) return '';
  return String(Math.round((t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6));
}

function firstUri(c: CertProps | undefined): string {
  return c?.subject_alt_name?.find((s) => s.uri)?.uri ?? '';
}

/** google.protobuf.Struct / Value (plain object form) -> JSON value. */
export function structToJs(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if ('fields' in o) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(
      (o.fields as Record<string, unknown>) ?? {},
    ))
      out[k] = structToJs(x);
    return out;
  }
  if ('stringValue' in o || 'string_value' in o)
    return o.stringValue ?? o.string_value;
  if ('numberValue' in o || 'number_value' in o)
    return o.numberValue ?? o.number_value;
  if ('boolValue' in o || 'bool_value' in o) return o.boolValue ?? o.bool_value;
  if ('structValue' in o || 'struct_value' in o)
    return structToJs(o.structValue ?? o.struct_value);
  if ('listValue' in o || 'list_value' in o) {
    const l = (o.listValue ?? o.list_value) as { values?: unknown[] };
    return (l.values ?? []).map(structToJs);
  }
  return {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Istio peer metadata from a filter-state object packed as google.protobuf.Struct. */
function peerFromFilterState(
  any: AnyMsg | undefined,
): Record<string, unknown> | undefined {
  if (!any?.value || !any.type_url?.endsWith('google.protobuf.Struct'))
    return undefined;
  try {
    return structToJs(
      Struct.toObject(Struct.decode(any.value), toObjectOptions),
    ) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The reporting proxy from the stream identifier's node (id `type~ip~pod.ns~domain` + metadata). */
export function contextFromNode(
  node: AlsNode | undefined,
): ProxyContext | undefined {
  if (!node?.id) return undefined;
  const [type, , podNs] = node.id.split('~');
  const meta = (structToJs(node.metadata) ?? {}) as Record<string, unknown>;
  const labels = (
    typeof meta.LABELS === 'object' && meta.LABELS !== null ? meta.LABELS : {}
  ) as Record<string, unknown>;
  const dot = podNs?.lastIndexOf('.') ?? -1;
  const pod = str(meta.NAME) ?? (dot > 0 ? podNs!.slice(0, dot) : podNs) ?? '';
  const namespace =
    str(meta.NAMESPACE) ?? (dot > 0 ? podNs!.slice(dot + 1) : '');
  const workload = str(meta.WORKLOAD_NAME) ?? (pod ? workloadFromPod(pod) : '');
  return {
    proxyType:
      type === 'router'
        ? 'gateway'
        : type === 'waypoint'
          ? 'waypoint'
          : type === 'sidecar'
            ? 'sidecar'
            : undefined,
    workload,
    namespace,
    service:
      str(labels['service.istio.io/canonical-name']) ??
      str(labels['app']) ??
      workload,
    version:
      str(labels['service.istio.io/canonical-revision']) ??
      str(labels['version']) ??
      '',
    cluster: str(meta.CLUSTER_ID) ?? '',
    nodeId: node.id,
  };
}

function commonToRecord(c: AlsCommon | undefined, rec: AccessLogRecord): void {
  if (!c) return;
  rec.startTime = isoTime(c.start_time);
  rec.duration = durationMs(c.duration ?? c.time_to_last_downstream_tx_byte);
  rec.downstreamRemoteAddress = address(c.downstream_remote_address);
  rec.downstreamLocalAddress = address(c.downstream_local_address);
  rec.upstreamHost = address(c.upstream_remote_address);
  rec.upstreamLocalAddress = address(c.upstream_local_address);
  rec.upstreamCluster = c.upstream_cluster ?? '';
  rec.upstreamTransportFailureReason =
    c.upstream_transport_failure_reason ?? '';
  rec.routeName = c.route_name ?? '';
  rec.connectionTerminationDetails = c.connection_termination_details ?? '';
  const flags: string[] = [];
  for (const [field, value] of Object.entries(c.response_flags ?? {})) {
    if (value && FLAG_FIELDS[field]) flags.push(FLAG_FIELDS[field]);
  }
  rec.responseFlags = flags.join(',');
  // Envoy sets tls_properties exactly when the downstream connection is TLS: absent = plaintext.
  const tls = c.tls_properties;
  if (tls) {
    rec.downstreamTlsVersion = TLS_VERSIONS[tls.tls_version ?? ''] ?? '';
    rec.requestedServerName = tls.tls_sni_hostname ?? '';
    rec.downstreamPeerUriSan = firstUri(tls.peer_certificate_properties);
    rec.downstreamLocalUriSan = firstUri(tls.local_certificate_properties);
  } else rec.downstreamTlsVersion = '-';
  const extra: Record<string, string> = { ...(c.custom_tags ?? {}) };
  if (c.upstream_request_attempt_count)
    extra['upstream_request_attempt_count'] = String(
      c.upstream_request_attempt_count,
    );
  const up = peerFromFilterState(
    c.filter_state_objects?.['upstream_peer'] ??
      c.filter_state_objects?.['wasm.upstream_peer'],
  );
  const down = peerFromFilterState(
    c.filter_state_objects?.['downstream_peer'] ??
      c.filter_state_objects?.['wasm.downstream_peer'],
  );
  for (const [prefix, peer] of [
    ['upstream_peer', up],
    ['downstream_peer', down],
  ] as const) {
    if (!peer) continue;
    for (const key of [
      'workload',
      'namespace',
      'cluster',
      'service',
      'revision',
      'app',
      'version',
    ]) {
      const v = str(peer[key]);
      if (v) extra[`${prefix}.${key}`] = v;
    }
  }
  if (Object.keys(extra).length > 0) rec.extra = extra;
}

/** One HTTP ALS entry as an access-log record. */
export function recordFromHttpEntry(e: AlsHttpEntry): AccessLogRecord {
  const rec = new AccessLogRecord();
  commonToRecord(e.common_properties, rec);
  const req = e.request ?? {};
  const res = e.response ?? {};
  rec.method =
    req.request_method && req.request_method !== 'METHOD_UNSPECIFIED'
      ? req.request_method
      : '';
  rec.path = req.original_path || req.path || '';
  rec.protocol = HTTP_VERSIONS[e.protocol_version ?? ''] ?? '';
  rec.authority = req.authority ?? '';
  rec.userAgent = req.user_agent ?? '';
  rec.xForwardedFor = req.forwarded_for ?? '';
  rec.requestId = req.request_id ?? '';
  rec.bytesReceived = String(req.request_body_bytes ?? 0);
  rec.bytesSent = String(res.response_body_bytes ?? 0);
  rec.responseCode = String(res.response_code?.value ?? 0);
  rec.responseCodeDetails = res.response_code_details ?? '';
  const headers = req.request_headers ?? {};
  rec.traceparent = headers['traceparent'] ?? '';
  rec.b3TraceId = headers['x-b3-traceid'] ?? '';
  rec.b3 = headers['b3'] ?? '';
  rec.upstreamServiceTime =
    res.response_headers?.['x-envoy-upstream-service-time'] ?? '';
  rec.grpcStatus =
    res.response_trailers?.['grpc-status'] ??
    res.response_headers?.['grpc-status'] ??
    '';
  // A request without a method is still HTTP: keep the path so the row is not taken for TCP.
  if (rec.method === '' && rec.path === '') rec.path = '/';
  return rec;
}

/** One TCP ALS entry as an access-log record. */
export function recordFromTcpEntry(e: AlsTcpEntry): AccessLogRecord {
  const rec = new AccessLogRecord();
  commonToRecord(e.common_properties, rec);
  rec.responseCode = '0';
  rec.bytesReceived = String(e.connection_properties?.received_bytes ?? 0);
  rec.bytesSent = String(e.connection_properties?.sent_bytes ?? 0);
  return rec;
}
