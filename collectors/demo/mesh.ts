/**
 * A scenario compiled into the simulated mesh: pods with IPs and Envoy node ids, services with
 * ClusterIPs and FQDNs, and edges resolved to objects. Everything is derived deterministically
 * from the scenario (no randomness), so two compilations of one scenario are identical.
 */
import type { EdgeSpec, Scenario } from './scenario';
import { nodeId, podName, serviceFqdn, spiffeId } from './istio-names';
import { latencySampler, type LatencySampler } from './latency';

export interface Workload {
  /** "namespace/name" */
  key: string;
  name: string;
  namespace: string;
  kind: 'sidecar' | 'gateway' | 'no-sidecar';
  app: string;
  /** `version` label, or "unknown" when the pod has none (gateways). */
  version: string;
  canonicalService: string;
  /** Canonical revision: the version label, or "latest". */
  canonicalRevision: string;
  serviceAccount: string;
  principal: string;
  userAgent: string;
  /** Resource `service.name` of this workload's proxy spans. */
  traceServiceName: string;
  /** Container port the workload serves on (target port of the first Service selecting it). */
  listenPort: number;
  pods: Pod[];
}

export interface Pod {
  name: string;
  namespace: string;
  cluster: string;
  ip: string;
  /** Weight among the workload's pods for incoming traffic. */
  weight: number;
  /** The pod runs an Envoy that reports telemetry (sidecar or gateway). */
  proxied: boolean;
  gateway: boolean;
  /** Envoy node id (`sidecar~...` / `router~...`); empty without a proxy. */
  nodeId: string;
  workload: Workload;
}

export interface Service {
  key: string;
  /** Short name: `destination_service_name` (the host itself for external services). */
  name: string;
  namespace: string;
  /** FQDN, or the ServiceEntry host: `destination_service`. */
  host: string;
  port: number;
  targetPort: number;
  /** ClusterIP, or the external host's address. */
  address: string;
  external: boolean;
  split: { workload: Workload; weight: number }[];
}

export interface Edge {
  spec: EdgeSpec;
  id: string;
  source: Workload;
  service: Service;
  via: Service | null;
  latency: LatencySampler;
  userAgent: string;
  authority: string;
  httpVersion: 'HTTP/1.1' | 'HTTP/2';
  /** Route part of the span name ("/*" unless the edge names a VirtualService match). */
  routeMatch: string;
}

export interface Mesh {
  scenario: Scenario;
  primaryCluster: string;
  workloads: Map<string, Workload>;
  services: Map<string, Service>;
  edges: Edge[];
  /** Edges with their own rate (requestsPerSec / connectionsPerSec). */
  rootEdges: Edge[];
  /** Downstream edges (callsPerRequest) by source workload key, in scenario order. */
  childEdges: Map<string, Edge[]>;
  /** Pods with a proxy (they get log files, metrics endpoints and spans). */
  proxiedPods: Pod[];
  /** Addresses of clients outside the cluster (TEST-NET-2), calling the ingress gateway. */
  externalClientIps: string[];
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`demo mesh: ${what} not found (scenario not validated?)`);
  return value;
}

