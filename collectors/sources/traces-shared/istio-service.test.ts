import { describe, expect, it } from 'vitest';
import {
  fallbackServiceName,
  meshIdentityOf,
  parseNodeId,
  parseUpstreamCluster,
  workloadOfPod,
} from './istio-service';

describe('meshIdentityOf', () => {
  it('prefers the canonical service and istio.namespace, workload from node_id', () => {
    const id = meshIdentityOf(
      { 'service.name': 'reviews.bookinfo' },
      {
        'istio.canonical_service': 'reviews',
        'istio.namespace': 'bookinfo',
        'istio.canonical_revision': 'v2',
        node_id:
          'sidecar~10.244.0.23~reviews-v2-6f76498fc8-58wpn.bookinfo~bookinfo.svc.cluster.local',
      },
    );
    expect(id).toEqual({
      service: 'reviews',
      namespace: 'bookinfo',
      workload: 'reviews-v2',
      version: 'v2',
      cluster: '',
    });
  });
  it("falls back to Envoy's service.name <app>.<namespace> without Istio tags", () => {
    expect(
      meshIdentityOf({ 'service.name': 'productpage.bookinfo' }, {}),
    ).toMatchObject({ service: 'productpage', namespace: 'bookinfo' });
  });
  it('keeps a service.name whose suffix is not the namespace whole', () => {
    expect(
      meshIdentityOf(
        { 'service.name': 'my.service' },
        { 'istio.namespace': 'shop' },
      ),
    ).toMatchObject({ service: 'my.service', namespace: 'shop' });
  });
  it('reads a gateway node id', () => {
    const id = meshIdentityOf(
      {},
      {
        node_id:
          'router~10.244.0.14~istio-ingressgateway-79788cd94-wgmsp.istio-system~istio-system.svc.cluster.local',
        'istio.canonical_service': 'istio-ingressgateway',
      },
    );
    expect(id).toMatchObject({
      service: 'istio-ingressgateway',
      namespace: 'istio-system',
      workload: 'istio-ingressgateway',
    });
  });
});

describe('node ids, pods and upstream clusters', () => {
  it('parses a node id', () => {
    expect(
      parseNodeId(
        'waypoint~10.244.0.28~waypoint-5b7c754ccb-55jwk.bookinfo~bookinfo.svc.cluster.local',
      ),
    ).toEqual({
      proxyType: 'waypoint',
      ip: '10.244.0.28',
      pod: 'waypoint-5b7c754ccb-55jwk',
      namespace: 'bookinfo',
    });
    expect(parseNodeId('nonsense')).toBeUndefined();
  });
  it('strips replica-set and pod suffixes only when they look generated', () => {
    expect(workloadOfPod('productpage-v1-6f89b6c557-sg2bc')).toBe(
      'productpage-v1',
    );
    expect(workloadOfPod('ztunnel-x7k2p')).toBe('ztunnel');
    expect(workloadOfPod('mysql-0')).toBe('mysql-0');
  });
  it('parses outbound, subset, waypoint and external clusters', () => {
    expect(
      parseUpstreamCluster(
        'outbound|9080|v1|reviews.bookinfo.svc.cluster.local',
      ),
    ).toMatchObject({
      direction: 'outbound',
      subset: 'v1',
      service: 'reviews',
      namespace: 'bookinfo',
    });
    expect(
      parseUpstreamCluster(
        'outbound|9080||reviews.bookinfo.svc.cluster.local;',
      ),
    ).toMatchObject({ service: 'reviews' });
    expect(
      parseUpstreamCluster(
        'inbound-vip|9080|http|reviews.bookinfo.svc.cluster.local',
      ),
    ).toMatchObject({
      direction: 'inbound-vip',
      service: 'reviews',
      namespace: 'bookinfo',
    });
    expect(parseUpstreamCluster('outbound|443||www.example.com')).toMatchObject(
      { service: 'www.example.com', namespace: '' },
    );
    expect(parseUpstreamCluster('PassthroughCluster')).toBeUndefined();
  });
  it('names a span without service.name after its canonical service', () => {
    expect(
      fallbackServiceName(
        {},
        { 'istio.canonical_service': 'ratings', 'istio.namespace': 'bookinfo' },
      ),
    ).toBe('ratings.bookinfo');
    expect(fallbackServiceName({}, {})).toBe('unknown_service');
  });
});
