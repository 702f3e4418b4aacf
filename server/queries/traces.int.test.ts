// Trace by id and trace search over a real embedded ClickHouse, with spans of known structure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/api/root';
import { createInnerContext } from '~/server/api/trpc';
import { traceToOtlpJson } from '~/server/traces/otlp-json';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { SPANS_OF_TRACE_SQL, traceById } from './traces';
import { insertSpans, type SpanSpec } from './traces-fixtures';
import { searchTraces, type TraceSearch } from './traces-search';

let t: TempDb;
const NOW = Date.now();
const T0 = NOW - 5 * 60_000;
const A = '5b8efff798038103d269b633813fc60c';
const B64 = 'abcdef0123456789';
const B = `0000000000000000${B64}`;
const window = { startMs: NOW - 15 * 60_000, endMs: NOW + 60_000 };
const search = (s: Partial<TraceSearch>) =>
  searchTraces(t.db, { ...window, limit: 50, offset: 0, ...s });

/** Gateway -> productpage -> details (error), with a request id on every span. */
const traceA: SpanSpec[] = [
  {
    traceId: A,
    spanId: 'a000000000000001',
    name: 'productpage:9080/productpage',
    service: 'istio-ingressgateway.istio-system',
    kind: 'Client',
    startMs: T0,
    durationMs: 120,
    attributes: { 'guid:x-request-id': 'req-a', 'http.status_code': '200' },
  },
  {
    traceId: A,
    spanId: 'a000000000000002',
    parentSpanId: 'a000000000000001',
    name: 'productpage:9080/productpage',
    service: 'productpage.bookinfo',
    startMs: T0 + 2,
    durationMs: 110,
    attributes: { 'guid:x-request-id': 'req-a', 'http.status_code': '200' },
    resource: { 'k8s.namespace.name': 'bookinfo' },
  },
  {
    traceId: A,
    spanId: 'a000000000000003',
    parentSpanId: 'a000000000000002',
    name: 'details:9080/*',
    service: 'productpage.bookinfo',
    kind: 'Client',
    startMs: T0 + 10,
    durationMs: 60,
    attributes: {
      'guid:x-request-id': 'req-a',
      'http.status_code': '503',
      response_flags: 'UF,URX',
    },
    events: [{ atMs: T0 + 20, name: 'retry', attributes: { attempt: '2' } }],
  },
  {
    traceId: A,
    spanId: 'a000000000000004',
    parentSpanId: 'a000000000000003',
    name: 'details:9080/*',
    service: 'details.bookinfo',
    startMs: T0 + 12.5,
    durationMs: 55.25,
    error: true,
    attributes: { 'guid:x-request-id': 'req-a', 'http.status_code': '503' },
    links: [{ traceId: B, spanId: 'b000000000000001' }],
  },
];
/** A Zipkin-style 64-bit trace, stored padded, two reviews spans. */
const traceB: SpanSpec[] = [
  {
    traceId: B,
    spanId: 'b000000000000001',
    name: 'reviews:9080/*',
    service: 'reviews.bookinfo',
    startMs: T0 + 1000,
    durationMs: 30,
  },
  {
    traceId: B,
    spanId: 'b000000000000002',
    parentSpanId: 'b000000000000001',
    name: 'ratings:9080/*',
    service: 'reviews.bookinfo',
    kind: 'Client',
    startMs: T0 + 1005,
    durationMs: 10,
  },
];
/** 25 one-span ratings traces, one per second, for pagination. */
const ratings: SpanSpec[] = Array.from({ length: 25 }, (_, i) => ({
  traceId: `${'c'.repeat(30)}${String(i).padStart(2, '0')}`,
  spanId: `c0000000000000${String(i).padStart(2, '0')}`,
  name: 'ratings:9080/*',
  service: 'ratings.bookinfo',
  startMs: T0 + 2000 + i * 1000,
  durationMs: 1 + i,
}));

beforeAll(async () => {
  t = await tempDb();
  await insertSpans(t.db, [...traceA, ...traceB, ...ratings]);
  // An access-log line that knows request "req-log" and trace B by its 64-bit id.
  await t.db.client.insert({
    table: `${t.db.database}.mesh_requests`,
    values: [
      {
        Timestamp: new Date(T0 + 1030).toISOString(),
        Kind: 'http',
        Reporter: 'outbound',
        RequestId: 'req-log',
        TraceId: B64,
        ResponseCode: 200,
      },
    ],
    format: 'JSONEachRow',
  });
});

