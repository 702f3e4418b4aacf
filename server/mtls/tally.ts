/**
 * mTLS arithmetic, pure: traffic split by what its destination reported (mutual TLS, plaintext)
 * and by what no destination reported (unknown, never counted as either), for requests,
 * connections and bytes; and the figures a view shows (shares 0..1, null when nothing is known).
 */
import type { MtlsState } from '../topology/types';

/** Requests (HTTP/gRPC), connections (TCP) and bytes (both directions) of one class. */
export interface Volume {
  requests: number;
  connections: number;
  bytes: number;
}

/**
 * Traffic of a group: `total` is the traffic counted once (as every other view counts it);
 * `mtls` / `plaintext` what the destination proxy reported with a policy; `reportedOnly` the
 * part of that reported traffic no counted row holds (a sidecar-less caller seen only on
 * inbound access-log lines: reported-only.ts), so it never stands in for another row's unknown.
 */
export interface Tally {
  total: Volume;
  mtls: Volume;
  plaintext: Volume;
  reportedOnly: Volume;
}

export const zeroVolume = (): Volume => ({
  requests: 0,
  connections: 0,
  bytes: 0,
});

export const emptyTally = (): Tally => ({
  total: zeroVolume(),
  mtls: zeroVolume(),
  plaintext: zeroVolume(),
  reportedOnly: zeroVolume(),
});

const MEASURES = ['requests', 'connections', 'bytes'] as const;

/** a += b (MUTATES a), returned. */
export function addVolume(a: Volume, b: Volume, sign = 1): Volume {
  for (const k of MEASURES) a[k] += sign * b[k];
  return a;
}

/** a += b (MUTATES a), returned. */
export function addTally(a: Tally, b: Tally): Tally {
  addVolume(a.total, b.total);
  addVolume(a.mtls, b.mtls);
  addVolume(a.plaintext, b.plaintext);
  addVolume(a.reportedOnly, b.reportedOnly);
  return a;
}

/** A deep copy. */
export const copyTally = (t: Tally): Tally => addTally(emptyTally(), t);

/** Shares and volumes a view shows for one group. */
export interface Coverage {
  /** mTLS share of HTTP/gRPC requests with a known policy, 0..1; null when none is known. */
  requestShare: number | null;
  /** The same for TCP connections. */
  connectionShare: number | null;
  /** mTLS share of the bytes (both directions) of traffic with a known policy. */
  byteShare: number | null;
  /** Share of requests + connections no destination reported a policy for, 0..1. */
  unknownShare: number;
  requests: { mtls: number; plaintext: number; unknown: number };
  connections: { mtls: number; plaintext: number; unknown: number };
  bytes: { mtls: number; plaintext: number; unknown: number };
  /** Lock state over requests + connections: full (>= 99.95 %), none (<= 0.05 %), partial, unknown. */
  state: MtlsState;
}

const share = (yes: number, no: number): number | null =>
  yes + no > 0 ? yes / (yes + no) : null;

function split(t: Tally, k: (typeof MEASURES)[number]) {
  const mtls = t.mtls[k];
  const plaintext = t.plaintext[k];
  return {
    mtls,
    plaintext,
    unknown: Math.max(0, t.total[k] + t.reportedOnly[k] - mtls - plaintext),
  };
}

/** The lock state of a share (same thresholds as the topology's locks). */
export function stateOf(s: number | null): MtlsState {
  if (s === null) return 'unknown';
  return s >= 0.9995 ? 'full' : s <= 0.0005 ? 'none' : 'partial';
}

/**
 * Figures of a tally. Unknown is what was counted but not reported with a policy; traffic a
 * destination reported that is not counted (a sidecar-less caller seen only in inbound access
 * logs, `reportedOnly`) still adds to the shares and leaves the unknown of the rest alone; unknown
 * never goes below 0.
 */
export function coverageOf(t: Tally): Coverage {
  const requests = split(t, 'requests');
  const connections = split(t, 'connections');
  const bytes = split(t, 'bytes');
  const known =
    requests.mtls +
    requests.plaintext +
    connections.mtls +
    connections.plaintext;
  const unknown = requests.unknown + connections.unknown;
  const all = known + unknown;
  return {
    requestShare: share(requests.mtls, requests.plaintext),
    connectionShare: share(connections.mtls, connections.plaintext),
    byteShare: share(bytes.mtls, bytes.plaintext),
    unknownShare: all > 0 ? unknown / all : 0,
    requests,
    connections,
    bytes,
    state: stateOf(
      share(
        requests.mtls + connections.mtls,
        requests.plaintext + connections.plaintext,
      ),
    ),
  };
}

/** mTLS share of requests + connections with a known policy (what alert rules compare). */
export function trafficShare(t: Tally): number | null {
  return share(
    t.mtls.requests + t.mtls.connections,
    t.plaintext.requests + t.plaintext.connections,
  );
}

/** Plaintext requests + connections. */
export const plaintextCount = (t: Tally): number =>
  t.plaintext.requests + t.plaintext.connections;
