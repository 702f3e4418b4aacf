/**
 * Trace lookup by id and trace search over N stored spans, on the embedded engine.
 *
 *   tsx bench/traces.ts                  # 1,000,000 spans (about a minute on 2 cores)
 *   tsx bench/traces.ts --spans 10000000 # the target size
 *   options: --lookups 200 --searches 30 --spans-per-trace 20 --keep (keep the data folder)
 *            --reuse <data folder>:<database> (measure a kept data set again, no insert)
 *
 * Spans are generated inside the engine (INSERT ... SELECT FROM numbers()), Istio-shaped: 30
 * services, 50 operations, Envoy tags, traces of `spans-per-trace` spans spread over 24 h, so a
 * trace's spans are scattered across the table as with real traffic (ORDER BY service, name,
 * time). The trace-id lookup table is filled by its materialized view, as in production.
 *
 * Peers measured in the same run: the engine's floor (`SELECT 1` through the same client) and
 * the same trace read with the by_trace_id projection switched off (the read before
 * migrations/0012), so a noisy machine still shows the ratio.
 */
import { parseConfig, setConfig } from '~/server/config';
import { getDb, type Db } from '~/server/db/client';
import { migrate } from '~/server/db/migrate';
import { SPANS_OF_TRACE_SQL, traceById } from '~/server/queries/traces';
import { searchTraces } from '~/server/queries/traces-search';
import { tempDb } from '~/test/helpers/temp-db';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const SPANS = arg('spans', 1_000_000);
const PER_TRACE = arg('spans-per-trace', 20);
const LOOKUPS = arg('lookups', 200);
const SEARCHES = arg('searches', 30);
const KEEP = process.argv.includes('--keep');
const REUSE = process.argv.includes('--reuse')
  ? process.argv[process.argv.indexOf('--reuse') + 1]
  : undefined;
const CHUNK = 2_000_000;

function percentile(sorted: number[], q: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN
  );
}

