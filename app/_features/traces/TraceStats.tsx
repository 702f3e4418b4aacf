import { formatPercent } from '../charts/format';
import type { StatsRow } from './trace-stats';
import { formatDurationUs } from './view-math';

/** Per service and operation: count, durations and self time (where the time really went). */
export function TraceStats({
  rows,
  colorOf,
}: {
  rows: StatsRow[];
  colorOf: Map<string, string>;
}) {
  return (
    <table className="data-table compact" aria-label="Trace statistics">
      <thead>
        <tr>
          <th>Service</th>
          <th>Operation</th>
          <th className="num">Spans</th>
          <th className="num">Errors</th>
          <th className="num">Total</th>
          <th className="num">Avg</th>
          <th className="num">Max</th>
          <th className="num">Self total</th>
          <th className="num">Self avg</th>
          <th className="num">Self % of trace</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.service}\u0000${r.operation}`}>
            <td className="name-cell">
              <span
                className="swatch"
                style={{ background: colorOf.get(r.service) }}
              />
              {r.service}
            </td>
            <td className="name-cell">{r.operation}</td>
            <td className="num">{r.count}</td>
            <td className={r.errors ? 'num tone-bad' : 'num'}>{r.errors}</td>
            <td className="num">{formatDurationUs(r.totalUs)}</td>
            <td className="num">{formatDurationUs(r.avgUs)}</td>
            <td className="num">{formatDurationUs(r.maxUs)}</td>
            <td className="num">{formatDurationUs(r.selfTotalUs)}</td>
            <td className="num">{formatDurationUs(r.selfAvgUs)}</td>
            <td className="num">{formatPercent(r.selfShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
