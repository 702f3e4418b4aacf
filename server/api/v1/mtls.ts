/**
 * GET /api/v1/mtls — mTLS coverage as a stable JSON shape (docs/api.md): shares 0..1 of requests,
 * connections and bytes over mutual TLS, null when no destination reported a policy; unknown
 * traffic is given apart, never counted as either. How each figure is computed: docs/mtls.md.
 */
import { z } from 'zod';
import { mtlsCoverage } from '../../mtls/coverage';
import type {
  EdgeCoverage,
  GroupCoverage,
  WorkloadCoverage,
} from '../../mtls/report';
import { createInnerContext } from '../trpc';
import { firstValues, listParam, timeParam, windowOf } from './params';
import { API_SIGNAL } from './topology';

const query = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
});

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString();

function apiCoverage(c: GroupCoverage) {
  return {
    requestShare: c.requestShare,
    byteShare: c.byteShare,
    connectionShare: c.connectionShare,
    unknownShare: c.unknownShare,
    state: c.state,
    perSecond: c.perSecond,
    requests: c.requests,
    connections: c.connections,
    bytes: c.bytes,
  };
}

const peer = (p: { namespace: string; workload: string }) => ({
  namespace: p.namespace || null,
  workload: p.workload || null,
});

function apiEdge(e: EdgeCoverage) {
  return {
    source: { ...peer(e.source), service: e.source.service || null },
    destination: {
      namespace: e.destination.namespace || null,
      service: e.destination.service || null,
      workloads: e.destination.workloads,
    },
    protocol: e.protocol,
    signals: e.signals.map((s) => API_SIGNAL[s] ?? s),
    ...apiCoverage(e),
    plaintextFirstSeen: iso(e.plaintextFirstMs),
    plaintextLastSeen: iso(e.plaintextLastMs),
  };
}

function apiWorkload(w: WorkloadCoverage) {
  return {
    namespace: w.namespace,
    workload: w.workload,
    ...apiCoverage(w),
    plaintextCallers: w.plaintextCallers.map(peer),
  };
}

export async function mtlsHandler(params: URLSearchParams): Promise<unknown> {
  const q = query.parse(firstValues(params));
  const window = windowOf(q.start, q.end);
  const db = await createInnerContext().db();
  const r = await mtlsCoverage(db, {
    ...window,
    namespaces: [
      ...listParam(params, 'namespace'),
      ...listParam(params, 'namespaces'),
    ],
  });
  return {
    window: {
      start: r.window.start.toISOString(),
      end: r.window.end.toISOString(),
      seconds: r.window.seconds,
    },
    mesh: apiCoverage(r.mesh),
    clusters: r.clusters.map((c) => ({
      cluster: c.cluster || null,
      ...apiCoverage(c),
    })),
    namespaces: r.namespaces.map((n) => ({
      namespace: n.namespace || null,
      ...apiCoverage(n),
    })),
    services: r.services.map((s) => ({
      namespace: s.namespace || null,
      service: s.service || null,
      ...apiCoverage(s),
    })),
    edges: r.edges.map(apiEdge),
    plaintextEdges: r.plaintextEdges.map(apiEdge),
    mixedWorkloads: r.mixedWorkloads.map(apiWorkload),
    sidecarlessSources: r.sidecarlessSources.map((e) => ({
      ...apiEdge(e),
      addresses: e.addresses,
    })),
    identities: r.identities,
    trend: r.trend.map((p) => ({
      time: new Date(p.t).toISOString(),
      requestShare: p.requestShare,
      byteShare: p.byteShare,
      connectionShare: p.connectionShare,
      unknownShare: p.unknownShare,
    })),
  };
}
