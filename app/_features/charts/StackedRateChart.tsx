'use client';

import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from './ChartFrame';
import { formatRate } from './format';
import type { StackedSeries } from './prepare-series';
import {
  CHART_MARGIN,
  GRID,
  timeAxisProps,
  TOOLTIP_STYLE,
  tooltipTime,
  Y_TICK,
} from './time-axis';

/** Rates per key (response classes, flags) stacked over time. */
export function StackedRateChart({
  title,
  series,
  colorOf,
  empty,
}: {
  title: string;
  series: StackedSeries;
  colorOf: (key: string, i: number) => string;
  empty: string;
}) {
  return (
    <ChartFrame title={title} empty={series.keys.length === 0 ? empty : null}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={series.points} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis {...timeAxisProps(series.points)} />
          <YAxis
            tick={Y_TICK}
            stroke="var(--border)"
            tickFormatter={(v: number) => formatRate(v)}
            width={48}
          />
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={tooltipTime}
            formatter={(v) => `${formatRate(Number(v))}/s`}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {series.keys.map((k, i) => (
            <Area
              key={k}
              type="monotone"
              dataKey={k}
              stackId="1"
              stroke={colorOf(k, i)}
              fill={colorOf(k, i)}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
