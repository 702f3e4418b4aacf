/**
 * Trace lookup by id and trace search over N stored spans, on the embedded engine.
 *
 *   tsx bench/traces.ts                  # 1,000,000 spans (about a minute on 2 cores)
 *   tsx bench/traces.ts --spans 10000000 # the target size
 *   options: --lookups 200 --searches 30 --spans-per-trace 20 --keep (keep the data folder)
 *
 * Spans are generated inside the engine (INSERT ... SELECT FROM numbers()), Istio-shaped: 30
 * services, 50 operations, Envoy tags, traces of `spans-per-trace` spans spread over 24 h, so a
 * trace's spans are scattered across the table as with real traffic (ORDER BY service, name,
 * time). The trace-id lookup table is filled by its materialized view, as in production.
 */
import { traceById } from '~/server/queries/traces';
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
  const t = await tempDb({ MESHLENS_LOG_LEVEL: 'warn' });
  const { db } = t;
  console.log(
    `data folder ${t.dataDir}; generating ${SPANS.toLocaleString()} spans (${PER_TRACE} per trace)`,
  );
  await db.client
    .command({ query: 'SET use_query_condition_cache = 0' })
    .catch(() => undefined);
  const [insertMs] = await timed(async () => {
    for (let offset = 0; offset < SPANS; offset += CHUNK) {
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
  const lookup: number[] = [];
  for (const { id } of hex) {
    const [ms, trace] = await timed(() => traceById(db, id));
    if (trace?.spans.length !== PER_TRACE)
      throw new Error(
        `trace ${id}: expected ${PER_TRACE} spans, got ${trace?.spans.length}`,
      );
    lookup.push(ms);
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
  const lines = [
    summary('trace by id (found)', lookup),
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
  if (KEEP) console.log(`kept ${t.dataDir}`);
  else await t.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
