'use client';

import Link from 'next/link';
import type { RouterOutputs } from '../../_trpc/client';
import { formatMs, formatPercent, formatRate } from '../charts/format';
import { Sparkline } from '../charts/Sparkline';
import type { SortKey } from './prepare-services';

type Service = RouterOutputs['services']['list']['services'][number];

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'service', label: 'Service' },
  { key: 'namespace', label: 'Namespace' },
  { key: 'requestsPerSecond', label: 'Req/s', num: true },
  { key: 'errorRatio', label: 'Errors', num: true },
  { key: 'clientErrorRatio', label: '4xx', num: true },
  { key: 'p50', label: 'p50', num: true },
  { key: 'p95', label: 'p95', num: true },
  { key: 'p99', label: 'p99', num: true },
  { key: 'mtlsShare', label: 'mTLS', num: true },
];

export interface ServicesTableProps {
  services: Service[];
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (key: SortKey) => void;
  linkQuery: string;
}

/** The service list; every telemetry string is rendered as text. */
export function ServicesTable({
  services,
  sort,
  dir,
  onSort,
  linkQuery,
}: ServicesTableProps) {
  return (
    <table className="data-table services-table" aria-label="Services">
      <thead>
        <tr>
          {COLUMNS.slice(0, 2).map((c) => (
            <SortHeader
              key={c.key}
              col={c}
              sort={sort}
              dir={dir}
              onSort={onSort}
            />
          ))}
          <th>Versions</th>
          <th>Traffic</th>
          {COLUMNS.slice(2).map((c) => (
            <SortHeader
              key={c.key}
              col={c}
              sort={sort}
              dir={dir}
              onSort={onSort}
            />
          ))}
        </tr>
      </thead>
      <tbody>
        {services.map((s) => {
          const tcp = s.requests === 0 && s.connectionsPerSecond > 0;
          const href = `/services/${encodeURIComponent(s.namespace)}/${encodeURIComponent(s.service)}${linkQuery ? `?${linkQuery}` : ''}`;
          return (
            <tr key={`${s.namespace}/${s.service}`}>
              <td className="name-cell">
                {s.kind === 'service' && s.namespace ? (
                  <Link href={href}>{s.service}</Link>
                ) : (
                  <span>{s.service || 'unknown'}</span>
                )}
                {s.kind === 'external' ? (
                  <span className="badge">external</span>
                ) : null}
              </td>
              <td>{s.namespace}</td>
              <td className="muted">{s.versions.join(', ')}</td>
              <td>
                <Sparkline
                  values={s.sparkline}
                  label={`Traffic of ${s.service} over the window`}
                />
              </td>
              <td className="num">
                {formatRate(tcp ? s.connectionsPerSecond : s.requestsPerSecond)}
                {tcp ? <span className="muted"> cx</span> : null}
              </td>
              <td
                className={
                  s.errorRatio >= 0.1
                    ? 'num tone-bad'
                    : s.errorRatio >= 0.01
                      ? 'num tone-warn'
                      : 'num'
                }
              >
                {tcp ? '–' : formatPercent(s.errorRatio)}
              </td>
              <td className="num">
                {tcp ? '–' : formatPercent(s.clientErrorRatio)}
              </td>
              <td className="num">{formatMs(s.latencyMs.p50)}</td>
              <td className="num">{formatMs(s.latencyMs.p95)}</td>
              <td className="num">{formatMs(s.latencyMs.p99)}</td>
              <td className="num">
                {s.mtlsShare === null ? 'unknown' : formatPercent(s.mtlsShare)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SortHeader({
  col,
  sort,
  dir,
  onSort,
}: {
  col: { key: SortKey; label: string; num?: boolean };
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (k: SortKey) => void;
}) {
  const active = sort === col.key;
  return (
    <th
      className={col.num ? 'num sortable' : 'sortable'}
      aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" onClick={() => onSort(col.key)}>
        {col.label}
      </button>
    </th>
  );
}
