/**
 * Which rollup table serves which part of a window (migration 0010): whole hours from
 * edge_rollups_1h, whole 10-minute buckets from edge_rollups_10m, the ragged minutes at either
 * end from edge_rollups_1m. A 24-hour window then reads about 24 + 10 + 18 row groups instead of
 * 1,440 minutes, and the counting rules (edge-selection.ts) run on that many fewer rows.
 * Time series need real minutes, so their queries ask for `coarse: false` (all minutes).
 * Every bound is a whole minute in epoch ms; an empty range is [t, t).
 */
import type { ResolvedWindow } from './traffic-filter';

const MINUTE_MS = 60_000;
const TEN_MS = 10 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

export type Range = readonly [fromMs: number, toMs: number];

export interface RollupRanges {
  /** The minute before the window: read only to see whether metrics already covered it. */
  lookbackMs: number;
  minutes: readonly [Range, Range];
  tenMinutes: readonly [Range, Range];
  hours: Range;
}

const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;
const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;

/** The ranges each table serves for a resolved window (UTC buckets). */
export function rollupRanges(w: ResolvedWindow, coarse: boolean): RollupRanges {
  const s = w.startMs;
  const e = w.endMs;
  const none = (t: number): Range => [t, t];
  const allMinutes: RollupRanges = {
    lookbackMs: s - MINUTE_MS,
    minutes: [[s, e], none(e)],
    tenMinutes: [none(e), none(e)],
    hours: none(e),
  };
  const t1 = ceilTo(s, TEN_MS);
  const t2 = floorTo(e, TEN_MS);
  if (!coarse || t2 <= t1) return allMinutes;
  const h1 = ceilTo(t1, HOUR_MS);
  const h2 = floorTo(t2, HOUR_MS);
  const minutes: [Range, Range] = [
    [s, t1],
    [t2, e],
  ];
  if (h2 <= h1)
    return {
      lookbackMs: s - MINUTE_MS,
      minutes,
      tenMinutes: [[t1, t2], none(t2)],
      hours: none(t2),
    };
  return {
    lookbackMs: s - MINUTE_MS,
    minutes,
    tenMinutes: [
      [t1, h1],
      [h2, t2],
    ],
    hours: [h1, h2],
  };
}

/** Bound parameters of selectedRollupsCte (DateTime as epoch seconds). */
export function rollupParams(
  db: string,
  r: RollupRanges,
  w: ResolvedWindow,
): Record<string, unknown> {
  const sec = (ms: number) => Math.floor(ms / 1000);
  return {
    db,
    from: sec(w.startMs),
    to: sec(w.endMs),
    look: sec(r.lookbackMs),
    m1a: sec(r.minutes[0][1]),
    m1b: sec(r.minutes[1][0]),
    m10a_from: sec(r.tenMinutes[0][0]),
    m10a_to: sec(r.tenMinutes[0][1]),
    m10b_from: sec(r.tenMinutes[1][0]),
    m10b_to: sec(r.tenMinutes[1][1]),
    h_from: sec(r.hours[0]),
    h_to: sec(r.hours[1]),
  };
}
