/** Number formatting for figures, tables and chart axes. Pure; units in the names. */

const DASH = '–';

/** Significant-ish digits: 0.0123, 1.23, 12.3, 123, 1.2k, 3.4M. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 0.01) return n.toFixed(2);
  return '<0.01';
}

/** Requests (or connections) per second. */
export function formatRate(perSecond: number): string {
  return formatNumber(perSecond);
}

/** A 0..1 ratio as a percentage: 0%, 0.52%, 12.3%, 100%; null -> dash. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio))
    return DASH;
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  if (p < 10) return `${p.toFixed(2).replace(/\.?0+$/, '')}%`;
  if (p < 100) return `${p.toFixed(1).replace(/\.0$/, '')}%`;
  return '100%';
}

/** Milliseconds: 0.42 ms, 12.3 ms, 2.05 s; null -> dash. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Bytes per second: 512 B/s, 1.5 KiB/s, 3.2 MiB/s. */
export function formatBytesRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return DASH;
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let v = bytesPerSecond;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** A clock time for chart axes: 14:05 (local), with the date when the span is over a day. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (spanMs <= 24 * 3600_000) return hm;
  return `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
}

/** A count: whole numbers as they are (12, 135, 9,876), 12.3k from 10,000; fractions (scaled samples) rounded. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  if (Math.abs(n) >= 1e4) return formatNumber(n);
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}
