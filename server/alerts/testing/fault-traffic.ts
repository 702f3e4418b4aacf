/**
 * For integration tests: edge_rollups_1m rows for one edge and minute, as the metrics collector
 * writes them for Bookinfo's reviews-v2 -> ratings with the demo's fault injection on or off
 * (collectors/demo/scenarios/bookinfo.json: ratings aborts a share of calls with 503 / FI).
 * An aborted call is a local reply of the client sidecar: reported by the source only, with
 * no destination workload; a call that reaches ratings is reported by both sidecars.
 */
import type { Db } from '~/server/db/client';

export interface MinuteTraffic {
  minuteMs: number;
  requests: number;
  /** Share of requests aborted with 503 + FI (0 when the fault is off). */
  faultShare: number;
  source?: { namespace: string; workload: string; service: string };
  destination?: { namespace: string; service: string; workload: string };
}

const minuteText = (ms: number) =>
  new Date(Math.floor(ms / 60_000) * 60_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');

export function faultRollupRows(t: MinuteTraffic): Record<string, unknown>[] {
  const src = t.source ?? {
    namespace: 'bookinfo',
    workload: 'reviews-v2',
    service: 'reviews',
  };
  const dst = t.destination ?? {
    namespace: 'bookinfo',
    service: 'ratings',
    workload: 'ratings-v1',
  };
  const aborted = Math.round(t.requests * t.faultShare);
  const served = t.requests - aborted;
  const row = (
    reporter: string,
    code: number,
    flags: string,
    n: number,
    workload: string,
    mtls: string,
  ) => ({
    Minute: minuteText(t.minuteMs),
    Signal: 'metrics',
    Reporter: reporter,
    SourceCluster: 'cluster-1',
    SourceNamespace: src.namespace,
    SourceWorkload: src.workload,
    SourceService: src.service,
    SourceVersion: 'v2',
    SourcePrincipal: '',
    DestinationCluster: 'cluster-1',
    DestinationNamespace: dst.namespace,
    DestinationWorkload: workload,
    DestinationService: dst.service,
    DestinationVersion: workload === 'unknown' ? 'unknown' : 'v1',
    DestinationPrincipal: '',
    Protocol: 'http',
    Mtls: mtls,
    ResponseCode: code,
    GrpcStatus: '',
    ResponseFlags: flags,
    Requests: n,
    Connections: 0,
    BytesSent: n * 100,
    BytesReceived: n * 50,
    DurationSumMs: n * 5,
    DurationBuckets: { '5000': n },
    SampledRequests: n,
  });
  const rows = [
    row('source', 200, '', served, dst.workload, 'unknown'),
    row('destination', 200, '', served, dst.workload, 'yes'),
  ];
  if (aborted > 0)
    rows.push(row('source', 503, 'FI', aborted, 'unknown', 'unknown'));
  return rows.filter((r) => r.Requests > 0);
}

export async function insertFaultTraffic(
  db: Db,
  minutes: readonly MinuteTraffic[],
): Promise<void> {
  await db.client.insert({
    table: `${db.database}.edge_rollups_1m`,
    values: minutes.flatMap(faultRollupRows),
    format: 'JSONEachRow',
  });
}
