import { formatCount, formatPercent } from './format';
import { ChartFrame } from './ChartFrame';
import { prepareHeatmap, type HeatmapInput } from './prepare-heatmap';

/**
 * Latency over time as a heatmap (Grafana's Istio dashboards' "request duration heatmap"):
 * one column per step, one row per latency bucket (slowest on top), darker = more of that
 * step's requests. Plain SVG; tooltips are <title> text.
 */
export function LatencyHeatmap({ steps }: { steps: readonly HeatmapInput[] }) {
  const h = prepareHeatmap(steps);
  const cols = h.times.length;
  const rows = h.rows.length;
  return (
    <ChartFrame
      title="Latency heatmap (share of each step's requests per bucket)"
      empty={rows === 0 ? 'No request latencies in this window' : null}
    >
      <div className="heatmap">
        <svg
          viewBox={`0 0 ${Math.max(cols, 1)} ${Math.max(rows, 1)}`}
          preserveAspectRatio="none"
          role="img"
          aria-label="Latency heatmap"
        >
          {h.cells.map((row, r) =>
            row.map((c, i) =>
              c.count > 0 ? (
                <rect
                  key={`${r}-${i}`}
                  x={i}
                  y={rows - 1 - r}
                  width={1}
                  height={1}
                  fill="var(--accent)"
                  fillOpacity={0.12 + 0.88 * c.share}
                >
                  <title>{`${new Date(h.times[i]!).toLocaleTimeString()} · ${h.rows[r]} · ${formatCount(c.count)} (${formatPercent(c.share)})`}</title>
                </rect>
              ) : null,
            ),
          )}
        </svg>
        <div className="heatmap-axis muted small">
          <span>{h.rows[rows - 1]}</span>
          <span>{h.rows[0]}</span>
        </div>
      </div>
    </ChartFrame>
  );
}
