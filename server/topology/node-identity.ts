/**
 * Which graph node each end of an edge row belongs to, per graph type (Kiali's granularities):
 *   workload  one node per workload, with the called service between caller and workloads
 *             (a caller's report names the service; only some signals name the workload);
 *   service   one node per service (canonical service for callers);
 *   app       one node per app version, inside an app box (reviews v1/v2/v3), services between.
 * Callers outside the mesh are the single "unknown" node; hosts outside it are external nodes.
 * Every node of a namespace sits in that namespace's box.
 */
import type { EdgeAggregate, GraphType, NodeKind } from './types';

export interface NodeSeed {
  id: string;
  kind: NodeKind;
  namespace: string;
  workload: string;
  service: string;
  app: string;
  version: string;
  label: string;
  gatewayType?: 'ingress' | 'egress';
  /** App box id (versioned-app graph), or null. */
  appBox: string | null;
}

export const UNKNOWN_SOURCE_ID = 'unknown';
export const UNKNOWN_DESTINATION_ID = 'unknown-destination';

/** Istio gateways by their usual names (istio-ingressgateway, *-egressgateway, Gateway API *-istio). */
export function gatewayTypeOf(
  workload: string,
): 'ingress' | 'egress' | undefined {
  const w = workload.toLowerCase();
  if (/egress-?gateway/.test(w)) return 'egress';
  if (/ingress-?gateway/.test(w) || /(^|-)gateway(-istio)?$/.test(w))
    return 'ingress';
  return undefined;
}

/**
 * A destination outside the mesh: a host name (ServiceEntry), or Envoy's passthrough clusters.
 * A dotless name is a Kubernetes service even when its namespace is not known.
 */
export function isExternalDestination(
  r: Pick<
    EdgeAggregate,
    'destinationWorkload' | 'destinationService' | 'destinationNamespace'
  >,
): boolean {
  if (r.destinationWorkload !== '') return false;
  const s = r.destinationService;
  return (
    s === 'PassthroughCluster' || s === 'BlackHoleCluster' || s.includes('.')
  );
}

function seed(
  partial: Partial<NodeSeed> & Pick<NodeSeed, 'id' | 'kind' | 'label'>,
): NodeSeed {
  return {
    namespace: '',
    workload: '',
    service: '',
    app: '',
    version: '',
    appBox: null,
    ...partial,
  };
}

/** The node of the calling side. */
export function sourceNode(r: EdgeAggregate, type: GraphType): NodeSeed {
  const ns = r.sourceNamespace;
  const workload = r.sourceWorkload;
  if (workload === '')
    return seed({ id: UNKNOWN_SOURCE_ID, kind: 'unknown', label: 'unknown' });
  const app = r.sourceService || workload;
  const gatewayType = gatewayTypeOf(workload);
  const common = {
    namespace: ns,
    workload,
    service: app,
    app,
    version: r.sourceVersion,
  };
  if (gatewayType) {
    const id = type === 'service' ? `svc:${ns}/${app}` : `wl:${ns}/${workload}`;
    return seed({
      ...common,
      id,
      kind: 'gateway',
      gatewayType,
      label: type === 'service' ? app : workload,
    });
  }
  if (type === 'service')
    return seed({
      ...common,
      workload: '',
      version: '',
      id: `svc:${ns}/${app}`,
      kind: 'service',
      label: app,
    });
  if (type === 'app') {
    return seed({
      ...common,
      id: `app:${ns}/${app}/${r.sourceVersion}`,
      kind: 'app',
      label: r.sourceVersion ? `${app} ${r.sourceVersion}` : app,
      appBox: `appbox:${ns}/${app}`,
    });
  }
  return seed({
    ...common,
    id: `wl:${ns}/${workload}`,
    kind: 'workload',
    label: workload,
  });
}

/** The node of the called side. */
export function destinationNode(r: EdgeAggregate, type: GraphType): NodeSeed {
  const ns = r.destinationNamespace;
  const service = r.destinationService;
  const workload = r.destinationWorkload;
  if (service === '' && workload === '') {
    return seed({
      id: UNKNOWN_DESTINATION_ID,
      kind: 'unknown',
      label: 'unknown destination',
    });
  }
  if (isExternalDestination(r))
    return seed({
      id: `ext:${service}`,
      kind: 'external',
      service,
      label: service,
    });
  // A gateway's service and workload share a name: a caller that only knows the service
  // (spans, access logs) still reaches the gateway node.
  const gatewayType = gatewayTypeOf(workload || service);
  const app = service || workload;
  const common = { namespace: ns, service, app, version: r.destinationVersion };
  if (gatewayType) {
    const gw = workload || service;
    const id = type === 'service' ? `svc:${ns}/${app}` : `wl:${ns}/${gw}`;
    return seed({
      ...common,
      workload: gw,
      id,
      kind: 'gateway',
      gatewayType,
      label: type === 'service' ? app : gw,
    });
  }
  if (type === 'service' || workload === '') {
    return seed({
      ...common,
      version: '',
      id: `svc:${ns}/${service || workload}`,
      kind: 'service',
      label: service || workload,
    });
  }
  if (type === 'app') {
    return seed({
      ...common,
      workload,
      id: `app:${ns}/${app}/${r.destinationVersion}`,
      kind: 'app',
      label: r.destinationVersion ? `${app} ${r.destinationVersion}` : app,
      appBox: `appbox:${ns}/${app}`,
    });
  }
  return seed({
    ...common,
    workload,
    id: `wl:${ns}/${workload}`,
    kind: 'workload',
    label: workload,
  });
}

/**
 * The service node put between caller and destination workload in the workload and app graphs
 * (null in the service graph, and when the destination is already a service or external).
 */
export function injectedService(
  r: EdgeAggregate,
  dst: NodeSeed,
  type: GraphType,
): NodeSeed | null {
  if (type === 'service' || r.destinationService === '') return null;
  if (dst.kind !== 'workload' && dst.kind !== 'app') return null;
  const ns = r.destinationNamespace;
  const service = r.destinationService;
  return seed({
    id: `svc:${ns}/${service}`,
    kind: 'service',
    namespace: ns,
    service,
    app: service,
    label: service,
  });
}
