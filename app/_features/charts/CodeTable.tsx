import { formatCount, formatPercent } from './format';
import { codeClassColor } from './prepare-series';

export interface CodeRow {
  label: string;
  class: string;
  requests: number;
  share: number;
}

/** Response codes (each request counted once), busiest first. */
export function CodeTable({ codes }: { codes: CodeRow[] }) {
  if (codes.length === 0)
    return <p className="empty-inline">No responses in this window.</p>;
  return (
    <table className="data-table compact" aria-label="Response codes">
      <thead>
        <tr>
          <th>Code</th>
          <th className="num">Requests</th>
          <th className="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {codes.map((c) => (
          <tr key={c.label}>
            <td>
              <span
                className="swatch"
                style={{ background: codeClassColor(c.class) }}
                aria-hidden="true"
              />
              {c.label}
              {c.label === '-' ? (
                <span className="muted"> (no response)</span>
              ) : null}
            </td>
            <td className="num">{formatCount(c.requests)}</td>
            <td className="num">{formatPercent(c.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
