/**
 * Scraped samples -> IngestSamples for one target: target labels added (Prometheus'
 * honor_labels: false), `le` / `quantile` canonical, series ids, duplicates dropped.
 * The reference path; fast-scrape.ts gives the same from the text with a per-target cache.
 */
import type { Labels, ParsedSample } from '../prometheus-shared/exposition';
import type { IngestSample } from '../prometheus-shared/ingest';
import {
  canonicalBound,
  seriesIdOfKey,
  seriesKey,
} from '../prometheus-shared/series';

export interface SeriesRef {
  name: string;
  labels: Labels;
  id: string;
  type: IngestSample['type'];
  cumulative: boolean;
}

/**
 * Adds target labels to a scraped sample (target labels win; a clashing scraped label is kept
 * as `exported_<name>`, Prometheus' honor_labels: false) and canonicalizes `le` / `quantile`.
 */
export function withTargetLabels(sample: ParsedSample, target: Labels): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(sample.labels)) {
    if (v === '') continue;
    const value = k === 'le' || k === 'quantile' ? canonicalBound(v) : v;
    out[target[k] !== undefined ? `exported_${k}` : k] = value;
  }
  for (const [k, v] of Object.entries(target)) out[k] = v;
  return out;
}

/**
 * The samples of one successful scrape, ready to ingest: target labels added, series ids, the
 * first of duplicate series kept, and `startsAtZero` for a series new on a target already scraped.
 */
export function scrapeSamples(
  parsed: ParsedSample[],
  target: Labels,
  scrapedAtMs: number,
  previous: ReadonlyMap<string, SeriesRef> = new Map(),
  everSucceeded = false,
): { samples: IngestSample[]; current: Map<string, SeriesRef> } {
  const samples: IngestSample[] = [];
  const current = new Map<string, SeriesRef>();
  for (const s of parsed) {
    const labels = withTargetLabels(s, target);
    const id = seriesIdOfKey(seriesKey(s.name, labels));
    const ref: SeriesRef = {
      name: s.name,
      labels,
      id,
      type: s.type,
      cumulative: s.cumulative,
    };
    if (current.has(id)) continue; // duplicate series in one exposition: keep the first
    current.set(id, ref);
    samples.push({
      name: s.name,
      labels,
      seriesId: id,
      value: s.value,
      tsMs: s.timestampMs ?? scrapedAtMs,
      stale: false,
      type: s.type,
      cumulative: s.cumulative,
      // A series that appears on a target we already scraped started at 0 since then.
      startsAtZero: everSucceeded && !previous.has(id),
    });
  }
  return { samples, current };
}
