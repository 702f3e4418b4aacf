/**
 * Ledger cells (per minute and key, one column entry per hop) and the accumulator that turns
 * any selection of hops into exact GroupTruth figures.
 */
import type {
  CellKey,
  GroupTruth,
  MtlsTruth,
  Percentiles,
} from './truth-types';

/** Bits of a cell's `f` column. */
export const F_SAMPLED = 1;
export const F_ROOT = 2;
export const F_SOURCE = 4;
export const F_DESTINATION = 8;
export const F_ERROR = 16;

/** Hops of one minute with one key, stored column-wise (whole numbers only). */
export interface Cell {
  key: CellKey;
  /** Distinct outcomes `"<code>|<grpcStatus or empty>|<flags>"`, indexed by column `o`. */
  outcomes: string[];
  /** Start, ms after the minute. */
  t: number[];
  /** Counted duration, ms. */
  d: number[];
  /** Destination-reported duration, ms; -1 when the destination did not report. */
  sd: number[];
  /** Request bytes (TCP: received by the server). */
  rb: number[];
  /** Response bytes (TCP: sent by the server). */
  sb: number[];
  o: number[];
  f: number[];
}

/** Nearest-rank percentile of an ascending array: the value at rank ceil(q * n). */
export function nearestRank(sorted: readonly number[], q: number): number {
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(q * sorted.length) - 1),
  );
  return sorted[i] ?? 0;
}

/** Exact percentiles of whole-ms durations; null for none. Does not modify `values`. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const arr = Array.from(sorted);
  let sum = 0;
  for (const v of arr) sum += v;
  return {
    count: arr.length,
    min: arr[0] ?? 0,
    max: arr[arr.length - 1] ?? 0,
    mean: sum / arr.length,
    p50: nearestRank(arr, 0.5),
    p90: nearestRank(arr, 0.9),
    p95: nearestRank(arr, 0.95),
    p99: nearestRank(arr, 0.99),
  };
}

function share(yes: number, no: number): number | null {
  return yes + no === 0 ? null : (yes / (yes + no)) * 100;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
}

export class GroupAccumulator {
  private requests = 0;
  private errors = 0;
  private durations: number[] = [];
  private destDurations: number[] = [];
  private requestBytes = 0;
  private responseBytes = 0;
  private sourceReported = 0;
  private destinationReported = 0;
  private codes = new Map<string, number>();
  private grpc = new Map<string, number>();
  private flags = new Map<string, number>();
  private tcpConnections = 0;
  private tcpReceived = 0;
  private tcpSent = 0;
  private tcpDurations: number[] = [];
  private sampled = 0;
  private readonly m = {
    mutual_tls: { requests: 0, connections: 0, bytes: 0 },
    none: { requests: 0, connections: 0, bytes: 0 },
    unknown: { requests: 0, connections: 0, bytes: 0 },
  };

  /** Adds hop `i` of `cell`. */
  add(cell: Cell, i: number): void {
    const f = cell.f[i] ?? 0;
    const rb = cell.rb[i] ?? 0;
    const sb = cell.sb[i] ?? 0;
    const d = cell.d[i] ?? 0;
    const sd = cell.sd[i] ?? -1;
    const [code = '0', grpcStatus = '', flags = '-'] = (
      cell.outcomes[cell.o[i] ?? 0] ?? ''
    ).split('|');
    const mtls = this.m[cell.key.mtls];
    if (f & F_SOURCE) this.sourceReported++;
    if (f & F_DESTINATION) this.destinationReported++;
    if (flags !== '-') bump(this.flags, flags);
    mtls.bytes += rb + sb;
    if (cell.key.protocol === 'tcp') {
      this.tcpConnections++;
      this.tcpReceived += rb;
      this.tcpSent += sb;
      this.tcpDurations.push(d);
      mtls.connections++;
      return;
    }
    this.requests++;
    mtls.requests++;
    if (f & F_ERROR) this.errors++;
    if (f & F_SAMPLED) this.sampled++;
    this.durations.push(d);
    if (sd >= 0) this.destDurations.push(sd);
    this.requestBytes += rb;
    this.responseBytes += sb;
    bump(this.codes, code);
    if (grpcStatus !== '') bump(this.grpc, grpcStatus);
  }

  finish(windowSeconds: number): GroupTruth {
    const { mutual_tls: yes, none: no, unknown } = this.m;
    const mtls: MtlsTruth = {
      mutualTlsRequests: yes.requests,
      plaintextRequests: no.requests,
      unknownRequests: unknown.requests,
      requestSharePercent: share(yes.requests, no.requests),
      mutualTlsConnections: yes.connections,
      plaintextConnections: no.connections,
      unknownConnections: unknown.connections,
      connectionSharePercent: share(yes.connections, no.connections),
      mutualTlsBytes: yes.bytes,
      plaintextBytes: no.bytes,
      unknownBytes: unknown.bytes,
      byteSharePercent: share(yes.bytes, no.bytes),
    };
    const perSec = (n: number) => (windowSeconds > 0 ? n / windowSeconds : 0);
    return {
      requests: this.requests,
      requestsPerSec: perSec(this.requests),
      errors: this.errors,
      errorPercent: this.requests ? (this.errors / this.requests) * 100 : null,
      latencyMs: percentiles(this.durations),
      destinationLatencyMs: percentiles(this.destDurations),
      requestBytes: this.requestBytes,
      responseBytes: this.responseBytes,
      sourceReported: this.sourceReported,
      destinationReported: this.destinationReported,
      responseCodes: sortedRecord(this.codes),
      grpcStatuses: sortedRecord(this.grpc),
      responseFlags: sortedRecord(this.flags),
      tcp: {
        connections: this.tcpConnections,
        connectionsPerSec: perSec(this.tcpConnections),
        receivedBytes: this.tcpReceived,
        sentBytes: this.tcpSent,
        durationMs: percentiles(this.tcpDurations),
      },
      mtls,
      sampledRequests: this.sampled,
    };
  }
}
