/**
 * Series identity: one 64-bit id per label set (metric name included), stable across processes,
 * restarts and sources, so metric_series and metric_samples join on it.
 */
import { createHash } from 'node:crypto';
import type { Labels } from './exposition';

/**
 * The canonical text of a series: name, then labels sorted by name, separated by bytes that
 * cannot appear unescaped in either (0xff never occurs in UTF-8).
 */
export function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = name;
  for (const k of keys) key += `\xff${k}\xff${labels[k]}`;
  return key;
}

/**
 * SeriesId of a label set: the first 8 bytes of SHA-256 of seriesKey, as an unsigned decimal
 * string (UInt64 does not fit a JS number; rows carry it as a string).
 */
export function seriesIdOfKey(key: string): string {
  return createHash('sha256')
    .update(key)
    .digest()
    .readBigUInt64BE(0)
    .toString();
}

export function seriesId(name: string, labels: Labels): string {
  return seriesIdOfKey(seriesKey(name, labels));
}

/**
 * Canonical text of an `le` / `quantile` bound, so 0.0.4's `"1"`, OpenMetrics' `"1.0"` and
 * `"1e+06"` are one series: the shortest JS number text (`1`, `0.5`, `1000000`, `+Inf`).
 * Returns the input unchanged when it is not a number.
 */
export function canonicalBound(text: string): string {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return '+Inf';
  if (lower === '-inf') return '-Inf';
  const n = Number(text);
  return text.length > 0 && Number.isFinite(n) ? String(n) : text;
}

/** Millisecond epoch -> the ISO text rows carry (`2026-11-24T10:00:00.123Z`). */
let lastIsoMs = NaN;
let lastIso = '';
export function isoOfMs(ms: number): string {
  // Samples of one scrape or request share timestamps: remember the last one.
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}
