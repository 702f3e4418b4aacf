/**
 * The random parts of one call's outcome: bytes, ports, which local reply (if any) the client
 * sidecar gives, and the app's answer. Local replies follow Envoy: fault abort (FI,
 * fault_filter_abort), retries exhausted on connect failures (URX,UF), circuit breaker overflow
 * (UO); for gRPC they are trailers-only HTTP 200 with grpc-status 14 (UNAVAILABLE).
 */
import type { Rng } from './prng';
import type { Edge } from './mesh';
import type { BytesSpec } from './scenario';
import type { SimRequest } from './sim-request';

export function sampleBytes(spec: BytesSpec, rng: Rng): number {
  return typeof spec === 'number' ? spec : rng.int(spec.min, spec.max);
}

export function ephemeralPort(rng: Rng): number {
  return rng.int(32768, 60999);
}

/** gRPC status Envoy maps an HTTP status to (grpc/doc/http-grpc-status-mapping.md). */
export function grpcStatusForHttp(code: number): number {
  if (code === 200) return 0;
  if (code === 400) return 13;
  if (code === 401) return 16;
  if (code === 403) return 7;
  if (code === 404) return 12;
  if (code === 429 || code === 502 || code === 503 || code === 504) return 14;
  return 2;
}

export type LocalReply = 'FI' | 'URX' | 'UO' | null;

export function drawLocalReply(rng: Rng, edge: Edge): LocalReply {
  const s = edge.spec;
  const r = rng.next() * 100;
  const abort = s.faults?.abort?.percent ?? 0;
  const urx = s.retries?.exhaustedPercent ?? 0;
  const uo = s.circuitBreaker?.overflowPercent ?? 0;
  if (r < abort) return 'FI';
  if (r < abort + urx) return 'URX';
  if (r < abort + urx + uo) return 'UO';
  return null;
}

/** The app's answer: an error from the scenario list, or success. */
export function drawAppResult(
  rng: Rng,
  edge: Edge,
): Pick<SimRequest, 'responseCode' | 'grpcStatus'> {
  const grpc = edge.spec.protocol === 'grpc';
  let r = rng.next() * 100;
  for (const e of edge.spec.errors) {
    r -= e.percent;
    if (r < 0) {
      const code = e.code ?? 200;
      return {
        responseCode: code,
        grpcStatus: grpc ? (e.grpcStatus ?? grpcStatusForHttp(code)) : null,
      };
    }
  }
  return { responseCode: 200, grpcStatus: grpc ? 0 : null };
}

/** Object.assign restricted to fields of the record (a typo is a compile error). */
export function assign(req: SimRequest, fields: Partial<SimRequest>): void {
  Object.assign(req, fields);
}

export function localReply(
  kind: Exclude<LocalReply, null>,
  grpc: boolean,
  abortCode: number,
): Partial<SimRequest> {
  // gRPC local replies are trailers-only: HTTP 200 with grpc-status UNAVAILABLE and no body.
  const grpcFields = grpc
    ? { responseCode: 200, grpcStatus: 14, responseBytes: 0 }
    : {};
  if (kind === 'FI')
    return {
      responseCode: abortCode,
      responseFlags: 'FI',
      responseCodeDetails: 'fault_filter_abort',
      responseBytes: 18,
      ...grpcFields,
    };
  if (kind === 'UO')
    return {
      responseCode: 503,
      responseFlags: 'UO',
      responseCodeDetails: 'upstream_reset_before_response_started{overflow}',
      responseBytes: 81,
      ...grpcFields,
    };
  return {
    responseCode: 503,
    responseFlags: 'URX,UF',
    responseCodeDetails:
      'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
    transportFailureReason: 'delayed_connect_error:_Connection_refused',
    responseBytes: 190,
    ...grpcFields,
  };
}
