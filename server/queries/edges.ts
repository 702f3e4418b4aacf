/**
 * Detail of one selection of traffic: an edge (both ends given), or one side of a node or
 * service. Three aggregated reads: by (time, code, flags), by caller and by callee.
 */
import type { Db } from '../db/client';
import { buildTrafficDetail, type TrafficDetail } from '../topology/detail';
import type { PeerFilter } from '../topology/peer-match';
import { trafficSets, type BreakdownRow, type Dimension } from './traffic';
import {
  resolveWindow,
  seriesStepSeconds,
  type TrafficFilter,
  type WindowInput,
} from './traffic-filter';

export interface DetailQuery extends WindowInput {
  source?: PeerFilter | undefined;
  destination?: PeerFilter | undefined;
  protocols?: readonly string[] | undefined;
  cluster?: string | undefined;
  /** Time-series points wanted (default 60). */
  points?: number;
  /** More breakdowns of the same traffic, read by the same query (returned in `extra`). */
  extraSets?: readonly (readonly Dimension[])[];
}

export interface WindowInfo {
  start: Date;
  end: Date;
  seconds: number;
}

export interface Detail extends TrafficDetail {
  window: WindowInfo;
}

/** A detail plus the rows of the query's `extraSets`. */
export interface DetailWithExtra {
  detail: Detail;
  extra: BreakdownRow[][];
}

/** Totals, series, codes, flags and top peers of the traffic matching the query. */
export async function trafficDetail(db: Db, q: DetailQuery): Promise<Detail> {
  return (await trafficDetailWithExtra(db, q)).detail;
}

/** As trafficDetail, with more breakdowns of the same traffic from the same query. */
export async function trafficDetailWithExtra(
  db: Db,
  q: DetailQuery,
): Promise<DetailWithExtra> {
  const w = resolveWindow(q);
  const stepSeconds = seriesStepSeconds(w, q.points ?? 60);
  const filter: TrafficFilter = {
    source: q.source,
    destination: q.destination,
    protocols: q.protocols,
    cluster: q.cluster,
  };
  const [rows = [], sources = [], destinations = [], ...extra] =
    await trafficSets(
      db,
      w,
      filter,
      [
        ['time', 'code', 'flags'],
        ['source'],
        ['destination'],
        ...(q.extraSets ?? []),
      ],
      { stepSeconds, limit: 50_000 },
    );
  const detail = buildTrafficDetail({
    rows,
    sources: sources.slice(0, 10),
    destinations: destinations.slice(0, 10),
    startMs: w.startMs,
    endMs: w.endMs,
    seconds: w.seconds,
    stepSeconds,
  });
  return {
    detail: {
      ...detail,
      window: {
        start: new Date(w.startMs),
        end: new Date(w.endMs),
        seconds: w.seconds,
      },
    },
    extra,
  };
}