function summary(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `${label.padEnd(34)} n=${String(s.length).padStart(4)}  p50 ${f(percentile(s, 0.5))} ms  p95 ${f(percentile(s, 0.95))} ms  max ${f(s[s.length - 1] ?? NaN)} ms`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

/** The read of traceById with the projection switched off (as before migrations/0012). */
async function traceWithoutProjection(
  db: Db,
  traceId: string,
): Promise<number> {
  const rs = await db.client.query({
    query: `SELECT toUnixTimestamp(min(Start)) AS s, toUnixTimestamp(max(End)) AS e
              FROM {db:Identifier}.otel_traces_trace_id_ts WHERE TraceId = {traceId:String}`,
    query_params: { db: db.database, traceId },
    format: 'JSONEachRow',
  });
  const [b] = await rs.json<{ s: number; e: number }>();
  const spans = await db.client.query({
    query: SPANS_OF_TRACE_SQL,
    query_params: {
      db: db.database,
      traceId,
      start: Number(b!.s),
      end: Number(b!.e) + 1,
      limit: 100_001,
    },
    format: 'JSONEachRow',
    clickhouse_settings: { optimize_use_projections: 0 },
  });
  const n = (await spans.json()).length;
  // chDB keeps a query's settings for the rest of its session: switch projections back on.
  await db.client.command({
    query: 'SELECT 1',
    clickhouse_settings: { optimize_use_projections: 1 },
  });
  return n;
}

async function openData(): Promise<{
  db: Db;
  dataDir: string;
  rows<T>(q: string, p?: Record<string, unknown>): Promise<T[]>;
  close(): Promise<void>;
  fresh: boolean;
}> {
  if (!REUSE || REUSE.startsWith('--')) {
    const t = await tempDb({ MESHLENS_LOG_LEVEL: 'warn' });
    return { ...t, fresh: true };
  }
  const [dataDir, database] = REUSE.split(':') as [string, string];
  const config = parseConfig({
    MESHLENS_DATA_DIR: dataDir,
    CLICKHOUSE_DATABASE: database,
    MESHLENS_LOG_LEVEL: 'warn',
  });
  setConfig(config);
  const db = await getDb(config);
  await migrate(db, config.ttlDays);
  return {
    db,
    dataDir,
    fresh: false,
    async rows<T>(query: string, params: Record<string, unknown> = {}) {
      const rs = await db.client.query({
        query,
        query_params: { db: db.database, ...params },
        format: 'JSONEachRow',
      });
      return rs.json<T>();
    },
    close: () => Promise.resolve(),
  };
}

const INSERT = `
INSERT INTO {db:Identifier}.otel_traces
SELECT
  now64(9) - toIntervalMillisecond((intDiv(n, {per:UInt32}) * 7919) % 86400000) + toIntervalMicrosecond((n % {per:UInt32}) * 700) AS Timestamp,
  lower(hex(MD5(toString(intDiv(n, {per:UInt32}))))) AS TraceId,
  substring(lower(hex(MD5(concat('s', toString(n))))), 1, 16) AS SpanId,
  if(n % {per:UInt32} = 0, '', substring(lower(hex(MD5(concat('s', toString(n - (n % {per:UInt32}) + intDiv((n % {per:UInt32}) - 1, 3)))))), 1, 16)) AS ParentSpanId,
  '' AS TraceState,
  concat('svc', toString(n % 50), '.bookinfo.svc.cluster.local:9080/*') AS SpanName,
  if(n % 2 = 0, 'Server', 'Client') AS SpanKind,
  concat('svc', toString(intDiv(n, 7) % 30), '.bookinfo') AS ServiceName,
  map('service.name', concat('svc', toString(intDiv(n, 7) % 30), '.bookinfo'), 'k8s.namespace.name', 'bookinfo') AS ResourceAttributes,
  '' AS ScopeName, '' AS ScopeVersion,
  map('component', 'proxy',
      'guid:x-request-id', concat('req-', toString(intDiv(n, {per:UInt32}))),
      'http.status_code', if(n % 101 = 0, '503', '200'),
      'response_flags', if(n % 101 = 0, 'UF,URX', '-'),
      'upstream_cluster', concat('outbound|9080||svc', toString(n % 50), '.bookinfo.svc.cluster.local'),
      'node_id', concat('sidecar~10.0.0.', toString(n % 250), '~svc', toString(intDiv(n, 7) % 30), '-v1-6b746f74dc-9stvs.bookinfo~bookinfo.svc.cluster.local')) AS SpanAttributes,
  toUInt64(((n * 7919) % 500000 + 1000) * 1000) AS Duration,
  if(n % 101 = 0, 'Error', 'Unset') AS StatusCode,
  '' AS StatusMessage,
  [] AS \`Events.Timestamp\`, [] AS \`Events.Name\`, [] AS \`Events.Attributes\`,
  [] AS \`Links.TraceId\`, [] AS \`Links.SpanId\`, [] AS \`Links.TraceState\`, [] AS \`Links.Attributes\`
FROM (SELECT number + {offset:UInt64} AS n FROM numbers({count:UInt64}))`;

async function main(): Promise<void> {
  const t = await openData();
  const { db } = t;
  console.log(
    t.fresh
      ? `data folder ${t.dataDir}; generating ${SPANS.toLocaleString()} spans (${PER_TRACE} per trace)`
      : `reusing ${t.dataDir} (${db.database}); --spans must match how it was made`,
  );
  await db.client
    .command({ query: 'SET use_query_condition_cache = 0' })
    .catch(() => undefined);
  const [insertMs] = await timed(async () => {
    for (let offset = 0; t.fresh && offset < SPANS; offset += CHUNK) {
      await db.client.command({
        query: INSERT,
        query_params: {
          db: db.database,
          per: PER_TRACE,
          offset,
          count: Math.min(CHUNK, SPANS - offset),
        },
      });
    }
  });
  const [{ rows, parts, bytes }] = (await t.rows<{
    rows: number;
    parts: number;
    bytes: number;
  }>(
    `SELECT sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS bytes FROM system.parts
      WHERE database = {db:String} AND table = 'otel_traces' AND active`,
    { db: db.database },
  )) as [{ rows: number; parts: number; bytes: number }];
  console.log(
    `inserted in ${(insertMs / 1000).toFixed(1)} s (${Math.round(SPANS / (insertMs / 1000)).toLocaleString()} rows/s); ${Number(rows).toLocaleString()} rows in ${parts} parts, ${(Number(bytes) / 2 ** 20).toFixed(0)} MiB`,
  );

  const traces = Math.floor(SPANS / PER_TRACE);
  const ids = Array.from(
    { length: LOOKUPS },
    (_, i) => (i * 104_729 + 17) % traces,
  );
  const hex = await t.rows<{ id: string }>(
    `SELECT lower(hex(MD5(toString(arrayJoin({ids:Array(UInt64)}))))) AS id`,
    { ids },
  );
  // Warm-up: first reads open parts and fill caches.
  for (const { id } of hex.slice(0, 5)) await traceById(db, id);
  // Interleaved, so load from elsewhere on the machine hits the three alike.
  const lookup: number[] = [];
  const peer: number[] = [];
  const floor: number[] = [];
  for (const { id } of hex) {
    const [l, trace] = await timed(() => traceById(db, id));
    if (trace?.spans.length !== PER_TRACE)
      throw new Error(
        `trace ${id}: expected ${PER_TRACE} spans, got ${trace?.spans.length}`,
      );
    lookup.push(l);
    const [ms, n] = await timed(() => traceWithoutProjection(db, id));
    if (n !== PER_TRACE) throw new Error(`trace ${id}: ${n} spans`);
    peer.push(ms);
    const [f] = await timed(() => t.rows('SELECT 1'));
    floor.push(f);
  }
  const missing: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [ms] = await timed(() =>
      traceById(db, `ff${String(i).padStart(30, '0')}`),
    );
    missing.push(ms);
  }
  const nowMs = Date.now();
  const searches: [string, Parameters<typeof searchTraces>[1]][] = [
    [
      'search: service, last 1 h',
      {
        startMs: nowMs - 3600_000,
        endMs: nowMs,
        service: 'svc3.bookinfo',
        limit: 50,
        offset: 0,
      },
    ],
    [
      'search: service + tag, last 1 h',
      {
        startMs: nowMs - 3600_000,
        endMs: nowMs,
        service: 'svc3',
        tags: [{ key: 'http.status_code', value: '503' }],
        limit: 50,
        offset: 0,
      },
    ],
    [
      'search: errors + min duration, 15 m',
      {
        startMs: nowMs - 900_000,
        endMs: nowMs,
        errorsOnly: true,
        minDurationMs: 200,
        limit: 50,
        offset: 0,
      },
    ],
    [
      'search: request id, last 24 h',
      {
        startMs: nowMs - 86_400_000,
        endMs: nowMs,
        requestId: `req-${ids[3]}`,
        limit: 50,
        offset: 0,
      },
    ],
  ];
  const p95 = (v: number[]) =>
    percentile(
      [...v].sort((a, b) => a - b),
      0.95,
    );
  const lines = [
    summary('trace by id (found)', lookup),
    `${summary('  peer: same, projection off', peer)}  (p95 ratio ${(p95(lookup) / p95(peer)).toFixed(2)})`,
    summary('  floor: SELECT 1', floor),
    summary('trace by id (unknown -> 404)', missing),
  ];
  for (const [label, s] of searches) {
    const ms: number[] = [];
    let total = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const [d, r] = await timed(() => searchTraces(db, s));
      ms.push(d);
      total = r.total;
    }
    lines.push(
      `${summary(label, ms)}  (${total.toLocaleString()} traces match)`,
    );
  }
  console.log(
    `\n${SPANS.toLocaleString()} spans, ${traces.toLocaleString()} traces, embedded chDB`,
  );
  for (const l of lines) console.log(l);
  if (KEEP || !t.fresh) console.log(`kept ${t.dataDir}`);
  else await t.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
