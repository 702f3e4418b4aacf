/**
 * One evaluation of one rule at one instant: the value of every series it covers and whether
 * the rule's condition holds for it. Reads ClickHouse (server/queries/alerts-measure.ts) and
 * writes nothing, so the same function serves the evaluator and "test this rule now".
 */
import type { Db } from '../db/client';
import type { SeriesTraffic } from '../queries/alerts-measure';
import { coverageOf, plaintextCount, trafficShare } from '../mtls/tally';
import type { TrafficMeasures } from '../topology/measures';
import { histogramQuantileMs } from '../topology/percentiles';
import { ruleTimings, type RuleSpec } from './rule-schema';
import { ruleWindow, windowMtlsSeries, windowTraffic } from './rule-window';

export interface SeriesResult {
  /** Scope and series labels (the rule's own labels are added when notifying). */
  labels: Record<string, string>;
  /** The watched figure (ratio 0..1, ms, or rate ratio); null when there is nothing to judge. */
  value: number | null;
  /** Whether the rule's condition holds for this series now. */
  active: boolean;
  /** Requests (+ connections) behind the value, in the window. */
  requests: number;
  /** Extra context for people, e.g. the baseline rate. */
  note?: string;
}

const total = (m: TrafficMeasures) => m.requests + m.connections;

/** Requests whose response flags include any of `flags` (flag sets are comma-joined). */
export function flaggedOf(
  byFlags: ReadonlyMap<string, TrafficMeasures>,
  flags: readonly string[],
): number {
  let n = 0;
  for (const [set, m] of byFlags) {
    if (set.split(',').some((f) => flags.includes(f))) n += total(m);
  }
  return n;
}

const keyOf = (labels: Record<string, string>) => JSON.stringify(labels);

/**
 * Values and conditions of every series of `spec` at `nowMs` (epoch ms). The window is the
 * `window` before `nowMs`, its partial minutes weighted (rule-window.ts); `dataUntilMs` is how
 * far the stored data reaches (the present: later than `nowMs` for a preview of a past instant).
 */
export async function evaluateRule(
  db: Db,
  spec: RuleSpec,
  nowMs: number,
  dataUntilMs: number = nowMs,
): Promise<SeriesResult[]> {
  const t = ruleTimings(spec);
  const w = ruleWindow(nowMs - t.windowMs, nowMs, dataUntilMs);
  const minRequests = Math.max(1, spec.minRequests);
  switch (spec.kind) {
    case 'error_rate':
    case 'latency_percentile': {
      const series = await windowTraffic(db, spec.scope, spec.groupBy, w);
      return series.map((s) => judge(spec, s, minRequests));
    }
    case 'mtls_coverage_below': {
      // The mTLS view's own figure (server/mtls): destination-reported, unknown left out.
      const series = await windowMtlsSeries(db, spec.scope, spec.groupBy, w);
      return series.map((s) => {
        const c = coverageOf(s.tally);
        const n =
          c.requests.mtls +
          c.requests.plaintext +
          c.requests.unknown +
          c.connections.mtls +
          c.connections.plaintext +
          c.connections.unknown;
        const value = trafficShare(s.tally);
        return {
          labels: s.labels,
          value,
          requests: n,
          active: n >= minRequests && value !== null && value < spec.threshold,
        };
      });
    }
    case 'response_flag_rate': {
      const series = await windowTraffic(db, spec.scope, spec.groupBy, w, {
        flags: true,
      });
      return series.map((s) => {
        const n = total(s.measures);
        const value =
          n > 0 ? flaggedOf(s.byFlags ?? new Map(), spec.flags) / n : null;
        return {
          labels: s.labels,
          value,
          requests: n,
          active: n >= minRequests && value !== null && value > spec.threshold,
        };
      });
    }
    case 'request_rate': {
      // The baseline ends where the window starts; the minute they share is split by time.
      const bw = ruleWindow(
        w.fromMs - (t.baselineMs ?? 3_600_000),
        w.fromMs,
        dataUntilMs,
      );
      const [current, baseline] = await Promise.all([
        windowTraffic(db, spec.scope, spec.groupBy, w),
        windowTraffic(db, spec.scope, spec.groupBy, bw),
      ]);
      const now = new Map(current.map((s) => [keyOf(s.labels), s]));
      const all = new Map(baseline.map((s) => [keyOf(s.labels), s]));
      for (const s of current)
        if (!all.has(keyOf(s.labels)))
          all.set(keyOf(s.labels), {
            ...s,
            measures: { ...s.measures, requests: 0, connections: 0 },
          });
      return [...all.entries()].map(([k, base]) => {
        const cur = now.get(k);
        const curRate = cur ? total(cur.measures) / w.seconds : 0;
        const baseRate = total(base.measures) / bw.seconds;
        const value =
          baseRate > 0 && total(base.measures) >= minRequests
            ? curRate / baseRate
            : null;
        const active =
          value !== null &&
          (spec.direction === 'drop'
            ? value < spec.threshold
            : value > spec.threshold);
        return {
          labels: base.labels,
          value,
          active,
          requests: cur ? total(cur.measures) : 0,
          note: `${curRate.toFixed(3)} req/s now, ${baseRate.toFixed(3)} req/s baseline`,
        };
      });
    }
    case 'new_plaintext_edge': {
      // Plaintext in the window's first (partial) minute is new: the baseline is the minutes
      // before it, so no minute is both "before" and "now".
      const firstMinuteMs = w.parts[0]!.window.startMs;
      const bw = ruleWindow(
        firstMinuteMs - (t.baselineMs ?? 86_400_000),
        firstMinuteMs,
        dataUntilMs,
      );
      const [current, baseline] = await Promise.all([
        windowMtlsSeries(db, spec.scope, 'edge', w),
        windowMtlsSeries(db, spec.scope, 'edge', bw),
      ]);
      const before = new Map(
        baseline.map((s) => [keyOf(s.labels), plaintextCount(s.tally)]),
      );
      return current.map((s) => {
        const value = plaintextCount(s.tally);
        const seenBefore = (before.get(keyOf(s.labels)) ?? 0) > 0;
        return {
          labels: s.labels,
          value,
          requests: Math.max(
            s.tally.total.requests + s.tally.total.connections,
            value + s.tally.mtls.requests + s.tally.mtls.connections,
          ),
          active: value >= spec.threshold && !seenBefore,
          ...(seenBefore
            ? { note: 'plaintext before the window too: not new' }
            : {}),
        };
      });
    }
  }
}

/** Ratio and latency rules: the figure of one series against the threshold. */
function judge(
  spec: Extract<RuleSpec, { kind: 'error_rate' | 'latency_percentile' }>,
  s: SeriesTraffic,
  minRequests: number,
): SeriesResult {
  const m = s.measures;
  const n = total(m);
  let value: number | null;
  let active: boolean;
  if (spec.kind === 'error_rate') {
    value = m.requests > 0 ? m.errors / m.requests : null;
    active =
      m.requests >= minRequests && value !== null && value > spec.threshold;
  } else {
    value = histogramQuantileMs(spec.percentile, m.buckets);
    active =
      m.requests >= minRequests && value !== null && value > spec.threshold;
  }
  return { labels: s.labels, value, active, requests: n };
}
