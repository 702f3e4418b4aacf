/**
 * Time <-> [0, 1] view math for the waterfall, as jaeger-ui's TraceTimelineViewer/utils.ts:
 * a trace spans [traceStartUs, traceEndUs]; the view shows the part [viewStart, viewEnd] of it
 * (fractions of the trace). Pure; all times in microseconds.
 */

export interface ViewedBounds {
  /** Position of the start within the view, 0..1 (may be < 0 or > 1 outside the view). */
  start: number;
  end: number;
}

/**
 * A function mapping a span's [startUs, endUs] to fractions of the view. `viewStart`/`viewEnd`
 * are fractions (0..1) of the whole trace that are shown.
 */
export function createViewedBoundsFunc(view: {
  traceStartUs: number;
  traceEndUs: number;
  viewStart: number;
  viewEnd: number;
}): (startUs: number, endUs: number) => ViewedBounds {
  const traceDuration = Math.max(view.traceEndUs - view.traceStartUs, 1e-9);
  const viewMin = view.traceStartUs + view.viewStart * traceDuration;
  const viewWindow = Math.max(
    (view.viewEnd - view.viewStart) * traceDuration,
    1e-9,
  );
  return (startUs, endUs) => ({
    start: (startUs - viewMin) / viewWindow,
    end: (endUs - viewMin) / viewWindow,
  });
}

/** Clamps a bar to the view; undefined when it lies wholly outside. */
export function clampToView(b: ViewedBounds): ViewedBounds | undefined {
  if (b.end < 0 || b.start > 1) return undefined;
  return { start: Math.max(0, b.start), end: Math.min(1, b.end) };
}

/** A duration in µs for labels: 820 µs, 12.35 ms, 1.2 s, 2 min 5 s. */
export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const a = Math.abs(us);
  if (a < 1000) return `${Number(us.toFixed(a < 10 ? 2 : 0))} µs`;
  const ms = us / 1000;
  if (a < 1_000_000)
    return `${Number(ms.toFixed(a < 10_000 ? 2 : a < 100_000 ? 1 : 0))} ms`;
  const s = us / 1e6;
  if (a < 60e6) return `${Number(s.toFixed(a < 10e6 ? 2 : 1))} s`;
  const min = Math.floor(s / 60);
  return `${min} min ${Math.round(s - min * 60)} s`;
}

export interface Tick {
  /** Position in the view, 0..1. */
  fraction: number;
  /** Offset from the trace start, µs. */
  offsetUs: number;
  label: string;
}

/**
 * `count` + 1 evenly spaced ticks over the view, labelled with the time since the trace start
 * (the ruler of the waterfall).
 */
export function rulerTicks(
  view: {
    traceStartUs: number;
    traceEndUs: number;
    viewStart: number;
    viewEnd: number;
  },
  count = 5,
): Tick[] {
  const duration = view.traceEndUs - view.traceStartUs;
  const from = view.viewStart * duration;
  const span = (view.viewEnd - view.viewStart) * duration;
  return Array.from({ length: count + 1 }, (_, i) => {
    const offsetUs = from + (span * i) / count;
    return {
      fraction: i / count,
      offsetUs,
      label: formatDurationUs(offsetUs),
    };
  });
}

/** Clamps and orders a dragged view range; keeps at least `minWidth` of the trace visible. */
export function normalizeViewRange(
  a: number,
  b: number,
  minWidth = 0.001,
): [number, number] {
  let lo = Math.max(0, Math.min(a, b));
  let hi = Math.min(1, Math.max(a, b));
  if (hi - lo < minWidth) {
    const mid = (lo + hi) / 2;
    lo = Math.max(0, mid - minWidth / 2);
    hi = Math.min(1, lo + minWidth);
  }
  return [lo, hi];
}
