'use client';

import {
  Bar,
  BarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from './ChartFrame';
import { formatNumber } from './format';
import type { HistogramBar } from './prepare-series';
import { CHART_MARGIN, TOOLTIP_STYLE, Y_TICK } from './time-axis';

/** Requests per latency bucket over the whole window. */
export function HistogramChart({ bars }: { bars: HistogramBar[] }) {
  return (
    <ChartFrame
      title="Latency histogram (requests per bucket)"
      empty={bars.length === 0 ? 'No request latencies in this window' : null}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={CHART_MARGIN}>
          <XAxis
            dataKey="label"
            tick={{ fontSize: 10, fill: 'var(--muted)' }}
            stroke="var(--border)"
            interval="preserveStartEnd"
          />
          <YAxis
            tick={Y_TICK}
            stroke="var(--border)"
            tickFormatter={(v: number) => formatNumber(v)}
            width={48}
          />
          <Tooltip
            {...TOOLTIP_STYLE}
            formatter={(v) => formatNumber(Number(v))}
          />
          <Bar
            dataKey="count"
            name="requests"
            fill="var(--accent)"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
