'use client';

import Link from 'next/link';
import type { RouterOutputs } from '../../_trpc/client';
import {
  clockTime,
  codeTone,
  lineFlags,
  peerLabel,
  topologyLink,
  traceLink,
} from './prepare-logs';

export type LogLine = RouterOutputs['requests']['search']['requests'][number];

const stop = (e: { stopPropagation(): void }) => e.stopPropagation();

/** One access-log line per row; a click (or Enter) on a row opens all its fields. */
export function LogsTable({
  lines,
  window,
  selected,
  onSelect,
}: {
  lines: LogLine[];
  window: { fromMs: number; toMs: number };
  selected: number | null;
  onSelect: (i: number | null) => void;
}) {
  return (
    <table
      className="data-table compact logs-table"
      aria-label="Access-log lines"
    >
      <thead>
        <tr>
          <th>Time</th>
          <th>Reporter</th>
          <th>Source → destination</th>
          <th>Method</th>
          <th>Authority and path</th>
          <th className="num">Code</th>
          <th>Flags</th>
          <th className="num">Duration</th>
          <th>mTLS</th>
          <th>Request id</th>
          <th>Trace id</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => {
          const edge = topologyLink(l, window);
          const trace = traceLink(l.traceId);
          const flags = lineFlags(l);
          return (
            <tr
              key={`${l.timestamp}-${l.reporter}-${l.requestId}-${i}`}
              className={selected === i ? 'selected' : undefined}
              aria-selected={selected === i}
              tabIndex={0}
              onClick={() => onSelect(selected === i ? null : i)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(selected === i ? null : i);
                }
              }}
            >
              <td className="num" title={l.timestamp}>
                {clockTime(l.timestamp)}
              </td>
              <td>{l.reporter}</td>
              <td className="name-cell">
                {edge ? (
                  <Link
                    href={edge}
                    onClick={stop}
                    title="Open this edge in the topology"
                  >
                    {peerLabel(l.source)} → {peerLabel(l.destination)}
                  </Link>
                ) : (
                  <>
                    {peerLabel(l.source)} → {peerLabel(l.destination)}
                  </>
                )}
              </td>
              <td>{l.method || (l.kind === 'tcp' ? 'TCP' : '–')}</td>
              <td className="name-cell path-cell">
                <span className="muted">{l.authority}</span>
                {l.path}
              </td>
              <td className={`num ${codeTone(l.responseCode)}`}>
                {l.responseCode}
              </td>
              <td className="flags-cell">
                {flags.length === 0
                  ? '–'
                  : flags.map((f) => (
                      <abbr
                        key={f.short}
                        className="flag"
                        title={`${f.long}: ${f.meaning}`}
                      >
                        {f.short}
                      </abbr>
                    ))}
              </td>
              <td className="num">{l.durationMs} ms</td>
              <td>{l.mtls}</td>
              <td className="mono small">{l.requestId || '–'}</td>
              <td className="mono small">
                {trace ? (
                  <Link href={trace} onClick={stop} title="Open the trace">
                    {l.traceId.slice(0, 16)}
                  </Link>
                ) : (
                  l.traceId || '–'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
