/**
 * Traffic broken down by any of a fixed set of dimensions (time, peers, codes, flags, ...), each
 * request counted once (edge-selection.ts). The edge/node side panel, the service list and the
 * service page are all made of these breakdowns, aggregated by ClickHouse; several breakdowns
 * of one selection come from ONE query (GROUPING SETS), so the counting rules run once.
 */
import type { Db } from '../db/client';
import { emptyMeasures, type TrafficMeasures } from '../topology/measures';
import { queryRows } from './clickhouse';
import {
  MEASURES_SQL,
  num,
  selectedRollups,
  toMeasures,
  type MeasuresRow,
} from './edge-selection';
import {
  filterSql,
  type ResolvedWindow,
  type TrafficFilter,
} from './traffic-filter';

/** What traffic can be grouped by; each maps to fixed columns of `selected`. */
export type Dimension =
  | 'time'
  | 'source'
  | 'sourceService'
  | 'destination'
  | 'service'
  | 'version'
  | 'code'
  | 'flags'
  | 'protocol'
  | 'signal';

const COLUMNS: Record<Dimension, readonly string[]> = {
  time: ['t'],
  source: ['sns', 'sw', 'ssvc', 'sver'],
  sourceService: ['sns', 'ssvc'],
  destination: ['dns', 'dsvc', 'dw', 'dver'],
  service: ['dns', 'dsvc'],
  version: ['dw', 'dver'],
  code: ['proto', 'code', 'grpc'],
  flags: ['flags'],
  protocol: ['proto'],
  signal: ['Signal'],
};

/** One group: the dimension values (column -> value) and the counted traffic. */
export interface BreakdownRow {
  key: Record<string, string>;
  /** Start of the time bucket (epoch ms) when grouped by time. */
  t?: number;
  measures: TrafficMeasures;
}

export interface BreakdownOptions {
  /** Time bucket in seconds, whole minutes (needed with 'time'). */
  stepSeconds?: number;
  /** Keep the N groups with most requests + connections per breakdown (default 1000). */
  limit?: number;
  /** Leave out groups without traffic (default true). */
  onlyWithTraffic?: boolean;
}

type Row = MeasuresRow & Record<string, unknown> & { g?: number };

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/**
 * Counted traffic over the window and filter, grouped by each of `sets` (a list of dimension
 * lists) in one query; returns one list of rows per set, busiest first (time sets: by time).
 * Groups without traffic are left out unless `onlyWithTraffic` is false.
 */
export async function trafficSets(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter,
  sets: readonly (readonly Dimension[])[],
  opts: BreakdownOptions = {},
): Promise<BreakdownRow[][]> {
  const setColumns = sets.map((dims) => [
    ...new Set(dims.flatMap((d) => COLUMNS[d])),
  ]);
  const columns = [...new Set(setColumns.flat())];
  const f = filterSql(filter);
  const step = Math.max(60, Math.round((opts.stepSeconds ?? 60) / 60) * 60);
  const select = columns
    .map((c) =>
      c === 't'
        ? 'toUnixTimestamp(toStartOfInterval(Minute, toIntervalSecond({step:UInt32}))) AS t,'
        : `${c},`,
    )
    .join(' ');
  // grouping(...) sets bit (n-1-i) when columns[i] is NOT part of the row's grouping set
  // (SQL-standard behaviour, ClickHouse's default).
  const maskOf = (cols: readonly string[]) =>
    columns.reduce(
      (m, c, i) => (cols.includes(c) ? m : m | (1 << (columns.length - 1 - i))),
      0,
    );
  const grouped = columns.length > 0;
  // coarse buckets only when no time series needs real minutes
  const sel = selectedRollups(db.database, w, {
    coarse: !columns.includes('t'),
    baseWhere: f.baseSql,
  });
  const groupBy = grouped
    ? `GROUPING SETS (${[...new Set(setColumns.map((cols) => `(${[...cols].sort().join(', ')})`))].join(', ')})`
    : '';
  const rows = await queryRows<Row>(db, {
    what: `reading traffic by ${sets.map((s) => s.join('+') || 'total').join(', ')} from the edge rollups`,
    query: `${sel.cte}
      SELECT ${select} ${grouped ? `grouping(${columns.join(', ')}) AS g,` : ''} ${MEASURES_SQL}
        FROM selected
       WHERE chosen${f.sql}
       ${grouped ? `GROUP BY ${groupBy}` : ''}
       ${grouped && opts.onlyWithTraffic !== false ? 'HAVING requests > 0 OR connections > 0' : ''}
       ORDER BY requests + connections DESC
       LIMIT {limit:UInt32}`,
    params: {
      ...sel.params,
      ...f.params,
      step,
      limit: 500_000,
    },
  });
  const limit = opts.limit ?? 1000;
  return setColumns.map((cols) => {
    const mask = maskOf(cols);
    const mine = rows.filter((r) => !grouped || num(r.g) === mask);
    const shaped = mine.map((r) => {
      const key: Record<string, string> = {};
      for (const c of cols) if (c !== 't') key[c] = text(r[c]);
      return {
        key,
        ...(cols.includes('t') ? { t: num(r.t) * 1000 } : {}),
        measures: toMeasures(r),
      };
    });
    return cols.includes('t')
      ? shaped.sort((a, b) => (a.t ?? 0) - (b.t ?? 0))
      : shaped.slice(0, limit);
  });
}

/** Counted traffic grouped by `dims`, busiest first (time: in time order). */
export async function trafficBy(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter,
  dims: readonly Dimension[],
  opts: BreakdownOptions = {},
): Promise<BreakdownRow[]> {
  const [rows] = await trafficSets(db, w, filter, [dims], opts);
  return rows ?? [];
}

/** Counted traffic of the whole selection (zeros when there is none). */
export async function trafficTotals(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter,
): Promise<TrafficMeasures> {
  const [row] = await trafficBy(db, w, filter, []);
  return row?.measures ?? emptyMeasures();
}