afterAll(async () => {
  await t?.close();
});

describe('trace by id', () => {
  it('returns every span of a 128-bit trace in start order, with times to the microsecond', async () => {
    const trace = await traceById(t.db, A.toUpperCase());
    expect(trace?.traceId).toBe(A);
    expect(trace?.spans.map((s) => s.spanId)).toEqual(
      traceA.map((s) => s.spanId),
    );
    const details = trace!.spans[3]!;
    expect(details.parentSpanId).toBe('a000000000000003');
    expect(details.durationUs).toBe(55_250);
    expect(details.startUs - trace!.spans[0]!.startUs).toBe(12_500);
    expect(details.status.code).toBe('Error');
    expect(details.links).toEqual([
      {
        traceId: B,
        spanId: 'b000000000000001',
        traceState: '',
        attributes: {},
      },
    ]);
    const client = trace!.spans[2]!;
    expect(client.kind).toBe('Client');
    expect(client.events).toHaveLength(1);
    expect(client.events[0]!.name).toBe('retry');
    expect(client.events[0]!.timeUs - client.startUs).toBe(10_000);
    expect(trace!.resources[trace!.spans[1]!.resource]).toEqual({
      'service.name': 'productpage.bookinfo',
      'k8s.namespace.name': 'bookinfo',
    });
  });

  it('finds a 64-bit trace id by its 16 hex digits and by the padded 32', async () => {
    const short = await traceById(t.db, B64);
    const padded = await traceById(t.db, B);
    expect(short?.traceId).toBe(B);
    expect(short?.spans).toHaveLength(2);
    expect(padded?.spans).toHaveLength(2);
  });

  it('is undefined for an unknown or malformed id', async () => {
    expect(
      await traceById(t.db, 'ffffffffffffffffffffffffffffffff'),
    ).toBeUndefined();
    expect(await traceById(t.db, 'not-hex')).toBeUndefined();
  });

  it('reads a trace through the by_trace_id projection (spans ordered by TraceId)', async () => {
    const plan = await t.rows<{ explain: string }>(
      `EXPLAIN projections = 1, indexes = 1 ${SPANS_OF_TRACE_SQL}`,
      {
        traceId: A,
        start: Math.floor(T0 / 1000) - 1,
        end: Math.ceil(T0 / 1000) + 60,
        limit: 10,
      },
    );
    const text = plan.map((r) => r.explain).join('\n');
    expect(text).toMatch(/by_trace_id/);
    // And the answer through it is the whole trace.
    expect((await traceById(t.db, A))?.spans).toHaveLength(traceA.length);
  });

  it('truncates past maxSpans and says so', async () => {
    const trace = await traceById(t.db, A, 2);
    expect(trace?.spans).toHaveLength(2);
    expect(trace?.truncated).toBe(true);
  });

  it('turns into OTLP JSON with hex ids, integer kinds and exact nanosecond times', async () => {
    const otlp = traceToOtlpJson((await traceById(t.db, A))!);
    // gateway, details, and two productpage resources (one adds k8s.namespace.name).
    expect(otlp.resourceSpans).toHaveLength(4);
    const spans = otlp.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans),
    );
    const d = spans.find((s) => s.spanId === 'a000000000000004')!;
    expect(d.traceId).toBe(A);
    expect(d.kind).toBe(2);
    expect(d.status.code).toBe(2);
    expect(BigInt(d.endTimeUnixNano) - BigInt(d.startTimeUnixNano)).toBe(
      55_250_000n,
    );
  });
});

