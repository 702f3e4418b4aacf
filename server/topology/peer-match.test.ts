import { describe, expect, it } from 'vitest';
import {
  asDestination,
  asSource,
  edgeFilter,
  type NodeRef,
} from './peer-match';

const node = (p: Partial<NodeRef>): NodeRef => ({
  kind: 'workload',
  namespace: 'bookinfo',
  workload: '',
  service: '',
  app: '',
  version: '',
  ...p,
});

describe('which stored peers a node stands for', () => {
  const pp = node({
    workload: 'productpage-v1',
    service: 'productpage',
    app: 'productpage',
    version: 'v1',
  });
  const reviews = node({ kind: 'service', service: 'reviews', app: 'reviews' });
  const v2 = node({
    kind: 'app',
    service: 'reviews',
    app: 'reviews',
    version: 'v2',
    workload: 'reviews-v2',
  });

  it('maps nodes to caller and callee filters per graph type', () => {
    expect(asSource(pp, 'workload')).toEqual({
      namespace: 'bookinfo',
      workload: 'productpage-v1',
    });
    expect(asDestination(reviews, 'workload')).toEqual({
      namespace: 'bookinfo',
      service: 'reviews',
    });
    expect(asSource(reviews, 'workload')).toBeNull(); // an injected service calls nobody
    expect(asSource(reviews, 'service')).toEqual({
      namespace: 'bookinfo',
      service: 'reviews',
    });
    expect(asDestination(v2, 'app')).toEqual({
      namespace: 'bookinfo',
      service: 'reviews',
      version: 'v2',
    });
    expect(asSource(node({ kind: 'unknown' }), 'workload')).toEqual({
      workload: '',
    });
    expect(
      asDestination(
        node({ kind: 'external', namespace: '', service: 'api.example.com' }),
        'workload',
      ),
    ).toEqual({ service: 'api.example.com', workload: '' });
  });

  it('gives an edge out of an injected service as the traffic into that service served by the target', () => {
    expect(
      edgeFilter(reviews, node({ workload: 'reviews-v1' }), 'workload'),
    ).toEqual({
      destination: {
        namespace: 'bookinfo',
        workload: 'reviews-v1',
        service: 'reviews',
      },
    });
    expect(edgeFilter(pp, reviews, 'workload')).toEqual({
      source: { namespace: 'bookinfo', workload: 'productpage-v1' },
      destination: { namespace: 'bookinfo', service: 'reviews' },
    });
    expect(
      edgeFilter(
        node({ kind: 'external', service: 'x.example' }),
        pp,
        'workload',
      ),
    ).toBeNull();
  });
});
