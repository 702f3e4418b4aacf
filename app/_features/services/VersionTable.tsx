import type { RouterOutputs } from '../../_trpc/client';
import { formatMs, formatPercent, formatRate } from '../charts/format';

type Version = RouterOutputs['services']['byName']['versions'][number];

/** Inbound traffic per serving workload and version: the canary split. */
export function VersionTable({ versions }: { versions: Version[] }) {
  if (versions.length === 0) return null;
  const total = versions.reduce(
    (s, v) => s + v.requestsPerSecond + v.connectionsPerSecond,
    0,
  );
  return (
    <table className="data-table compact" aria-label="Versions">
      <thead>
        <tr>
          <th>Workload</th>
          <th>Version</th>
          <th className="num">Share</th>
          <th className="num">Req/s</th>
          <th className="num">Errors</th>
          <th className="num">p95</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={`${v.workload}/${v.version}`}>
            <td className="name-cell">
              {v.workload || (
                <span className="muted">
                  not named (traces and logs name only the service; or refused
                  before reaching one)
                </span>
              )}
            </td>
            <td>{v.version}</td>
            <td className="num">
              {total > 0
                ? formatPercent(
                    (v.requestsPerSecond + v.connectionsPerSecond) / total,
                  )
                : '–'}
            </td>
            <td className="num">
              {formatRate(v.requestsPerSecond || v.connectionsPerSecond)}
            </td>
            <td className="num">{formatPercent(v.errorRatio)}</td>
            <td className="num">{formatMs(v.latencyMs.p95)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
