// /api/v1 over real HTTP (a bare Node server with handleApiV1) and the tRPC routers through
// createCaller, both on an embedded ClickHouse with a few rollup rows.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { createCaller } from '../root';
import { createInnerContext } from '../trpc';
import { handleApiV1 } from './router';

let t: TempDb;
let server: http.Server;
let base: string;
const START = Date.UTC(2025, 0, 1, 10, 0);
const END = START + 5 * 60_000;

function rollup(minute: number, p: Record<string, unknown>) {
  return {
    Minute: new Date(START + minute * 60_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' '),
    Signal: 'metrics',
    Reporter: 'source',
    SourceNamespace: 'bookinfo',
    SourceWorkload: 'productpage-v1',
    SourceService: 'productpage',
    SourceVersion: 'v1',
    DestinationNamespace: 'bookinfo',
    DestinationWorkload: 'reviews-v1',
    DestinationService: 'reviews',
    DestinationVersion: 'v1',
    Protocol: 'http',
    Mtls: 'unknown',
    ResponseCode: 200,
    Requests: 60,
    DurationSumMs: 600,
    DurationBuckets: { '10000': 60 },
    ...p,
  };
}

beforeAll(async () => {
  t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
  const rows = [];
  for (let m = 0; m < 5; m++) {
    rows.push(
      rollup(m, {}),
      rollup(m, {
        ResponseCode: 503,
        Requests: 6,
        DurationBuckets: { '10000': 6 },
      }),
    );
    rows.push(
      rollup(m, {
        Reporter: 'destination',
        Mtls: 'yes',
        Requests: 66,
        DurationBuckets: { '10000': 66 },
      }),
    );
  }
  await t.db.client.insert({
    table: `${t.db.database}.edge_rollups_1m`,
    values: rows,
    format: 'JSONEachRow',
  });
  server = http.createServer((req, res) => {
    void handleApiV1(req, res).then((done) => {
      if (!done) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

describe('GET /api/v1/topology', () => {
  it('answers the documented shape, times as RFC 3339 or epoch ms', async () => {
    for (const [s, e] of [
      [new Date(START).toISOString(), new Date(END).toISOString()],
      [String(START), String(END)],
    ]) {
      const res = await fetch(
        `${base}/api/v1/topology?start=${s}&end=${e}&namespace=bookinfo`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as {
        window: { seconds: number };
        nodes: { id: string }[];
        edges: Record<string, unknown>[];
      };
      expect(body.window.seconds).toBe(300);
      expect(body.nodes.map((n) => n.id)).toEqual([
        'svc:bookinfo/reviews',
        'wl:bookinfo/productpage-v1',
        'wl:bookinfo/reviews-v1',
      ]);
      // The service sits between caller and workloads (as in Kiali); both hops carry the traffic.
      expect(
        body.edges.map((e) => `${String(e.source)}->${String(e.target)}`),
      ).toEqual([
        'svc:bookinfo/reviews->wl:bookinfo/reviews-v1',
        'wl:bookinfo/productpage-v1->svc:bookinfo/reviews',
      ]);
      expect(body.edges[1]).toMatchObject({
        source: 'wl:bookinfo/productpage-v1',
        target: 'svc:bookinfo/reviews',
        protocol: 'http',
        signal: 'metrics',
        requestsPerSecond: 1.1,
        errorRatio: 6 / 66,
        mtlsShare: 1,
        latencyMs: { p50: 7.5, p95: 9.75, p99: 9.95 },
      });
    }
  });

  it('filters by namespace', async () => {
    const res = await fetch(
      `${base}/api/v1/topology?start=${START}&end=${END}&namespace=other`,
    );
    expect(((await res.json()) as { edges: unknown[] }).edges).toEqual([]);
  });

  it('answers 400 with a message for bad parameters and 404 for unknown endpoints', async () => {
    const bad = await fetch(`${base}/api/v1/topology?start=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message:
          'start: "yesterday" is neither RFC 3339 nor epoch milliseconds',
      },
    });
    const backwards = await fetch(
      `${base}/api/v1/topology?start=${END}&end=${START}`,
    );
    expect(backwards.status).toBe(400);
    const proto = await fetch(`${base}/api/v1/topology?protocol=smtp`);
    expect(proto.status).toBe(400);
    const missing = await fetch(`${base}/api/v1/nope`);
    expect(missing.status).toBe(404);
    expect(
      ((await missing.json()) as { error: { message: string } }).error.message,
    ).toMatch(/topology, services/);
  });

  it('leaves other paths to the next handler', async () => {
    expect((await fetch(`${base}/api/trpc/x`)).status).toBe(418);
  });
});

describe('GET /api/v1/services', () => {
  it('lists services with RED figures', async () => {
    const res = await fetch(
      `${base}/api/v1/services?start=${START}&end=${END}`,
    );
    const body = (await res.json()) as { services: Record<string, unknown>[] };
    expect(body.services).toHaveLength(1);
    expect(body.services[0]).toMatchObject({
      namespace: 'bookinfo',
      service: 'reviews',
      kind: 'service',
      versions: ['v1'],
      requestsPerSecond: 1.1,
      mtlsShare: 1,
    });
  });
});

describe('tRPC topology and services routers', () => {
  const window = { from: START, to: END };

  it('serves the graph, an edge, a node and the inventory', async () => {
    const caller = createCaller(createInnerContext());
    const graph = await caller.topology.graph({ window, graphType: 'service' });
    expect(graph.edges.map((e) => e.id)).toEqual([
      'svc:bookinfo/productpage->svc:bookinfo/reviews:http',
    ]);
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    const edge = await caller.topology.edge({
      window,
      graphType: 'service',
      source: node('svc:bookinfo/productpage'),
      target: node('svc:bookinfo/reviews'),
      protocol: 'http',
    });
    expect(edge?.totals.requestsPerSecond).toBeCloseTo(1.1);
    expect(edge?.codes.map((c) => [c.label, c.requests])).toEqual([
      ['200', 300],
      ['503', 30],
    ]);
    expect(edge?.series).toHaveLength(5);
    const reviews = await caller.topology.node({
      window,
      graphType: 'service',
      node: node('svc:bookinfo/reviews'),
    });
    expect(reviews.inbound?.sources.map((s) => s.workload)).toEqual([
      'productpage-v1',
    ]);
    expect(reviews.outbound?.totals.requests).toBe(0);
    expect(await caller.topology.inventory({ window })).toEqual({
      namespaces: ['bookinfo'],
      clusters: [],
    });
  });

  it('serves a service with its versions', async () => {
    const caller = createCaller(createInnerContext());
    const detail = await caller.services.byName({
      window,
      namespace: 'bookinfo',
      service: 'reviews',
    });
    expect(
      detail.versions.map((v) => [v.workload, v.version, v.requests]),
    ).toEqual([['reviews-v1', 'v1', 330]]);
    expect(detail.inbound.totals.errorRatio).toBeCloseTo(6 / 66);
  });

  it('draws edges seen just before the window as idle when asked', async () => {
    const caller = createCaller(createInnerContext());
    const later = { from: END, to: END + 5 * 60_000 };
    expect((await caller.topology.graph({ window: later })).edges).toEqual([]);
    const idle = await caller.topology.graph({
      window: later,
      includeIdle: true,
    });
    expect(idle.edges.map((e) => [e.id, e.idle, e.requestsPerSecond])).toEqual([
      ['svc:bookinfo/reviews->wl:bookinfo/reviews-v1:http', true, 0],
      ['wl:bookinfo/productpage-v1->svc:bookinfo/reviews:http', true, 0],
    ]);
  });

  it('rejects a window given by half', async () => {
    const caller = createCaller(createInnerContext());
    await expect(
      caller.topology.graph({ window: { from: START } }),
    ).rejects.toThrow(/both `from` and `to`/);
  });
});
