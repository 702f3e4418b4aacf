/**
 * Data and queries for the Kiali-style graph question of bench/metrics.ts: requests, errors and
 * p95 per source -> destination edge over the last hour, for `services` services.
 * One remote_write body per minute (all series at one timestamp, in time order), so the very same
 * bodies load Prometheus (its remote-write receiver) and Meshlens.
 */
import {
  encodeWriteRequest,
  type RwSeries,
} from '~/test/fixtures/metrics/remote-write';
import { ENVOY_BUCKETS } from '~/test/fixtures/metrics/sidecar-sim';

export interface GraphEdge {
  labels: Record<string, string>;
  ratePerMin: number;
  errorShare: number;
}

/** Each service calls `fanOut` others; a tenth of the edges fail 5 % of requests. */
export function graphEdges(services: number, fanOut = 3): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (let s = 0; s < services; s++) {
    for (let k = 1; k <= fanOut; k++) {
      const d = (s * 7 + k * 13) % services;
      if (d === s) continue;
      edges.push({
        labels: {
          reporter: 'destination',
          request_protocol: 'http',
          connection_security_policy: 'mutual_tls',
          response_flags: '-',
          source_workload: `svc-${s}-v1`,
          source_workload_namespace: `ns-${s % 10}`,
          source_canonical_service: `svc-${s}`,
          destination_workload: `svc-${d}-v1`,
          destination_workload_namespace: `ns-${d % 10}`,
          destination_canonical_service: `svc-${d}`,
          destination_service_namespace: `ns-${d % 10}`,
          job: 'bench',
          instance: `10.0.${Math.floor(d / 250)}.${d % 250}:15020`,
        },
        ratePerMin: 60 + ((s * 31 + k * 17) % 240),
        errorShare: (s + k) % 10 === 0 ? 0.05 : 0,
      });
    }
  }
  return edges;
}

interface SeriesState {
  labels: Record<string, string>;
  requests: number;
  buckets: number[];
  sum: number;
}

/**
 * `minutes` rounds of remote_write bodies, minute i at `startMs + i * 60s`, each round split into
 * `shards` bodies by series, as Prometheus shards its queue (a series always goes to one shard).
 */
export function graphBodies(
  edges: GraphEdge[],
  startMs: number,
  minutes: number,
  shards = 8,
): { bodies: Buffer[][]; samples: number } {
  const states: SeriesState[] = [];
  const perCode = new Map<GraphEdge, SeriesState[]>();
  for (const e of edges) {
    const list = [
      {
        labels: { ...e.labels, response_code: '200' },
        requests: 0,
        buckets: new Array<number>(ENVOY_BUCKETS.length + 1).fill(0),
        sum: 0,
      },
    ];
    if (e.errorShare > 0)
      list.push({
        labels: { ...e.labels, response_code: '503' },
        requests: 0,
        buckets: new Array<number>(ENVOY_BUCKETS.length + 1).fill(0),
        sum: 0,
      });
    perCode.set(e, list);
    states.push(...list);
  }
  const bodies: Buffer[][] = Array.from({ length: shards }, () => []);
  let samples = 0;
  for (let m = 0; m < minutes; m++) {
    for (const [e, list] of perCode) {
      const errors = Math.round(e.ratePerMin * e.errorShare);
      const counts = [e.ratePerMin - errors, errors];
      list.forEach((st, c) => {
        for (let r = 0; r < counts[c]!; r++) {
          const ms = 2 + ((r * 37 + m * 11) % (c === 1 ? 3000 : 400));
          const b = ENVOY_BUCKETS.findIndex((le) => ms <= le);
          st.buckets[b < 0 ? ENVOY_BUCKETS.length : b]!++;
          st.requests++;
          st.sum += ms;
        }
      });
    }
    const timestamp = startMs + m * 60_000;
    const series: RwSeries[][] = Array.from({ length: shards }, () => []);
    for (const [index, st] of states.entries()) {
      const one = (
        name: string,
        extra: Record<string, string>,
        value: number,
      ) =>
        series[index % shards]!.push({
          labels: { __name__: name, ...st.labels, ...extra },
          samples: [{ value, timestamp }],
        });
      one('istio_requests_total', {}, st.requests);
      let cumulative = 0;
      ENVOY_BUCKETS.forEach((le, k) => {
        cumulative += st.buckets[k]!;
        one(
          'istio_request_duration_milliseconds_bucket',
          { le: String(le) },
          cumulative,
        );
      });
      one(
        'istio_request_duration_milliseconds_bucket',
        { le: '+Inf' },
        st.requests,
      );
      one('istio_request_duration_milliseconds_sum', {}, st.sum);
      one('istio_request_duration_milliseconds_count', {}, st.requests);
    }
    series.forEach((shard, k) => {
      samples += shard.length;
      bodies[k]!.push(encodeWriteRequest(shard));
    });
  }
  return { bodies, samples };
}

/** Meshlens' topology question over edge_rollups_1m: one query, buckets merged by sumMap. */
export const MESHLENS_GRAPH_SQL = `
SELECT SourceNamespace, SourceWorkload, DestinationNamespace, DestinationService,
       sum(Requests) AS requests, sumIf(Requests, ResponseCode >= 500) AS errors,
       sumMap(DurationBuckets) AS buckets
FROM {db:Identifier}.edge_rollups_1m
WHERE Minute >= toStartOfMinute(now() - INTERVAL 1 HOUR) AND Signal = 'metrics' AND Reporter = 'destination'
GROUP BY SourceNamespace, SourceWorkload, DestinationNamespace, DestinationService
SETTINGS use_query_condition_cache = 0`;

/** The same question in PromQL, as Kiali asks it (three instant queries). */
const by =
  'source_workload_namespace, source_workload, destination_service_namespace, destination_canonical_service';
export const PROMQL_GRAPH = [
  `sum by (${by}) (increase(istio_requests_total{reporter="destination"}[1h]))`,
  `sum by (${by}) (increase(istio_requests_total{reporter="destination",response_code=~"5.."}[1h]))`,
  `histogram_quantile(0.95, sum by (le, ${by}) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[1h])))`,
];

/** histogram_quantile over non-cumulative buckets keyed by µs bound (+Inf = UInt64 max). */
export function quantileMs(q: number, buckets: Record<string, number>): number {
  const sorted = Object.entries(buckets)
    .map(
      ([k, v]) =>
        [
          k === '18446744073709551615' ? Infinity : Number(k) / 1000,
          v,
        ] as const,
    )
    .sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((a, [, v]) => a + v, 0);
  if (total <= 0) return NaN;
  const rank = q * total;
  let cumulative = 0;
  let lower = 0;
  for (const [upper, count] of sorted) {
    if (cumulative + count >= rank) {
      if (upper === Infinity) return lower;
      return lower + ((upper - lower) * (rank - cumulative)) / count;
    }
    cumulative += count;
    lower = upper;
  }
  return lower;
}
