/**
 * Sidecar spans as Envoy's OpenTelemetry tracer reports them under Istio (traces.md section 7,
 * fixture tempo-istio-bookinfo-trace.json): the caller's proxy records a CLIENT span (gateways
 * too: gateway spans are client-kind), the callee's sidecar a SERVER span whose parent is that
 * CLIENT span; both carry the route's operation name and string tags. ReadableSpan objects are
 * built with explicit ids and times so an OTLP exporter can send them as they are.
 */
import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type HrTime,
  type SpanContext,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  inboundCluster,
  outboundCluster,
  samplingThreshold,
} from './istio-names';
import type { Mesh, Pod, Workload } from './mesh';
import { isError, type SimRequest } from './sim-request';

export type SpanSide = 'client' | 'server';

/** A span to be built: which hop, which proxy's side. */
export interface SpanJob {
  req: SimRequest;
  side: SpanSide;
}

/** The spans a finished hop produces (none for TCP or unsampled traces). */
export function spanJobs(r: SimRequest): SpanJob[] {
  if (!r.sampled || r.protocol === 'tcp' || r.traceId === null) return [];
  const jobs: SpanJob[] = [];
  if (r.sourcePod.proxied && r.clientSpanId)
    jobs.push({ req: r, side: 'client' });
  if (r.server?.spanId && r.destPod?.proxied)
    jobs.push({ req: r, side: 'server' });
  return jobs;
}

/** Epoch milliseconds as an OpenTelemetry HrTime. */
export function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function ipOf(address: string | null): string {
  return address ? address.slice(0, address.lastIndexOf(':')) : '-';
}

export class SpanBuilder {
  private readonly resources = new Map<Workload, Resource>();
  private readonly traceState: TraceState | undefined;

  constructor(private readonly mesh: Mesh) {
    const t = mesh.scenario.tracing;
    this.traceState = t.samplingInTracestate
      ? new TraceState(`ot=th:${samplingThreshold(t.samplingPercent)}`)
      : undefined;
  }

  /** One resource object per workload (the exporter groups spans by resource identity). */
  resourceOf(w: Workload): Resource {
    let r = this.resources.get(w);
    if (!r)
      this.resources.set(
        w,
        (r = resourceFromAttributes({ 'service.name': w.traceServiceName })),
      );
    return r;
  }

  build({ req: r, side }: SpanJob): ReadableSpan {
    const client = side === 'client';
    const pod = client ? r.sourcePod : r.destPod;
    const spanId = client ? r.clientSpanId : (r.server?.spanId ?? null);
    if (!pod || !spanId || !r.traceId)
      throw new Error(`span-builder: no ${side} span for hop ${r.edgeId}`);
    const parentId = client
      ? r.parentSpanId
      : (r.clientSpanId ?? r.parentSpanId);
    const startMs = client ? r.startMs : (r.server?.startMs ?? r.startMs);
    const durationMs = client
      ? r.durationMs
      : (r.server?.durationMs ?? r.durationMs);
    const traceId = r.traceId;
    const ctx: SpanContext = {
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      traceState: this.traceState,
    };
    const error = isError(r);
    return {
      name: r.spanName ?? `${r.service.host}:${r.service.port}/*`,
      kind: client ? SpanKind.CLIENT : SpanKind.SERVER,
      spanContext: () => ctx,
      parentSpanContext: parentId
        ? {
            traceId,
            spanId: parentId,
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
            traceState: this.traceState,
          }
        : undefined,
      startTime: msToHrTime(startMs),
      endTime: msToHrTime(startMs + durationMs),
      duration: msToHrTime(durationMs),
      status: { code: error ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
      attributes: this.attributes(r, pod, client, error),
      links: [],
      events: [],
      ended: true,
      resource: this.resourceOf(pod.workload),
      instrumentationScope: { name: '' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }

  private attributes(
    r: SimRequest,
    pod: Pod,
    client: boolean,
    error: boolean,
  ): Attributes {
    const w = pod.workload;
    const cluster = client
      ? outboundCluster(r.service.port, r.service.host)
      : inboundCluster(r.service.targetPort);
    const upstream = client
      ? r.addr.upstreamHost
      : `${pod.ip}:${r.service.targetPort}`;
    const a: Attributes = {
      node_id: pod.nodeId,
      component: 'proxy',
      'guid:x-request-id': r.requestId ?? '-',
      'http.url': `http://${r.authority ?? '-'}${r.path ?? '/'}`,
      'http.method': r.method ?? '-',
      'http.protocol': r.httpVersion ?? '-',
      downstream_cluster: '-',
      user_agent: r.userAgent ?? '-',
      'http.status_code': String(r.responseCode),
      response_flags: client ? r.responseFlags : '-',
      request_size: String(r.requestBytes),
      response_size: String(r.responseBytes),
      upstream_cluster: cluster,
      // Istio >= 1.23 sets every cluster's alt_stat_name to "<name>;".
      'upstream_cluster.name': `${cluster};`,
      'peer.address': ipOf(
        client ? r.addr.downstreamRemote : r.addr.upstreamLocal,
      ),
      'net.host.ip': pod.ip,
      'istio.canonical_service': w.canonicalService,
      'istio.canonical_revision': w.canonicalRevision,
      'istio.mesh_id': this.mesh.scenario.meshId,
      'istio.namespace': w.namespace,
      'istio.cluster_id': pod.cluster,
    };
    if (upstream) a.upstream_address = upstream;
    if (error) a.error = 'true';
    if (r.protocol === 'grpc') {
      a['grpc.status_code'] = String(r.grpcStatus ?? 0);
      a['grpc.path'] = r.path ?? '-';
      a['grpc.authority'] = r.authority ?? '-';
      a['grpc.content_type'] = 'application/grpc';
    }
    return a;
  }
}
