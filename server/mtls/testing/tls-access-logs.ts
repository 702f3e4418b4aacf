/**
 * For integration tests only: the demo's access-log lines in Istio's JSON encoding plus the TLS
 * fields an operator adds to see mTLS in logs (docs/mtls.md): on the server line
 * %DOWNSTREAM_TLS_VERSION%, %DOWNSTREAM_PEER_URI_SAN%, %DOWNSTREAM_LOCAL_URI_SAN%; on the client
 * line the upstream URI SANs. Values follow what Envoy writes for the simulated hop: a TLS
 * version and SPIFFE ids on Istio mTLS, '-' (null) on plaintext. Each line goes through the
 * real decoder and normalizer, as a pushed NDJSON line would.
 */
import { clientEntry, serverEntry } from '~/collectors/demo/access-log-entries';
import {
  envoyStartTime,
  type AccessLogEntry,
} from '~/collectors/demo/access-log-format';
import type { SimRequest } from '~/collectors/demo/sim-request';
import { contextFromPod } from '~/collectors/sources/envoy-access-log/context';
import { LineDecoder } from '~/collectors/sources/envoy-access-log/decode';
import { normalizeRecord } from '~/collectors/sources/envoy-access-log/normalize';
import type { MeshRequestRow } from '~/collectors/sources/envoy-access-log/row';

/** Istio's JSON access-log keys (EnvoyJSONLogFormatIstio) of one entry. */
export function istioJsonFields(e: AccessLogEntry): Record<string, unknown> {
  return {
    start_time: envoyStartTime(e.startTimeMs),
    method: e.method,
    path: e.path,
    protocol: e.protocol,
    response_code: e.responseCode,
    response_flags: e.responseFlags,
    response_code_details: e.responseCodeDetails,
    connection_termination_details: e.connectionTerminationDetails,
    upstream_transport_failure_reason: e.upstreamTransportFailureReason,
    bytes_received: e.bytesReceived,
    bytes_sent: e.bytesSent,
    duration: e.durationMs,
    upstream_service_time: e.upstreamServiceTimeMs,
    x_forwarded_for: e.xForwardedFor,
    user_agent: e.userAgent,
    request_id: e.requestId,
    authority: e.authority,
    upstream_host: e.upstreamHost,
    upstream_cluster: e.upstreamCluster,
    upstream_local_address: e.upstreamLocalAddress,
    downstream_local_address: e.downstreamLocalAddress,
    downstream_remote_address: e.downstreamRemoteAddress,
    requested_server_name: e.requestedServerName,
    route_name: e.routeName,
  };
}

/** The TLS fields Envoy logs for the hop on the given line. */
function tlsFields(r: SimRequest, server: boolean): Record<string, unknown> {
  const source = r.sourcePod.proxied ? r.sourcePod.workload.principal : null;
  const destination = r.destWorkload?.principal ?? null;
  if (server)
    return r.mtls
      ? {
          downstream_tls_version: 'TLSv1.3',
          downstream_peer_uri_san: source,
          downstream_local_uri_san: destination,
        }
      : {
          downstream_tls_version: null,
          downstream_peer_uri_san: null,
          downstream_local_uri_san: null,
        };
  const connected = r.addr.upstreamLocal !== null && r.server !== null;
  return r.mtls && connected
    ? { upstream_local_uri_san: source, upstream_peer_uri_san: destination }
    : { upstream_local_uri_san: null, upstream_peer_uri_san: null };
}

/** mesh_requests rows from every proxy's JSON line with TLS fields (decoder + normalizer). */
export function tlsAccessLogRows(
  reqs: readonly SimRequest[],
): MeshRequestRow[] {
  const decoder = new LineDecoder();
  const out: MeshRequestRow[] = [];
  for (const r of reqs) {
    const lines = [
      { e: clientEntry(r), server: false },
      { e: serverEntry(r), server: true },
    ];
    for (const { e, server } of lines) {
      if (!e) continue;
      const line = JSON.stringify({
        ...istioJsonFields(e.entry),
        ...tlsFields(r, server),
      });
      const rec = decoder.decode(line);
      if (!rec)
        throw new Error(`the decoder refused: ${decoder.explain(line)}`);
      out.push(
        normalizeRecord(
          rec,
          'http_push',
          contextFromPod(e.pod.name, e.pod.namespace, 'istio-proxy'),
        ),
      );
    }
  }
  return out;
}
