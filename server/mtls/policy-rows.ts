/**
 * The one read every mTLS figure starts from: the window's rollup rows, each request counted
 * once by the shared rules (server/queries/edge-selection.ts), summed per edge as finely as the
 * views need it (caller, destination service, workload and cluster, protocol, signal):
 *   total      counted traffic (requests, connections, bytes) — the same counts as the topology;
 *   mtls/plain traffic of the signal chosen for the edge that its DESTINATION proxy reported with
 *              connection_security_policy mutual_tls / none (metrics), or the inbound access-log
 *              line's mTLS evidence (Mtls 'yes'/'no'), or a server span's tag.
 * Source-reported policies are never used: Istio's source reporter always says unknown, and the
 * simulator's truth (like Kiali) only trusts the destination.
 */
import type { Db } from '../db/client';
import { queryRows } from '../queries/clickhouse';
import { num, selectedRollups } from '../queries/edge-selection';
import {
  filterSql,
  type ResolvedWindow,
  type TrafficFilter,
} from '../queries/traffic-filter';
import { zeroVolume, type Tally } from './tally';

/** Rows of the chosen signal that carry the destination's report. */
const POLICY = `(chosen AND Reporter = 'destination')`;

/** sumIf columns for one tally, over `selected` rows (names match TallyColumns). */
export const TALLY_SQL = `
  sumIf(rq, counted) AS total_rq,
  sumIf(cx, counted) AS total_cx,
  sumIf(bs + br, counted) AS total_b,
  sumIf(rq, ${POLICY} AND mtls = 'yes') AS yes_rq,
  sumIf(cx, ${POLICY} AND mtls = 'yes') AS yes_cx,
  sumIf(bs + br, ${POLICY} AND mtls = 'yes') AS yes_b,
  sumIf(rq, ${POLICY} AND mtls = 'no') AS no_rq,
  sumIf(cx, ${POLICY} AND mtls = 'no') AS no_cx,
  sumIf(bs + br, ${POLICY} AND mtls = 'no') AS no_b`;

/** Rows that add to a tally: counted, or reported by the destination for the chosen signal. */
export const TALLY_WHERE = `(counted OR ${POLICY})`;

export interface TallyColumns {
  total_rq: number;
  total_cx: number;
  total_b: number;
  yes_rq: number;
  yes_cx: number;
  yes_b: number;
  no_rq: number;
  no_cx: number;
  no_b: number;
}

/** One prefix's sums (total/yes/no) as a volume; 64-bit sums may arrive as text. */
export function volumeOf<P extends 'total' | 'yes' | 'no'>(
  r: Pick<TallyColumns, `${P}_${'rq' | 'cx' | 'b'}`>,
  p: P,
) {
  return {
    requests: num(r[`${p}_rq`]),
    connections: num(r[`${p}_cx`]),
    bytes: num(r[`${p}_b`]),
  };
}

/** Storage columns -> Tally (64-bit sums may arrive as text). */
export function toTally(r: TallyColumns): Tally {
  return {
    total: volumeOf(r, 'total'),
    mtls: volumeOf(r, 'yes'),
    plaintext: volumeOf(r, 'no'),
    reportedOnly: zeroVolume(),
  };
}

/** Traffic of one fine-grained edge ('' = unknown in every name). */
export interface PolicyRow {
  signal: string;
  sourceNamespace: string;
  sourceWorkload: string;
  sourceService: string;
  destinationNamespace: string;
  destinationService: string;
  destinationWorkload: string;
  destinationCluster: string;
  protocol: string;
  tally: Tally;
  /** Epoch ms of the first / last minute with plaintext traffic; null without any. */
  plaintextFirstMs: number | null;
  plaintextLastMs: number | null;
}

interface StoredRow extends TallyColumns {
  signal: string;
  sns: string;
  sw: string;
  ssvc: string;
  dns: string;
  dsvc: string;
  dw: string;
  dcl: string;
  proto: string;
  first_plain: number;
  last_plain: number;
}

const msOrNull = (s: unknown) => (num(s) > 0 ? num(s) * 1000 : null);

/**
 * policyRows() reads coarse buckets where they fit; log-callers.ts must read the same buckets.
 * First/last seen are then as precise as the bucket.
 */
export const POLICY_ROWS_COARSE = true;

/** Per-edge tallies of the window (the filter narrows `selected`, never the counting). */
export async function policyRows(
  db: Db,
  w: ResolvedWindow,
  filter: TrafficFilter = {},
): Promise<PolicyRow[]> {
  const f = filterSql(filter);
  const sel = selectedRollups(db.database, w, { coarse: POLICY_ROWS_COARSE });
  const rows = await queryRows<StoredRow>(db, {
    what: 'reading mTLS policy per edge from the edge rollups',
    query: `${sel.cte}
      SELECT Signal AS signal, sns, sw, ssvc, dns, dsvc, dw, dcl, proto,
             ${TALLY_SQL},
             toUnixTimestamp(minIf(Minute, ${POLICY} AND mtls = 'no')) AS first_plain,
             toUnixTimestamp(maxIf(Minute, ${POLICY} AND mtls = 'no')) AS last_plain
        FROM selected
       WHERE ${TALLY_WHERE}${f.sql}
       GROUP BY signal, sns, sw, ssvc, dns, dsvc, dw, dcl, proto
       LIMIT 100000`,
    params: { ...sel.params, ...f.params },
  });
  return rows.map((r) => ({
    signal: r.signal,
    sourceNamespace: r.sns,
    sourceWorkload: r.sw,
    sourceService: r.ssvc,
    destinationNamespace: r.dns,
    destinationService: r.dsvc,
    destinationWorkload: r.dw,
    destinationCluster: r.dcl,
    protocol: r.proto,
    tally: toTally(r),
    plaintextFirstMs: msOrNull(r.first_plain),
    plaintextLastMs: msOrNull(r.last_plain),
  }));
}

/** One point of the trend: traffic into one destination service and protocol during one step. */
export interface TrendRow {
  /** Start of the step, epoch ms. */
  t: number;
  destinationNamespace: string;
  destinationService: string;
  protocol: string;
  tally: Tally;
}

/**
 * Tallies per step, destination service and protocol (the parts reported-only.ts works on).
 * Attributing inbound log lines to callers moves traffic between edges of one destination
 * only, so these need no attribution.
 */
export async function trendRows(
  db: Db,
  w: ResolvedWindow,
  stepSeconds: number,
  filter: TrafficFilter = {},
): Promise<TrendRow[]> {
  const f = filterSql(filter);
  const sel = selectedRollups(db.database, w, { coarse: false });
  const rows = await queryRows<
    TallyColumns & { t: number; dns: string; dsvc: string; proto: string }
  >(db, {
    what: 'reading the mTLS trend from edge_rollups_1m',
    query: `${sel.cte}
      SELECT toUnixTimestamp(toStartOfInterval(Minute, toIntervalSecond({step:UInt32}))) AS t,
             dns, dsvc, proto, ${TALLY_SQL}
        FROM selected
       WHERE ${TALLY_WHERE}${f.sql}
       GROUP BY t, dns, dsvc, proto
       ORDER BY t
       LIMIT 200000`,
    params: {
      ...sel.params,
      ...f.params,
      step: Math.max(60, Math.round(stepSeconds / 60) * 60),
    },
  });
  return rows.map((r) => ({
    t: num(r.t) * 1000,
    destinationNamespace: r.dns,
    destinationService: r.dsvc,
    protocol: r.proto,
    tally: toTally(r),
  }));
}
