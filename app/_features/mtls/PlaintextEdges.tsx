import Link from 'next/link';
import { formatNumber } from '../charts/format';
import type { EdgeRow } from './mtls-types';
import {
  bytesText,
  minuteText,
  peerName,
  serviceName,
  shareText,
  SIGNAL_WORDS,
} from './prepare-mtls';

/** Edges carrying plaintext: who sends it where, how much, and when it was seen. */
export function PlaintextEdges({
  edges,
  topologyQuery,
}: {
  edges: EdgeRow[];
  topologyQuery: string;
}) {
  if (edges.length === 0)
    return (
      <p className="empty-inline">
        No plaintext traffic in this window: every destination that reported a
        policy reported mutual TLS.
      </p>
    );
  return (
    <table
      className="data-table compact mtls-table"
      aria-label="Plaintext edges"
    >
      <thead>
        <tr>
          <th>Source</th>
          <th>Destination</th>
          <th>Protocol</th>
          <th className="num">Plaintext req+cx</th>
          <th className="num">Plaintext bytes</th>
          <th className="num">mTLS share</th>
          <th>First seen</th>
          <th>Last seen</th>
          <th>From</th>
        </tr>
      </thead>
      <tbody>
        {edges.map((e) => (
          <tr key={e.id} className="plaintext-edge" data-edge-id={e.id}>
            <td>{peerName(e.source)}</td>
            <td>
              <Link
                href={`/topology?${topologyQuery}${e.destination.namespace ? `&ns=${encodeURIComponent(e.destination.namespace)}` : ''}`}
              >
                {serviceName(e.destination)}
              </Link>
              {e.destination.workloads.length > 0 ? (
                <span className="muted">
                  {' '}
                  ({e.destination.workloads.join(', ')})
                </span>
              ) : null}
            </td>
            <td>{e.protocol}</td>
            <td className="num tone-bad">
              {formatNumber(e.requests.plaintext + e.connections.plaintext)}
            </td>
            <td className="num">{bytesText(e.bytes.plaintext)}</td>
            <td className="num">
              {shareText(e.requestShare ?? e.connectionShare)}
            </td>
            <td>{minuteText(e.plaintextFirstMs)}</td>
            <td>{minuteText(e.plaintextLastMs)}</td>
            <td className="muted">
              {e.signals.map((s) => SIGNAL_WORDS[s] ?? s).join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
