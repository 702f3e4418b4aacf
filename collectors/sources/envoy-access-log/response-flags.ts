/**
 * Envoy response flags: short name -> long name and meaning, for the parser and the UI.
 * Dependency-free on purpose: the UI imports this file. Source: envoyproxy/envoy
 * source/common/stream_info/utility.h and docs/.../access_log/usage.rst (see
 * shared/reference/envoy-access-logs.md section 5).
 */

export interface ResponseFlagInfo {
  /** Envoy's PascalCase name, as %RESPONSE_FLAGS_LONG% prints it. */
  long: string;
  /** 'http' flags only apply to HTTP; 'any' to HTTP and TCP. */
  scope: 'http' | 'any';
  /** What happened, for a tooltip. */
  meaning: string;
}

export const RESPONSE_FLAGS: Readonly<Record<string, ResponseFlagInfo>> = {
  UH: {
    long: 'NoHealthyUpstream',
    scope: 'any',
    meaning:
      'No healthy host in the upstream cluster (503); also when every host is outlier-ejected.',
  },
  UF: {
    long: 'UpstreamConnectionFailure',
    scope: 'any',
    meaning:
      'Could not connect to the upstream (503); often with URX after retries.',
  },
  UO: {
    long: 'UpstreamOverflow',
    scope: 'any',
    meaning:
      'Circuit breaker overflow: connection pool, pending or request limits (503).',
  },
  NR: {
    long: 'NoRouteFound',
    scope: 'any',
    meaning:
      'No route for the request (404), or no filter chain matched the connection.',
  },
  URX: {
    long: 'UpstreamRetryLimitExceeded',
    scope: 'any',
    meaning: 'Retry limit (HTTP) or max connect attempts (TCP) reached.',
  },
  NC: {
    long: 'NoClusterFound',
    scope: 'any',
    meaning: 'The upstream cluster was not found.',
  },
  DT: {
    long: 'DurationTimeout',
    scope: 'any',
    meaning: 'Max connection or downstream connection duration exceeded.',
  },
  DC: {
    long: 'DownstreamConnectionTermination',
    scope: 'http',
    meaning: 'The client went away before the response (code usually 0).',
  },
  LH: {
    long: 'FailedLocalHealthCheck',
    scope: 'http',
    meaning: 'The local service failed its health check (503).',
  },
  UT: {
    long: 'UpstreamRequestTimeout',
    scope: 'http',
    meaning: 'The route timeout was hit (504).',
  },
  LR: {
    long: 'LocalReset',
    scope: 'http',
    meaning: 'Connection local reset (503).',
  },
  UR: {
    long: 'UpstreamRemoteReset',
    scope: 'http',
    meaning: 'The upstream reset the stream (503).',
  },
  UC: {
    long: 'UpstreamConnectionTermination',
    scope: 'http',
    meaning: 'The upstream connection was terminated (503).',
  },
  DI: {
    long: 'DelayInjected',
    scope: 'http',
    meaning: 'A fault-injection delay was applied.',
  },
  FI: {
    long: 'FaultInjected',
    scope: 'http',
    meaning: 'A fault-injection abort answered with the configured code.',
  },
  RL: {
    long: 'RateLimited',
    scope: 'http',
    meaning: 'Rejected by a rate-limit filter (429).',
  },
  UAEX: {
    long: 'UnauthorizedExternalService',
    scope: 'http',
    meaning: 'Denied by the external authorization service (ext_authz).',
  },
  RLSE: {
    long: 'RateLimitServiceError',
    scope: 'http',
    meaning: 'The rate-limit service failed.',
  },
  IH: {
    long: 'InvalidEnvoyRequestHeaders',
    scope: 'http',
    meaning: 'An invalid strictly-checked x-envoy-* header (400).',
  },
  SI: {
    long: 'StreamIdleTimeout',
    scope: 'http',
    meaning: 'Stream idle timeout (408 or 504).',
  },
  DPE: {
    long: 'DownstreamProtocolError',
    scope: 'http',
    meaning: 'The downstream spoke invalid HTTP.',
  },
  UPE: {
    long: 'UpstreamProtocolError',
    scope: 'http',
    meaning: 'The upstream spoke invalid HTTP.',
  },
  UMSDR: {
    long: 'UpstreamMaxStreamDurationReached',
    scope: 'http',
    meaning: 'The upstream max stream duration was reached.',
  },
  RFCF: {
    long: 'ResponseFromCacheFilter',
    scope: 'http',
    meaning: 'Served by the cache filter.',
  },
  NFCF: {
    long: 'NoFilterConfigFound',
    scope: 'http',
    meaning:
      'A filter config (ECDS) did not arrive within the warming deadline.',
  },
  OM: {
    long: 'OverloadManagerTerminated',
    scope: 'http',
    meaning: 'The overload manager terminated the request.',
  },
  DF: {
    long: 'DnsResolutionFailed',
    scope: 'http',
    meaning: 'DNS resolution failed (dynamic forward proxy).',
  },
  DO: {
    long: 'DropOverload',
    scope: 'http',
    meaning: 'Dropped by drop_overloads (503).',
  },
  DR: {
    long: 'DownstreamRemoteReset',
    scope: 'http',
    meaning:
      'The downstream reset the stream (http2.remote_reset / remote_refuse).',
  },
  UDO: {
    long: 'UnconditionalDropOverload',
    scope: 'http',
    meaning: 'drop_overloads at 100% (503).',
  },
};

/** Flags that are not errors by themselves (reference section 11). */
export const NON_ERROR_FLAGS: ReadonlySet<string> = new Set(['DI', 'RFCF']);

const shortByLong = new Map(
  Object.entries(RESPONSE_FLAGS).map(([s, i]) => [i.long, s]),
);

/** The short name of a long (PascalCase) flag name; unknown names are returned unchanged. */
export function shortFlag(long: string): string {
  return shortByLong.get(long) ?? long;
}

/** The meaning of a short flag, or a generic text for extension-defined flags. */
export function describeFlag(short: string): string {
  return (
    RESPONSE_FLAGS[short]?.meaning ??
    `Flag "${short}" (extension-defined or newer than this table).`
  );
}
