/**
 * The trace page's compact form of a trace ("skeleton"): what the waterfall, flame graph,
 * statistics and comparison draw, without attributes, resources or links (the span detail asks
 * for those one span at a time). Columnar, with services, operations and event names in one
 * string table, and sent as ONE JSON string inside the tRPC answer, so neither superjson on the
 * server nor the browser walks 100,000 span objects: a 100,000-span trace is a few MB that
 * `JSON.parse` reads in one go. Pure; the browser decodes it with
 * `app/_features/traces/skeleton.ts` (types imported from here).
 */

export const KIND_NAMES = [
  'Unspecified',
  'Internal',
  'Server',
  'Client',
  'Producer',
  'Consumer',
] as const;
export const STATUS_NAMES = ['Unset', 'Ok', 'Error'] as const;

export interface SkeletonColumns {
  traceId: string;
  truncated: boolean;
  /** Unix µs that every `startUs`/`eventUs` is relative to (the earliest span start). */
  baseUs: number;
  strings: string[];
  spanId: string[];
  parentSpanId: string[];
  /** Index into `strings`. */
  service: number[];
  /** Index into `strings`. */
  name: number[];
  /** Index into KIND_NAMES. */
  kind: number[];
  /** Index into STATUS_NAMES. */
  status: number[];
  /** µs since `baseUs`. */
  startUs: number[];
  durationUs: number[];
  /** Events flattened: the span's index, µs since `baseUs`, name index into `strings`. */
  eventSpan: number[];
  eventUs: number[];
  eventName: number[];
}

/** One span as the skeleton query returns it. */
export interface SkeletonRow {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  status: string;
  /** Unix µs. */
  startUs: number;
  durationUs: number;
  events: { timeUs: number; name: string }[];
}

/** Rows (start order) -> the JSON string the browser decodes. */
export function encodeSkeleton(
  traceId: string,
  rows: readonly SkeletonRow[],
  truncated: boolean,
): string {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (v: string) => {
    let i = index.get(v);
    if (i === undefined) {
      i = strings.push(v) - 1;
      index.set(v, i);
    }
    return i;
  };
  const baseUs = rows.reduce((m, r) => Math.min(m, r.startUs), Infinity);
  const base = Number.isFinite(baseUs) ? baseUs : 0;
  // Durations keep nanoseconds as three decimals of a µs; starts are whole µs already.
  const us = (v: number) => Math.round(v * 1000) / 1000;
  const c: SkeletonColumns = {
    traceId,
    truncated,
    baseUs: base,
    strings,
    spanId: [],
    parentSpanId: [],
    service: [],
    name: [],
    kind: [],
    status: [],
    startUs: [],
    durationUs: [],
    eventSpan: [],
    eventUs: [],
    eventName: [],
  };
  rows.forEach((r, i) => {
    c.spanId.push(r.spanId);
    c.parentSpanId.push(r.parentSpanId);
    c.service.push(str(r.service));
    c.name.push(str(r.name));
    c.kind.push(Math.max(0, KIND_NAMES.indexOf(r.kind as never)));
    c.status.push(Math.max(0, STATUS_NAMES.indexOf(r.status as never)));
    c.startUs.push(us(r.startUs - base));
    c.durationUs.push(us(r.durationUs));
    for (const e of r.events) {
      c.eventSpan.push(i);
      c.eventUs.push(us(e.timeUs - base));
      c.eventName.push(str(e.name));
    }
  });
  return JSON.stringify(c);
}
