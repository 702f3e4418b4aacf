/**
 * Cumulative Istio metrics per simulated proxy, rendered as Envoy's `/stats/prometheus` text
 * (exposition 0.0.4: `# TYPE` lines, no `# HELP`, integer bucket bounds without ".0").
 * Counters only grow, from the simulator's start (backfilled traffic included).
 *
 * A hop increments reporter="source" series on the source proxy (sidecar or gateway) and, when
 * the destination sidecar served it, reporter="destination" series on the destination pod.
 * Histograms use Envoy's default buckets (istio-metrics.md section 5); request and response
 * size histograms record body bytes (the same numbers as the access logs and spans).
 * A few Envoy cluster stats (retries, retry limit, pending overflow, connect failures) are kept
 * per outbound cluster, as with a proxyStatsMatcher that includes them.
 */
import { outboundCluster } from './istio-names';
import { istioLabels, labelText, type Labels } from './istio-labels';
import type { Pod } from './mesh';
import type { SimRequest } from './sim-request';

/** Envoy's default histogram bucket upper bounds. */
export const ISTIO_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
] as const;

interface Histogram {
  labels: string;
  /** Non-cumulative counts per bucket, plus one for +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

class PodMetrics {
  readonly counters = new Map<string, Map<string, number>>();
  readonly histograms = new Map<string, Map<string, Histogram>>();

  add(family: string, labels: string, by: number): void {
    let series = this.counters.get(family);
    if (!series)
      this.counters.set(family, (series = new Map<string, number>()));
    series.set(labels, (series.get(labels) ?? 0) + by);
  }

  observe(family: string, labels: string, value: number): void {
    let series = this.histograms.get(family);
    if (!series)
      this.histograms.set(family, (series = new Map<string, Histogram>()));
    let h = series.get(labels);
    if (!h)
      series.set(
        labels,
        (h = {
          labels,
          counts: new Array<number>(ISTIO_BUCKETS.length + 1).fill(0),
          sum: 0,
          count: 0,
        }),
      );
    let i = ISTIO_BUCKETS.findIndex((le) => value <= le);
    if (i < 0) i = ISTIO_BUCKETS.length;
    h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += value;
    h.count++;
  }
}

function withLabel(labels: string, name: string, value: string): string {
  return labels
    ? `${labels.slice(0, -1)},${name}="${value}"}`
    : `{${name}="${value}"}`;
}

export class MetricsRegistry {
  private readonly pods = new Map<string, PodMetrics>();

  constructor(private readonly istioVersion: string) {}

  /** Counts finished hops. */
  observe(reqs: readonly SimRequest[]): void {
    for (const r of reqs) {
      if (r.sourcePod.proxied)
        this.record(r.sourcePod, r, istioLabels(r, 'source'), r.durationMs);
      if (r.server && r.destPod?.proxied)
        this.record(
          r.destPod,
          r,
          istioLabels(r, 'destination'),
          r.server.durationMs,
        );
      if (r.sourcePod.proxied && r.protocol !== 'tcp') this.clusterStats(r);
    }
  }

  /** The exposition text of one pod (only `istio_build` until it has traffic). */
  render(pod: Pod): string {
    const m = this.pods.get(pod.name);
    const families: { name: string; text: string[] }[] = [];
    families.push({
      name: 'istio_build',
      text: [
        '# TYPE istio_build gauge',
        `istio_build{component="proxy",tag="${this.istioVersion}"} 1`,
      ],
    });
    for (const [family, series] of m?.counters ?? []) {
      const text = [`# TYPE ${family} counter`];
      for (const [labels, value] of series)
        text.push(`${family}${labels} ${value}`);
      families.push({ name: family, text });
    }
    for (const [family, series] of m?.histograms ?? []) {
      const text = [`# TYPE ${family} histogram`];
      for (const h of series.values()) {
        let cumulative = 0;
        ISTIO_BUCKETS.forEach((le, i) => {
          cumulative += h.counts[i] ?? 0;
          text.push(
            `${family}_bucket${withLabel(h.labels, 'le', String(le))} ${cumulative}`,
          );
        });
        text.push(
          `${family}_bucket${withLabel(h.labels, 'le', '+Inf')} ${h.count}`,
        );
        text.push(`${family}_sum${h.labels} ${h.sum}`);
        text.push(`${family}_count${h.labels} ${h.count}`);
      }
      families.push({ name: family, text });
    }
    families.sort((a, b) => a.name.localeCompare(b.name));
    return families.map((f) => f.text.join('\n')).join('\n') + '\n';
  }

  private podMetrics(pod: Pod): PodMetrics {
    let m = this.pods.get(pod.name);
    if (!m) this.pods.set(pod.name, (m = new PodMetrics()));
    return m;
  }

  private record(
    pod: Pod,
    r: SimRequest,
    labels: Labels,
    durationMs: number,
  ): void {
    const m = this.podMetrics(pod);
    const text = labelText(labels);
    if (r.protocol === 'tcp') {
      m.add('istio_tcp_connections_opened_total', text, 1);
      m.add('istio_tcp_connections_closed_total', text, 1);
      m.add('istio_tcp_received_bytes_total', text, r.requestBytes);
      m.add('istio_tcp_sent_bytes_total', text, r.responseBytes);
      return;
    }
    m.add('istio_requests_total', text, 1);
    m.observe('istio_request_duration_milliseconds', text, durationMs);
    m.observe('istio_request_bytes', text, r.requestBytes);
    m.observe('istio_response_bytes', text, r.responseBytes);
  }

  private clusterStats(r: SimRequest): void {
    const m = this.podMetrics(r.sourcePod);
    const cluster = labelText([
      ['cluster_name', outboundCluster(r.service.port, r.service.host)],
    ]);
    const flags = r.responseFlags.split(',');
    m.add('envoy_cluster_upstream_rq_retry', cluster, r.retries);
    m.add(
      'envoy_cluster_upstream_rq_retry_limit_exceeded',
      cluster,
      flags.includes('URX') ? 1 : 0,
    );
    m.add(
      'envoy_cluster_upstream_rq_pending_overflow',
      cluster,
      flags.includes('UO') ? 1 : 0,
    );
    m.add(
      'envoy_cluster_upstream_cx_connect_fail',
      cluster,
      flags.includes('UF') ? r.retries + 1 : 0,
    );
  }
}
