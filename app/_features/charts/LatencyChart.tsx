'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from './ChartFrame';
import { formatMs } from './format';
import { paletteColor, type LatencyPoint } from './prepare-series';
import {
  CHART_MARGIN,
  GRID,
  timeAxisProps,
  TOOLTIP_STYLE,
  tooltipTime,
  Y_TICK,
} from './time-axis';

const LINES = ['p50', 'p90', 'p95', 'p99'] as const;

/** p50/p90/p95/p99 over time, from histogram buckets. */
export function LatencyChart({ points }: { points: LatencyPoint[] }) {
  const empty = points.every((p) => p.p50 === null)
    ? 'No request latencies in this window'
    : null;
  return (
    <ChartFrame title="Latency" empty={empty} height={170}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis {...timeAxisProps(points)} />
          <YAxis
            tick={Y_TICK}
            stroke="var(--border)"
            tickFormatter={(v: number) => formatMs(v)}
            width={60}
          />
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={tooltipTime}
            formatter={(v) => formatMs(v === null ? null : Number(v))}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {LINES.map((k, i) => (
            <Line
              key={k}
              type="monotone"
              dataKey={k}
              stroke={paletteColor(i)}
              dot={{ r: 1.5 }}
              strokeWidth={1.5}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
