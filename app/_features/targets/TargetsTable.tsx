import type { JobGroup } from './targets-state';
import { agoText, durationText } from './targets-state';

export interface TargetRow {
  job: string;
  instance: string;
  url: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastScrape: string | null;
  lastScrapeDurationMs: number | null;
  lastError: string;
  samples: number;
  intervalMs: number;
  timeoutMs: number;
}

const HEALTH_TEXT = { up: 'UP', down: 'DOWN', unknown: 'UNKNOWN' } as const;

/** One job's targets (every string is telemetry: rendered as React text only). */
export function TargetsTable({
  group,
  nowMs,
}: {
  group: JobGroup<TargetRow>;
  nowMs: number;
}) {
  const first = group.targets[0];
  return (
    <section
      className="panel table-panel targets-job"
      aria-label={`Job ${group.job}`}
    >
      <header className="panel-header">
        <h2>
          {group.job}{' '}
          <span
            className={`badge ${group.up === group.total && group.total > 0 ? 'badge-ok' : 'badge-bad'}`}
          >
            {group.up}/{group.total} up
          </span>
        </h2>
        {first ? (
          <span className="muted">
            every {first.intervalMs / 1000} s, timeout {first.timeoutMs / 1000}{' '}
            s
          </span>
        ) : null}
      </header>
      {group.total === 0 ? (
        <p className="muted targets-note">
          No target yet: discovery has found nothing for this job. Check the
          file_sd file or the pods&apos; <code>prometheus.io/scrape</code>{' '}
          annotations.
        </p>
      ) : group.targets.length === 0 ? (
        <p className="muted targets-note">
          No target of this job matches the filter.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
                <th scope="col">Labels</th>
                <th scope="col">Last scrape</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Samples
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {group.targets.map((t) => (
                <tr key={t.url} data-health={t.health}>
                  <td>
                    <code>{t.url}</code>
                  </td>
                  <td>
                    <span className={`target-state target-${t.health}`}>
                      {HEALTH_TEXT[t.health]}
                    </span>
                  </td>
                  <td>
                    <div className="target-labels">
                      {Object.entries(t.labels).map(([k, v]) => (
                        <span key={k} className="target-label">
                          {k}=&quot;{v}&quot;
                        </span>
                      ))}
                    </div>
                  </td>
                  <td title={t.lastScrape ?? undefined}>
                    {agoText(t.lastScrape, nowMs)}
                  </td>
                  <td className="num">
                    {durationText(t.lastScrapeDurationMs)}
                  </td>
                  <td className="num">
                    {t.health === 'unknown' ? '—' : t.samples}
                  </td>
                  <td className="target-error">
                    {t.lastError === '' ? '' : t.lastError}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
