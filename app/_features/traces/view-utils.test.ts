import { describe, expect, it } from 'vitest';
import { accessLogLink, istioFields, topologyEdgeLink } from './istio-fields';
import {
  clampToView,
  createViewedBoundsFunc,
  formatDurationUs,
  normalizeViewRange,
  rulerTicks,
} from './view-math';
import { scrollToRow, visibleRows } from './windowing';

describe('view math', () => {
  const view = {
    traceStartUs: 1000,
    traceEndUs: 2000,
    viewStart: 0,
    viewEnd: 1,
  };

  it('maps span times to fractions of the whole trace', () => {
    const f = createViewedBoundsFunc(view);
    expect(f(1000, 2000)).toEqual({ start: 0, end: 1 });
    expect(f(1250, 1500)).toEqual({ start: 0.25, end: 0.5 });
  });

  it('maps to fractions of a zoomed view, and clamps or drops bars outside it', () => {
    const f = createViewedBoundsFunc({
      ...view,
      viewStart: 0.5,
      viewEnd: 0.75,
    });
    expect(f(1500, 1750)).toEqual({ start: 0, end: 1 });
    expect(clampToView(f(1400, 1600))).toEqual({ start: 0, end: 0.4 });
    expect(clampToView(f(1000, 1100))).toBeUndefined();
  });

  it('labels ruler ticks with the time since the trace start', () => {
    const ticks = rulerTicks({ ...view, viewStart: 0.5 }, 2);
    expect(ticks.map((t) => [t.fraction, t.label])).toEqual([
      [0, '500 µs'],
      [0.5, '750 µs'],
      [1, '1 ms'],
    ]);
  });

  it('formats durations with a unit that fits', () => {
    expect(formatDurationUs(1.5)).toBe('1.5 µs');
    expect(formatDurationUs(12_345)).toBe('12.3 ms');
    expect(formatDurationUs(2_500_000)).toBe('2.5 s');
    expect(formatDurationUs(125e6)).toBe('2 min 5 s');
  });

  it('orders a dragged range and keeps a minimum width', () => {
    expect(normalizeViewRange(0.8, 0.2)).toEqual([0.2, 0.8]);
    expect(normalizeViewRange(-1, 2)).toEqual([0, 1]);
    const [lo, hi] = normalizeViewRange(0.5, 0.5, 0.1);
    expect(hi - lo).toBeCloseTo(0.1);
  });
});

describe('windowing', () => {
  it('renders only the rows in view plus overscan', () => {
    const w = visibleRows({
      scrollTop: 2400,
      viewportHeight: 480,
      rowHeight: 24,
      rowCount: 10_000,
      overscan: 5,
    });
    expect(w).toEqual({
      start: 95,
      end: 125,
      offsetTop: 95 * 24,
      totalHeight: 240_000,
    });
  });

  it('clamps at both ends and copes with an empty list', () => {
    expect(
      visibleRows({
        scrollTop: -50,
        viewportHeight: 100,
        rowHeight: 20,
        rowCount: 3,
        overscan: 2,
      }),
    ).toMatchObject({ start: 0, end: 3 });
    expect(
      visibleRows({
        scrollTop: 1e9,
        viewportHeight: 100,
        rowHeight: 20,
        rowCount: 100,
        overscan: 0,
      }),
    ).toMatchObject({ start: 95, end: 100 });
    expect(
      visibleRows({
        scrollTop: 0,
        viewportHeight: 100,
        rowHeight: 20,
        rowCount: 0,
      }),
    ).toMatchObject({ start: 0, end: 0, totalHeight: 0 });
  });

  it('scrolls just enough to show a row', () => {
    expect(
      scrollToRow({
        index: 50,
        scrollTop: 0,
        viewportHeight: 200,
        rowHeight: 20,
      }),
    ).toBe(820);
    expect(
      scrollToRow({
        index: 2,
        scrollTop: 100,
        viewportHeight: 200,
        rowHeight: 20,
      }),
    ).toBe(40);
    expect(
      scrollToRow({
        index: 6,
        scrollTop: 100,
        viewportHeight: 200,
        rowHeight: 20,
      }),
    ).toBe(100);
  });
});

describe('Istio fields', () => {
  const client = istioFields(
    {
      component: 'proxy',
      node_id:
        'sidecar~10.0.0.7~productpage-v1-6b746f74dc-9stvs.bookinfo~bookinfo.svc.cluster.local',
      upstream_cluster: 'outbound|9080|v2|reviews.bookinfo.svc.cluster.local',
      response_flags: 'UF,URX',
      'guid:x-request-id': 'r-1',
      'http.status_code': '503',
      'istio.canonical_service': 'productpage',
    },
    { 'service.name': 'productpage.bookinfo' },
  );

  it('decodes the upstream cluster, the response flags in words and the proxy', () => {
    expect(client).toMatchObject({
      fromProxy: true,
      direction: 'outbound',
      port: '9080',
      subset: 'v2',
      upstreamHost: 'reviews.bookinfo.svc.cluster.local',
      httpStatus: '503',
      requestId: 'r-1',
      pod: 'productpage-v1-6b746f74dc-9stvs',
      service: 'productpage',
      namespace: 'bookinfo',
      peerService: 'reviews',
      peerNamespace: 'bookinfo',
    });
    expect(client.responseFlags.map((f) => f.long)).toEqual([
      'UpstreamConnectionFailure',
      'UpstreamRetryLimitExceeded',
    ]);
  });

  it('links a client span to its service-graph edge and the access-log lines of its request', () => {
    const w = { fromMs: 1000, toMs: 2000 };
    const edge = new URL(topologyEdgeLink(client, undefined, w)!, 'http://x');
    expect(edge.pathname).toBe('/topology');
    expect(edge.searchParams.get('edge')).toBe(
      'svc:bookinfo/productpage->svc:bookinfo/reviews:http',
    );
    expect(edge.searchParams.get('graph')).toBe('service');
    expect(accessLogLink('r-1', 'abc', w)).toBe(
      '/logs?requestId=r-1&from=1000&to=2000',
    );
    expect(accessLogLink('', 'abc', w)).toBe(
      '/logs?traceId=abc&from=1000&to=2000',
    );
    const plain = istioFields({}, { 'service.name': 'checkout' });
    expect(plain.fromProxy).toBe(false);
    expect(topologyEdgeLink(plain, undefined, w)).toBeUndefined();
  });
});
