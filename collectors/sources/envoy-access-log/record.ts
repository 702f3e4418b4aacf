/**
 * The wire shape of one access-log entry after tokenizing, before normalization: every field a
 * string, '' when Envoy printed '-' (or JSON null / ""). Text formats, JSON lines, ALS and OTLP
 * all produce this one shape, so normalize.ts maps Istio vocabulary once.
 */

/** Known fields. A class (not an object literal) so every record has one hidden class. */
export class AccessLogRecord {
  startTime = '';
  method = '';
  path = '';
  protocol = '';
  responseCode = '';
  responseFlags = '';
  responseFlagsLong = '';
  responseCodeDetails = '';
  connectionTerminationDetails = '';
  upstreamTransportFailureReason = '';
  bytesReceived = '';
  bytesSent = '';
  duration = '';
  upstreamServiceTime = '';
  xForwardedFor = '';
  userAgent = '';
  requestId = '';
  authority = '';
  upstreamHost = '';
  upstreamCluster = '';
  upstreamLocalAddress = '';
  downstreamLocalAddress = '';
  downstreamRemoteAddress = '';
  requestedServerName = '';
  routeName = '';
  grpcStatus = '';
  downstreamPeerUriSan = '';
  downstreamLocalUriSan = '';
  upstreamPeerUriSan = '';
  upstreamLocalUriSan = '';
  /** '-' when the format logs it and there was no TLS; '' when not logged. */
  downstreamTlsVersion = '';
  upstreamTlsVersion = '';
  traceparent = '';
  b3TraceId = '';
  b3 = '';
  /** Fields of operators/keys this table does not know, by a lower-case name. */
  extra: Record<string, string> | undefined = undefined;
}

export type RecordSlot = Exclude<keyof AccessLogRecord, 'extra'>;

/** Where an operator's value goes: a known slot, or `extra[key]`. */
export type Target =
  { slot: RecordSlot; numeric: boolean } | { extra: string; numeric: boolean };

const simpleOperators: Record<string, RecordSlot> = {
  START_TIME: 'startTime',
  PROTOCOL: 'protocol',
  RESPONSE_CODE: 'responseCode',
  RESPONSE_FLAGS: 'responseFlags',
  RESPONSE_FLAGS_LONG: 'responseFlagsLong',
  RESPONSE_CODE_DETAILS: 'responseCodeDetails',
  CONNECTION_TERMINATION_DETAILS: 'connectionTerminationDetails',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'upstreamTransportFailureReason',
  BYTES_RECEIVED: 'bytesReceived',
  BYTES_SENT: 'bytesSent',
  DURATION: 'duration',
  UPSTREAM_HOST: 'upstreamHost',
  UPSTREAM_CLUSTER: 'upstreamCluster',
  UPSTREAM_CLUSTER_RAW: 'upstreamCluster',
  UPSTREAM_LOCAL_ADDRESS: 'upstreamLocalAddress',
  DOWNSTREAM_LOCAL_ADDRESS: 'downstreamLocalAddress',
  DOWNSTREAM_REMOTE_ADDRESS: 'downstreamRemoteAddress',
  REQUESTED_SERVER_NAME: 'requestedServerName',
  ROUTE_NAME: 'routeName',
  GRPC_STATUS: 'grpcStatus',
  GRPC_STATUS_NUMBER: 'grpcStatus',
  DOWNSTREAM_PEER_URI_SAN: 'downstreamPeerUriSan',
  DOWNSTREAM_LOCAL_URI_SAN: 'downstreamLocalUriSan',
  UPSTREAM_PEER_URI_SAN: 'upstreamPeerUriSan',
  UPSTREAM_LOCAL_URI_SAN: 'upstreamLocalUriSan',
  DOWNSTREAM_TLS_VERSION: 'downstreamTlsVersion',
  UPSTREAM_TLS_VERSION: 'upstreamTlsVersion',
};

const requestHeaders: Record<string, RecordSlot> = {
  ':METHOD': 'method',
  ':PATH': 'path',
  'X-ENVOY-ORIGINAL-PATH': 'path',
  ':AUTHORITY': 'authority',
  HOST: 'authority',
  'X-REQUEST-ID': 'requestId',
  'USER-AGENT': 'userAgent',
  'X-FORWARDED-FOR': 'xForwardedFor',
  TRACEPARENT: 'traceparent',
  'X-B3-TRACEID': 'b3TraceId',
  B3: 'b3',
};

