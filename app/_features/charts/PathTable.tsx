import { formatCount, formatMs, formatPercent } from './format';

export interface PathTableRow {
  method: string;
  path: string;
  route: string;
  requests: number;
  errorRatio: number;
  p95Ms: number;
}

/**
 * Top routes and paths (from the access logs), busiest first. Paths are telemetry: rendered
 * as React text only.
 */
export function PathTable({
  paths,
  totalRequests,
  side,
}: {
  paths: PathTableRow[];
  totalRequests: number;
  side: 'source' | 'destination' | null;
}) {
  if (paths.length === 0)
    return (
      <p className="empty-inline">
        No access-log lines for this traffic in the window: paths come from
        Envoy access logs (metrics and sampled traces do not keep them).
      </p>
    );
  return (
    <>
      <table className="data-table compact" aria-label="Top paths">
        <thead>
          <tr>
            <th>Path</th>
            <th>Route</th>
            <th className="num">Requests</th>
            <th className="num">Share</th>
            <th className="num">Errors</th>
            <th className="num">p95</th>
          </tr>
        </thead>
        <tbody>
          {paths.map((p) => (
            <tr key={`${p.method} ${p.path} ${p.route}`}>
              <td className="path-cell" title={`${p.method} ${p.path}`}>
                <span className="muted">{p.method}</span> {p.path || '-'}
              </td>
              <td>{p.route || <span className="muted">-</span>}</td>
              <td className="num">{formatCount(p.requests)}</td>
              <td className="num">
                {formatPercent(
                  totalRequests > 0 ? p.requests / totalRequests : 0,
                )}
              </td>
              <td className="num">{formatPercent(p.errorRatio)}</td>
              <td className="num">{formatMs(p.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        From the {side === 'destination' ? 'server' : 'client'} sidecar&apos;s
        access-log lines, one per request; query strings left out.
      </p>
    </>
  );
}
