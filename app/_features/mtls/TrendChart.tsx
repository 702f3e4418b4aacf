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
import { ChartFrame } from '../charts/ChartFrame';
import {
  CHART_MARGIN,
  GRID,
  timeAxisProps,
  TOOLTIP_STYLE,
  tooltipTime,
  Y_TICK,
} from '../charts/time-axis';
import { prepareTrend, type TrendPointIn } from './prepare-mtls';

const LINES = {
  requests: { name: 'Requests', color: 'var(--accent)' },
  connections: { name: 'Connections', color: 'var(--ok)' },
  bytes: { name: 'Bytes', color: 'var(--warn)' },
} as const;

/** mTLS share over time (percent); gaps where no destination reported a policy. */
export function TrendChart({ points }: { points: readonly TrendPointIn[] }) {
  const trend = prepareTrend(points);
  return (
    <ChartFrame
      title="mTLS share over time"
      height={180}
      empty={
        trend.lines.length === 0
          ? 'No traffic with a known policy in this window'
          : null
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={trend.points} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis {...timeAxisProps(trend.points)} />
          <YAxis
            tick={Y_TICK}
            stroke="var(--border)"
            domain={[0, 100]}
            tickFormatter={(v: number) => `${v}%`}
            width={48}
          />
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={tooltipTime}
            formatter={(v) =>
              v === null || v === undefined
                ? 'unknown'
                : `${Number(v).toFixed(1)}%`
            }
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {trend.lines.map((k) => (
            <Line
              key={k}
              type="monotone"
              dataKey={k}
              name={LINES[k].name}
              stroke={LINES[k].color}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
