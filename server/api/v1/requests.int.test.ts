import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '~/collectors/pipeline';
import { AccessLogIngester } from '~/collectors/sources/envoy-access-log/ingest';
import { istioLine } from '~/collectors/sources/envoy-access-log/testdata/lines';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import type { MeshRequest } from '../../queries/requests';
import { parseRequestsQuery } from './requests';
import { handleApiV1 } from './router';

describe('GET /api/v1/requests', () => {
  let t: TempDb;
  let server: http.Server;
  let base: string;
  const base0 = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
    const pipeline = createPipeline({ db: t.db, config: t.config });
    const ingester = new AccessLogIngester(pipeline, 'http_push');
    const lines = Array.from({ length: 40 }, (_, i) => istioLine(i, base0));
    await ingester.write(ingester.decodeLines(lines));
    await pipeline.close();
    // the real /api/v1 router; tempDb made t.db the process's client
    server = http.createServer((req, res) => void handleApiV1(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/requests`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
  });

  const get = async (qs: string) => {
    const res = await fetch(`${base}?${qs}`);
    return {
      status: res.status,
      body: (await res.json()) as {
        requests?: MeshRequest[];
        error?: { code: string; message: string };
      },
    };
  };

  it('finds both sidecar rows of a request by request id, with parsed fields', async () => {
    const { status, body } = await get(
      `requestId=a0000003-6d84-929d-98bd-c5aee93b5c88&start=${base0 - 1000}&end=${Date.now()}`,
    );
    expect(status).toBe(200);
    const rows = body.requests!;
    expect(rows.map((r) => r.reporter).sort()).toEqual(['inbound', 'outbound']);
    const inbound = rows.find((r) => r.reporter === 'inbound')!;
    expect(inbound).toMatchObject({
      responseCode: 200,
      mtls: 'yes',
      kind: 'http',
      requestId: 'a0000003-6d84-929d-98bd-c5aee93b5c88',
    });
    expect(inbound.destination).toMatchObject({
      service: 'reviews',
      namespace: 'bookinfo',
      version: 'v2',
    });
    expect(inbound.durationMs).toBe(3 + (7 % 40));
    expect(inbound.timestamp).toMatch(/Z$/);
  });

  it('filters by response flag and service, newest first, within the window', async () => {
    const { body } = await get(
      `responseFlag=UF&service=reviews.bookinfo&start=${new Date(base0 - 1000).toISOString()}`,
    );
    const rows = body.requests!;
    // Lines 0, 34 are client-side 503s with UF,URX (i % 17 === 0 and even).
    expect(rows.map((r) => r.responseFlags)).toEqual([
      ['UF', 'URX'],
      ['UF', 'URX'],
    ]);
    expect(rows[0]!.timestamp >= rows[1]!.timestamp).toBe(true);
    const none = await get(
      `responseFlag=UF&start=${base0 - 60_000}&end=${base0 - 1000}`,
    );
    expect(none.body.requests).toEqual([]);
  });

  it('answers 400 for bad parameters', async () => {
    expect((await get('traceId=xyz')).status).toBe(400);
    expect(
      (await get('start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z')).status,
    ).toBe(400);
    expect(() => parseRequestsQuery(new URLSearchParams('limit=0'))).toThrow(
      /limit/,
    );
  });
});
