/**
 * mTLS read benchmark (run: `npm run bench:mtls -- [services] [minutes] [requests]`), against
 * the topology query as its peer on the same data: the same synthetic mesh as
 * bench/topology-query.bench.ts (edge_rollups_1m filled engine-side; destination rows report
 * mutual TLS, one in ten edges plaintext), then mtlsCoverage (the /api/v1/mtls read: per-edge
 * tallies, trend, identities) and topologyGraph, timed alternately. Report the ratio.
 */
import { mtlsCoverage } from '~/server/mtls/coverage';
import { topologyGraph } from '~/server/queries/topology';
import { tempDb } from '~/test/helpers/temp-db';

const services = Number(process.argv[2] ?? 200);
const minutes = Number(process.argv[3] ?? 60);
const totalRequests = Number(process.argv[4] ?? 10_000_000);
const edges = services * 3;
// Per edge and minute: 2 reporters x 2 codes of metrics, plus the same of spans for 1 in 3 edges.
const variants = 8;

const t = await tempDb({ MESHLENS_TTL_ROLLUPS_DAYS: '3650' });
const endMs = Math.floor(Date.now() / 60_000) * 60_000;
const startMs = endMs - minutes * 60_000;
const perRow = totalRequests / (edges * minutes); // per edge and minute, over its two codes
const t0 = performance.now();
await t.db.client.command({
  query: `INSERT INTO {db:Identifier}.edge_rollups_1m
    (Minute, Signal, Reporter, SourceNamespace, SourceWorkload, SourceService, SourceVersion,
     DestinationNamespace, DestinationWorkload, DestinationService, DestinationVersion,
     Protocol, Mtls, ResponseCode, Requests, DurationSumMs, DurationBuckets, SampledRequests)
    SELECT
      toDateTime({start:UInt32}) + toIntervalMinute(intDiv(number, {edges:UInt32}) % {minutes:UInt32}) AS Minute,
      if(v >= 4, 'spans', 'metrics') AS Signal,
      if(v % 2 = 0, 'source', 'destination') AS Reporter,
      concat('ns-', toString(s % 20)), concat('svc-', toString(s), '-v1'), concat('svc-', toString(s)), 'v1',
      concat('ns-', toString(d % 20)), concat('svc-', toString(d), '-v1'), concat('svc-', toString(d)), 'v1',
      'http', if(v % 2 = 1, if(e % 10 = 0, 'no', 'yes'), 'unknown'), if(intDiv(v, 2) % 2 = 0, 200, 503) AS ResponseCode,
      if(ResponseCode = 200, {perRow:Float64} * 0.99, {perRow:Float64} * 0.01) AS Requests,
      Requests * 12, map(toUInt64(10000), Requests * 0.6, toUInt64(25000), Requests * 0.3, toUInt64(100000), Requests * 0.1),
      Requests
    FROM (
      SELECT number, number % {edges:UInt32} AS e, intDiv(e, 3) AS s, (s * 3 + e % 3 + 1) % {services:UInt32} AS d,
             intDiv(number, {edges:UInt32} * {minutes:UInt32}) AS v
      FROM numbers({rows:UInt64})
    )
    WHERE v < 4 OR e % 3 = 0`,
  query_params: {
    db: t.db.database,
    start: startMs / 1000,
    edges,
    minutes,
    services,
    perRow,
    rows: edges * minutes * variants,
  },
  clickhouse_settings: { max_insert_threads: '2' },
});
await t.db.client.command({
  query: 'OPTIMIZE TABLE {db:Identifier}.edge_rollups_1m FINAL',
  query_params: { db: t.db.database },
});
const [{ rows } = { rows: 0 }] = await t.rows<{ rows: number }>(
  'SELECT toUInt32(count()) AS rows FROM {db:Identifier}.edge_rollups_1m',
);
console.log(
  `${services} services, ${edges} edges, ${minutes} min: ${rows.toLocaleString('en-US')} rollup rows, ${totalRequests.toLocaleString('en-US')} requests (${Math.round(performance.now() - t0)} ms to load)`,
);

async function time(name: string, fn: () => Promise<unknown>, runs = 15) {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) =>
    ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  console.log(
    `${name}: p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms (${runs} runs)`,
  );
  return q(0.5);
}

const window = { fromMs: startMs, toMs: endMs, nowMs: endMs + 60_000 };
const report = await mtlsCoverage(t.db, window);
console.log(
  `mTLS: mesh request share ${report.mesh.requestShare}, ${report.edges.length} edges, ${report.plaintextEdges.length} plaintext`,
);
const topo = await time('topologyGraph (workload graph, peer)', () =>
  topologyGraph(t.db, { ...window, graphType: 'workload', fresh: true }),
);
const mtls = await time('mtlsCoverage', () => mtlsCoverage(t.db, window));
console.log(
  `ratio mtlsCoverage / topologyGraph (p50): ${(mtls / topo).toFixed(2)}`,
);
await t.close();
