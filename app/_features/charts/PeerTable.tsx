import type { PeerRow } from './detail-types';
import { formatMs, formatPercent, formatRate } from './format';

function peerName(p: PeerRow): string {
  if (p.workload === '' && p.service === '')
    return 'unknown (outside the mesh)';
  const name = p.workload || p.service;
  return p.namespace ? `${p.namespace}/${name}` : name;
}

/** Top callers or callees with their figures. Names are telemetry: rendered as text only. */
export function PeerTable({
  title,
  peers,
}: {
  title: string;
  peers: PeerRow[];
}) {
  if (peers.length === 0)
    return (
      <p className="empty-inline">No {title.toLowerCase()} in this window.</p>
    );
  return (
    <table className="data-table compact" aria-label={title}>
      <thead>
        <tr>
          <th>{title}</th>
          <th className="num">Req/s</th>
          <th className="num">Errors</th>
          <th className="num">p95</th>
        </tr>
      </thead>
      <tbody>
        {peers.map((p) => (
          <tr key={`${p.namespace}/${p.workload}/${p.service}/${p.version}`}>
            <td className="name-cell">
              {peerName(p)}
              {p.version ? <span className="muted"> {p.version}</span> : null}
            </td>
            <td className="num">
              {formatRate(
                p.requests > 0 ? p.requestsPerSecond : p.connectionsPerSecond,
              )}
            </td>
            <td className="num">{formatPercent(p.errorRatio)}</td>
            <td className="num">{formatMs(p.latencyMs.p95)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
