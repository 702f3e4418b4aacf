import type { RouterOutputs } from '../../_trpc/client';
import { flagsInWords } from '../charts/flag-words';

type Line = RouterOutputs['traces']['accessLog'][number];

const peer = (p: Line['source']) =>
  p.workload ? `${p.workload}.${p.namespace}` : p.service || 'unknown';

/** Access-log lines of one request: who reported it, from/to, what and how it ended. */
export function AccessLogTable({ lines }: { lines: Line[] }) {
  return (
    <table className="data-table compact" aria-label="Access-log lines">
      <thead>
        <tr>
          <th>Time</th>
          <th>Reporter</th>
          <th>Source → destination</th>
          <th>Request</th>
          <th className="num">Code</th>
          <th>Flags</th>
          <th className="num">Duration</th>
          <th>Upstream cluster</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={`${l.timestamp}-${l.reporter}-${i}`}>
            <td className="num">
              {new Date(l.timestamp).toLocaleTimeString()}
            </td>
            <td>{l.reporter}</td>
            <td className="name-cell">
              {peer(l.source)} → {peer(l.destination)}
            </td>
            <td className="name-cell">
              {l.method} {l.authority}
              {l.path}
            </td>
            <td
              className={
                l.responseCode >= 500 || l.responseCode === 0
                  ? 'num tone-bad'
                  : 'num'
              }
            >
              {l.responseCode}
            </td>
            <td title={flagsInWords(l.responseFlags.join(','))}>
              {l.responseFlags.join(',') || '–'}
            </td>
            <td className="num">{l.durationMs} ms</td>
            <td className="name-cell mono small">{l.upstreamCluster}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
