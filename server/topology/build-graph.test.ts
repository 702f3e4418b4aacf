import { describe, expect, it } from 'vitest';
import { buildGraph } from './build-graph';
import { emptyMeasures, type TrafficMeasures } from './measures';
import { gatewayTypeOf, isExternalDestination } from './node-identity';
import type { EdgeAggregate } from './types';

function measures(p: Partial<TrafficMeasures>): TrafficMeasures {
  return { ...emptyMeasures(), ...p };
}

function edge(p: Partial<EdgeAggregate>): EdgeAggregate {
  return {
    sourceNamespace: 'bookinfo',
    sourceWorkload: 'productpage-v1',
    sourceService: 'productpage',
    sourceVersion: 'v1',
    sourceClusters: ['cluster-1'],
    destinationNamespace: 'bookinfo',
    destinationService: 'reviews',
    destinationWorkload: 'reviews-v1',
    destinationVersion: 'v1',
    destinationClusters: ['cluster-1'],
    protocol: 'http',
    signal: 'metrics',
    measures: measures({ requests: 600, buckets: { '25000': 600 } }),
    ...p,
  };
}

const rows: EdgeAggregate[] = [
  edge({}),
  edge({
    destinationWorkload: 'reviews-v2',
    destinationVersion: 'v2',
    measures: measures({ requests: 300, errors: 30 }),
  }),
  edge({
    destinationWorkload: 'reviews-v3',
    destinationVersion: 'v3',
    destinationClusters: ['cluster-2'],
    signal: 'spans',
    measures: measures({
      requests: 100,
      errors: 20,
      mtls: { destYes: 50, destNo: 50, destUnknown: 0, srcYes: 0, srcNo: 0 },
    }),
  }),
  edge({
    sourceNamespace: '',
    sourceWorkload: '',
    sourceService: '',
    sourceVersion: '',
    sourceClusters: [],
    destinationService: 'productpage',
    destinationWorkload: 'productpage-v1',
    measures: measures({ requests: 60 }),
  }),
  edge({
    sourceNamespace: 'istio-system',
    sourceWorkload: 'istio-ingressgateway',
    sourceService: 'istio-ingressgateway',
    sourceVersion: 'latest',
    destinationService: 'productpage',
    destinationWorkload: 'productpage-v1',
    measures: measures({ requests: 600 }),
  }),
  edge({
    destinationNamespace: 'bookinfo',
    destinationService: 'api.payments.example',
    destinationWorkload: '',
    destinationVersion: '',
    measures: measures({ requests: 6 }),
  }),
];

