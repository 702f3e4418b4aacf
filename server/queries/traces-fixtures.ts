/**
 * For tests and benchmarks: otel_traces rows with a known structure, written straight into the
 * table (JSONEachRow, the exporter's column layout). Not used by production code.
 */
import type { SpanRow } from '~/collectors/sources/traces-shared/span-row';
import type { Db } from '../db/client';

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind?: SpanRow['SpanKind'];
  /** Unix ms of the start (fractions allowed). */
  startMs: number;
  durationMs: number;
  error?: boolean;
  attributes?: Record<string, string>;
  resource?: Record<string, string>;
  events?: {
    atMs: number;
    name: string;
    attributes?: Record<string, string>;
  }[];
  links?: { traceId: string; spanId: string }[];
}

/** Unix ms -> 'YYYY-MM-DD HH:MM:SS.nnnnnnnnn' (UTC), exact to the µs. */
export function dateTime64(ms: number): string {
  const wholeMs = Math.floor(ms);
  const iso = new Date(wholeMs).toISOString();
  const nanos = Math.round((ms - wholeMs) * 1e6) + (wholeMs % 1000) * 1e6;
  return `${iso.slice(0, 19).replace('T', ' ')}.${String(nanos).padStart(9, '0')}`;
}

export function spanRow(s: SpanSpec): SpanRow {
  return {
    Timestamp: dateTime64(s.startMs),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parentSpanId ?? '',
    TraceState: '',
    SpanName: s.name,
    SpanKind: s.kind ?? 'Server',
    ServiceName: s.service,
    ResourceAttributes: { 'service.name': s.service, ...s.resource },
    ScopeName: '',
    ScopeVersion: '',
    SpanAttributes: {
      ...(s.error ? { error: 'true' } : {}),
      ...s.attributes,
    },
    Duration: Math.round(s.durationMs * 1e6),
    StatusCode: s.error ? 'Error' : 'Unset',
    StatusMessage: '',
    'Events.Timestamp': (s.events ?? []).map((e) => dateTime64(e.atMs)),
    'Events.Name': (s.events ?? []).map((e) => e.name),
    'Events.Attributes': (s.events ?? []).map((e) => e.attributes ?? {}),
    'Links.TraceId': (s.links ?? []).map((l) => l.traceId),
    'Links.SpanId': (s.links ?? []).map((l) => l.spanId),
    'Links.TraceState': (s.links ?? []).map(() => ''),
    'Links.Attributes': (s.links ?? []).map(() => ({})),
  };
}

export async function insertSpans(db: Db, specs: SpanSpec[]): Promise<void> {
  await db.client.insert({
    table: `${db.database}.otel_traces`,
    values: specs.map(spanRow),
    format: 'JSONEachRow',
  });
}

/** A hex id of `chars` characters from a number (deterministic, never all zeros). */
export function hexId(n: number, chars: 16 | 32): string {
  return (n + 1).toString(16).padStart(chars, '0');
}

/** Unix ms (fractions allowed) -> nanoseconds as a decimal string, for OTLP JSON. */
function msToNs(ms: number): string {
  const whole = Math.floor(ms);
  return (
    BigInt(whole) * 1_000_000n +
    BigInt(Math.round((ms - whole) * 1e6))
  ).toString();
}

const KIND_NUMBER = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const;

const kv = (attrs: Record<string, string>) =>
  Object.entries(attrs).map(([key, v]) => ({
    key,
    value: { stringValue: v },
  }));

/** The same specs as an OTLP/JSON export request (one resource per service), for receivers. */
export function otlpJsonBody(specs: SpanSpec[]): string {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of specs) {
    const list = byService.get(s.service) ?? [];
    list.push(s);
    byService.set(s.service, list);
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: {
        attributes: kv({ 'service.name': service, ...spans[0]?.resource }),
      },
      scopeSpans: [
        {
          scope: { name: '' },
          spans: spans.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? '',
            name: s.name,
            kind: KIND_NUMBER[s.kind ?? 'Server'],
            startTimeUnixNano: msToNs(s.startMs),
            endTimeUnixNano: msToNs(s.startMs + s.durationMs),
            attributes: kv({
              ...(s.error ? { error: 'true' } : {}),
              ...s.attributes,
            }),
            events: (s.events ?? []).map((e) => ({
              timeUnixNano: msToNs(e.atMs),
              name: e.name,
              attributes: kv(e.attributes ?? {}),
            })),
            links: (s.links ?? []).map((l) => ({
              traceId: l.traceId,
              spanId: l.spanId,
            })),
            status: s.error ? { code: 2, message: 'upstream failed' } : {},
          })),
        },
      ],
    })),
  });
}

/**
 * A synthetic trace of `n` spans: a root, then spans fanning out `fanout` wide per level over
 * `services` services; every span fits in its parent. For large-trace tests and benchmarks.
 */
export function generateTrace(
  traceId: string,
  n: number,
  opts: { startMs?: number; fanout?: number; services?: number } = {},
): SpanSpec[] {
  const fanout = opts.fanout ?? 8;
  const services = opts.services ?? 12;
  const t0 = opts.startMs ?? Date.now() - 60_000;
  const out: SpanSpec[] = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? undefined : out[Math.floor((i - 1) / fanout)]!;
    const slot = i === 0 ? 0 : (i - 1) % fanout;
    const startMs = parent
      ? parent.startMs + (parent.durationMs / fanout) * slot * 0.9
      : t0;
    const durationMs = parent ? (parent.durationMs / fanout) * 0.85 : 5000;
    out.push({
      traceId,
      spanId: hexId(i, 16),
      parentSpanId: parent?.spanId,
      name: `op-${i % 40}`,
      service: `svc-${i % services}.bench`,
      kind: i % 2 ? 'Client' : 'Server',
      startMs,
      durationMs,
      error: i % 97 === 5,
      attributes: {
        'guid:x-request-id': `req-${traceId.slice(-6)}`,
        i: String(i),
      },
    });
  }
  return out;
}
