/** The headline figures of a traffic selection, as stat items (pure). */
import type { StatItem } from '../../_components/StatGrid';
import { formatBytesRate, formatMs, formatPercent, formatRate } from './format';

export interface FiguresIn {
  requestsPerSecond: number;
  errorRatio: number;
  clientErrorRatio: number;
  connectionsPerSecond: number;
  bytesPerSecond: number;
  latencyMs: {
    p50: number | null;
    p90: number | null;
    p95: number | null;
    p99: number | null;
  };
  mtlsShare: number | null;
  mtlsUnknownShare: number;
}

export function detailStats(
  f: FiguresIn,
  tcp: boolean,
  thresholds = { degraded: 0.01, failure: 0.1 },
): StatItem[] {
  const mtls: StatItem = {
    label: 'mTLS',
    value: f.mtlsShare === null ? 'unknown' : formatPercent(f.mtlsShare),
    tone: f.mtlsShare !== null && f.mtlsShare < 1 ? 'warn' : undefined,
    title:
      f.mtlsShare === null
        ? 'No destination proxy reported the connection security policy'
        : `Share of traffic the destination reported as mutual TLS; ${formatPercent(f.mtlsUnknownShare)} had no report`,
  };
  if (tcp) {
    return [
      { label: 'Connections/s', value: formatRate(f.connectionsPerSecond) },
      { label: 'Throughput', value: formatBytesRate(f.bytesPerSecond) },
      mtls,
    ];
  }
  const tone =
    f.errorRatio >= thresholds.failure
      ? 'bad'
      : f.errorRatio >= thresholds.degraded
        ? 'warn'
        : undefined;
  return [
    { label: 'Requests/s', value: formatRate(f.requestsPerSecond) },
    {
      label: 'Errors',
      value: formatPercent(f.errorRatio),
      tone,
      title: '5xx and gRPC errors over requests',
    },
    { label: '4xx', value: formatPercent(f.clientErrorRatio) },
    { label: 'p50', value: formatMs(f.latencyMs.p50) },
    { label: 'p90', value: formatMs(f.latencyMs.p90) },
    { label: 'p95', value: formatMs(f.latencyMs.p95) },
    { label: 'p99', value: formatMs(f.latencyMs.p99) },
    mtls,
    { label: 'Throughput', value: formatBytesRate(f.bytesPerSecond) },
  ];
}
