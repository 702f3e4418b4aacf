/** Small pure helpers of the side panel. */
import type { TopologyNode } from './graph-types';

/** The fields the API needs to find a node's traffic. */
export function toNodeRef(n: TopologyNode) {
  return {
    kind: n.kind,
    namespace: n.namespace,
    workload: n.workload,
    service: n.service,
    app: n.app,
    version: n.version,
  };
}

const SIGNALS: Record<string, string> = {
  metrics: 'metrics',
  access_log: 'access logs',
  spans: 'traces',
};

export function signalLabel(signal: string): string {
  return SIGNALS[signal] ?? (signal || 'no traffic');
}

const KINDS: Record<string, string> = {
  workload: 'Workload',
  app: 'App version',
  service: 'Service',
  gateway: 'Gateway',
  external: 'External host',
  unknown: 'Outside the mesh',
};

export function kindLabel(n: TopologyNode): string {
  if (n.kind === 'gateway' && n.gatewayType)
    return n.gatewayType === 'egress' ? 'Egress gateway' : 'Ingress gateway';
  return KINDS[n.kind] ?? n.kind;
}
