/**
 * A stored trace -> OTLP/JSON (`{ resourceSpans: [...] }`), as the OTLP specification's JSON
 * encoding asks: hex ids, integer enums, 64-bit times as decimal strings, lowerCamelCase keys.
 * Attribute values come back as strings (the otel_traces schema stores them as strings).
 * Spans are grouped by resource, then by instrumentation scope.
 */
import type {
  SpanKindName,
  StatusCodeName,
  Trace,
  TraceSpan,
} from '../queries/traces';

export interface OtlpJsonKeyValue {
  key: string;
  value: { stringValue: string };
}

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpJsonKeyValue[];
  events: {
    timeUnixNano: string;
    name: string;
    attributes: OtlpJsonKeyValue[];
  }[];
  links: {
    traceId: string;
    spanId: string;
    traceState: string;
    attributes: OtlpJsonKeyValue[];
  }[];
  status: { code: number; message?: string };
}

export interface OtlpJsonTrace {
  resourceSpans: {
    resource: { attributes: OtlpJsonKeyValue[] };
    scopeSpans: {
      scope: { name: string; version: string };
      spans: OtlpJsonSpan[];
    }[];
  }[];
}

const KIND_NUMBER: Record<SpanKindName, number> = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
};
const STATUS_NUMBER: Record<StatusCodeName, number> = {
  Unset: 0,
  Ok: 1,
  Error: 2,
};

function keyValues(attrs: Record<string, string>): OtlpJsonKeyValue[] {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value: { stringValue: v },
  }));
}

/** Adds nanoseconds given as a decimal string and as a number, exactly (BigInt). */
export function addNs(startNs: string, durationNs: number): string {
  return (BigInt(startNs) + BigInt(Math.round(durationNs))).toString();
}

function toOtlpSpan(traceId: string, s: TraceSpan): OtlpJsonSpan {
  return {
    traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    traceState: s.traceState,
    name: s.name,
    kind: KIND_NUMBER[s.kind],
    startTimeUnixNano: s.startNs,
    endTimeUnixNano: addNs(s.startNs, s.durationUs * 1000),
    attributes: keyValues(s.attributes),
    events: s.events.map((e) => ({
      timeUnixNano: e.timeNs,
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    links: s.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: keyValues(l.attributes),
    })),
    status: s.status.message
      ? { code: STATUS_NUMBER[s.status.code], message: s.status.message }
      : { code: STATUS_NUMBER[s.status.code] },
  };
}

/** The whole trace as one OTLP/JSON TracesData object. */
export function traceToOtlpJson(trace: Trace): OtlpJsonTrace {
  const groups = new Map<number, Map<string, OtlpJsonSpan[]>>();
  const scopes = new Map<string, { name: string; version: string }>();
  for (const s of trace.spans) {
    let byScope = groups.get(s.resource);
    if (!byScope)
      groups.set(s.resource, (byScope = new Map<string, OtlpJsonSpan[]>()));
    const scopeKey = `${s.scope.name}\u0000${s.scope.version}`;
    scopes.set(scopeKey, s.scope);
    let list = byScope.get(scopeKey);
    if (!list) byScope.set(scopeKey, (list = []));
    list.push(toOtlpSpan(trace.traceId, s));
  }
  return {
    resourceSpans: [...groups].map(([resource, byScope]) => ({
      resource: { attributes: keyValues(trace.resources[resource] ?? {}) },
      scopeSpans: [...byScope].map(([key, spans]) => ({
        scope: scopes.get(key) ?? { name: '', version: '' },
        spans,
      })),
    })),
  };
}
