/**
 * Who a mesh span belongs to, the way Istio users name things: the canonical service
 * (`istio.canonical_service`) over Envoy's `service.name` (`<app>.<namespace>`), the namespace
 * from `istio.namespace`, the workload from the pod name in Envoy's `node_id`. One pure function,
 * mirrored in SQL by migrations/0007_span_rollups.sql (keep the two in step).
 */
import type { StringMap } from './span-row';

export interface MeshIdentity {
  /** Canonical service, else the app part of service.name, else ''. */
  service: string;
  /** istio.namespace, else the namespace of node_id, else the suffix of service.name, else ''. */
  namespace: string;
  /** Deployment-style workload from the pod name in node_id, else ''. */
  workload: string;
  /** istio.canonical_revision, else ''. */
  version: string;
  /** istio.cluster_id, else ''. */
  cluster: string;
}

export interface NodeId {
  /** sidecar | router (gateway) | waypoint | ... */
  proxyType: string;
  ip: string;
  pod: string;
  namespace: string;
}

/** Parses Envoy's node id `sidecar~10.0.0.1~reviews-v2-6f7c-58wpn.bookinfo~bookinfo.svc.cluster.local`. */
export function parseNodeId(nodeId: string): NodeId | undefined {
  const parts = nodeId.split('~');
  if (parts.length !== 4) return undefined;
  const podDotNs = parts[2] ?? '';
  const dot = podDotNs.lastIndexOf('.');
  return {
    proxyType: parts[0] ?? '',
    ip: parts[1] ?? '',
    pod: dot > 0 ? podDotNs.slice(0, dot) : podDotNs,
    namespace: dot > 0 ? podDotNs.slice(dot + 1) : '',
  };
}

/**
 * The workload of a pod name: a Deployment pod is `<workload>-<replicaset hash>-<5 chars>`,
 * a DaemonSet or bare ReplicaSet pod `<workload>-<5 chars>`. Anything else is kept whole.
 * (Istio reads owner references; a span only has the pod name, so this is a heuristic.)
 */
export function workloadOfPod(pod: string): string {
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment) return deployment[1]!;
  const replica = /^(.+)-[a-z0-9]{5}$/.exec(pod);
  return replica ? replica[1]! : pod;
}

/** Istio identity of the proxy that recorded a span, from its resource and span attributes. */
export function meshIdentityOf(
  resource: StringMap,
  span: StringMap,
): MeshIdentity {
  const attr = (k: string) => span[k] || resource[k] || '';
  const node = parseNodeId(attr('node_id'));
  const serviceName = attr('service.name');
  const dot = serviceName.lastIndexOf('.');
  const namespace =
    attr('istio.namespace') ||
    node?.namespace ||
    (dot > 0 ? serviceName.slice(dot + 1) : '');
  const appFromServiceName =
    dot > 0 && serviceName.slice(dot + 1) === namespace
      ? serviceName.slice(0, dot)
      : serviceName;
  return {
    service: attr('istio.canonical_service') || appFromServiceName,
    namespace,
    workload: node ? workloadOfPod(node.pod) : '',
    version: attr('istio.canonical_revision'),
    cluster: attr('istio.cluster_id'),
  };
}

export interface UpstreamTarget {
  /** outbound | inbound | inbound-vip | ... */
  direction: string;
  port: string;
  /** DestinationRule subset (often a version), '' when none. */
  subset: string;
  /** The host as written: `reviews.bookinfo.svc.cluster.local`, `www.example.com`, '' for inbound. */
  host: string;
  /** First label of a Kubernetes service host, else the whole host. */
  service: string;
  /** Second label of a `<svc>.<ns>.svc...` host, else ''. */
  namespace: string;
}

/** Parses Envoy's `upstream_cluster` as Istio names clusters: `outbound|9080|v1|reviews.bookinfo.svc.cluster.local`. */
export function parseUpstreamCluster(
  cluster: string,
): UpstreamTarget | undefined {
  const parts = cluster.replace(/;$/, '').split('|');
  if (parts.length !== 4) return undefined;
  const host = parts[3] ?? '';
  const k8s = /^([^.]+)\.([^.]+)\.svc(\.|$)/.exec(host);
  return {
    direction: parts[0] ?? '',
    port: parts[1] ?? '',
    subset: parts[2] ?? '',
    host,
    service: k8s ? k8s[1]! : host,
    namespace: k8s ? k8s[2]! : '',
  };
}

/**
 * The service name to store when a span's resource has no `service.name`: the canonical service
 * qualified by namespace (`reviews.bookinfo`, as Istio's tracer names it), else 'unknown_service'
 * as the OpenTelemetry SDKs do.
 */
export function fallbackServiceName(
  resource: StringMap,
  span: StringMap,
): string {
  const id = meshIdentityOf(resource, span);
  if (!id.service) return 'unknown_service';
  return id.namespace ? `${id.service}.${id.namespace}` : id.service;
}