describe('buildGraph', () => {
  it('draws the workload graph with services between callers and workloads, and namespace boxes', () => {
    const g = buildGraph(rows, { type: 'workload', seconds: 60 });
    expect(g.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['ext:api.payments.example', 'external'],
      ['svc:bookinfo/productpage', 'service'],
      ['svc:bookinfo/reviews', 'service'],
      ['unknown', 'unknown'],
      ['wl:bookinfo/productpage-v1', 'workload'],
      ['wl:bookinfo/reviews-v1', 'workload'],
      ['wl:bookinfo/reviews-v2', 'workload'],
      ['wl:bookinfo/reviews-v3', 'workload'],
      ['wl:istio-system/istio-ingressgateway', 'gateway'],
    ]);
    expect(g.edges.map((e) => e.id)).toEqual([
      'svc:bookinfo/productpage->wl:bookinfo/productpage-v1:http',
      'svc:bookinfo/reviews->wl:bookinfo/reviews-v1:http',
      'svc:bookinfo/reviews->wl:bookinfo/reviews-v2:http',
      'svc:bookinfo/reviews->wl:bookinfo/reviews-v3:http',
      'unknown->svc:bookinfo/productpage:http',
      'wl:bookinfo/productpage-v1->ext:api.payments.example:http',
      'wl:bookinfo/productpage-v1->svc:bookinfo/reviews:http',
      'wl:istio-system/istio-ingressgateway->svc:bookinfo/productpage:http',
    ]);
    expect(g.nodes.find((n) => n.kind === 'gateway')?.gatewayType).toBe(
      'ingress',
    );
    // Two clusters: cluster boxes around namespace boxes; a node seen in both stays outside them.
    expect(g.boxes.map((b) => [b.id, b.parent])).toEqual([
      ['cl:cluster-1', null],
      ['cl:cluster-2', null],
      ['ns:bookinfo', null],
      ['ns:bookinfo@cluster-1', 'cl:cluster-1'],
      ['ns:bookinfo@cluster-2', 'cl:cluster-2'],
      ['ns:istio-system@cluster-1', 'cl:cluster-1'],
    ]);
    const parent = (id: string) => g.nodes.find((n) => n.id === id)?.parent;
    expect(parent('wl:bookinfo/reviews-v3')).toBe('ns:bookinfo@cluster-2');
    expect(parent('wl:bookinfo/reviews-v1')).toBe('ns:bookinfo@cluster-1');
    expect(parent('svc:bookinfo/reviews')).toBe('ns:bookinfo');
    // One cluster: namespace boxes only, named by namespace.
    const one = buildGraph(
      rows.filter((r) => !r.destinationClusters.includes('cluster-2')),
      { type: 'workload', seconds: 60 },
    );
    expect(one.boxes.map((b) => b.id)).toEqual([
      'ns:bookinfo',
      'ns:istio-system',
    ]);
    expect(g.nodes.find((n) => n.id === 'unknown')?.parent).toBeNull();
    expect(
      g.nodes.find((n) => n.id === 'wl:bookinfo/reviews-v3')?.cluster,
    ).toBe('cluster-2');
    const v1 = g.edges.find((e) => e.target === 'wl:bookinfo/reviews-v1')!;
    expect(v1).toMatchObject({
      source: 'svc:bookinfo/reviews',
      requestsPerSecond: 10,
      errorRatio: 0,
      signal: 'metrics',
      mtlsShare: null,
      mtls: 'unknown',
      health: 'healthy',
    });
    expect(v1.latencyMs.p50).toBeCloseTo(17.5);
    const caller = g.edges.find(
      (e) => e.id === 'wl:bookinfo/productpage-v1->svc:bookinfo/reviews:http',
    )!;
    expect(caller.requestsPerSecond).toBeCloseTo(1000 / 60);
    expect(caller.signals).toEqual(['metrics', 'spans']);
  });

  it('gives the version split as traffic shares and health from error thresholds', () => {
    const g = buildGraph(rows, { type: 'workload', seconds: 60 });
    const byTarget = new Map(g.edges.map((e) => [e.target, e]));
    expect(byTarget.get('wl:bookinfo/reviews-v1')?.trafficShare).toBeCloseTo(
      0.6,
    );
    expect(byTarget.get('wl:bookinfo/reviews-v2')?.trafficShare).toBeCloseTo(
      0.3,
    );
    expect(byTarget.get('wl:bookinfo/reviews-v2')?.health).toBe('failure'); // 10 %
    expect(byTarget.get('wl:bookinfo/reviews-v3')).toMatchObject({
      errorRatio: 0.2,
      mtlsShare: 0.5,
      mtls: 'partial',
      signal: 'spans',
    });
    expect(byTarget.get('svc:bookinfo/reviews')?.trafficShare).toBeNull();
    expect(byTarget.get('svc:bookinfo/reviews')?.health).toBe('degraded'); // 5 %
    const custom = buildGraph(rows, {
      type: 'workload',
      seconds: 60,
      thresholds: { degraded: 0.05, failure: 0.5 },
    });
    expect(
      custom.edges.find((e) => e.target === 'wl:bookinfo/reviews-v2')?.health,
    ).toBe('degraded');
  });

  it('merges versions into one edge in the service graph, keeping every signal', () => {
    const g = buildGraph(rows, { type: 'service', seconds: 60 });
    const reviews = g.edges.find((e) => e.target === 'svc:bookinfo/reviews')!;
    expect(reviews.source).toBe('svc:bookinfo/productpage');
    expect(reviews.requestsPerSecond).toBeCloseTo(1000 / 60);
    expect(reviews.errorRatio).toBeCloseTo(50 / 1000);
    expect(reviews.signal).toBe('metrics');
    expect(reviews.signals).toEqual(['metrics', 'spans']);
    expect(reviews.trafficShare).toBeNull();
    const node = g.nodes.find((n) => n.id === 'svc:bookinfo/reviews')!;
    expect(node.inbound.requestsPerSecond).toBeCloseTo(1000 / 60);
    expect(node.clusters).toEqual(['cluster-1', 'cluster-2']);
    expect(node.cluster).toBe('');
  });

  it('puts app versions inside app boxes inside namespace boxes', () => {
    const g = buildGraph(rows, { type: 'app', seconds: 60 });
    expect(g.edges.map((e) => e.id)).toContain(
      'svc:bookinfo/reviews->app:bookinfo/reviews/v2:http',
    );
    const v2 = g.nodes.find((n) => n.id === 'app:bookinfo/reviews/v2')!;
    expect(v2).toMatchObject({
      kind: 'app',
      app: 'reviews',
      version: 'v2',
      label: 'reviews v2',
      parent: 'appbox:bookinfo/reviews',
    });
    expect(g.boxes.find((b) => b.id === 'appbox:bookinfo/reviews')).toEqual({
      id: 'appbox:bookinfo/reviews',
      kind: 'app',
      label: 'reviews',
      parent: 'ns:bookinfo',
    });
  });

  it('adds idle edges from before the window without traffic', () => {
    const idle = [
      edge({
        destinationService: 'details',
        destinationWorkload: 'details-v1',
      }),
    ];
    const g = buildGraph(rows.slice(0, 1), {
      type: 'workload',
      seconds: 60,
      idle,
    });
    const details = g.edges.find((e) => e.target === 'svc:bookinfo/details')!;
    expect(details).toMatchObject({
      idle: true,
      health: 'idle',
      requestsPerSecond: 0,
    });
    expect(g.nodes.find((n) => n.id === 'wl:bookinfo/details-v1')?.health).toBe(
      'idle',
    );
    // An edge with traffic in the window is not idle even when it was also seen before.
    const again = buildGraph(rows.slice(0, 1), {
      type: 'workload',
      seconds: 60,
      idle: rows.slice(0, 1),
    });
    expect(again.edges[0]?.idle).toBe(false);
  });
});

