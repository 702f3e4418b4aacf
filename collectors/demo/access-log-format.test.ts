import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  clientEntry,
  serverEntry,
  accessLogEntries,
} from './access-log-entries';
import {
  criLine,
  formatIstioTextLine,
  rfc3339Nano,
  tokenizeAccessLogLine,
} from './access-log-format';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { loadScenario } from './scenario';

const FIXTURE = fileURLToPath(
  new URL('./testdata/istio-text-default-1.9plus.log', import.meta.url),
);
const fixtureLines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const hops = generateWindow(scenario, T0, T0 + 120_000, 21);
const lines = hops.flatMap((h) =>
  accessLogEntries(h).map((e) => formatIstioTextLine(e.entry)),
);

type Kind = 'bracket' | 'quoted' | 'bare';
const kind = (t: string): Kind =>
  t.startsWith('[') ? 'bracket' : t.startsWith('"') ? 'quoted' : 'bare';
const shape = (line: string) => tokenizeAccessLogLine(line).map(kind);

/** What each of the 22 tokens may look like in lines we generate. */
const FIELD_PATTERNS: RegExp[] = [
  /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\]$/, // START_TIME
  /^"(- - -|[A-Z]+ \/\S* HTTP\/(1\.1|2))"$/, // method path protocol
  /^\d{1,3}$/, // RESPONSE_CODE
  /^(-|[A-Z]{2,4}(,[A-Z]{2,4})*)$/, // RESPONSE_FLAGS
  /^\S+$/, // RESPONSE_CODE_DETAILS
  /^-$/, // CONNECTION_TERMINATION_DETAILS
  /^"[^"\s]+"$/, // UPSTREAM_TRANSPORT_FAILURE_REASON
  /^\d+$/, // BYTES_RECEIVED
  /^\d+$/, // BYTES_SENT
  /^\d+$/, // DURATION
  /^(-|\d+)$/, // upstream service time
  /^"(-|[\d.]+)"$/, // XFF
  /^"[^"]+"$/, // UA
  /^"(-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"$/, // request id
  /^"[^"\s]+"$/, // authority
  /^"(-|\d+\.\d+\.\d+\.\d+:\d+)"$/, // UPSTREAM_HOST
  /^(outbound\|\d+\|\|[a-z0-9.-]+|inbound\|\d+\|\|)$/, // UPSTREAM_CLUSTER_RAW
  /^(-|\d+\.\d+\.\d+\.\d+:\d+)$/, // UPSTREAM_LOCAL_ADDRESS
  /^\d+\.\d+\.\d+\.\d+:\d+$/, // DOWNSTREAM_LOCAL_ADDRESS
  /^\d+\.\d+\.\d+\.\d+:\d+$/, // DOWNSTREAM_REMOTE_ADDRESS
  /^(-|outbound_\.\d+_\._\.[a-z0-9.-]+|[a-z0-9.-]+)$/, // REQUESTED_SERVER_NAME
  /^(-|default|\S+)$/, // ROUTE_NAME
];

describe('Istio default text access-log format (1.23+)', () => {
  it('tokenizes the fixture into 22 tokens per line', () => {
    expect(fixtureLines).toHaveLength(4);
    for (const line of fixtureLines)
      expect(tokenizeAccessLogLine(line)).toHaveLength(22);
  });

  it('produces lines with the fixture shape: 22 tokens, same quoting at every position', () => {
    const expected = shape(fixtureLines[0] ?? '');
    expect(
      fixtureLines
        .map(shape)
        .every((s) => JSON.stringify(s) === JSON.stringify(expected)),
    ).toBe(true);
    expect(lines.length).toBeGreaterThan(5000);
    const bad = lines.filter(
      (l) => JSON.stringify(shape(l)) !== JSON.stringify(expected),
    );
    expect(bad).toEqual([]);
  });

  it('renders every field in its format, with "-" for absent values', () => {
    const problems: string[] = [];
    for (const line of lines) {
      tokenizeAccessLogLine(line).forEach((t, i) => {
        if (!FIELD_PATTERNS[i]?.test(t))
          problems.push(`token ${i + 1} ${JSON.stringify(t)} in ${line}`);
      });
      if (/""|\s\s/.test(line))
        problems.push(`empty value or double space: ${line}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('renders TCP connections like the fixture TCP lines', () => {
    const tcp = hops.find((h) => h.protocol === 'tcp');
    const entry = tcp && clientEntry(tcp);
    if (!entry) throw new Error('no tcp hop');
    const ours = tokenizeAccessLogLine(formatIstioTextLine(entry.entry));
    const fixture = tokenizeAccessLogLine(fixtureLines[2] ?? '');
    // Same literal tokens where the fixture has no per-connection value.
    for (const i of [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 21])
      expect(ours[i], `token ${i + 1}`).toBe(fixture[i]);
    expect(ours[16]).toBe('outbound|3306||mysqldb.bookinfo.svc.cluster.local');
  });

  it('pairs the client and server lines of a request as real sidecars do', () => {
    const http = hops.filter(
      (h) => h.protocol === 'http' && h.server && h.sourcePod.proxied && h.mtls,
    );
    expect(http.length).toBeGreaterThan(100);
    for (const h of http.slice(0, 200)) {
      const c = tokenizeAccessLogLine(
        formatIstioTextLine(clientEntry(h)?.entry ?? fail()),
      );
      const s = tokenizeAccessLogLine(
        formatIstioTextLine(serverEntry(h)?.entry ?? fail()),
      );
      expect(s[13]).toBe(c[13]); // x-request-id
      expect(s[19]).toBe(c[17]); // server downstream remote = client upstream local
      expect(c[16]).toMatch(/^outbound\|/);
      expect(s[16]).toMatch(/^inbound\|\d+\|\|$/);
      expect(s[17]).toMatch(/^127\.0\.0\.6:\d+$/);
      expect(s[20]).toBe(`outbound_.${h.service.port}_._.${h.service.host}`);
      expect(s[21]).toBe('default');
      expect(Number(s[9])).toBeLessThanOrEqual(Number(c[9])); // durations
    }
  });

  it('writes one line only where one side has no proxy', () => {
    const legacy = hops.filter((h) => h.edgeId === 'legacy-productpage');
    expect(legacy.length).toBeGreaterThan(0);
    for (const h of legacy) {
      const entries = accessLogEntries(h);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.pod.workload.name).toBe('productpage-v1');
      expect(entries[0]?.entry.requestedServerName).toBeNull();
    }
    const aborted = hops.filter((h) => h.responseFlags === 'FI');
    expect(aborted.length).toBeGreaterThan(0);
    for (const h of aborted)
      expect(accessLogEntries(h).map((e) => e.pod.workload.name)).toEqual([
        h.sourcePod.workload.name,
      ]);
  });

  it('wraps lines in the CRI format with Go RFC3339Nano timestamps', () => {
    expect(rfc3339Nano(1732550000123456789n)).toBe(
      '2024-11-25T15:53:20.123456789Z',
    );
    expect(rfc3339Nano(1732550000120000000n)).toBe('2024-11-25T15:53:20.12Z');
    expect(rfc3339Nano(1732550000000000000n)).toBe('2024-11-25T15:53:20Z');
    expect(criLine(1732550000000000001n, 'x y')).toBe(
      '2024-11-25T15:53:20.000000001Z stdout F x y',
    );
  });
});

function fail(): never {
  throw new Error('missing access-log entry');
}
