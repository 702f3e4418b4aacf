/**
 * The topology question: which peers talked to which over a window, each request counted once
 * (edge-selection.ts), aggregated by ClickHouse to one row per peer pair, protocol and signal.
 * The graph itself is built by the pure code in server/topology.
 */
import type { Db } from '../db/client';
import { buildGraph } from '../topology/build-graph';
import type {
  EdgeAggregate,
  Graph,
  GraphType,
  HealthThresholds,
} from '../topology/types';
import { queryRows } from './clickhouse';
import { cachedRead } from './rollup-cache';
import { needsMtlsView, withMtlsView } from './topology-mtls';
import {
  MEASURES_SQL,
  selectedRollups,
  toMeasures,
  type MeasuresRow,
} from './edge-selection';
import {
  filterSql,
  resolveWindow,
  windowParams,
  type ResolvedWindow,
  type TrafficFilter,
  type WindowInput,
} from './traffic-filter';

interface EdgeRow extends MeasuresRow {
  sns: string;
  sw: string;
  ssvc: string;
  sver: string;
  dns: string;
  dsvc: string;
  dw: string;
  dver: string;
  proto: string;
  signal: string;
  source_clusters: string[];
  destination_clusters: string[];
}

const EDGE_KEYS = 'sns, sw, ssvc, sver, dns, dsvc, dw, dver, proto, signal';

function toEdgeAggregate(r: EdgeRow): EdgeAggregate {
  return {
    sourceNamespace: r.sns,
    sourceWorkload: r.sw,
    sourceService: r.ssvc,
    sourceVersion: r.sver,
    sourceClusters: r.source_clusters,
    destinationNamespace: r.dns,
    destinationService: r.dsvc,
    destinationWorkload: r.dw,
    destinationVersion: r.dver,
    destinationClusters: r.destination_clusters,
    protocol: r.proto,
    signal: r.signal,
    measures: toMeasures(r),
  };
}

/** Counted traffic per peer pair, protocol and signal over the window. */
export async function trafficEdges(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter = {},
  coarse = true,
): Promise<EdgeAggregate[]> {
  const f = filterSql(filter);
  const sel = selectedRollups(db.database, w, { coarse });
  const rows = await queryRows<EdgeRow>(db, {
    what: 'reading topology edges from the edge rollups',
    query: `${sel.cte}
      SELECT sns, sw, ssvc, sver, dns, dsvc, dw, dver, proto, Signal AS signal,
             groupUniqArrayIf(scl, counted AND scl != '') AS source_clusters,
             groupUniqArrayIf(dcl, counted AND dcl != '') AS destination_clusters,
             ${MEASURES_SQL}
        FROM selected
       WHERE chosen${f.sql}
       GROUP BY ${EDGE_KEYS}
      HAVING requests > 0 OR connections > 0`,
    params: { ...sel.params, ...f.params },
  });
  return rows.map(toEdgeAggregate);
}

/**
 * Peer pairs seen in the `lookbackMs` before the window (counted rows), with no figures: the
 * graph draws those absent from the window as idle edges.
 */
export async function idleEdges(
  db: Db,
  w: ResolvedWindow,
  lookbackMs: number,
  filter: TrafficFilter = {},
): Promise<EdgeAggregate[]> {
  const before: ResolvedWindow = {
    startMs: w.startMs - lookbackMs,
    endMs: w.startMs,
    seconds: lookbackMs / 1000,
  };
  const f = filterSql(filter);
  const sel = selectedRollups(db.database, before, { coarse: true });
  const rows = await queryRows<Omit<EdgeRow, keyof MeasuresRow>>(db, {
    what: 'reading idle topology edges from the edge rollups',
    query: `${sel.cte}
      SELECT sns, sw, ssvc, sver, dns, dsvc, dw, dver, proto, Signal AS signal,
             groupUniqArrayIf(scl, scl != '') AS source_clusters,
             groupUniqArrayIf(dcl, dcl != '') AS destination_clusters
        FROM selected
       WHERE counted${f.sql}
       GROUP BY ${EDGE_KEYS}
       ORDER BY ${EDGE_KEYS}
       LIMIT 20000`,
    params: { ...sel.params, ...f.params },
  });
  return rows.map((r) =>
    toEdgeAggregate({
      ...r,
      requests: 0,
      errors: 0,
      client_errors: 0,
      connections: 0,
      bytes_sent: 0,
      bytes_received: 0,
      duration_sum_ms: 0,
      buckets: {},
      mtls_dest_yes: 0,
      mtls_dest_no: 0,
      mtls_dest_unknown: 0,
      mtls_src_yes: 0,
      mtls_src_no: 0,
      sampled_spans: 0,
    }),
  );
}

