'use client';

import {
  CartesianGrid,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import { ChartFrame } from '../charts/ChartFrame';
import { formatMs, formatTick } from '../charts/format';
import { TOOLTIP_STYLE, Y_TICK } from '../charts/time-axis';
import { niceMax, timeTicks, type ScatterPoint } from './prepare-results';
import '../charts/charts.css';

/** Duration over time, one dot per trace (red with errors); a click opens the trace. */
export function TraceScatter({
  points,
  fromMs,
  toMs,
  onOpen,
}: {
  points: ScatterPoint[];
  fromMs: number;
  toMs: number;
  onOpen: (traceId: string) => void;
}) {
  const ok = points.filter((p) => p.errors === 0);
  const bad = points.filter((p) => p.errors > 0);
  const open = (d: unknown) => {
    const id = (d as { payload?: ScatterPoint } | undefined)?.payload?.traceId;
    if (id) onOpen(id);
  };
  return (
    <ChartFrame title="Duration over time" height={190}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="2 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[fromMs, toMs]}
            ticks={timeTicks(fromMs, toMs)}
            tickFormatter={(v: number) => formatTick(v, toMs - fromMs)}
            tick={Y_TICK}
            stroke="var(--border)"
            minTickGap={24}
            name="Start"
          />
          <YAxis
            dataKey="durationMs"
            type="number"
            domain={[0, (max: number) => niceMax(max)]}
            tick={Y_TICK}
            stroke="var(--border)"
            tickFormatter={(v: number) => formatMs(v)}
            width={64}
            name="Duration"
          />
          <ZAxis dataKey="spans" range={[30, 220]} name="Spans" />
          <Tooltip
            {...TOOLTIP_STYLE}
            cursor={{ strokeDasharray: '3 3' }}
            formatter={(v, name) =>
              name === 'Start'
                ? new Date(Number(v)).toLocaleTimeString()
                : name === 'Duration'
                  ? formatMs(Number(v))
                  : String(v)
            }
          />
          <Scatter
            name="Traces"
            data={ok}
            fill="var(--accent)"
            fillOpacity={0.65}
            onClick={open}
            cursor="pointer"
            isAnimationActive={false}
          />
          <Scatter
            name="Traces with errors"
            data={bad}
            fill="var(--bad)"
            fillOpacity={0.75}
            onClick={open}
            cursor="pointer"
            isAnimationActive={false}
          />
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
