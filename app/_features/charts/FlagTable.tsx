import { decodeFlags } from './flag-words';
import { formatCount, formatPercent } from './format';

export interface FlagRow {
  flags: string;
  requests: number;
  share: number;
}

/** Envoy response flags, decoded to words (requests without flags left out). */
export function FlagTable({ flags }: { flags: FlagRow[] }) {
  const rows = flags.filter((f) => f.flags !== '');
  if (rows.length === 0)
    return (
      <p className="empty-inline">
        No response flags: no request was refused, reset or timed out by a
        proxy.
      </p>
    );
  return (
    <table className="data-table compact" aria-label="Response flags">
      <thead>
        <tr>
          <th>Flags</th>
          <th>Meaning</th>
          <th className="num">Requests</th>
          <th className="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => (
          <tr key={f.flags}>
            <td>
              <code>{f.flags}</code>
            </td>
            <td>
              {decodeFlags(f.flags).map((w) => (
                <div key={w.short} title={w.meaning}>
                  {w.long}
                  <span className="muted small"> — {w.meaning}</span>
                </div>
              ))}
            </td>
            <td className="num">{formatCount(f.requests)}</td>
            <td className="num">{formatPercent(f.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
