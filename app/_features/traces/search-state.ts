/**
 * The trace search's state, kept in the URL so a search can be shared and the back button works:
 * time range, service, operation, tags (logfmt: `http.status_code=503 error=true`, quote values
 * with spaces), duration range, errors only, request id, and the page. Pure.
 */
import {
  parseTimeRange,
  timeRangeParams,
  type TimeRange,
} from '../../_components/time-range';

export const PAGE_SIZE = 50;

export interface TraceSearchState {
  range: TimeRange;
  service: string;
  /** An edge's caller (from a topology link): only traces through it too. */
  caller: string;
  operation: string;
  /** The tags as typed (logfmt). */
  tags: string;
  minDurationMs: number | undefined;
  maxDurationMs: number | undefined;
  errorsOnly: boolean;
  requestId: string;
  offset: number;
}

type Params = { get(name: string): string | null };

function positive(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Links from the topology and service pages give `service=reviews&namespace=bookinfo`: Istio's
 * proxies name their spans' service `<app>.<namespace>`, so the two are joined.
 */
function serviceParam(p: Params): string {
  const service = (p.get('service') ?? '').trim();
  const namespace = (p.get('namespace') ?? '').trim();
  return service && namespace && !service.includes('.')
    ? `${service}.${namespace}`
    : service;
}

export function parseSearchState(p: Params): TraceSearchState {
  const offset = Number(p.get('offset') ?? 0);
  return {
    range: parseTimeRange(p),
    service: serviceParam(p),
    caller: (p.get('caller') ?? '').trim(),
    operation: p.get('operation') ?? '',
    tags: p.get('tags') ?? '',
    minDurationMs: positive(p.get('minDurationMs')),
    maxDurationMs: positive(p.get('maxDurationMs')),
    errorsOnly: p.get('error') === '1' || p.get('error') === 'true',
    requestId: p.get('requestId') ?? '',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** URL parameters of a change; empty values and defaults are removed (null). */
export function searchParams(
  patch: Partial<TraceSearchState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const str = (v: string) => (v.trim() ? v.trim() : null);
  const num = (v: number | undefined) => (v ? String(v) : null);
  if (patch.range) Object.assign(out, timeRangeParams(patch.range));
  if (patch.service !== undefined) {
    out.service = str(patch.service);
    // Link-only parameters (see serviceParam): the form's service replaces them.
    out.namespace = null;
    out.workload = null;
    out.sourceWorkload = null;
    out.caller = null;
  }
  if (patch.caller !== undefined) out.caller = str(patch.caller);
  if (patch.operation !== undefined) out.operation = str(patch.operation);
  if (patch.tags !== undefined) out.tags = str(patch.tags);
  if ('minDurationMs' in patch) out.minDurationMs = num(patch.minDurationMs);
  if ('maxDurationMs' in patch) out.maxDurationMs = num(patch.maxDurationMs);
  if (patch.errorsOnly !== undefined) out.error = patch.errorsOnly ? '1' : null;
  if (patch.requestId !== undefined) out.requestId = str(patch.requestId);
  if (patch.offset !== undefined)
    out.offset = patch.offset ? String(patch.offset) : null;
  return out;
}

/**
 * Splits logfmt-ish tags into `key=value` strings: `a=1 b="x y" c=` -> ['a=1', 'b=x y', 'c='].
 * A word without `=` is returned as is, so the server can name it in its error.
 */
export function splitTags(text: string): string[] {
  const out: string[] = [];
  const re = /([^\s=]+)=("([^"]*)"|\S*)|(\S+)/g;
  for (const m of text.matchAll(re)) {
    if (m[4] !== undefined) out.push(m[4]);
    else out.push(`${m[1]}=${m[3] ?? m[2] ?? ''}`);
  }
  return out;
}

/** A trace id typed in the search: 16 or 32 hex characters, lowercased; else undefined. */
export function asTraceId(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  return /^([0-9a-f]{16}|[0-9a-f]{32})$/.test(t) ? t : undefined;
}
