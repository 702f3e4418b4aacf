/**
 * Summed traffic of a group of rollup rows (an edge, a service, a time bucket), counted once by
 * the rules of count-once.ts. The queries fill it; decorators turn it into rates and ratios.
 */

export interface MtlsCounts {
  /** Requests + connections the destination reported as mutual TLS / plaintext / unknown. */
  destYes: number;
  destNo: number;
  destUnknown: number;
  /** Source-side evidence (an access log's upstream peer certificate), used when no destination reported. */
  srcYes: number;
  srcNo: number;
}

export interface TrafficMeasures {
  /** HTTP/gRPC requests, each counted once. */
  requests: number;
  /** 5xx, plus gRPC status != OK. */
  errors: number;
  /** 4xx (not errors; shown separately). */
  clientErrors: number;
  /** TCP connections opened. */
  connections: number;
  bytesSent: number;
  bytesReceived: number;
  durationSumMs: number;
  /** Latency histogram: upper bound in µs -> non-cumulative count. */
  buckets: Record<string, number>;
  mtls: MtlsCounts;
  /** Spans actually seen behind span-derived requests (those requests are scaled by sampling). */
  sampledSpans: number;
}

export function emptyMeasures(): TrafficMeasures {
  return {
    requests: 0,
    errors: 0,
    clientErrors: 0,
    connections: 0,
    bytesSent: 0,
    bytesReceived: 0,
    durationSumMs: 0,
    buckets: {},
    mtls: { destYes: 0, destNo: 0, destUnknown: 0, srcYes: 0, srcNo: 0 },
    sampledSpans: 0,
  };
}

/** Adds `b` into `a` (MUTATES a) and returns it. */
export function addMeasures(
  a: TrafficMeasures,
  b: TrafficMeasures,
): TrafficMeasures {
  a.requests += b.requests;
  a.errors += b.errors;
  a.clientErrors += b.clientErrors;
  a.connections += b.connections;
  a.bytesSent += b.bytesSent;
  a.bytesReceived += b.bytesReceived;
  a.durationSumMs += b.durationSumMs;
  for (const [k, v] of Object.entries(b.buckets))
    a.buckets[k] = (a.buckets[k] ?? 0) + v;
  a.mtls.destYes += b.mtls.destYes;
  a.mtls.destNo += b.mtls.destNo;
  a.mtls.destUnknown += b.mtls.destUnknown;
  a.mtls.srcYes += b.mtls.srcYes;
  a.mtls.srcNo += b.mtls.srcNo;
  a.sampledSpans += b.sampledSpans;
  return a;
}