describe('trace search', () => {
  it('summarises a trace: root span, services with span counts, duration and errors', async () => {
    const r = await search({ service: 'details.bookinfo' });
    expect(r.total).toBe(1);
    const s = r.traces[0]!;
    expect(s.traceId).toBe(A);
    expect(s.root).toEqual({
      service: 'istio-ingressgateway.istio-system',
      name: 'productpage:9080/productpage',
      complete: true,
    });
    expect(s.spanCount).toBe(4);
    expect(s.errorCount).toBe(1);
    expect(s.durationMs).toBeCloseTo(120, 3);
    expect(s.startMs).toBeCloseTo(T0, 0);
    expect(s.services).toEqual([
      { service: 'productpage.bookinfo', spans: 2, errors: 0 },
      { service: 'details.bookinfo', spans: 1, errors: 1 },
      { service: 'istio-ingressgateway.istio-system', spans: 1, errors: 0 },
    ]);
  });

  it('matches a service by its app name, an operation, and several tags on span or resource', async () => {
    expect(
      (await search({ service: 'reviews' })).traces.map((x) => x.traceId),
    ).toEqual([B]);
    expect((await search({ operation: 'details:9080/*' })).total).toBe(1);
    const tags = await search({
      tags: [
        { key: 'http.status_code', value: '503' },
        { key: 'response_flags', value: 'UF,URX' },
      ],
    });
    expect(tags.traces.map((x) => x.traceId)).toEqual([A]);
    const resource = await search({
      tags: [{ key: 'k8s.namespace.name', value: 'bookinfo' }],
    });
    expect(resource.traces.map((x) => x.traceId)).toEqual([A]);
    // Both tags must hold on ONE span: no span has 503 and the gateway's name.
    expect(
      (
        await search({
          tags: [
            { key: 'http.status_code', value: '503' },
            { key: 'service.name', value: 'istio-ingressgateway.istio-system' },
          ],
        })
      ).total,
    ).toBe(0);
  });

  it("narrows to traces through an edge's caller too", async () => {
    const via = async (caller: string) =>
      (await search({ service: 'details', caller })).traces.map(
        (x) => x.traceId,
      );
    expect(await via('productpage')).toEqual([A]);
    expect(await via('productpage.bookinfo')).toEqual([A]);
    expect(await via('reviews')).toEqual([]);
  });

  it('filters by span duration range and by errors only', async () => {
    const long = await search({
      service: 'ratings',
      minDurationMs: 20,
      maxDurationMs: 22,
    });
    expect(long.traces.map((x) => x.durationMs)).toEqual([22, 21, 20]);
    expect(
      (await search({ errorsOnly: true })).traces.map((x) => x.traceId),
    ).toEqual([A]);
  });

  it('pages newest first with the total, and an offset past the end keeps the total', async () => {
    const p1 = await search({ service: 'ratings.bookinfo', limit: 10 });
    const p3 = await search({
      service: 'ratings.bookinfo',
      limit: 10,
      offset: 20,
    });
    expect(p1.total).toBe(25);
    expect(p1.traces).toHaveLength(10);
    expect(p1.traces[0]!.traceId.endsWith('24')).toBe(true);
    expect(p3.traces.map((x) => x.traceId.slice(-2))).toEqual([
      '04',
      '03',
      '02',
      '01',
      '00',
    ]);
    const past = await search({
      service: 'ratings.bookinfo',
      limit: 10,
      offset: 40,
    });
    expect(past).toMatchObject({ total: 25, traces: [] });
  });

  it('excludes spans outside the window', async () => {
    const r = await search({ startMs: NOW + 60_000, endMs: NOW + 120_000 });
    expect(r.total).toBe(0);
  });

  it('finds a trace by request id from the span tag or from an access-log line', async () => {
    expect(
      (await search({ requestId: 'req-a' })).traces.map((x) => x.traceId),
    ).toEqual([A]);
    expect(
      (await search({ requestId: 'req-log' })).traces.map((x) => x.traceId),
    ).toEqual([B]);
    expect((await search({ requestId: 'nope' })).total).toBe(0);
  });

  it('answers through the tRPC router, with the access-log lines of a request id', async () => {
    const caller = createCaller(
      createInnerContext({ db: () => Promise.resolve(t.db) }),
    );
    const r = await caller.traces.search({
      window: { from: window.startMs, to: window.endMs },
      filters: { requestId: 'req-log', tags: [] },
    });
    expect(r.traces.map((x) => x.traceId)).toEqual([B]);
    expect(r.accessLog.map((l) => l.requestId)).toEqual(['req-log']);
    await expect(
      caller.traces.byId({ traceId: 'f'.repeat(32) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      caller.traces.search({
        window: { lastMs: 60_000 },
        filters: { tags: ['no-equals'] },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const services = await caller.traces.services({
      window: { from: window.startMs, to: window.endMs },
    });
    expect(
      services.find((s) => s.service === 'productpage.bookinfo')?.operations,
    ).toEqual(['details:9080/*', 'productpage:9080/productpage']);
  });
});
