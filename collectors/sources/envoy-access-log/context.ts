/**
 * What a log line's surroundings say about the proxy that wrote it: a container log path
 * (/var/log/pods/<ns>_<pod>_<uid>/<container>/N.log, /var/log/containers/<pod>_<ns>_<container>-<id>.log)
 * or a log shipper's Kubernetes metadata (Fluent Bit `kubernetes.*`, Vector `kubernetes.pod_*`).
 */
import type { ProxyContext } from './row';

/** `productpage-v1-6b746f74dc-9stp2` -> `productpage-v1` (Deployment pods), `db-0` stays. */
export function workloadFromPod(pod: string): string {
  const parts = pod.split('-');
  if (
    parts.length >= 3 &&
    /^[a-z0-9]{5}$/.test(parts[parts.length - 1]!) &&
    /^[a-z0-9]{6,10}$/.test(parts[parts.length - 2]!)
  ) {
    return parts.slice(0, -2).join('-');
  }
  if (
    parts.length >= 2 &&
    /^[a-z0-9]{5}$/.test(parts[parts.length - 1]!) &&
    /\d/.test(parts[parts.length - 1]!)
  ) {
    return parts.slice(0, -1).join('-');
  }
  return pod;
}

function isGatewayPod(
  pod: string,
  labels: Record<string, string> | undefined,
): boolean {
  if (labels) {
    const istio = labels['istio'];
    if (istio === 'ingressgateway' || istio === 'egressgateway') return true;
    if (labels['gateway.networking.k8s.io/gateway-name'] !== undefined)
      return true;
    if (labels['gateway.istio.io/managed'] !== undefined) return true;
  }
  return /(^|-)(ingress|egress)gateway(-|$)/.test(pod);
}

/** A pod's context; labels (when known) give the canonical service and version. */
export function contextFromPod(
  pod: string,
  namespace: string,
  container: string | undefined,
  labels?: Record<string, string>,
): ProxyContext {
  const gateway = isGatewayPod(pod, labels);
  const workload = workloadFromPod(pod);
  return {
    proxyType: gateway
      ? 'gateway'
      : container === 'istio-proxy'
        ? 'sidecar'
        : undefined,
    workload,
    namespace,
    service:
      labels?.['service.istio.io/canonical-name'] ??
      labels?.['app.kubernetes.io/name'] ??
      labels?.['app'] ??
      workload,
    version:
      labels?.['service.istio.io/canonical-revision'] ??
      labels?.['app.kubernetes.io/version'] ??
      labels?.['version'] ??
      '',
    nodeId: `${pod}.${namespace}`,
  };
}

/** The context in a Kubernetes container log path, or undefined for other paths. */
export function contextFromLogPath(file: string): ProxyContext | undefined {
  let m = /\/pods\/([^_/]+)_([^_/]+)_[^/]+\/([^/]+)\/[^/]*$/.exec(file);
  if (m) return contextFromPod(m[2]!, m[1]!, m[3]);
  m = /\/containers\/([^_/]+)_([^_/]+)_(.+)-[0-9a-f]{64}\.log$/.exec(file);
  if (m) return contextFromPod(m[1]!, m[2]!, m[3]);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Context from a shipper record's `kubernetes` object (Fluent Bit or Vector field names). */
export function contextFromShipper(
  record: Record<string, unknown>,
): ProxyContext | undefined {
  const k = record['kubernetes'];
  if (typeof k !== 'object' || k === null) return undefined;
  const meta = k as Record<string, unknown>;
  const pod = str(meta['pod_name']);
  const ns = str(meta['namespace_name']) ?? str(meta['pod_namespace']);
  if (!pod || !ns) return undefined;
  const rawLabels = (meta['labels'] ?? meta['pod_labels']) as
    Record<string, unknown> | undefined;
  const labels: Record<string, string> = {};
  if (rawLabels && typeof rawLabels === 'object') {
    for (const [key, v] of Object.entries(rawLabels))
      if (typeof v === 'string') labels[key] = v;
  }
  return contextFromPod(pod, ns, str(meta['container_name']), labels);
}
