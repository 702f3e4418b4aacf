/**
 * For integration tests only: the demo mesh's generated hops (collectors/demo, with their exact
 * truth) turned into the rows the real signals produce, without network or timers:
 *   - metrics: edge_rollups_1m rows (Signal 'metrics') from each reporting proxy's Istio labels,
 *     mapped by the metrics collector's own istioEdgeKey, as the scraper's increases would be;
 *   - access logs: mesh_requests rows from each proxy's Istio-format line, through the real
 *     access-log decoder and normalizer (the 0004 materialized view then rolls them up);
 *   - spans: a copy of the metrics rows with Signal 'spans' and every count doubled, so a query
 *     that does not respect signal precedence (or counts twice) cannot match the truth.
 * Minutes are the hops' start minutes (the truth counts hops by start time).
 */
import { accessLogEntries } from '~/collectors/demo/access-log-entries';
import { formatIstioTextLine } from '~/collectors/demo/access-log-format';
import { istioLabels, type Reporter } from '~/collectors/demo/istio-labels';
import { ISTIO_BUCKETS } from '~/collectors/demo/metrics-registry';
import type { SimRequest } from '~/collectors/demo/sim-request';
import { contextFromPod } from '~/collectors/sources/envoy-access-log/context';
import { LineDecoder } from '~/collectors/sources/envoy-access-log/decode';
import { normalizeRecord } from '~/collectors/sources/envoy-access-log/normalize';
import type { MeshRequestRow } from '~/collectors/sources/envoy-access-log/row';
import { istioEdgeKey } from '~/collectors/sources/prometheus-shared/istio-edge';
import { INF_BUCKET_KEY } from '~/server/topology/percentiles';

export interface RollupInsertRow extends Record<string, unknown> {
  Minute: string;
  Signal: string;
  Requests: number;
  Connections: number;
  BytesSent: number;
  BytesReceived: number;
  DurationSumMs: number;
  DurationBuckets: Record<string, number>;
  SampledRequests: number;
}

export function minuteText(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
}

function bucketKey(durationMs: number): string {
  const le = ISTIO_BUCKETS.find((b) => durationMs <= b);
  return le === undefined ? INF_BUCKET_KEY : String(Math.round(le * 1000));
}

/** Metrics rollup rows, one per (minute, reporter's edge key), like the scraper's increases. */
export function metricsRollupRows(
  reqs: readonly SimRequest[],
): RollupInsertRow[] {
  const rows = new Map<string, RollupInsertRow>();
  const observe = (r: SimRequest, reporter: Reporter, durationMs: number) => {
    const labels = Object.fromEntries(istioLabels(r, reporter));
    const key = istioEdgeKey(labels);
    if (!key) return;
    const minute = minuteText(r.startMs);
    const id = `${minute}|${JSON.stringify(key)}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        Minute: minute,
        Signal: 'metrics',
        ...key,
        Requests: 0,
        Connections: 0,
        BytesSent: 0,
        BytesReceived: 0,
        DurationSumMs: 0,
        DurationBuckets: {},
        SampledRequests: 0,
      };
      rows.set(id, row);
    }
    if (r.protocol === 'tcp') {
      row.Connections += 1;
      row.BytesReceived += r.requestBytes;
      row.BytesSent += r.responseBytes;
      return;
    }
    row.Requests += 1;
    row.SampledRequests += 1;
    row.DurationSumMs += durationMs;
    row.BytesReceived += r.requestBytes;
    row.BytesSent += r.responseBytes;
    const b = bucketKey(durationMs);
    row.DurationBuckets[b] = (row.DurationBuckets[b] ?? 0) + 1;
  };
  for (const r of reqs) {
    if (r.sourcePod.proxied) observe(r, 'source', r.durationMs);
    if (r.server && r.destPod?.proxied)
      observe(r, 'destination', r.server.durationMs);
  }
  return [...rows.values()];
}

/** The same rows as another signal with every count doubled (a wrong answer if ever used). */
export function doubledAs(
  signal: string,
  rows: readonly RollupInsertRow[],
): RollupInsertRow[] {
  return rows.map((r) => ({
    ...r,
    Signal: signal,
    Requests: r.Requests * 2,
    Connections: r.Connections * 2,
    SampledRequests: r.SampledRequests * 2,
    DurationBuckets: Object.fromEntries(
      Object.entries(r.DurationBuckets).map(([k, v]) => [k, v * 2]),
    ),
  }));
}

/** mesh_requests rows from every proxy's access-log line, via the real decoder and normalizer. */
export function accessLogRows(reqs: readonly SimRequest[]): MeshRequestRow[] {
  const decoder = new LineDecoder();
  const out: MeshRequestRow[] = [];
  for (const r of reqs) {
    for (const e of accessLogEntries(r)) {
      const line = formatIstioTextLine(e.entry);
      const rec = decoder.decode(line);
      if (!rec)
        throw new Error(
          `the access-log decoder refused a demo line: ${decoder.explain(line)}`,
        );
      out.push(
        normalizeRecord(
          rec,
          'file',
          contextFromPod(e.pod.name, e.pod.namespace, 'istio-proxy'),
        ),
      );
    }
  }
  return out;
}
