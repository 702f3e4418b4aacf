/**
 * The traffic an alert rule watches, read with the dashboard's own count-once breakdowns
 * (traffic.ts over edge-selection.ts), so a rule's value is the figure the dashboard shows for
 * the same scope and window. One read per window; grouping by service or edge when the rule
 * fans out into one alert per series.
 */
import type { Db } from '../db/client';
import type { RuleScope } from '../alerts/rule-schema';
import {
  addMeasures,
  emptyMeasures,
  type TrafficMeasures,
} from '../topology/measures';
import { trafficBy, type Dimension } from './traffic';
import {
  resolveWindow,
  type ResolvedWindow,
  type TrafficFilter,
} from './traffic-filter';

export type SeriesGrouping = 'none' | 'service' | 'edge';

/** One group of counted traffic, with the alert labels that name it. */
export interface SeriesTraffic {
  labels: Record<string, string>;
  measures: TrafficMeasures;
  /** Per response-flag set ('' for none) when asked for flags. */
  byFlags?: Map<string, TrafficMeasures>;
}

/** The traffic a scope covers: into a namespace or service, or along one edge. */
export function scopeFilter(scope: RuleScope): TrafficFilter {
  switch (scope.type) {
    case 'mesh':
      return {};
    case 'namespace':
      return { destinationNamespaces: [scope.namespace] };
    case 'service':
      return {
        destination: { namespace: scope.namespace, service: scope.service },
      };
    case 'edge':
      return {
        source: {
          namespace: scope.source.namespace,
          service: scope.source.service,
        },
        destination: {
          namespace: scope.destination.namespace,
          service: scope.destination.service,
        },
      };
  }
}

/** Labels every alert of a scope carries (before per-series labels). */
export function scopeLabels(scope: RuleScope): Record<string, string> {
  switch (scope.type) {
    case 'mesh':
      return {};
    case 'namespace':
      return { namespace: scope.namespace };
    case 'service':
      return { namespace: scope.namespace, service: scope.service };
    case 'edge':
      return {
        source_namespace: scope.source.namespace,
        source_service: scope.source.service,
        destination_namespace: scope.destination.namespace,
        destination_service: scope.destination.service,
      };
  }
}

const DIMS: Record<SeriesGrouping, Dimension[]> = {
  none: [],
  service: ['service'],
  edge: ['sourceService', 'service'],
};

const orUnknown = (v: string | undefined) => (v ? v : 'unknown');

/** Breakdown key -> alert labels. */
export function seriesLabels(
  grouping: SeriesGrouping,
  key: Record<string, string>,
): Record<string, string> {
  if (grouping === 'service')
    return { namespace: orUnknown(key.dns), service: orUnknown(key.dsvc) };
  if (grouping === 'edge')
    return {
      source_namespace: orUnknown(key.sns),
      source_service: orUnknown(key.ssvc),
      destination_namespace: orUnknown(key.dns),
      destination_service: orUnknown(key.dsvc),
    };
  return {};
}

/** The window ending `endMs` and lasting `lengthMs`, in whole rollup minutes. */
export function alertWindow(
  endMs: number,
  lengthMs: number,
  nowMs: number,
): ResolvedWindow {
  return resolveWindow({ fromMs: endMs - lengthMs, toMs: endMs, nowMs });
}

/**
 * Counted traffic of a scope over a window, one entry per series (one only when not grouped;
 * present even without traffic). With `flags`, each entry also holds its traffic per flag set.
 */
export async function ruleTraffic(
  db: Db,
  scope: RuleScope,
  grouping: SeriesGrouping,
  w: ResolvedWindow,
  opts: { flags?: boolean } = {},
): Promise<SeriesTraffic[]> {
  const dims: Dimension[] = [
    ...DIMS[grouping],
    ...(opts.flags ? (['flags'] as const) : []),
  ];
  const rows = await trafficBy(db, w, scopeFilter(scope), dims, {
    limit: 20_000,
    onlyWithTraffic: grouping !== 'none',
  });
  const base = scopeLabels(scope);
  const out = new Map<string, SeriesTraffic>();
  for (const r of rows) {
    const labels = { ...base, ...seriesLabels(grouping, r.key) };
    const id = JSON.stringify(labels);
    let s = out.get(id);
    if (!s) {
      s = {
        labels,
        measures: emptyMeasures(),
        ...(opts.flags ? { byFlags: new Map() } : {}),
      };
      out.set(id, s);
    }
    addMeasures(s.measures, r.measures);
    if (s.byFlags) s.byFlags.set(r.key.flags ?? '', r.measures);
  }
  if (grouping === 'none' && out.size === 0)
    out.set('{}', {
      labels: base,
      measures: emptyMeasures(),
      ...(opts.flags ? { byFlags: new Map() } : {}),
    });
  return [...out.values()];
}
