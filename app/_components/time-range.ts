/**
 * Time ranges as the URL carries them: a preset ("15m": the last 15 minutes, live) or a custom
 * absolute window (`from`/`to`, epoch ms). Pure: parse, serialise, and the tRPC window input.
 */

export const PRESETS = [
  { key: '5m', label: 'Last 5 minutes', ms: 5 * 60_000 },
  { key: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 3600_000 },
  { key: '6h', label: 'Last 6 hours', ms: 6 * 3600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
] as const;

export type PresetKey = (typeof PRESETS)[number]['key'];
export const DEFAULT_PRESET: PresetKey = '15m';

export type TimeRange =
  | { kind: 'preset'; preset: PresetKey }
  | { kind: 'custom'; fromMs: number; toMs: number };

function timeOf(v: string | null): number | undefined {
  if (!v) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** `range=1h`, or `from=..&to=..` (epoch ms or ISO); anything else is the default preset. */
export function parseTimeRange(params: {
  get(name: string): string | null;
}): TimeRange {
  const from = timeOf(params.get('from'));
  const to = timeOf(params.get('to'));
  if (from !== undefined && to !== undefined && to > from)
    return { kind: 'custom', fromMs: from, toMs: to };
  const key = params.get('range');
  const preset = PRESETS.find((p) => p.key === key)?.key ?? DEFAULT_PRESET;
  return { kind: 'preset', preset };
}

/** URL parameters for a range (the other one's keys set to null, to be removed). */
export function timeRangeParams(r: TimeRange): Record<string, string | null> {
  if (r.kind === 'custom')
    return { range: null, from: String(r.fromMs), to: String(r.toMs) };
  return {
    range: r.preset === DEFAULT_PRESET ? null : r.preset,
    from: null,
    to: null,
  };
}

/** The tRPC window input: live presets ask for the last N ms, custom windows are absolute. */
export function windowInput(
  r: TimeRange,
): { lastMs: number } | { from: number; to: number } {
  if (r.kind === 'custom') return { from: r.fromMs, to: r.toMs };
  return { lastMs: PRESETS.find((p) => p.key === r.preset)?.ms ?? 15 * 60_000 };
}

/** The absolute window a range stands for right now (for links to other views). */
export function absoluteWindow(
  r: TimeRange,
  nowMs = Date.now(),
): { fromMs: number; toMs: number } {
  if (r.kind === 'custom') return { fromMs: r.fromMs, toMs: r.toMs };
  const ms = PRESETS.find((p) => p.key === r.preset)?.ms ?? 15 * 60_000;
  return { fromMs: nowMs - ms, toMs: nowMs };
}

/** `<input type="datetime-local">` value (local time, minutes) <-> epoch ms. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(v: string): number | undefined {
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
