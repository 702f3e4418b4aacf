/**
 * Istio standard-metric labels -> edge_rollups_1m key columns. One pure function, the only place
 * that knows Istio's metric vocabulary (shared/reference/istio-metrics.md sections 2-4).
 *
 * Decisions (documented in docs/receivers-metrics.md):
 * - Reporter: `source` and `destination` as is; ambient `waypoint` -> `destination` (the waypoint
 *   is the server-side proxy, authoritative for mTLS; Kiali matches `reporter=~"waypoint|destination"`).
 * - Mtls only from the server side: mutual_tls -> yes, none -> no, anything else -> unknown; the
 *   source reporter always says unknown (DESIGN.md: never guessed).
 * - Istio's `unknown` placeholder becomes '' in identity columns, as the span and access-log paths
 *   write it; the UI shows '' as unknown.
 * - Services are canonical services (what spans use) so edges from every signal merge; the
 *   destination falls back to destination_service_name (external hosts, PassthroughCluster).
 * - GrpcStatus is the status name (`OK`, `UNAVAILABLE`), as mesh_requests stores it; '' for HTTP.
 * - ResponseFlags: `-` -> '', else sorted and comma-joined.
 */
import type { Labels } from './exposition';

export interface EdgeKey {
  Reporter: 'source' | 'destination';
  SourceCluster: string;
  SourceNamespace: string;
  SourceWorkload: string;
  SourceService: string;
  SourceVersion: string;
  SourcePrincipal: string;
  DestinationCluster: string;
  DestinationNamespace: string;
  DestinationWorkload: string;
  DestinationService: string;
  DestinationVersion: string;
  DestinationPrincipal: string;
  Protocol: string;
  Mtls: 'yes' | 'no' | 'unknown';
  ResponseCode: number;
  GrpcStatus: string;
  ResponseFlags: string;
}

/** What an Istio series adds to an edge. */
export type IstioMeasure =
  | 'requests'
  | 'durationBucket'
  | 'durationSum'
  | 'bytesReceived'
  | 'bytesSent'
  | 'connections';

/** Istio metrics that feed the rollups, by sample name. Other istio_* series are stored raw only. */
export const ISTIO_MEASURES: Readonly<Record<string, IstioMeasure>> = {
  istio_requests_total: 'requests',
  istio_request_duration_milliseconds_bucket: 'durationBucket',
  istio_request_duration_milliseconds_sum: 'durationSum',
  // Envoy's request/response wire bytes, from the histograms' sums (istio-metrics.md section 1)
  istio_request_bytes_sum: 'bytesReceived',
  istio_response_bytes_sum: 'bytesSent',
  istio_tcp_received_bytes_total: 'bytesReceived',
  istio_tcp_sent_bytes_total: 'bytesSent',
  istio_tcp_connections_opened_total: 'connections',
};

const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** gRPC status as Istio reports it (numeric text) -> its name; '' stays ''; unknown numbers kept. */
export function grpcStatusName(status: string | undefined): string {
  if (status === undefined || status === '') return '';
  const n = Number(status);
  return Number.isInteger(n) && n >= 0 && n < GRPC_STATUS_NAMES.length
    ? GRPC_STATUS_NAMES[n]!
    : status;
}

const known = (v: string | undefined): string =>
  v === undefined || v === 'unknown' ? '' : v;

/** `-` -> '', `UF,URX` -> sorted comma list. */
export function normalizeResponseFlags(flags: string | undefined): string {
  if (!flags || flags === '-') return '';
  return flags
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0 && f !== '-')
    .sort()
    .join(',');
}

/**
 * Edge key of one Istio series, or undefined when the series has no usable reporter (not an
 * Istio standard metric, or a reporter we do not know).
 */
export function istioEdgeKey(labels: Labels): EdgeKey | undefined {
  const reporter = labels.reporter;
  let Reporter: EdgeKey['Reporter'];
  if (reporter === 'source') Reporter = 'source';
  else if (reporter === 'destination' || reporter === 'waypoint')
    Reporter = 'destination';
  else return undefined;
  const policy = labels.connection_security_policy;
  const Mtls: EdgeKey['Mtls'] =
    Reporter === 'source'
      ? 'unknown'
      : policy === 'mutual_tls'
        ? 'yes'
        : policy === 'none'
          ? 'no'
          : 'unknown';
  const code = Number(labels.response_code ?? '0');
  const destinationCanonical = known(labels.destination_canonical_service);
  return {
    Reporter,
    SourceCluster: known(labels.source_cluster),
    SourceNamespace: known(labels.source_workload_namespace),
    SourceWorkload: known(labels.source_workload),
    SourceService:
      known(labels.source_canonical_service) || known(labels.source_app),
    SourceVersion:
      known(labels.source_canonical_revision) || known(labels.source_version),
    SourcePrincipal: known(labels.source_principal),
    DestinationCluster: known(labels.destination_cluster),
    DestinationNamespace:
      known(labels.destination_service_namespace) ||
      known(labels.destination_workload_namespace),
    DestinationWorkload: known(labels.destination_workload),
    DestinationService:
      destinationCanonical ||
      known(labels.destination_service_name) ||
      known(labels.destination_service),
    DestinationVersion:
      known(labels.destination_canonical_revision) ||
      known(labels.destination_version),
    DestinationPrincipal: known(labels.destination_principal),
    Protocol: labels.request_protocol ?? '',
    Mtls,
    ResponseCode:
      Number.isInteger(code) && code >= 0 && code <= 65535 ? code : 0,
    GrpcStatus:
      labels.request_protocol === 'grpc'
        ? grpcStatusName(labels.grpc_response_status)
        : '',
    ResponseFlags: normalizeResponseFlags(labels.response_flags),
  };
}
