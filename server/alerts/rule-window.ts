/**
 * The span of time a rule reads, over per-minute rollups. A window rarely starts on a minute:
 * `window: 1m` evaluated at 12:00:20 covers 11:59:20-12:00:20. Reading every minute it touches
 * would judge 11:59:00-12:00:20 (80 s; up to 120 s), so a change would need up to twice the
 * time to weigh what the rule says. Instead each minute counts with the share of it inside the
 * window, its traffic taken as spread evenly over the minute (as Prometheus's `rate()`
 * extrapolates within a range): the first minute by the part after the window's start, the
 * last by the part before the window's end out of the part that has data (a minute still in
 * progress counts in full: all its data is inside the window). Whole minutes count in full, so
 * a window that starts and ends on minutes reads exactly those minutes.
 */
import type { Db } from '../db/client';
import {
  ruleTraffic,
  type SeriesGrouping,
  type SeriesTraffic,
} from '../queries/alerts-measure';
import { resolveWindow, type ResolvedWindow } from '../queries/traffic-filter';
import { mtlsRuleSeries, type MtlsSeries } from '../mtls/rule-series';
import { addTally, emptyTally, type Tally, type Volume } from '../mtls/tally';
import {
  addMeasures,
  emptyMeasures,
  type TrafficMeasures,
} from '../topology/measures';
import type { RuleScope } from './rule-schema';

const MINUTE_MS = 60_000;

/** Whole minutes read together, and the share of their traffic that lies in the window. */
export interface WindowPart {
  window: ResolvedWindow;
  weight: number;
}

export interface RuleWindow {
  fromMs: number;
  toMs: number;
  /** One to three runs of whole minutes: a partial first minute, full ones, a partial last one. */
  parts: WindowPart[];
  /** Length of the window in seconds (rates divide by it). */
  seconds: number;
}

/**
 * The window [fromMs, toMs) as weighted runs of minutes; the data is complete up to
 * `dataUntilMs` (now, for a live evaluation), later data of a minute has not arrived yet.
 */
export function ruleWindow(
  fromMs: number,
  toMs: number,
  dataUntilMs: number = toMs,
): RuleWindow {
  if (!(toMs > fromMs))
    throw new RangeError('the window must end after it starts');
  const dataEnd = Math.max(dataUntilMs, toMs);
  const first = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  const last = Math.floor((toMs - 1) / MINUTE_MS) * MINUTE_MS;
  const weightOf = (m: number) => {
    const inWindow = Math.min(m + MINUTE_MS, toMs) - Math.max(m, fromMs);
    const withData = Math.min(m + MINUTE_MS, dataEnd) - m;
    return inWindow / withData;
  };
  const parts: WindowPart[] = [];
  const push = (startMs: number, endMs: number, weight: number) => {
    if (endMs > startMs && weight > 0)
      parts.push({
        window: resolveWindow({
          fromMs: startMs,
          toMs: endMs,
          nowMs: dataEnd,
        }),
        weight,
      });
  };
  const firstWeight = weightOf(first);
  if (first === last) {
    push(first, first + MINUTE_MS, firstWeight);
  } else {
    const lastWeight = weightOf(last);
    const fullFrom = firstWeight === 1 ? first : first + MINUTE_MS;
    const fullTo = lastWeight === 1 ? last + MINUTE_MS : last;
    if (fullFrom > first) push(first, fullFrom, firstWeight);
    push(fullFrom, fullTo, 1);
    if (fullTo <= last) push(last, last + MINUTE_MS, lastWeight);
  }
  return { fromMs, toMs, parts, seconds: (toMs - fromMs) / 1000 };
}

/** `m` times `k` (a new object). */
export function scaledMeasures(m: TrafficMeasures, k: number): TrafficMeasures {
  const out = addMeasures(emptyMeasures(), m);
  if (k === 1) return out;
  for (const key of [
    'requests',
    'errors',
    'clientErrors',
    'connections',
    'bytesSent',
    'bytesReceived',
    'durationSumMs',
    'sampledSpans',
  ] as const)
    out[key] *= k;
  for (const b of Object.keys(out.buckets)) out.buckets[b]! *= k;
  for (const key of Object.keys(out.mtls) as (keyof typeof out.mtls)[])
    out.mtls[key] *= k;
  return out;
}

/** `t` times `k` (a new object). */
export function scaledTally(t: Tally, k: number): Tally {
  const out = addTally(emptyTally(), t);
  const scale = (v: Volume) => {
    v.requests *= k;
    v.connections *= k;
    v.bytes *= k;
  };
  if (k !== 1)
    [out.total, out.mtls, out.plaintext, out.reportedOnly].forEach(scale);
  return out;
}

const keyOf = (labels: Record<string, string>) => JSON.stringify(labels);

/** ruleTraffic over a weighted window: each series' traffic, its minutes weighted. */
export async function windowTraffic(
  db: Db,
  scope: RuleScope,
  grouping: SeriesGrouping,
  rw: RuleWindow,
  opts: { flags?: boolean } = {},
): Promise<SeriesTraffic[]> {
  const reads = await Promise.all(
    rw.parts.map((p) => ruleTraffic(db, scope, grouping, p.window, opts)),
  );
  const out = new Map<string, SeriesTraffic>();
  reads.forEach((series, i) => {
    const k = rw.parts[i]!.weight;
    for (const s of series) {
      let acc = out.get(keyOf(s.labels));
      if (!acc) {
        acc = {
          labels: s.labels,
          measures: emptyMeasures(),
          ...(opts.flags ? { byFlags: new Map() } : {}),
        };
        out.set(keyOf(s.labels), acc);
      }
      addMeasures(acc.measures, scaledMeasures(s.measures, k));
      for (const [flags, m] of s.byFlags ?? []) {
        const have = acc.byFlags!.get(flags) ?? emptyMeasures();
        acc.byFlags!.set(flags, addMeasures(have, scaledMeasures(m, k)));
      }
    }
  });
  return [...out.values()];
}

/** mtlsRuleSeries over a weighted window: each series' tally, its minutes weighted. */
export async function windowMtlsSeries(
  db: Db,
  scope: RuleScope,
  grouping: SeriesGrouping,
  rw: RuleWindow,
): Promise<MtlsSeries[]> {
  const reads = await Promise.all(
    rw.parts.map((p) => mtlsRuleSeries(db, scope, grouping, p.window)),
  );
  const out = new Map<string, MtlsSeries>();
  reads.forEach((series, i) => {
    const k = rw.parts[i]!.weight;
    for (const s of series) {
      const acc = out.get(keyOf(s.labels)) ?? {
        labels: s.labels,
        tally: emptyTally(),
      };
      addTally(acc.tally, scaledTally(s.tally, k));
      out.set(keyOf(s.labels), acc);
    }
  });
  return [...out.values()];
}
