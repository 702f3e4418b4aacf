/**
 * Edge decorators: counted traffic -> the figures an edge shows (rates, error ratios, latency
 * percentiles from buckets, mTLS, health). Pure; one place so graph, lists and API agree.
 */
import type { TrafficMeasures } from './measures';
import { mtlsFigures } from './mtls';
import { latencyPercentiles, type LatencyPercentiles } from './percentiles';
import type { Health, HealthThresholds, MtlsState } from './types';

export interface TrafficFigures {
  requests: number;
  requestsPerSecond: number;
  /** 0..1 (0 without requests). */
  errorRatio: number;
  clientErrorRatio: number;
  connectionsPerSecond: number;
  /** Both directions (request + response, or TCP sent + received). */
  bytesPerSecond: number;
  latencyMs: LatencyPercentiles & { avg: number | null };
  mtlsShare: number | null;
  mtlsUnknownShare: number;
  mtls: MtlsState;
  sampledSpans: number;
}

/** Rates over `seconds`, ratios, percentiles and mTLS of counted traffic. */
export function trafficFigures(
  m: TrafficMeasures,
  seconds: number,
): TrafficFigures {
  const s = seconds > 0 ? seconds : 1;
  const mtls = mtlsFigures(m.mtls, m.requests + m.connections);
  return {
    requests: m.requests,
    requestsPerSecond: m.requests / s,
    errorRatio: m.requests > 0 ? m.errors / m.requests : 0,
    clientErrorRatio: m.requests > 0 ? m.clientErrors / m.requests : 0,
    connectionsPerSecond: m.connections / s,
    bytesPerSecond: (m.bytesSent + m.bytesReceived) / s,
    latencyMs: {
      ...latencyPercentiles(m.buckets),
      avg:
        m.requests > 0 && m.durationSumMs > 0
          ? m.durationSumMs / m.requests
          : null,
    },
    mtlsShare: mtls.share,
    mtlsUnknownShare: mtls.unknownShare,
    mtls: mtls.state,
    sampledSpans: m.sampledSpans,
  };
}

/** Health by error ratio (Kiali-like): failure / degraded thresholds; idle without traffic. */
export function healthOf(
  requests: number,
  connections: number,
  errorRatio: number,
  t: HealthThresholds,
): Health {
  if (requests <= 0 && connections <= 0) return 'idle';
  if (requests > 0 && errorRatio >= t.failure) return 'failure';
  if (requests > 0 && errorRatio >= t.degraded) return 'degraded';
  return 'healthy';
}