export interface TopologyInput extends WindowInput, TrafficFilter {
  graphType?: GraphType;
  /** Also draw edges seen in the same length of time before the window (Kiali's idle edges). */
  includeIdle?: boolean;
  thresholds?: HealthThresholds;
  /** false: read every minute, never the coarse rollups (benchmarks compare the two). */
  coarseRollups?: boolean;
}

export interface Topology extends Graph {
  window: { start: Date; end: Date; seconds: number };
}

/**
 * The decorated graph for a window: what the topology page and /api/v1/topology serve. Answers
 * are cached while the rollup rows of the window are unchanged (rollup-cache.ts); `fresh`
 * recomputes anyway.
 */
export async function topologyGraph(
  db: Db,
  input: TopologyInput & { fresh?: boolean },
): Promise<Topology> {
  const w = resolveWindow(input);
  const filter: TrafficFilter = {
    namespaces: input.namespaces,
    protocols: input.protocols,
    cluster: input.cluster,
  };
  const coarse = input.coarseRollups !== false;
  const idleLookbackMs = input.includeIdle
    ? Math.min(w.endMs - w.startMs, 6 * 3600_000)
    : 0;
  const opts = {
    type: input.graphType ?? 'workload',
    seconds: w.seconds,
    thresholds: input.thresholds,
  };
  const build = (rows: EdgeAggregate[], idle: EdgeAggregate[]): Topology => ({
    ...buildGraph(rows, { ...opts, idle }),
    window: {
      start: new Date(w.startMs),
      end: new Date(w.endMs),
      seconds: w.seconds,
    },
  });
  return cachedRead(db, {
    key: JSON.stringify([
      'topology',
      db.database,
      w,
      filter,
      coarse,
      idleLookbackMs,
      opts,
    ]),
    // the rows read: from the minute before the window (or its idle lookback) to its end
    fromMs: w.startMs - idleLookbackMs - 60_000,
    toMs: w.endMs,
    fresh: input.fresh,
    whenEmpty: () => build([], []),
    compute: async () => {
      const [rows, idle] = await Promise.all([
        trafficEdges(db, w, filter, coarse),
        idleLookbackMs > 0
          ? idleEdges(db, w, idleLookbackMs, filter)
          : Promise.resolve([]),
      ]);
      // the locks as the mTLS view draws them (topology-mtls.ts)
      const locked = needsMtlsView(rows)
        ? await withMtlsView(db, w, filter, rows)
        : rows;
      return build(locked, idle);
    },
  });
}

export interface MeshInventory {
  namespaces: string[];
  clusters: string[];
}

/** Namespaces and clusters with traffic in the window (either end), for the filter lists. */
export async function meshInventory(
  db: Db,
  w: ResolvedWindow,
): Promise<MeshInventory> {
  const [row] = await queryRows<MeshInventory>(db, {
    what: 'reading namespaces and clusters from edge_rollups_1m',
    query: `SELECT
        arraySort(arrayFilter(x -> x NOT IN ('', 'unknown'),
          groupUniqArrayArray([SourceNamespace, DestinationNamespace]))) AS namespaces,
        arraySort(arrayFilter(x -> x NOT IN ('', 'unknown'),
          groupUniqArrayArray([SourceCluster, DestinationCluster]))) AS clusters
      FROM {db:Identifier}.edge_rollups_1m
      WHERE Minute >= {from:DateTime} AND Minute < {to:DateTime}`,
    params: windowParams(db.database, w),
  });
  return row ?? { namespaces: [], clusters: [] };
}
