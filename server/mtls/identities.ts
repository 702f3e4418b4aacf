/**
 * SPIFFE identities (spiffe://<trust domain>/ns/<ns>/sa/<service account>) as the proxies
 * reported them: Istio's source_principal / destination_principal labels, or the access log's
 * peer and local URI SANs (edge_rollups_1m SourcePrincipal / DestinationPrincipal). A principal
 * is only known on mutual-TLS traffic. Volumes come from one signal per identity pair (metrics,
 * then access logs, then spans) and one reporter (the destination, else the source), so a
 * request is not counted once per signal or per proxy.
 */
import type { Db } from '../db/client';
import { signalRank } from '../topology/count-once';
import { queryRows } from '../queries/clickhouse';
import { num } from '../queries/edge-selection';
import { windowParams, type ResolvedWindow } from '../queries/traffic-filter';

export interface IdentityRow {
  signal: string;
  reporter: string;
  sourceNamespace: string;
  sourceWorkload: string;
  sourcePrincipal: string;
  destinationNamespace: string;
  destinationWorkload: string;
  destinationPrincipal: string;
  /** Requests + connections. */
  count: number;
}

const QUERY = `
SELECT Signal AS signal, Reporter AS reporter,
       if(SourceWorkload IN ('', 'unknown'), '', SourceWorkload) AS sw,
       if(sw = '' OR SourceNamespace = 'unknown', '', SourceNamespace) AS sns,
       if(SourcePrincipal = 'unknown', '', SourcePrincipal) AS sp,
       if(DestinationWorkload = 'unknown', '', DestinationWorkload) AS dw,
       if(DestinationNamespace = 'unknown', '', DestinationNamespace) AS dns,
       if(DestinationPrincipal = 'unknown', '', DestinationPrincipal) AS dp,
       sum(Requests + Connections) AS n
  FROM {db:Identifier}.edge_rollups_1m
 WHERE Minute >= {from:DateTime} AND Minute < {to:DateTime}
   AND (sp != '' OR dp != '')
 GROUP BY signal, reporter, sw, sns, sp, dw, dns, dp
 ORDER BY n DESC
 LIMIT 20000`;

/** Rollup traffic with a principal on either side, per signal, reporter and workload pair. */
export async function identityRows(
  db: Db,
  w: ResolvedWindow,
): Promise<IdentityRow[]> {
  const rows = await queryRows<Record<string, string | number>>(db, {
    what: 'reading SPIFFE principals from edge_rollups_1m',
    query: QUERY,
    params: windowParams(db.database, w),
  });
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return rows.map((r) => ({
    signal: s(r.signal),
    reporter: s(r.reporter),
    sourceNamespace: s(r.sns),
    sourceWorkload: s(r.sw),
    sourcePrincipal: s(r.sp),
    destinationNamespace: s(r.dns),
    destinationWorkload: s(r.dw),
    destinationPrincipal: s(r.dp),
    count: num(r.n),
  }));
}

/** An identity a workload presented, and how much traffic carried it. */
export interface WorkloadIdentity {
  namespace: string;
  workload: string;
  principal: string;
  /** As caller (source principal) or as server (destination principal). */
  roles: ('source' | 'destination')[];
  count: number;
}

/** Which identity called which. */
export interface IdentityEdge {
  sourcePrincipal: string;
  destinationPrincipal: string;
  count: number;
  /** Workloads seen behind each side (`ns/workload`). */
  sourceWorkloads: string[];
  destinationWorkloads: string[];
}

export interface Identities {
  workloads: WorkloadIdentity[];
  edges: IdentityEdge[];
}

/** Keeps, per key, only the rows of its best signal, then of its best reporter. Pure. */
export function onePerKey(
  rows: readonly IdentityRow[],
  keyOf: (r: IdentityRow) => string,
): IdentityRow[] {
  const best = new Map<string, number>();
  const rank = (r: IdentityRow) =>
    signalRank(r.signal) * 2 + (r.reporter === 'destination' ? 0 : 1);
  for (const r of rows)
    best.set(keyOf(r), Math.min(best.get(keyOf(r)) ?? Infinity, rank(r)));
  return rows.filter((r) => rank(r) === best.get(keyOf(r)));
}

const label = (ns: string, wl: string) => (ns ? `${ns}/${wl}` : wl);

/** Identities per workload and identity pairs, busiest first. Pure. */
export function buildIdentities(rows: readonly IdentityRow[]): Identities {
  const workloads = new Map<string, WorkloadIdentity>();
  const sides = [
    ['source', 'sourceNamespace', 'sourceWorkload', 'sourcePrincipal'],
    [
      'destination',
      'destinationNamespace',
      'destinationWorkload',
      'destinationPrincipal',
    ],
  ] as const;
  for (const [role, nsKey, wlKey, pKey] of sides) {
    const withSide = rows.filter((r) => r[wlKey] !== '' && r[pKey] !== '');
    const keyOf = (r: IdentityRow) =>
      [
        r.sourceNamespace,
        r.sourceWorkload,
        r.sourcePrincipal,
        r.destinationNamespace,
        r.destinationWorkload,
        r.destinationPrincipal,
      ].join('\x1f');
    for (const r of onePerKey(withSide, keyOf)) {
      const k = `${r[nsKey]}\x1f${r[wlKey]}\x1f${r[pKey]}`;
      const w = workloads.get(k) ?? {
        namespace: r[nsKey],
        workload: r[wlKey],
        principal: r[pKey],
        roles: [],
        count: 0,
      };
      if (!w.roles.includes(role)) w.roles.push(role);
      w.count += r.count;
      workloads.set(k, w);
    }
  }
  const pairs = new Map<string, IdentityEdge>();
  const pairKey = (r: IdentityRow) =>
    `${r.sourcePrincipal}\x1f${r.destinationPrincipal}`;
  const chosen = onePerKey(
    rows.filter(
      (r) => r.sourcePrincipal !== '' && r.destinationPrincipal !== '',
    ),
    pairKey,
  );
  for (const r of chosen) {
    const e = pairs.get(pairKey(r)) ?? {
      sourcePrincipal: r.sourcePrincipal,
      destinationPrincipal: r.destinationPrincipal,
      count: 0,
      sourceWorkloads: [],
      destinationWorkloads: [],
    };
    e.count += r.count;
    if (r.sourceWorkload) {
      const l = label(r.sourceNamespace, r.sourceWorkload);
      if (!e.sourceWorkloads.includes(l)) e.sourceWorkloads.push(l);
    }
    if (r.destinationWorkload) {
      const l = label(r.destinationNamespace, r.destinationWorkload);
      if (!e.destinationWorkloads.includes(l)) e.destinationWorkloads.push(l);
    }
    pairs.set(pairKey(r), e);
  }
  return {
    workloads: [...workloads.values()]
      .map((w) => ({ ...w, roles: w.roles.sort() }))
      .sort((a, b) => b.count - a.count),
    edges: [...pairs.values()]
      .map((e) => ({
        ...e,
        sourceWorkloads: e.sourceWorkloads.sort(),
        destinationWorkloads: e.destinationWorkloads.sort(),
      }))
      .sort((a, b) => b.count - a.count),
  };
}