const numericSlots = new Set<RecordSlot>([
  'responseCode',
  'bytesReceived',
  'bytesSent',
  'duration',
]);

function slotTarget(slot: RecordSlot): Target {
  return { slot, numeric: numericSlots.has(slot) };
}

/**
 * The target of a command operator, e.g. ('REQ', 'X-ENVOY-ORIGINAL-PATH?:PATH') -> path.
 * Unknown operators keep their value under a lower-case key in `extra`.
 */
export function operatorTarget(name: string, arg: string | undefined): Target {
  const upper = name.toUpperCase();
  const simple = simpleOperators[upper];
  if (simple) return slotTarget(simple);
  if (arg !== undefined) {
    const header = arg.toUpperCase();
    const first = header.split('?')[0] ?? header;
    if (upper === 'REQ' || upper === 'REQ_WITHOUT_QUERY') {
      const slot = requestHeaders[first] ?? requestHeaders[header];
      if (slot) return slotTarget(slot);
      return { extra: `req.${arg.toLowerCase()}`, numeric: false };
    }
    if ((upper === 'RESP' || upper === 'TRAILER') && first === 'GRPC-STATUS')
      return slotTarget('grpcStatus');
    if (upper === 'RESP' && first === 'X-ENVOY-UPSTREAM-SERVICE-TIME')
      return slotTarget('upstreamServiceTime');
    if (upper === 'RESP')
      return { extra: `resp.${arg.toLowerCase()}`, numeric: false };
    return { extra: `${name.toLowerCase()}(${arg})`, numeric: false };
  }
  return { extra: name.toLowerCase(), numeric: false };
}

/** Istio's default JSON keys (EnvoyJSONLogFormatIstio) and common additions, by slot. */
export const JSON_KEYS: Readonly<Record<string, RecordSlot>> = {
  start_time: 'startTime',
  method: 'method',
  path: 'path',
  protocol: 'protocol',
  response_code: 'responseCode',
  response_flags: 'responseFlags',
  response_code_details: 'responseCodeDetails',
  connection_termination_details: 'connectionTerminationDetails',
  upstream_transport_failure_reason: 'upstreamTransportFailureReason',
  bytes_received: 'bytesReceived',
  bytes_sent: 'bytesSent',
  duration: 'duration',
  upstream_service_time: 'upstreamServiceTime',
  x_forwarded_for: 'xForwardedFor',
  user_agent: 'userAgent',
  request_id: 'requestId',
  authority: 'authority',
  upstream_host: 'upstreamHost',
  upstream_cluster: 'upstreamCluster',
  upstream_local_address: 'upstreamLocalAddress',
  downstream_local_address: 'downstreamLocalAddress',
  downstream_remote_address: 'downstreamRemoteAddress',
  requested_server_name: 'requestedServerName',
  route_name: 'routeName',
  grpc_status: 'grpcStatus',
  downstream_peer_uri_san: 'downstreamPeerUriSan',
  downstream_local_uri_san: 'downstreamLocalUriSan',
  upstream_peer_uri_san: 'upstreamPeerUriSan',
  upstream_local_uri_san: 'upstreamLocalUriSan',
  downstream_tls_version: 'downstreamTlsVersion',
  upstream_tls_version: 'upstreamTlsVersion',
  traceparent: 'traceparent',
  x_b3_traceid: 'b3TraceId',
  b3: 'b3',
};

/** A JSON value as the record's string: null, '-' and '' are absent. */
export function jsonValueString(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v === '-' ? '' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Fills a record from a JSON object; `keys` maps JSON keys to slots (Istio's by default). */
export function recordFromJson(
  obj: Record<string, unknown>,
  keys: Readonly<Record<string, RecordSlot>> = JSON_KEYS,
): AccessLogRecord {
  const rec = new AccessLogRecord();
  for (const key in obj) {
    const value = jsonValueString(obj[key]);
    const slot = keys[key];
    if (slot)
      rec[slot] =
        value === '' &&
        (slot === 'downstreamTlsVersion' || slot === 'upstreamTlsVersion')
          ? '-'
          : value;
    else if (value !== '') (rec.extra ??= {})[key] = value;
  }
  return rec;
}
