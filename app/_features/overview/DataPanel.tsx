import { Panel } from '../../_components/Panel';
import { TableCountRow } from './TableCountRow';
import type { StatusOverview, TablesSummary } from './prepare-overview';

/** Live row counts per table, where the data lives, and whether the last refresh worked. */
export function DataPanel({
  overview,
  summary,
  updatedAt,
  fetching,
  refreshError,
}: {
  overview: StatusOverview;
  summary: TablesSummary;
  updatedAt: number;
  fetching: boolean;
  refreshError: string | undefined;
}) {
  const { db } = overview;
  return (
    <Panel
      id="data"
      title="Data"
      actions={
        <span className="muted small" aria-live="polite">
          {fetching
            ? 'Refreshing…'
            : `Updated ${new Date(updatedAt).toLocaleTimeString()}`}{' '}
          · every 5 s
        </span>
      }
    >
      <dl className="facts">
        <div>
          <dt>Storage</dt>
          <dd>
            {db.mode === 'embedded'
              ? 'Embedded ClickHouse (chDB)'
              : 'ClickHouse server'}
          </dd>
        </div>
        <div>
          <dt>{db.mode === 'embedded' ? 'Data folder' : 'URL'}</dt>
          <dd>
            <code>{db.location}</code>
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd>
            <code>{db.database}</code>
          </dd>
        </div>
      </dl>

      {refreshError ? (
        <p className="notice notice-warn" role="alert">
          The last refresh failed: {refreshError}. Showing the counts from
          before.
        </p>
      ) : null}

      {summary.telemetry.length + summary.config.length === 0 ? (
        <p className="empty-inline">
          No tables in database <code>{db.database}</code> yet. Meshlens creates
          them at start-up (migrations run unless{' '}
          <code>MESHLENS_MIGRATE_ON_START=false</code>); run{' '}
          <code>npm run db:migrate</code> to create them by hand.
        </p>
      ) : (
        <table className="data-table" aria-label="Rows per table">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                On disk
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.telemetry.map((row) => (
              <TableCountRow key={row.name} row={row} />
            ))}
            <tr className="total-row">
              <th scope="row">Telemetry total</th>
              <td className="num">{summary.totalRows}</td>
              <td className="num">{summary.totalBytes}</td>
            </tr>
          </tbody>
          {summary.config.length > 0 ? (
            <tbody className="group-config">
              <tr>
                <th scope="rowgroup" colSpan={3}>
                  Meshlens state
                </th>
              </tr>
              {summary.config.map((row) => (
                <TableCountRow key={row.name} row={row} />
              ))}
            </tbody>
          ) : null}
        </table>
      )}
    </Panel>
  );
}
