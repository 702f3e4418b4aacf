import { formatRate } from '../charts/format';
import { CoverageBar } from './CoverageBar';
import type { Coverage } from './mtls-types';
import {
  shareOrNone,
  shareTone,
  trafficSplit,
  type Split,
} from './prepare-mtls';

export interface CoverageRow extends Coverage {
  key: string;
  name: string;
  perSecond: number;
}

/** Groups (clusters, namespaces, services) with their shares; names rendered as text. */
export function CoverageTable({
  rows,
  label,
  nameHeader,
}: {
  rows: CoverageRow[];
  label: string;
  nameHeader: string;
}) {
  if (rows.length === 0)
    return <p className="empty-inline">No traffic in this window.</p>;
  return (
    <table className="data-table compact mtls-table" aria-label={label}>
      <thead>
        <tr>
          <th>{nameHeader}</th>
          <th className="num">Req+cx/s</th>
          <th className="num">Requests</th>
          <th className="num">Connections</th>
          <th className="num">Bytes</th>
          <th>mTLS / plaintext / unknown</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-state={r.state}>
            <td>{r.name}</td>
            <td className="num">{formatRate(r.perSecond)}</td>
            <ShareCell share={r.requestShare} split={r.requests} />
            <ShareCell share={r.connectionShare} split={r.connections} />
            <ShareCell share={r.byteShare} split={r.bytes} />
            <td className="bar-cell">
              <CoverageBar
                split={trafficSplit(r)}
                unit="requests + connections"
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ShareCell({
  share,
  split,
}: {
  share: number | null;
  split: Split;
}) {
  const tone = shareTone(share);
  return (
    <td
      className={`num${tone ? ` tone-${tone}` : ''}${share === null ? ' muted' : ''}`}
    >
      {shareOrNone(share, split)}
    </td>
  );
}
