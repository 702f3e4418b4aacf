'use client';

import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { useTRPC } from '../../_trpc/client';
import { timeText } from './alert-format';
import { StateBadge } from './StateBadge';

/** The delivery log: one row per try, with its outcome. */
export function DeliveriesTable() {
  const trpc = useTRPC();
  const log = useQuery(
    trpc.alerts.deliveries.queryOptions(
      { limit: 200 },
      { refetchInterval: 10_000 },
    ),
  );
  if (log.isError)
    return (
      <ErrorNotice
        title="Could not read the delivery log"
        message={log.error.message}
      />
    );
  if (!log.data) return <p className="muted">Loading…</p>;
  if (log.data.length === 0)
    return (
      <p className="empty-inline">
        No notification has been sent yet. Rules send to the destinations they
        list.
      </p>
    );
  return (
    <table className="data-table" aria-label="Delivery log">
      <thead>
        <tr>
          <th>Time</th>
          <th>Notification</th>
          <th>Destination</th>
          <th className="num">Try</th>
          <th>Status</th>
          <th className="num">HTTP</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {log.data.map((d) => (
          <tr
            key={`${d.notificationId}-${d.destination}-${d.attempt}-${d.status}`}
          >
            <td>{timeText(d.timestamp)}</td>
            <td>
              <code title={d.notificationId}>
                {d.notificationId.slice(0, 10)}
              </code>
            </td>
            <td>{d.destination}</td>
            <td className="num">{d.attempt === 0 ? '–' : d.attempt}</td>
            <td>
              <StateBadge
                state={d.status === 'pending' ? 'pending_delivery' : d.status}
              />
            </td>
            <td className="num">{d.httpStatus || '–'}</td>
            <td className="muted">{d.error}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