describe('node identity', () => {
  it('recognises gateways and external hosts', () => {
    expect(gatewayTypeOf('istio-ingressgateway')).toBe('ingress');
    expect(gatewayTypeOf('istio-egressgateway')).toBe('egress');
    expect(gatewayTypeOf('bookinfo-gateway-istio')).toBe('ingress');
    expect(gatewayTypeOf('reviews-v1')).toBeUndefined();
    const dest = { destinationWorkload: '', destinationNamespace: 'bookinfo' };
    expect(
      isExternalDestination({
        ...dest,
        destinationService: 'api.payments.example',
      }),
    ).toBe(true);
    expect(
      isExternalDestination({
        ...dest,
        destinationService: 'PassthroughCluster',
      }),
    ).toBe(true);
    expect(
      isExternalDestination({ ...dest, destinationService: 'ratings' }),
    ).toBe(false);
    expect(
      isExternalDestination({
        ...dest,
        destinationNamespace: '',
        destinationService: 'catalog',
      }),
    ).toBe(false);
  });
});

describe('served-by links when no signal names the workloads', () => {
  it('links a service with no workload edges to the workloads of its app, without figures', () => {
    const fromSpans = [
      edge({
        destinationWorkload: '',
        destinationVersion: '',
        signal: 'spans',
      }),
      edge({
        sourceWorkload: 'reviews-v2',
        sourceService: 'reviews',
        sourceVersion: 'v2',
        destinationService: 'ratings',
        destinationWorkload: '',
        signal: 'spans',
      }),
    ];
    const g = buildGraph(fromSpans, { type: 'workload', seconds: 60 });
    const inferred = g.edges.filter((e) => e.inferred);
    expect(inferred.map((e) => e.id)).toEqual([
      'svc:bookinfo/reviews->wl:bookinfo/reviews-v2:http',
    ]);
    expect(inferred[0]).toMatchObject({
      requestsPerSecond: 0,
      requests: 0,
      health: 'idle',
      signals: [],
    });
    // Where metrics name the workloads, nothing is inferred.
    expect(
      buildGraph(rows, { type: 'workload', seconds: 60 }).edges.some(
        (e) => e.inferred,
      ),
    ).toBe(false);
    expect(
      buildGraph(fromSpans, { type: 'service', seconds: 60 }).edges.some(
        (e) => e.inferred,
      ),
    ).toBe(false);
  });

  it('draws a gateway called by service name (spans) as the gateway node', () => {
    const g = buildGraph(
      [
        edge({
          destinationNamespace: 'istio-system',
          destinationService: 'istio-egressgateway',
          destinationWorkload: '',
          destinationVersion: '',
        }),
      ],
      { type: 'workload', seconds: 60 },
    );
    expect(g.edges.map((e) => e.id)).toEqual([
      'wl:bookinfo/productpage-v1->wl:istio-system/istio-egressgateway:http',
    ]);
    expect(
      g.nodes.find((n) => n.id === 'wl:istio-system/istio-egressgateway'),
    ).toMatchObject({ kind: 'gateway', gatewayType: 'egress' });
  });
});
