/**
 * Envoy's inbound access-log line does not name its caller (Istio's formats log no peer
 * workload), so from access logs alone a destination's mTLS evidence cannot be put on the edge
 * of the workload that sent it. But the inbound line's %DOWNSTREAM_REMOTE_ADDRESS% is the
 * client's pod address, which the caller's own outbound line logs as %UPSTREAM_LOCAL_ADDRESS%:
 * every address that only one proxied workload used names the caller of the inbound lines from
 * it. A caller without a sidecar writes no outbound line, so its lines stay unattributed.
 */
import type { Db } from '../db/client';
import { queryRows } from '../queries/clickhouse';
import { num, selectedRollups } from '../queries/edge-selection';
import { windowParams, type ResolvedWindow } from '../queries/traffic-filter';
import type { Volume } from './tally';
import { volumeOf } from './policy-rows';

/** Inbound traffic with an mTLS verdict whose caller was found by its address. */
export interface AttributedRow {
  sourceNamespace: string;
  sourceWorkload: string;
  sourceService: string;
  destinationNamespace: string;
  destinationService: string;
  destinationWorkload: string;
  destinationCluster: string;
  protocol: string;
  mtls: Volume;
  plaintext: Volume;
  plaintextFirstMs: number | null;
  plaintextLastMs: number | null;
}

interface StoredRow {
  sns: string;
  sw: string;
  ssvc: string;
  dns: string;
  dsvc: string;
  dw: string;
  dcl: string;
  proto: string;
  yes_rq: number;
  yes_cx: number;
  yes_b: number;
  no_rq: number;
  no_cx: number;
  no_b: number;
  first_plain: number;
  last_plain: number;
}

/** `10.0.0.7:43210` / `[fd00::7]:43210` -> the host part (the pod address). */
const HOST_SQL = (col: string) =>
  `replaceRegexpOne(replaceRegexpOne(${col}, ':\\\\d+$', ''), '^\\\\[(.*)\\\\]$', '\\\\1')`;

/** Callers by address (addresses only one proxied workload used in the window). */
const CALLERS = `callers AS (
  SELECT ${HOST_SQL("Extra['upstream_local_address']")} AS ip,
         any(SourceNamespace) AS c_ns, any(SourceWorkload) AS c_wl, any(SourceService) AS c_svc
    FROM {db:Identifier}.mesh_requests
   WHERE Timestamp >= {from:DateTime} AND Timestamp < {to:DateTime}
     AND Reporter IN ('outbound', 'gateway')
     AND SourceWorkload NOT IN ('', 'unknown')
     AND Extra['upstream_local_address'] != ''
   GROUP BY ip
  HAVING uniqExact(SourceNamespace, SourceWorkload) = 1
)`;

/** Every inbound line of the window with its client address (`extra`: more conditions). */
const INBOUND = (extra: string) => `inbound AS (
  SELECT ${HOST_SQL('SourceAddress')} AS ip, Timestamp, Kind, Mtls,
         BytesSent + BytesReceived AS b,
         if(DestinationNamespace = 'unknown', '', DestinationNamespace) AS dns,
         multiIf(DestinationService = 'unknown', '',
                 dns != '' AND endsWith(DestinationService, concat('.', dns)),
                 substring(DestinationService, 1, length(DestinationService) - length(dns) - 1),
                 DestinationService) AS dsvc,
         if(DestinationWorkload = 'unknown', '', DestinationWorkload) AS dw,
         if(DestinationCluster = 'unknown', '', DestinationCluster) AS dcl,
         Protocol AS proto
    FROM {db:Identifier}.mesh_requests
   WHERE Timestamp >= {from:DateTime} AND Timestamp < {to:DateTime}
     AND Reporter = 'inbound' AND SourceAddress != ''${extra}
)`;

/**
 * The rollup bucket a line falls in, as selectedRollups() reads the window (rollup-levels.ts):
 * hours, ten minutes or minutes.
 */
const BUCKET_SQL = `toDateTime(multiIf(
    Timestamp >= {h_from:DateTime} AND Timestamp < {h_to:DateTime}, toStartOfHour(Timestamp, 'UTC'),
    (Timestamp >= {m10a_from:DateTime} AND Timestamp < {m10a_to:DateTime})
      OR (Timestamp >= {m10b_from:DateTime} AND Timestamp < {m10b_to:DateTime}),
    toStartOfTenMinutes(Timestamp, 'UTC'),
    toStartOfMinute(Timestamp)))`;

