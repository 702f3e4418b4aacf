/** Shared x-axis settings of time charts (epoch ms on a numeric axis). */
import { formatTick } from './format';

export function timeAxisProps(points: readonly { t: number }[]) {
  const first = points[0]?.t ?? 0;
  const last = points[points.length - 1]?.t ?? 0;
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [first, last] as [number, number],
    tickFormatter: (v: number) => formatTick(v, last - first),
    tick: { fontSize: 10, fill: 'var(--muted)' },
    stroke: 'var(--border)',
    minTickGap: 24,
  };
}

export const Y_TICK = { fontSize: 10, fill: 'var(--muted)' };

export function tooltipTime(v: unknown): string {
  return typeof v === 'number' ? new Date(v).toLocaleString() : String(v);
}

export const TOOLTIP_STYLE = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    fontSize: 12,
  },
  labelStyle: { color: 'var(--muted)' },
};

/** The margin every time chart uses (the Y axis labels sit in the left padding). */
export const CHART_MARGIN = { top: 4, right: 8, bottom: 0, left: -12 };

/** Horizontal grid lines only, in the theme's border colour. */
export const GRID = {
  stroke: 'var(--border)',
  strokeDasharray: '2 3',
  vertical: false,
} as const;
