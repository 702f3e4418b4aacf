// GET /api/v1/mtls over real HTTP and the `mtls` tRPC router through createCaller, on a
// hand-built workload with known figures: productpage -> reviews over mTLS (500 requests,
// 5000 bytes), a sidecar-less caller -> productpage in plaintext during minutes 2-3 only
// (40 requests, 800 bytes), and 50 requests to an external host no destination reported.
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
const minuteOf = (m: number) =>
  new Date(START + m * 60_000).toISOString().slice(0, 19).replace('T', ' ');

function rollup(m: number, p: Record<string, unknown>) {
  return {
    Minute: minuteOf(m),
    Signal: 'metrics',
    Reporter: 'source',
    SourceNamespace: 'bookinfo',
    SourceWorkload: 'productpage-v1',
    SourceService: 'productpage',
    SourcePrincipal: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
    DestinationNamespace: 'bookinfo',
    DestinationWorkload: 'reviews-v1',
    DestinationService: 'reviews',
    DestinationPrincipal: 'spiffe://cluster.local/ns/bookinfo/sa/reviews',
    DestinationCluster: 'c1',
    Protocol: 'http',
    Mtls: 'unknown',
    ResponseCode: 200,
    Requests: 100,
    BytesSent: 600,
    BytesReceived: 400,
    ...p,
  };
}

beforeAll(async () => {
  t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
  const rows = [];
  for (let m = 0; m < 5; m++) {
    rows.push(
      rollup(m, {}),
      rollup(m, { Reporter: 'destination', Mtls: 'yes' }),
    );
    rows.push(
      rollup(m, {
        DestinationNamespace: '',
        DestinationWorkload: '',
        DestinationService: 'api.example.com',
        DestinationPrincipal: '',
        DestinationCluster: '',
        Requests: 10,
        BytesSent: 0,
        BytesReceived: 0,
      }),
    );
    if (m === 2 || m === 3)
      rows.push(
        rollup(m, {
          Reporter: 'destination',
          SourceNamespace: 'unknown',
          SourceWorkload: 'unknown',
          SourceService: 'unknown',
          SourcePrincipal: 'unknown',
          DestinationWorkload: 'productpage-v1',
          DestinationService: 'productpage',
          DestinationPrincipal: 'unknown',
          Mtls: 'no',
          Requests: 20,
          BytesSent: 300,
          BytesReceived: 100,
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

interface Body {
  mesh: Record<string, unknown> & {
    requests: { mtls: number; plaintext: number; unknown: number };
  };
  namespaces: { namespace: string; requestShare: number }[];
  edges: { source: { workload: string | null }; requestShare: number | null }[];
  plaintextEdges: {
    source: { namespace: string | null; workload: string | null };
    destination: { namespace: string; service: string; workloads: string[] };
    requests: { plaintext: number };
    bytes: { plaintext: number };
    plaintextFirstSeen: string;
    plaintextLastSeen: string;
  }[];
  mixedWorkloads: unknown[];
  identities: { edges: { sourcePrincipal: string; count: number }[] };
  trend: { time: string; requestShare: number | null }[];
}

describe('GET /api/v1/mtls', () => {
  it('answers the shares, unknown apart, and the plaintext edge with first and last seen', async () => {
    const res = await fetch(
      `${base}/api/v1/mtls?start=${new Date(START).toISOString()}&end=${END}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.mesh.requestShare).toBeCloseTo(500 / 540, 9);
    expect(body.mesh.byteShare).toBeCloseTo(5000 / 5800, 9);
    expect(body.mesh.connectionShare).toBeNull();
    expect(body.mesh.requests).toEqual({
      mtls: 500,
      plaintext: 40,
      unknown: 50,
    });
    expect(body.mesh.unknownShare).toBeCloseTo(50 / 590, 9);
    expect(body.namespaces.map((n) => [n.namespace, n.requestShare])).toEqual([
      ['bookinfo', 500 / 540],
      // The external host: no namespace, nothing known.
      [null, null],
    ]);
    expect(
      body.edges.find((e) => e.source.workload === null)?.requestShare,
    ).toBe(0);
    expect(body.plaintextEdges).toHaveLength(1);
    expect(body.plaintextEdges[0]).toMatchObject({
      source: { namespace: null, workload: null },
      destination: {
        namespace: 'bookinfo',
        service: 'productpage',
        workloads: ['productpage-v1'],
      },
      requests: { plaintext: 40 },
      bytes: { plaintext: 800 },
      plaintextFirstSeen: new Date(START + 2 * 60_000).toISOString(),
      plaintextLastSeen: new Date(START + 3 * 60_000).toISOString(),
    });
    expect(body.mixedWorkloads).toEqual([]);
    expect(body.identities.edges).toEqual([
      expect.objectContaining({
        sourcePrincipal: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
        count: 500,
      }),
    ]);
    expect(body.trend.map((p) => p.requestShare)).toEqual([
      1,
      1,
      100 / 120,
      100 / 120,
      1,
    ]);
  });

  it('refuses a bad window with 400 and says why', async () => {
    const res = await fetch(`${base}/api/v1/mtls?start=yesterday`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('start');
  });
});

describe('mtls.coverage (tRPC)', () => {
  it('returns the same figures, narrowed to a namespace', async () => {
    const caller = createCaller(createInnerContext());
    const r = await caller.mtls.coverage({
      window: { from: START, to: END },
      namespaces: ['bookinfo'],
    });
    expect(r.mesh.requestShare).toBeCloseTo(500 / 540, 9);
    expect(r.plaintextEdges.map((e) => e.id)).toEqual([
      'unknown->bookinfo/productpage:http',
    ]);
    const none = await caller.mtls.coverage({
      window: { from: START, to: END },
      namespaces: ['elsewhere'],
    });
    expect(none.edges).toEqual([]);
    expect(none.mesh.requestShare).toBeNull();
  });
});
