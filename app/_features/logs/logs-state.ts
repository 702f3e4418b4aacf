/**
 * The access-log explorer's state, kept in the URL so a search can be shared: time range (the
 * same `range` / `from`+`to` as every view), namespace, service, response code class, response
 * flag, request id, trace id, free text and the page. Pure.
 */
import {
  parseTimeRange,
  timeRangeParams,
  type TimeRange,
} from '../../_components/time-range';

export const PAGE_SIZE = 100;
export const CODE_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'none'] as const;
export type CodeClass = (typeof CODE_CLASSES)[number];

export interface LogsState {
  range: TimeRange;
  namespace: string;
  /** Service or workload name, optionally `name.namespace`. */
  service: string;
  codeClass: CodeClass | '';
  /** Short Envoy flag, e.g. UF. */
  flag: string;
  requestId: string;
  traceId: string;
  /** Substring of path or authority. */
  q: string;
  offset: number;
}

type Params = { get(name: string): string | null };

const trimmed = (p: Params, k: string) => (p.get(k) ?? '').trim();

export function parseLogsState(p: Params): LogsState {
  const offset = Number(p.get('offset') ?? 0);
  const code = trimmed(p, 'code');
  const flag = trimmed(p, 'flag').toUpperCase();
  return {
    range: parseTimeRange(p),
    namespace: trimmed(p, 'namespace'),
    // Topology links name a workload when the node has no service.
    service: trimmed(p, 'service') || trimmed(p, 'workload'),
    codeClass: (CODE_CLASSES as readonly string[]).includes(code)
      ? (code as CodeClass)
      : '',
    flag: /^[A-Z]{1,8}$/.test(flag) ? flag : '',
    requestId: trimmed(p, 'requestId'),
    traceId: trimmed(p, 'traceId').toLowerCase(),
    q: trimmed(p, 'q'),
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** URL parameters of a change; empty values and defaults are removed (null). */
export function logsParams(
  patch: Partial<LogsState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const str = (v: string) => (v.trim() ? v.trim() : null);
  if (patch.range) Object.assign(out, timeRangeParams(patch.range));
  if (patch.namespace !== undefined) out.namespace = str(patch.namespace);
  if (patch.service !== undefined) {
    out.service = str(patch.service);
    // Link-only parameters: the form's service replaces them.
    out.workload = null;
    out.sourceWorkload = null;
  }
  if (patch.codeClass !== undefined) out.code = patch.codeClass || null;
  if (patch.flag !== undefined) out.flag = str(patch.flag.toUpperCase());
  if (patch.requestId !== undefined) out.requestId = str(patch.requestId);
  if (patch.traceId !== undefined) out.traceId = str(patch.traceId);
  if (patch.q !== undefined) out.q = str(patch.q);
  if (patch.offset !== undefined)
    out.offset = patch.offset > 0 ? String(patch.offset) : null;
  return out;
}

/** Whether any filter beyond the time range is set (an empty answer then is not "no data"). */
export function hasFilters(s: LogsState): boolean {
  return Boolean(
    s.namespace ||
    s.service ||
    s.codeClass ||
    s.flag ||
    s.requestId ||
    s.traceId ||
    s.q,
  );
}

/** The procedure's filter input (blank fields left out; a bad trace id is left out too). */
export function searchFilter(s: LogsState) {
  return {
    namespaces: s.namespace ? [s.namespace] : undefined,
    service: s.service || undefined,
    codeClass: s.codeClass || undefined,
    responseFlag: s.flag || undefined,
    requestId: s.requestId || undefined,
    traceId: /^[0-9a-f]{16,32}$/.test(s.traceId) ? s.traceId : undefined,
    q: s.q || undefined,
  };
}
