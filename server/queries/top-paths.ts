/**
 * Top routes and paths of a selection of traffic (an edge, or one side of a node), from the
 * access logs: the rollups keep no paths, so this reads mesh_requests rows of the window, with
 * the same peer filters and unknown-peer spelling as the rollup queries (traffic-filter.ts).
 * A request logged by both sidecars is counted once: the client side's lines when the
 * selection has any, else the server side's (callers without a sidecar log only there).
 */
import type { Db } from '../db/client';
import type { PeerFilter } from '../topology/peer-match';
import { queryRows } from './clickhouse';
import { num } from './edge-selection';
import { filterSql, resolveWindow, type WindowInput } from './traffic-filter';

export interface PathQuery extends WindowInput {
  source?: PeerFilter | undefined;
  destination?: PeerFilter | undefined;
  protocols?: readonly string[] | undefined;
  /** How many paths (default 10). */
  limit?: number;
}

export interface PathRow {
  method: string;
  /** The path without its query string. */
  path: string;
  /** Envoy's route name ('' when the line has none). */
  route: string;
  requests: number;
  /** 0..1: 5xx and gRPC non-OK over requests. */
  errorRatio: number;
  /** Exact p95 of the logged durations (ms). */
  p95Ms: number;
}

export interface TopPaths {
  /** Which sidecar's lines were counted: 'source' (client) or 'destination' (server). */
  side: 'source' | 'destination' | null;
  /** Logged requests of the selection in the window (all paths). */
  totalRequests: number;
  paths: PathRow[];
}

interface Row {
  side: string;
  method: string;
  path: string;
  route: string;
  requests: number;
  errors: number;
  p95: number;
  side_total: number;
}

/** The busiest paths of the selection, each request counted once. */
export async function topPaths(db: Db, q: PathQuery): Promise<TopPaths> {
  const w = resolveWindow(q);
  const f = filterSql({
    source: q.source,
    destination: q.destination,
    protocols: q.protocols,
  });
  const rows = await queryRows<Row>(db, {
    what: 'reading top paths from mesh_requests',
    query: `
      SELECT side, method, path, route,
             toFloat64(count()) AS requests,
             toFloat64(countIf(code >= 500 OR (proto = 'grpc' AND grpc NOT IN ('', 'OK', '0')))) AS errors,
             quantileExact(0.95)(DurationMs) AS p95,
             toFloat64(sum(count()) OVER (PARTITION BY side)) AS side_total
        FROM (
          SELECT
            if(Reporter = 'inbound', 'destination', 'source') AS side,
            Method AS method, splitByChar('?', Path)[1] AS path, Route AS route,
            ResponseCode AS code, GrpcStatus AS grpc, DurationMs,
            if(SourceWorkload IN ('', 'unknown'), '', SourceWorkload) AS sw,
            if(sw = '' OR SourceNamespace = 'unknown', '', SourceNamespace) AS sns,
            if(sw = '' OR SourceService = 'unknown', '', SourceService) AS ssvc,
            if(sw = '' OR SourceVersion = 'unknown', '', SourceVersion) AS sver,
            if(DestinationNamespace = 'unknown', '', DestinationNamespace) AS dns,
            multiIf(DestinationService = 'unknown', '',
                    dns != '' AND endsWith(DestinationService, concat('.', dns)),
                    substring(DestinationService, 1, length(DestinationService) - length(dns) - 1),
                    DestinationService) AS dsvc,
            if(DestinationWorkload = 'unknown', '', DestinationWorkload) AS dw,
            if(DestinationVersion = 'unknown', '', DestinationVersion) AS dver,
            Protocol AS proto
          FROM {db:Identifier}.mesh_requests
          WHERE Timestamp >= fromUnixTimestamp64Milli({from:Int64})
            AND Timestamp < fromUnixTimestamp64Milli({to:Int64})
            AND Kind != 'tcp' AND Reporter != 'unknown'
        )
       WHERE 1${f.sql}
       GROUP BY side, method, path, route
       ORDER BY side, requests DESC
       LIMIT {limit:UInt32} BY side`,
    params: {
      db: db.database,
      from: w.startMs,
      to: w.endMs,
      limit: q.limit ?? 10,
      ...f.params,
    },
  });
  const side = rows.some((r) => r.side === 'source')
    ? 'source'
    : rows.length > 0
      ? 'destination'
      : null;
  const mine = rows.filter((r) => r.side === side);
  return {
    side,
    totalRequests: num(mine[0]?.side_total),
    paths: mine.map((r) => ({
      method: r.method,
      path: r.path,
      route: r.route,
      requests: num(r.requests),
      errorRatio: num(r.requests) > 0 ? num(r.errors) / num(r.requests) : 0,
      p95Ms: num(r.p95),
    })),
  };
}
