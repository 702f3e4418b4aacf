/**
 * Decodes the trace page's compact trace (server/traces/skeleton.ts) into span objects: one
 * JSON.parse of a columnar string, then one small object per span. Pure.
 */
import type {
  KIND_NAMES,
  SkeletonColumns,
  STATUS_NAMES,
} from '~/server/traces/skeleton';

export interface SkeletonSpan {
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  service: string;
  name: string;
  kind: (typeof KIND_NAMES)[number];
  status: { code: (typeof STATUS_NAMES)[number] };
  /** Unix µs. */
  startUs: number;
  durationUs: number;
  events: { timeUs: number; name: string }[];
}

export interface SkeletonTrace {
  traceId: string;
  truncated: boolean;
  spans: SkeletonSpan[];
}

// Kept here too: the client imports only types from server/.
const KINDS = [
  'Unspecified',
  'Internal',
  'Server',
  'Client',
  'Producer',
  'Consumer',
] as const;
const STATUSES = ['Unset', 'Ok', 'Error'] as const;

export function decodeSkeleton(encoded: string): SkeletonTrace {
  const c = JSON.parse(encoded) as SkeletonColumns;
  const n = c.spanId.length;
  const spans = new Array<SkeletonSpan>(n);
  for (let i = 0; i < n; i++) {
    spans[i] = {
      spanId: c.spanId[i]!,
      parentSpanId: c.parentSpanId[i]!,
      service: c.strings[c.service[i]!] ?? '',
      name: c.strings[c.name[i]!] ?? '',
      kind: KINDS[c.kind[i]!] ?? 'Unspecified',
      status: { code: STATUSES[c.status[i]!] ?? 'Unset' },
      startUs: c.baseUs + c.startUs[i]!,
      durationUs: c.durationUs[i]!,
      events: [],
    };
  }
  for (let k = 0; k < c.eventSpan.length; k++) {
    spans[c.eventSpan[k]!]?.events.push({
      timeUs: c.baseUs + c.eventUs[k]!,
      name: c.strings[c.eventName[k]!] ?? '',
    });
  }
  return { traceId: c.traceId, truncated: c.truncated, spans };
}
