/**
 * For tests: traffic, spans, access-log rows and alert rules in two namespaces, `bookinfo` and
 * `secretns`, plus one call across them, all within the last few minutes. A caller scoped to
 * bookinfo must never see the string "secretns" (nor the workloads only it holds).
 */
import type { Db } from '../../db/client';
import { insertSpans } from '../../queries/traces-fixtures';

export const SECRET_NS = 'secretns';
/** Names that exist only in secretns: none may reach a bookinfo-scoped caller. */
export const SECRET_NAMES = ['secretns', 'vault', 'ledger'];

export const TRACE_BOOKINFO = '0a'.repeat(16);
export const TRACE_SECRET = '0b'.repeat(16);
export const TRACE_MIXED = '0c'.repeat(16);

const chMinute = (ms: number) =>
  new Date(Math.floor(ms / 60_000) * 60_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');

function rollup(minuteMs: number, p: Record<string, unknown>) {
  return {
    Minute: chMinute(minuteMs),
    Signal: 'metrics',
    Reporter: 'destination',
    SourceNamespace: 'bookinfo',
    SourceWorkload: 'productpage-v1',
    SourceService: 'productpage',
    SourceVersion: 'v1',
    DestinationNamespace: 'bookinfo',
    DestinationWorkload: 'reviews-v1',
    DestinationService: 'reviews',
    DestinationVersion: 'v1',
    Protocol: 'http',
    Mtls: 'yes',
    ResponseCode: 200,
    Requests: 60,
    DurationSumMs: 600,
    DurationBuckets: { '10000': 60 },
    ...p,
  };
}

const secretEnds = {
  SourceNamespace: 'secretns',
  SourceWorkload: 'vault-v1',
  SourceService: 'vault',
  DestinationNamespace: 'secretns',
  DestinationWorkload: 'ledger-v1',
  DestinationService: 'ledger',
};

function request(ms: number, p: Record<string, unknown>) {
  return {
    Timestamp: new Date(ms).toISOString().replace('T', ' ').replace('Z', ''),
    Kind: 'http',
    Reporter: 'inbound',
    Signal: 'access_log',
    SourceWorkload: 'productpage-v1',
    SourceNamespace: 'bookinfo',
    SourceService: 'productpage',
    DestinationWorkload: 'reviews-v1',
    DestinationNamespace: 'bookinfo',
    DestinationService: 'reviews',
    Protocol: 'HTTP/1.1',
    Method: 'GET',
    Path: '/reviews/1',
    ResponseCode: 200,
    DurationMs: 12,
    ...p,
  };
}

export async function seedTwoNamespaces(
  db: Db,
  nowMs = Date.now(),
): Promise<void> {
  const rows = [];
  for (let m = 1; m <= 3; m++) {
    const at = nowMs - m * 60_000;
    rows.push(
      rollup(at, {}),
      rollup(at, secretEnds),
      rollup(at, {
        DestinationNamespace: 'secretns',
        DestinationWorkload: 'ledger-v1',
        DestinationService: 'ledger',
      }),
    );
  }
  await db.client.insert({
    table: `${db.database}.edge_rollups_1m`,
    values: rows,
    format: 'JSONEachRow',
  });
  const t0 = nowMs - 90_000;
  await insertSpans(db, [
    {
      traceId: TRACE_BOOKINFO,
      spanId: '1'.repeat(16),
      name: 'GET /',
      service: 'productpage.bookinfo',
      startMs: t0,
      durationMs: 20,
    },
    {
      traceId: TRACE_BOOKINFO,
      spanId: '2'.repeat(16),
      parentSpanId: '1'.repeat(16),
      name: 'GET /reviews',
      service: 'reviews.bookinfo',
      startMs: t0 + 1,
      durationMs: 10,
    },
    {
      traceId: TRACE_SECRET,
      spanId: '3'.repeat(16),
      name: 'POST /vault',
      service: 'vault.secretns',
      startMs: t0,
      durationMs: 20,
    },
    {
      traceId: TRACE_SECRET,
      spanId: '4'.repeat(16),
      parentSpanId: '3'.repeat(16),
      name: 'GET /ledger',
      service: 'ledger.secretns',
      startMs: t0 + 1,
      durationMs: 5,
    },
    {
      traceId: TRACE_MIXED,
      spanId: '5'.repeat(16),
      name: 'GET /pay',
      service: 'productpage.bookinfo',
      startMs: t0,
      durationMs: 20,
    },
    {
      traceId: TRACE_MIXED,
      spanId: '6'.repeat(16),
      parentSpanId: '5'.repeat(16),
      name: 'GET /ledger',
      service: 'ledger.secretns',
      startMs: t0 + 1,
      durationMs: 5,
    },
  ]);
  await db.client.insert({
    table: `${db.database}.mesh_requests`,
    values: [
      request(t0, { RequestId: 'req-bookinfo', TraceId: TRACE_BOOKINFO }),
      request(t0, {
        RequestId: 'req-secret',
        TraceId: TRACE_SECRET,
        ...secretEnds,
      }),
      request(t0, {
        RequestId: 'req-mixed',
        TraceId: TRACE_MIXED,
        DestinationNamespace: 'secretns',
        DestinationWorkload: 'ledger-v1',
        DestinationService: 'ledger',
      }),
    ],
    format: 'JSONEachRow',
  });
}
