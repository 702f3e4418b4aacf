/**
 * What an Envoy/Istio span's string tags mean, decoded for the span detail: upstream cluster
 * (direction, port, subset, host), response flags in words, status, request id, and the edge it
 * is in the topology. Pure; uses the collectors' own parsers so both sides read tags alike.
 */
import {
  meshIdentityOf,
  parseNodeId,
  parseUpstreamCluster,
} from '~/collectors/sources/traces-shared/istio-service';
import { decodeFlags, type FlagWord } from '../charts/flag-words';

export interface IstioFields {
  /** True when the span came from an Envoy proxy (`component=proxy` or a `node_id`). */
  fromProxy: boolean;
  requestId: string;
  upstreamCluster: string;
  direction: string;
  port: string;
  subset: string;
  upstreamHost: string;
  upstreamAddress: string;
  httpStatus: string;
  grpcStatus: string;
  responseFlags: FlagWord[];
  proxyType: string;
  pod: string;
  /** The canonical service and namespace of the proxy that recorded the span. */
  service: string;
  namespace: string;
  /** Destination service of a client span (from the outbound cluster). */
  peerService: string;
  peerNamespace: string;
  protocol: 'http' | 'grpc';
}

const pick = (attrs: Record<string, string>, ...keys: string[]) => {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== '' && v !== '-') return v;
  }
  return '';
};

export function istioFields(
  attrs: Record<string, string>,
  resource: Record<string, string>,
): IstioFields {
  const cluster = pick(attrs, 'upstream_cluster');
  const target = cluster ? parseUpstreamCluster(cluster) : undefined;
  const node = parseNodeId(pick(attrs, 'node_id'));
  const id = meshIdentityOf(resource, attrs);
  const outbound = target?.direction === 'outbound';
  return {
    fromProxy: attrs.component === 'proxy' || node !== undefined,
    requestId: pick(attrs, 'guid:x-request-id'),
    upstreamCluster: cluster,
    direction: target?.direction ?? '',
    port: target?.port ?? '',
    subset: target?.subset ?? '',
    upstreamHost: target?.host ?? '',
    upstreamAddress: pick(attrs, 'upstream_address', 'peer.address'),
    httpStatus: pick(attrs, 'http.status_code', 'http.response.status_code'),
    grpcStatus: pick(attrs, 'grpc.status_code'),
    responseFlags: decodeFlags(pick(attrs, 'response_flags')),
    proxyType: node?.proxyType ?? '',
    pod: node?.pod ?? '',
    service: id.service,
    namespace: id.namespace,
    peerService: outbound ? target.service : '',
    peerNamespace: outbound ? target.namespace || id.namespace : '',
    protocol:
      pick(attrs, 'grpc.status_code', 'grpc.path') !== '' ? 'grpc' : 'http',
  };
}

/**
 * The topology page showing this span's edge (service graph): from the client span's service to
 * its outbound destination, or from the parent's service to this server span's service.
 * Undefined when the span does not name both ends.
 */
export function topologyEdgeLink(
  f: IstioFields,
  parent: IstioFields | undefined,
  window: { fromMs: number; toMs: number },
): string | undefined {
  let src: [string, string] | undefined;
  let dst: [string, string] | undefined;
  if (f.peerService && f.service) {
    src = [f.namespace, f.service];
    dst = [f.peerNamespace, f.peerService];
  } else if (f.direction === 'inbound' && parent?.service && f.service) {
    src = [parent.namespace, parent.service];
    dst = [f.namespace, f.service];
  }
  if (!src || !dst) return undefined;
  const edge = `svc:${src[0]}/${src[1]}->svc:${dst[0]}/${dst[1]}:${f.protocol}`;
  const q = new URLSearchParams({
    graph: 'service',
    edge,
    from: String(Math.floor(window.fromMs)),
    to: String(Math.ceil(window.toMs)),
  });
  return `/topology?${q.toString()}`;
}

/** The access-log view for this span's request (or trace when there is no request id). */
export function accessLogLink(
  requestId: string,
  traceId: string,
  window: { fromMs: number; toMs: number },
): string {
  const q = new URLSearchParams(requestId ? { requestId } : { traceId });
  q.set('from', String(Math.floor(window.fromMs)));
  q.set('to', String(Math.ceil(window.toMs)));
  return `/logs?${q.toString()}`;
}
