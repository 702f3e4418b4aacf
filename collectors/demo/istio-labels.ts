/**
 * Istio's standard metric labels for a hop, as the reporting proxy fills them
 * (istio-metrics.md section 2). Order follows istio/proxy testdata/metric/*.yaml.tmpl.
 * - The reporter fills its own half from node metadata; the peer half comes from metadata
 *   exchange, or is "unknown" (no sidecar, external host, aborted before an endpoint was picked).
 * - Principals are SPIFFE ids only with Istio mTLS on the connection.
 * - connection_security_policy: "unknown" on reporter="source"; "mutual_tls" / "none" on
 *   reporter="destination".
 * - TCP series carry no response_code / grpc_response_status.
 */
import type { Pod, Workload } from './mesh';
import type { SimRequest } from './sim-request';

export type Reporter = 'source' | 'destination';
/** Ordered label pairs. */
export type Labels = [name: string, value: string][];

interface Peer {
  workload: string;
  canonicalService: string;
  canonicalRevision: string;
  namespace: string;
  principal: string;
  app: string;
  version: string;
  cluster: string;
}

const UNKNOWN_PEER: Peer = {
  workload: 'unknown',
  canonicalService: 'unknown',
  canonicalRevision: 'latest',
  namespace: 'unknown',
  principal: 'unknown',
  app: 'unknown',
  version: 'unknown',
  cluster: 'unknown',
};

function peer(
  w: Workload | null,
  pod: Pod | null,
  withPrincipal: boolean,
): Peer {
  if (!w) return UNKNOWN_PEER;
  return {
    workload: w.name,
    canonicalService: w.canonicalService,
    canonicalRevision: w.canonicalRevision,
    namespace: w.namespace,
    principal: withPrincipal ? w.principal : 'unknown',
    app: w.app,
    version: w.version,
    cluster: pod?.cluster ?? 'unknown',
  };
}

/** The full label set of a hop's series on the given reporter's pod. */
export function istioLabels(r: SimRequest, reporter: Reporter): Labels {
  const reached = r.server !== null;
  const srcWorkload = r.sourcePod.proxied ? r.sourcePod.workload : null;
  const s = peer(
    srcWorkload,
    r.sourcePod,
    r.mtls && (reporter === 'source' || reached),
  );
  // Client side: the destination principal comes from the server certificate, so only once connected.
  const connected =
    r.addr.upstreamLocal !== null && (reached || r.hop === 'to-gateway');
  const d = peer(r.destWorkload, r.destPod, r.mtls && connected);
  const labels: Labels = [
    ['reporter', reporter],
    ['source_workload', s.workload],
    ['source_canonical_service', s.canonicalService],
    ['source_canonical_revision', s.canonicalRevision],
    ['source_workload_namespace', s.namespace],
    ['source_principal', s.principal],
    ['source_app', s.app],
    ['source_version', s.version],
    ['source_cluster', s.cluster],
    ['destination_workload', d.workload],
    ['destination_workload_namespace', d.namespace],
    ['destination_principal', d.principal],
    ['destination_app', d.app],
    ['destination_version', d.version],
    ['destination_service', r.service.host],
    ['destination_canonical_service', d.canonicalService],
    ['destination_canonical_revision', d.canonicalRevision],
    ['destination_service_name', r.service.name],
    ['destination_service_namespace', r.service.namespace],
    ['destination_cluster', d.cluster],
    ['request_protocol', r.protocol],
  ];
  if (r.protocol !== 'tcp') {
    labels.push(['response_code', String(r.responseCode)]);
    labels.push([
      'grpc_response_status',
      r.grpcStatus === null ? '' : String(r.grpcStatus),
    ]);
  }
  labels.push([
    'response_flags',
    reporter === 'source' ? r.responseFlags : '-',
  ]);
  labels.push([
    'connection_security_policy',
    reporter === 'source' ? 'unknown' : r.mtls ? 'mutual_tls' : 'none',
  ]);
  return labels;
}

/** Exposition label value escaping: backslash, double quote, newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="1",b="2"}` (empty string for no labels). */
export function labelText(labels: Labels): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}
