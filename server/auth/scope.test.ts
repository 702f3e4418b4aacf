import { describe, expect, it } from 'vitest';
import {
  forceNamespaces,
  scrubGraph,
  scrubMtls,
  scrubRequests,
  scrubTrace,
  spanNamespace,
} from './scope';

const allowed = new Set(['bookinfo']);

describe('namespace scope', () => {
  it('forces the namespace filter to the scope and refuses other namespaces by name', () => {
    expect(forceNamespaces(undefined, allowed)).toEqual(['bookinfo']);
    expect(forceNamespaces(['bookinfo', 'shop'], allowed)).toEqual([
      'bookinfo',
    ]);
    expect(() => forceNamespaces(['shop'], allowed)).toThrow(
      /outside your scope/,
    );
  });

  it('drops other namespaces from a graph with the edges and boxes touching them', () => {
    const g = scrubGraph(
      {
        nodes: [
          { id: 'a', kind: 'workload', namespace: 'bookinfo' },
          { id: 'b', kind: 'workload', namespace: 'shop' },
          { id: 'u', kind: 'unknown', namespace: '' },
        ],
        edges: [
          { source: 'u', target: 'a' },
          { source: 'a', target: 'b' },
        ],
        boxes: [
          {
            id: 'ns:bookinfo',
            kind: 'namespace',
            label: 'bookinfo',
            parent: null,
          },
          { id: 'ns:shop', kind: 'namespace', label: 'shop', parent: null },
          {
            id: 'app:shop/cart',
            kind: 'app',
            label: 'cart',
            parent: 'ns:shop',
          },
        ],
      },
      allowed,
    );
    expect(g.nodes.map((n) => n.id)).toEqual(['a', 'u']);
    expect(g.edges).toEqual([{ source: 'u', target: 'a' }]);
    expect(g.boxes.map((b) => b.id)).toEqual(['ns:bookinfo']);
  });

  it('tells a span’s namespace from Istio attributes, node id, resource or service name', () => {
    expect(spanNamespace({ 'istio.namespace': 'a' }, {}, 'x.b')).toBe('a');
    expect(
      spanNamespace(
        {
          node_id:
            'sidecar~10.0.0.1~reviews-v2-6f7c-58wpn.shop~shop.svc.cluster.local',
        },
        {},
        'x',
      ),
    ).toBe('shop');
    expect(spanNamespace({}, { 'k8s.namespace.name': 'c' }, 'x.b')).toBe('c');
    expect(spanNamespace({}, {}, 'reviews.bookinfo')).toBe('bookinfo');
    expect(spanNamespace({}, {}, 'frontend')).toBe('');
  });

  it('keeps only in-scope spans of a trace and renumbers their resources', () => {
    const t = scrubTrace(
      {
        resources: [
          { 'service.name': 'vault.shop' },
          { 'service.name': 'reviews.bookinfo' },
        ],
        spans: [
          { service: 'vault.shop', resource: 0, attributes: {} },
          { service: 'reviews.bookinfo', resource: 1, attributes: {} },
        ],
      },
      allowed,
    );
    expect(t).toEqual({
      resources: [{ 'service.name': 'reviews.bookinfo' }],
      spans: [{ service: 'reviews.bookinfo', resource: 0, attributes: {} }],
    });
    expect(
      scrubTrace(
        {
          resources: [],
          spans: [{ service: 'vault.shop', resource: 0, attributes: {} }],
        },
        allowed,
      ),
    ).toBeNull();
  });

  it('keeps access-log lines only when no end is in another namespace', () => {
    const row = (s: string, d: string) => ({
      source: { namespace: s },
      destination: { namespace: d },
    });
    expect(
      scrubRequests(
        [
          row('bookinfo', 'bookinfo'),
          row('', 'bookinfo'),
          row('bookinfo', 'shop'),
          row('', ''),
        ],
        allowed,
      ),
    ).toEqual([row('bookinfo', 'bookinfo'), row('', 'bookinfo')]);
  });

  it('keeps only in-scope rows, edges, workloads and identities of an mTLS report', () => {
    const edge = (s: string | null, d: string | null) => ({
      source: { namespace: s, workload: 'w' },
      destination: { namespace: d, service: 's' },
    });
    const r = scrubMtls(
      {
        mesh: { requestShare: 1 },
        clusters: [{ cluster: 'c1' }],
        namespaces: [{ namespace: 'bookinfo' }, { namespace: 'shop' }],
        services: [{ namespace: 'shop', service: 'cart' }],
        edges: [
          edge('bookinfo', 'bookinfo'),
          edge('bookinfo', 'shop'),
          edge(null, 'bookinfo'),
        ],
        plaintextEdges: [edge('shop', 'shop')],
        sidecarlessSources: [],
        mixedWorkloads: [
          {
            namespace: 'bookinfo',
            workload: 'r',
            plaintextCallers: [{ namespace: 'shop' }, { namespace: '' }],
          },
        ],
        identities: {
          workloads: [
            {
              namespace: 'bookinfo',
              principal: 'spiffe://cluster.local/ns/bookinfo/sa/r',
            },
            {
              namespace: 'shop',
              principal: 'spiffe://cluster.local/ns/shop/sa/c',
            },
          ],
          edges: [
            {
              sourcePrincipal: 'spiffe://cluster.local/ns/shop/sa/c',
              destinationPrincipal: 'spiffe://cluster.local/ns/bookinfo/sa/r',
              sourceWorkloads: ['shop/c'],
              destinationWorkloads: ['bookinfo/r'],
            },
          ],
        },
        trend: [{ t: 1 }],
      },
      allowed,
    );
    expect(JSON.stringify(r)).not.toContain('shop');
    expect(r.edges).toEqual([
      edge('bookinfo', 'bookinfo'),
      edge(null, 'bookinfo'),
    ]);
    expect(r.namespaces).toEqual([{ namespace: 'bookinfo' }]);
    expect(r.mixedWorkloads[0]!.plaintextCallers).toEqual([{ namespace: '' }]);
    expect(r.identities.workloads).toHaveLength(1);
    expect(r.clusters).toEqual([{ cluster: 'c1' }]);
  });
});
