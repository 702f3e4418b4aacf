/**
 * Which stored peers a graph node stands for, as filters on either end of the traffic: the
 * side panel's "inbound" is traffic whose destination matches the node, "outbound" traffic whose
 * source matches it. Mirrors node-identity.ts (the same node kinds and graph types).
 */
import type { GraphType, NodeKind } from './types';

export interface PeerFilter {
  namespace?: string;
  workload?: string;
  service?: string;
  version?: string;
}

export interface NodeRef {
  kind: NodeKind;
  namespace: string;
  workload: string;
  service: string;
  app: string;
  version: string;
}

/** Whether a node is a service put between callers and workloads (it calls nobody itself). */
export function isInjectedService(node: NodeRef, type: GraphType): boolean {
  return node.kind === 'service' && type !== 'service';
}

/** A mesh node (service, app, gateway or workload) as a peer, calling or called alike. */
function meshPeer(node: NodeRef, type: GraphType): PeerFilter {
  switch (node.kind) {
    case 'service':
      return { namespace: node.namespace, service: node.service };
    case 'app':
      return {
        namespace: node.namespace,
        service: node.app,
        version: node.version,
      };
    case 'gateway':
      return type === 'service'
        ? { namespace: node.namespace, service: node.service }
        : { namespace: node.namespace, workload: node.workload };
    default:
      return { namespace: node.namespace, workload: node.workload };
  }
}

/** The node as the calling side; null when it never calls (external hosts, injected services). */
export function asSource(node: NodeRef, type: GraphType): PeerFilter | null {
  if (isInjectedService(node, type)) return null;
  if (node.kind === 'unknown') return { workload: '' };
  if (node.kind === 'external') return null;
  return meshPeer(node, type);
}

/** The node as the called side. */
export function asDestination(node: NodeRef, type: GraphType): PeerFilter {
  // Calls that reached no known service (no destination service or workload).
  if (node.kind === 'unknown') return { service: '', workload: '' };
  if (node.kind === 'external') return { service: node.service, workload: '' };
  return meshPeer(node, type);
}

/**
 * The traffic of an edge: caller and callee filters; an edge leaving an injected service is
 * the traffic into that service served by the target workload (any caller).
 */
export function edgeFilter(
  source: NodeRef,
  target: NodeRef,
  type: GraphType,
): { source?: PeerFilter; destination: PeerFilter } | null {
  const destination = asDestination(target, type);
  if (isInjectedService(source, type))
    return {
      destination: {
        ...destination,
        namespace: source.namespace,
        service: source.service,
      },
    };
  const from = asSource(source, type);
  return from ? { source: from, destination } : null;
}