/** Compiles a validated scenario. Pure; cached per scenario object by `meshOf`. */
export function compileMesh(scenario: Scenario): Mesh {
  const primaryCluster = must(scenario.clusters[0], 'primary cluster');
  const podCount = new Map<string, number>();
  const nextPodIp = (cluster: string) => {
    const n = podCount.get(cluster) ?? 0;
    podCount.set(cluster, n + 1);
    const ci = scenario.clusters.indexOf(cluster);
    return `10.${244 + ci}.${1 + Math.floor(n / 200)}.${10 + (n % 200)}`;
  };

  const workloads = new Map<string, Workload>();
  for (const w of scenario.workloads) {
    const sa = w.serviceAccount ?? 'default';
    const wl: Workload = {
      key: `${w.namespace}/${w.name}`,
      name: w.name,
      namespace: w.namespace,
      kind: w.kind,
      app: w.app,
      version: w.version ?? 'unknown',
      canonicalService: w.app,
      canonicalRevision: w.version ?? 'latest',
      serviceAccount: sa,
      principal: spiffeId(scenario.trustDomain, w.namespace, sa),
      userAgent: w.userAgent,
      traceServiceName:
        scenario.tracing.serviceName === 'canonical'
          ? w.app
          : `${w.app}.${w.namespace}`,
      listenPort: 8080,
      pods: [],
    };
    const replicas = w.replicas ?? [{ cluster: primaryCluster, weight: 1 }];
    replicas.forEach((r, i) => {
      const ip = nextPodIp(r.cluster);
      const name = podName(w.name, w.namespace, r.cluster, i);
      const proxied = w.kind !== 'no-sidecar';
      wl.pods.push({
        name,
        namespace: w.namespace,
        cluster: r.cluster,
        ip,
        weight: r.weight,
        proxied,
        gateway: w.kind === 'gateway',
        nodeId: proxied
          ? nodeId(
              w.kind === 'gateway' ? 'router' : 'sidecar',
              ip,
              name,
              w.namespace,
            )
          : '',
        workload: wl,
      });
    });
    workloads.set(wl.key, wl);
  }

  const services = new Map<string, Service>();
  scenario.services.forEach((s, i) => {
    const key = `${s.namespace}/${s.name}`;
    services.set(key, {
      key,
      name: s.name,
      namespace: s.namespace,
      host: s.external ? s.name : serviceFqdn(s.name, s.namespace),
      port: s.port,
      targetPort: s.targetPort ?? s.port,
      address:
        s.address ??
        `10.96.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 2}`,
      external: s.external,
      split: Object.entries(s.workloads ?? {}).map(([name, weight]) => ({
        workload: must(
          workloads.get(`${s.namespace}/${name}`),
          `workload ${s.namespace}/${name}`,
        ),
        weight,
      })),
    });
  });

  for (const svc of [...services.values()].reverse()) {
    for (const { workload } of svc.split) workload.listenPort = svc.targetPort;
  }

  const edges = scenario.edges.map((e): Edge => {
    const source = must(workloads.get(e.source), `workload ${e.source}`);
    const service = must(services.get(e.service), `service ${e.service}`);
    return {
      spec: e,
      id: e.id,
      source,
      service,
      via:
        e.via === undefined
          ? null
          : must(services.get(e.via), `service ${e.via}`),
      latency: latencySampler(e.latency),
      userAgent: e.userAgent ?? source.userAgent,
      authority: e.authority ?? `${service.name}:${service.port}`,
      httpVersion: e.protocol === 'grpc' ? 'HTTP/2' : 'HTTP/1.1',
      routeMatch: e.route?.match ?? '/*',
    };
  });

  const childEdges = new Map<string, Edge[]>();
  for (const e of edges) {
    if (e.spec.callsPerRequest === undefined) continue;
    childEdges.set(e.source.key, [...(childEdges.get(e.source.key) ?? []), e]);
  }
  const allPods = [...workloads.values()].flatMap((w) => w.pods);
  return {
    scenario,
    primaryCluster,
    workloads,
    services,
    edges,
    rootEdges: edges.filter((e) => e.spec.callsPerRequest === undefined),
    childEdges,
    proxiedPods: allPods.filter((p) => p.proxied),
    externalClientIps: Array.from(
      { length: 16 },
      (_, i) => `198.51.100.${10 + i * 7}`,
    ),
  };
}

const cache = new WeakMap<Scenario, Mesh>();

/** The compiled mesh of a scenario object (compiled once per object). */
export function meshOf(scenario: Scenario): Mesh {
  let mesh = cache.get(scenario);
  if (!mesh) {
    mesh = compileMesh(scenario);
    cache.set(scenario, mesh);
  }
  return mesh;
}
