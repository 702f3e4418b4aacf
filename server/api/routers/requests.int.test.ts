// The `requests.search` procedure (the /logs explorer) over rows pushed through the real
// access-log receiver (POST /v1/envoy/logs): 20 bookinfo requests seen by both sidecars
// (istioLine: 503 on lines 0, 17, 34; UF,URX on the client lines 0 and 34), 3 payments requests
// (6 lines, line 0 a 503 with UF,URX) and one JSON entry with a hostile path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { envoyLogsPushRoute } from '~/collectors/sources/envoy-access-log/receiver';
import { istioLine } from '~/collectors/sources/envoy-access-log/testdata/lines';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import type { Principal } from '../../auth/principal';
import { createCaller } from '../root';
import { createInnerContext } from '../trpc';

const base0 = Date.now() - 10 * 60_000;
const window = { from: base0 - 1000, to: Date.now() + 60_000 };
const HOSTILE_PATH = '/<img src=x onerror=alert(1)>';

const bookinfo = Array.from({ length: 40 }, (_, i) => istioLine(i, base0));
const payments = Array.from({ length: 6 }, (_, i) =>
  istioLine(i, base0 + 1000)
    .replaceAll('reviews.bookinfo', 'ledger.payments')
    .replaceAll('reviews:9080', 'ledger:9080')
    .replace(/"a(\d{7})-/, '"p$1-'),
);
const hostile = {
  start_time: new Date(base0 + 2000).toISOString(),
  method: 'GET',
  path: HOSTILE_PATH,
  protocol: 'HTTP/1.1',
  authority: 'reviews:9080',
  response_code: 200,
  response_flags: '-',
  duration: 5,
  upstream_cluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local',
  request_id: 'hostile-1',
};

let t: TempDb;
let pipeline: Pipeline;
let listener: HttpListener;

beforeAll(async () => {
  t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
  pipeline = createPipeline({ db: t.db, config: t.config });
  listener = await startHttpListener({
    name: 'otlp-http',
    host: '127.0.0.1',
    port: 0,
    routes: [envoyLogsPushRoute(pipeline, 4 * 1024 * 1024)],
  });
  const post = async (body: string, type: string) => {
    const res = await fetch(`${listener.url}/v1/envoy/logs`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(res.status).toBe(204);
  };
  await post(`${[...bookinfo, ...payments].join('\n')}\n`, 'text/plain');
  await post(`${JSON.stringify(hostile)}\n`, 'application/x-ndjson');
  await pipeline.flush();
  // wait until the batcher wrote every row
  for (let i = 0; i < 100; i++) {
    const [row] = await t.rows<{ n: string }>(
      'SELECT count() AS n FROM {db:Identifier}.mesh_requests',
    );
    if (Number(row?.n) >= 47) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await listener.close();
  await pipeline.close();
  await t.close();
});

const admin = createCaller(createInnerContext());
const search = (
  filter: Parameters<typeof admin.requests.search>[0]['filter'],
  page: { limit?: number; offset?: number } = {},
  caller = admin,
) => caller.requests.search({ window, filter, ...page });

describe('requests.search', () => {
  it('finds both sidecar lines of one request, with parsed fields', async () => {
    const r = await search({
      requestId: 'a0000003-6d84-929d-98bd-c5aee93b5c88',
    });
    expect(r.requests.map((x) => x.reporter).sort()).toEqual([
      'inbound',
      'outbound',
    ]);
    expect(r.hasMore).toBe(false);
    const out = r.requests.find((x) => x.reporter === 'outbound')!;
    expect(out).toMatchObject({
      method: 'GET',
      path: '/api/v1/products/6?q=x',
      authority: 'reviews:9080',
      responseCode: 200,
      durationMs: 4 + 6,
    });
    expect(out.destination).toMatchObject({
      service: 'reviews',
      namespace: 'bookinfo',
    });
  });

  it('filters by namespace, code class, flag and free text', async () => {
    const ids = (rows: { requestId: string; reporter: string }[]) =>
      rows.map((x) => `${x.requestId}/${x.reporter}`).sort();
    expect(
      (await search({ namespaces: ['bookinfo'] }, { limit: 500 })).requests,
    ).toHaveLength(41);
    expect(
      (await search({ namespaces: ['payments'] }, { limit: 500 })).requests,
    ).toHaveLength(6);
    const fives = await search({ namespaces: ['bookinfo'], codeClass: '5xx' });
    expect(ids(fives.requests)).toEqual([
      'a0000000-6d84-929d-98bd-c5aee93b5c88/outbound',
      'a0000008-6d84-929d-98bd-c5aee93b5c88/inbound',
      'a0000017-6d84-929d-98bd-c5aee93b5c88/outbound',
    ]);
    expect(
      (await search({ codeClass: '2xx' }, { limit: 500 })).requests,
    ).toHaveLength(47 - 4);
    const uf = await search({ responseFlag: 'UF' });
    expect(uf.requests.map((x) => x.responseFlags)).toEqual([
      ['UF', 'URX'],
      ['UF', 'URX'],
      ['UF', 'URX'],
    ]);
    // products/3 and products/30..39 in bookinfo, products/3 in payments
    expect((await search({ q: 'PRODUCTS/3' })).requests).toHaveLength(12);
    expect((await search({ q: 'ledger:9080' })).requests).toHaveLength(6);
    const evil = await search({ q: '<img' });
    expect(evil.requests.map((x) => x.path)).toEqual([HOSTILE_PATH]);
    expect(
      (await search({ service: 'ledger.payments', codeClass: '4xx' })).requests,
    ).toEqual([]);
  });

  it('pages newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    const more: boolean[] = [];
    for (let offset = 0; ; offset += 15) {
      const r = await search(
        { service: 'reviews.bookinfo' },
        { limit: 15, offset },
      );
      sizes.push(r.requests.length);
      more.push(r.hasMore);
      seen.push(...r.requests.map((x) => `${x.requestId}/${x.reporter}`));
      if (!r.hasMore) break;
    }
    expect(sizes).toEqual([15, 15, 11]);
    expect(more).toEqual([true, true, false]);
    expect(new Set(seen).size).toBe(41);
  });

  it('holds a namespace-scoped caller to its namespaces', async () => {
    const scoped: Principal = {
      kind: 'token',
      name: 'payments-viewer',
      role: 'viewer',
      namespaces: ['payments'],
      via: 'bearer',
    };
    const caller = createCaller(createInnerContext({ principal: scoped }));
    const r = await search({}, { limit: 500 }, caller);
    expect(r.requests).toHaveLength(6);
    expect(
      r.requests.every((x) => x.destination.namespace === 'payments'),
    ).toBe(true);
    await expect(
      search({ namespaces: ['bookinfo'] }, {}, caller),
    ).rejects.toThrow(/outside your scope/);
  });
});
