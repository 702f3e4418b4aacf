/**
 * Search results -> what the scatter and the list draw. Pure.
 */

export interface SummaryLike {
  traceId: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

export interface ScatterPoint {
  traceId: string;
  t: number;
  durationMs: number;
  spans: number;
  errors: number;
}

export function scatterPoints(traces: readonly SummaryLike[]): ScatterPoint[] {
  return traces.map((s) => ({
    traceId: s.traceId,
    t: s.startMs,
    durationMs: s.durationMs,
    spans: s.spanCount,
    errors: s.errorCount,
  }));
}

/** "1–50 of 123 traces", or "no traces". */
export function pageLabel(
  offset: number,
  shown: number,
  total: number,
): string {
  if (total === 0) return 'no traces';
  if (shown === 0) return `none past ${offset} of ${total} traces`;
  return `${offset + 1}–${offset + shown} of ${total} trace${total === 1 ? '' : 's'}`;
}

/** A stable colour per service for chips (a hash into a small palette). */
export function chipHue(service: string): number {
  let h = 0;
  for (let i = 0; i < service.length; i++)
    h = (h * 31 + service.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** A round axis maximum a little above the largest value (1, 1.5, 2, 3, 5 or 7.5 x 10^n). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const target = max * 1.1;
  const p = 10 ** Math.floor(Math.log10(target));
  return ([1, 1.5, 2, 3, 5, 7.5, 10].find((m) => m * p >= target) ?? 10) * p;
}

/** `count` + 1 evenly spaced ticks over [fromMs, toMs], rounded to whole seconds. */
export function timeTicks(fromMs: number, toMs: number, count = 6): number[] {
  if (!(toMs > fromMs)) return [fromMs];
  return Array.from(
    { length: count + 1 },
    (_, i) =>
      Math.round((fromMs + ((toMs - fromMs) * i) / count) / 1000) * 1000,
  );
}