/**
 * Only lines of the buckets whose unknown-caller access-log rows were chosen (the counting
 * rules pick a signal per destination and minute: metrics elsewhere, whose destination reports
 * name their callers). Evidence is moved off exactly those rows (attribute.ts), so the lines
 * read here are the ones those rows hold, and each caller gets what it sent in those buckets.
 */
const IN_CHOSEN_LOG_BUCKETS = `
     AND (${BUCKET_SQL}, dns, dsvc, dw, dcl, proto) IN (
       SELECT Minute, dns, dsvc, dw, dcl, proto FROM selected
        WHERE chosen AND Signal = 'access_log' AND Reporter = 'destination' AND sw = '')`;

const QUERY = (cte: string) => `${cte},
${CALLERS},
${INBOUND(IN_CHOSEN_LOG_BUCKETS)}
SELECT c.c_ns AS sns, c.c_wl AS sw, c.c_svc AS ssvc, i.dns AS dns, i.dsvc AS dsvc,
       i.dw AS dw, i.dcl AS dcl, i.proto AS proto,
       countIf(i.Kind != 'tcp' AND i.Mtls = 'yes') AS yes_rq,
       countIf(i.Kind = 'tcp' AND i.Mtls = 'yes') AS yes_cx,
       sumIf(i.b, i.Mtls = 'yes') AS yes_b,
       countIf(i.Kind != 'tcp' AND i.Mtls = 'no') AS no_rq,
       countIf(i.Kind = 'tcp' AND i.Mtls = 'no') AS no_cx,
       sumIf(i.b, i.Mtls = 'no') AS no_b,
       toUnixTimestamp(minIf(toStartOfMinute(i.Timestamp), i.Mtls = 'no')) AS first_plain,
       toUnixTimestamp(maxIf(toStartOfMinute(i.Timestamp), i.Mtls = 'no')) AS last_plain
  FROM inbound AS i
  INNER JOIN callers AS c ON i.ip = c.ip
 WHERE i.Mtls IN ('yes', 'no')
 GROUP BY sns, sw, ssvc, dns, dsvc, dw, dcl, proto
 LIMIT 100000`;

/** Client addresses no proxied workload used: callers without a sidecar, per destination. */
export interface UnattributedAddresses {
  destinationNamespace: string;
  destinationService: string;
  protocol: string;
  /** Up to 10 pod addresses (host part), most requests first. */
  addresses: string[];
}

const ADDRESSES_QUERY = `WITH ${CALLERS},
${INBOUND('')}
SELECT dns, dsvc, proto, topK(10)(ip) AS addresses
  FROM inbound
 WHERE ip NOT IN (SELECT ip FROM callers) AND ip != ''
 GROUP BY dns, dsvc, proto
 LIMIT 10000`;

/** Addresses of inbound access-log callers that wrote no outbound line (no sidecar). */
export async function unattributedAddresses(
  db: Db,
  w: ResolvedWindow,
): Promise<UnattributedAddresses[]> {
  const rows = await queryRows<{
    dns: string;
    dsvc: string;
    proto: string;
    addresses: string[];
  }>(db, {
    what: 'reading the addresses of sidecar-less callers from mesh_requests',
    query: ADDRESSES_QUERY,
    params: windowParams(db.database, w),
  });
  return rows.map((r) => ({
    destinationNamespace: r.dns,
    destinationService: r.dsvc,
    protocol: r.proto,
    addresses: r.addresses,
  }));
}

/**
 * Inbound access-log traffic with an mTLS verdict, per caller found by address, in the buckets
 * of the window where the access logs' unknown-caller rows were chosen. `coarse` must be what
 * policyRows() read the window with (the buckets must be the same).
 */
export async function attributedInbound(
  db: Db,
  w: ResolvedWindow,
  opts: { coarse: boolean },
): Promise<AttributedRow[]> {
  const sel = selectedRollups(db.database, w, { coarse: opts.coarse });
  const rows = await queryRows<StoredRow>(db, {
    what: 'attributing inbound access-log lines to their callers in mesh_requests',
    query: QUERY(sel.cte),
    params: { ...windowParams(db.database, w), ...sel.params },
  });
  const ms = (s: unknown) => (num(s) > 0 ? num(s) * 1000 : null);
  return rows.map((r) => ({
    sourceNamespace: r.sns,
    sourceWorkload: r.sw,
    sourceService: r.ssvc,
    destinationNamespace: r.dns,
    destinationService: r.dsvc,
    destinationWorkload: r.dw,
    destinationCluster: r.dcl,
    protocol: r.proto,
    mtls: volumeOf(r, 'yes'),
    plaintext: volumeOf(r, 'no'),
    plaintextFirstMs: ms(r.first_plain),
    plaintextLastMs: ms(r.last_plain),
  }));
}
