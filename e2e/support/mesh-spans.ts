/**
 * Seeds a small Istio mesh as proxy spans over OTLP/HTTP JSON (the real receiver, the real
 * 0007 span rollups), with times inside a window the test chooses, so the figures are known:
 * each edge gets `requests` CLIENT spans spread over the window, `errors` of them 503.
 */

export interface SeedEdge {
  /** Caller proxy: namespace, workload (pod name derived), canonical service, gateway or not. */
  from: {
    namespace: string;
    workload: string;
    service: string;
    gateway?: boolean;
  };
  /** Upstream host: `reviews.bookinfo.svc.cluster.local`, or any host name. */
  toHost: string;
  requests: number;
  errors: number;
}

function attr(key: string, value: string) {
  return { key, value: { stringValue: value } };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

/** One OTLP/JSON body with the spans of every edge, start times spread over [fromMs, toMs). */
export function meshSpansBody(
  edges: readonly SeedEdge[],
  fromMs: number,
  toMs: number,
): string {
  let seq = 1;
  const resourceSpans = edges.map((e, ei) => {
    const pod = `${e.from.workload}-6b746f74dc-${['9stp2', 'x7kq4', 'mz2bd', 'p4w8r', 'h5n6c'][ei % 5]}`;
    const nodeId = `${e.from.gateway ? 'router' : 'sidecar'}~10.244.0.${10 + ei}~${pod}.${e.from.namespace}~${e.from.namespace}.svc.cluster.local`;
    const spans = Array.from({ length: e.requests }, (_, i) => {
      const start =
        fromMs + Math.floor(((i + 0.5) * (toMs - fromMs)) / e.requests);
      const durationMs = 5 + ((i * 7) % 30);
      const id = seq++;
      return {
        traceId: hex(id, 32),
        spanId: hex(id, 16),
        name: `${e.toHost}:9080/*`,
        kind: 3,
        startTimeUnixNano: `${start}000000`,
        endTimeUnixNano: `${start + durationMs}000000`,
        attributes: [
          attr('component', 'proxy'),
          attr('node_id', nodeId),
          attr('istio.namespace', e.from.namespace),
          attr('istio.canonical_service', e.from.service),
          attr('istio.canonical_revision', e.from.gateway ? 'latest' : 'v1'),
          attr('upstream_cluster', `outbound|9080||${e.toHost}`),
          attr('http.status_code', i < e.errors ? '503' : '200'),
          attr('response_flags', '-'),
        ],
      };
    });
    return {
      resource: {
        attributes: [
          attr('service.name', `${e.from.service}.${e.from.namespace}`),
        ],
      },
      scopeSpans: [{ scope: { name: 'meshlens-e2e' }, spans }],
    };
  });
  return JSON.stringify({ resourceSpans });
}
