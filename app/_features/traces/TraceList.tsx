import Link from 'next/link';
import type { CSSProperties } from 'react';
import type { RouterOutputs } from '../../_trpc/client';
import { formatMs } from '../charts/format';
import { chipHue } from './prepare-results';

type Summary = RouterOutputs['traces']['search']['traces'][number];

/** One row per trace: root span, services with span counts, duration, spans, errors, start. */
export function TraceList({ traces }: { traces: Summary[] }) {
  return (
    <table className="data-table compact trace-list" aria-label="Traces">
      <thead>
        <tr>
          <th>Root span</th>
          <th>Services (spans)</th>
          <th className="num">Duration</th>
          <th className="num">Spans</th>
          <th className="num">Errors</th>
          <th className="num">Start</th>
        </tr>
      </thead>
      <tbody>
        {traces.map((t) => (
          <tr key={t.traceId} data-trace-id={t.traceId}>
            <td className="name-cell">
              <Link href={`/traces/${t.traceId}`} className="trace-link">
                <strong>{t.root.service}</strong>: {t.root.name}
              </Link>
              {t.root.complete ? null : (
                <span
                  className="badge badge-warn"
                  title="No span of this trace without a parent was received: this is its earliest span"
                >
                  root missing
                </span>
              )}
              <div className="muted small mono">{t.traceId}</div>
            </td>
            <td>
              <ul className="service-chips">
                {t.services.map((s) => (
                  <li
                    key={s.service}
                    style={
                      { '--chip-hue': chipHue(s.service) } as CSSProperties
                    }
                    className={s.errors > 0 ? 'chip chip-error' : 'chip'}
                    title={
                      s.errors > 0 ? `${s.errors} error span(s)` : undefined
                    }
                  >
                    {s.service} <span className="chip-count">{s.spans}</span>
                  </li>
                ))}
              </ul>
            </td>
            <td className="num">{formatMs(t.durationMs)}</td>
            <td className="num">{t.spanCount}</td>
            <td className={t.errorCount > 0 ? 'num tone-bad' : 'num'}>
              {t.errorCount}
            </td>
            <td className="num" title={new Date(t.startMs).toISOString()}>
              {new Date(t.startMs).toLocaleTimeString()}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
