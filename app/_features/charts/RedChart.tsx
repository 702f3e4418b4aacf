'use client';

import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from './ChartFrame';
import { formatRate } from './format';
import type { RedPoint } from './prepare-series';
import {
  CHART_MARGIN,
  GRID,
  timeAxisProps,
  TOOLTIP_STYLE,
  tooltipTime,
  Y_TICK,
} from './time-axis';

/** Requests/s stacked as successes and errors (TCP: connections/s). */
export function RedChart({
  points,
  tcp,
}: {
  points: RedPoint[];
  tcp: boolean;
}) {
  const empty = points.every((p) => p.ok === 0 && p.errors === 0)
    ? 'No traffic in this window'
    : null;
  return (
    <ChartFrame
      title={tcp ? 'Connections/s' : 'Requests/s (errors in red)'}
      empty={empty}
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis {...timeAxisProps(points)} />
          <YAxis
            tick={Y_TICK}
            stroke="var(--border)"
            tickFormatter={(v: number) => formatRate(v)}
            width={48}
          />
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={tooltipTime}
            formatter={(v) => formatRate(Number(v))}
          />
          <Area
            type="monotone"
            dataKey="ok"
            name={tcp ? 'connections/s' : 'ok/s'}
            stackId="1"
            stroke="var(--ok)"
            fill="var(--ok)"
            fillOpacity={0.25}
            isAnimationActive={false}
          />
          {tcp ? null : (
            <Area
              type="monotone"
              dataKey="errors"
              name="errors/s"
              stackId="1"
              stroke="var(--bad)"
              fill="var(--bad)"
              fillOpacity={0.5}
              isAnimationActive={false}
            />
          )}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
