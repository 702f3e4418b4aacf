/**
 * A synthetic mesh written straight into edge_rollups_1m, engine-side (INSERT ... SELECT FROM
 * numbers()), for the read benchmarks: `services` services in 20 namespaces, each calling 3
 * others, every minute of the window; per edge and minute, source- and destination-reported
 * metrics rows with two response codes (1 % 503), and the same as spans for one edge in three
 * (so the signal and reporter choices do real work). `totalRequests` is spread evenly.
 * The 0010 materialized views fill the coarse rollups from the same insert.
 */
import type { Db } from '~/server/db/client';

export interface SyntheticMesh {
  services: number;
  startMs: number;
  minutes: number;
  totalRequests: number;
}

/** Writes the mesh; returns the number of rollup rows written. */
export async function writeSyntheticMesh(
  db: Db,
  m: SyntheticMesh,
): Promise<number> {
  const edges = m.services * 3;
  // per edge and minute: 2 reporters x 2 codes of metrics, + the same of spans for 1 in 3 edges
  const variants = 8;
  await db.client.command({
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
      'http', if(v % 2 = 1, 'yes', 'unknown'), if(intDiv(v, 2) % 2 = 0, 200, 503) AS ResponseCode,
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
      db: db.database,
      start: Math.floor(m.startMs / 1000),
      edges,
      minutes: m.minutes,
      services: m.services,
      perRow: m.totalRequests / (edges * m.minutes),
      rows: edges * m.minutes * variants,
    },
    clickhouse_settings: { max_insert_threads: '2' },
  });
  for (const table of [
    'edge_rollups_1m',
    'edge_rollups_10m',
    'edge_rollups_1h',
  ])
    await db.client.command({
      query: 'OPTIMIZE TABLE {db:Identifier}.{table:Identifier} FINAL',
      query_params: { db: db.database, table },
    });
  const rs = await db.client.query({
    query: `SELECT toUInt32(count()) AS rows FROM {db:Identifier}.edge_rollups_1m
             WHERE Minute >= {from:DateTime} AND Minute < {to:DateTime}`,
    query_params: {
      db: db.database,
      from: Math.floor(m.startMs / 1000),
      to: Math.floor(m.startMs / 1000) + m.minutes * 60,
    },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ rows: number }>();
  return row?.rows ?? 0;
}
