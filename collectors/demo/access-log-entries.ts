/**
 * Which proxies log a hop, and what their lines say (envoy-access-logs.md sections 4, 6, 7):
 * - the source proxy (sidecar outbound, or a gateway) writes the client line: upstream cluster
 *   `outbound|port||host`, downstream local = Service ClusterIP (sidecar) or gateway listener;
 * - the destination sidecar writes the server line: `inbound|targetPort||`, upstream local
 *   127.0.0.6, downstream remote = the client line's upstream local address, and the mTLS SNI
 *   `outbound_.port_._.host` when the connection is Istio mTLS;
 * - a caller without a sidecar writes nothing, and a request the client sidecar answered itself
 *   (FI, UO, URX) has no server line.
 */
import type { AccessLogEntry } from './access-log-format';
import { inboundCluster, mtlsSni, outboundCluster } from './istio-names';
import type { Pod } from './mesh';
import type { SimRequest } from './sim-request';

export interface PodLogEntry {
  pod: Pod;
  /** Epoch ms when the proxy wrote the line (end of the request / connection). */
  endMs: number;
  entry: AccessLogEntry;
}

/** The client-side line of a hop, or null when the source has no proxy. */
export function clientEntry(r: SimRequest): PodLogEntry | null {
  if (!r.sourcePod.proxied) return null;
  const http = r.protocol !== 'tcp';
  return {
    pod: r.sourcePod,
    endMs: r.startMs + r.durationMs,
    entry: {
      startTimeMs: r.startMs,
      method: r.method,
      path: r.path,
      protocol: r.httpVersion,
      responseCode: r.responseCode,
      responseFlags: r.responseFlags,
      responseCodeDetails: r.responseCodeDetails,
      connectionTerminationDetails: null,
      upstreamTransportFailureReason: r.transportFailureReason,
      bytesReceived: r.requestBytes,
      bytesSent: r.responseBytes,
      durationMs: r.durationMs,
      upstreamServiceTimeMs: r.upstreamServiceTimeMs,
      xForwardedFor: r.xForwardedFor,
      userAgent: r.userAgent,
      requestId: r.requestId,
      authority: r.authority,
      upstreamHost: r.addr.upstreamHost,
      upstreamCluster: outboundCluster(r.service.port, r.service.host),
      upstreamLocalAddress: r.addr.upstreamLocal,
      downstreamLocalAddress: r.addr.downstreamLocal,
      downstreamRemoteAddress: r.addr.downstreamRemote,
      requestedServerName: r.addr.requestedServerName,
      routeName: http ? r.routeName : null,
    },
  };
}

/** The server-side line of a hop, or null when no destination sidecar saw it. */
export function serverEntry(r: SimRequest): PodLogEntry | null {
  const pod = r.destPod;
  if (!r.server || !pod?.proxied) return null;
  const http = r.protocol !== 'tcp';
  const port = r.service.targetPort;
  return {
    pod,
    endMs: r.server.startMs + r.server.durationMs,
    entry: {
      startTimeMs: r.server.startMs,
      method: r.method,
      path: r.path,
      protocol: r.httpVersion,
      responseCode: r.responseCode,
      responseFlags: '-',
      responseCodeDetails: http ? 'via_upstream' : null,
      connectionTerminationDetails: null,
      upstreamTransportFailureReason: null,
      bytesReceived: r.requestBytes,
      bytesSent: r.responseBytes,
      durationMs: r.server.durationMs,
      upstreamServiceTimeMs: http ? r.server.appMs : null,
      xForwardedFor: r.xForwardedFor,
      userAgent: r.userAgent,
      requestId: r.requestId,
      authority: r.authority,
      upstreamHost: `${pod.ip}:${port}`,
      upstreamCluster: inboundCluster(port),
      upstreamLocalAddress: r.addr.inboundUpstreamLocal,
      downstreamLocalAddress: `${pod.ip}:${port}`,
      downstreamRemoteAddress: r.addr.upstreamLocal,
      requestedServerName: r.mtls
        ? mtlsSni(r.service.port, r.service.host)
        : null,
      routeName: http ? 'default' : null,
    },
  };
}

/** Every line a hop produces (0, 1 or 2). */
export function accessLogEntries(r: SimRequest): PodLogEntry[] {
  const out: PodLogEntry[] = [];
  const c = clientEntry(r);
  if (c) out.push(c);
  const s = serverEntry(r);
  if (s) out.push(s);
  return out;
}
