/**
 * Istio's default TEXT access-log format, 1.23 and later (shared/reference/envoy-access-logs.md
 * section 1), and the Kubernetes CRI log-file wrapping. Pure functions.
 *
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 * %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 * %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 * %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 */

/** The values of one line; null renders as "-" (inside quotes where the operator is quoted). */
export interface AccessLogEntry {
  startTimeMs: number;
  method: string | null;
  path: string | null;
  protocol: string | null;
  /** 0 = no response (TCP). */
  responseCode: number;
  responseFlags: string | null;
  responseCodeDetails: string | null;
  connectionTerminationDetails: string | null;
  upstreamTransportFailureReason: string | null;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs: number | null;
  xForwardedFor: string | null;
  userAgent: string | null;
  requestId: string | null;
  authority: string | null;
  upstreamHost: string | null;
  upstreamCluster: string | null;
  upstreamLocalAddress: string | null;
  downstreamLocalAddress: string | null;
  downstreamRemoteAddress: string | null;
  requestedServerName: string | null;
  routeName: string | null;
}

/** Unquoted operators never contain whitespace (Envoy replaces it with "_"). */
function bare(v: string | number | null): string {
  if (v === null || v === '') return '-';
  return String(v).replace(/\s/g, '_');
}

function quoted(v: string | null): string {
  return `"${v === null || v === '' ? '-' : v}"`;
}

/** `%START_TIME%` as Envoy prints it: UTC, millisecond precision. */
export function envoyStartTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Formats one line (without the trailing newline). */
export function formatIstioTextLine(e: AccessLogEntry): string {
  return [
    `[${envoyStartTime(e.startTimeMs)}]`,
    `"${bare(e.method)} ${bare(e.path)} ${bare(e.protocol)}"`,
    String(e.responseCode),
    bare(e.responseFlags),
    bare(e.responseCodeDetails),
    bare(e.connectionTerminationDetails),
    quoted(e.upstreamTransportFailureReason),
    String(e.bytesReceived),
    String(e.bytesSent),
    String(e.durationMs),
    bare(e.upstreamServiceTimeMs),
    quoted(e.xForwardedFor),
    quoted(e.userAgent),
    quoted(e.requestId),
    quoted(e.authority),
    quoted(e.upstreamHost),
    bare(e.upstreamCluster),
    bare(e.upstreamLocalAddress),
    bare(e.downstreamLocalAddress),
    bare(e.downstreamRemoteAddress),
    bare(e.requestedServerName),
    bare(e.routeName),
  ].join(' ');
}

/**
 * Go's time.RFC3339Nano for a UTC instant given in epoch nanoseconds: trailing zeros of the
 * fraction are dropped, and so is the fraction when it is zero (as containerd writes it).
 */
export function rfc3339Nano(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (epochNs % 1_000_000_000n)
    .toString()
    .padStart(9, '0')
    .replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}

/** One line of a container log file in the CRI format: `<RFC3339Nano> stdout F <line>`. */
export function criLine(epochNs: bigint, line: string): string {
  return `${rfc3339Nano(epochNs)} stdout F ${line}`;
}

/** Splits a default-format line into its 22 tokens (brackets and quotes kept). For tests and tools. */
export function tokenizeAccessLogLine(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    const open = line[i];
    const close = open === '[' ? ']' : open === '"' ? '"' : ' ';
    let j = i + 1;
    if (close === ' ') {
      while (j < line.length && line[j] !== ' ') j++;
      tokens.push(line.slice(i, j));
    } else {
      // Greedy: a quoted value ends at the closing quote followed by a space or the end.
      while (
        j < line.length &&
        !(line[j] === close && (j + 1 === line.length || line[j + 1] === ' '))
      )
        j++;
      tokens.push(line.slice(i, j + 1));
      j++;
    }
    i = j;
  }
  return tokens;
}
