'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { TargetsTable } from './TargetsTable';
import {
  HEALTH_FILTERS,
  groupByJob,
  parseTargetsState,
  targetsParams,
} from './targets-state';
import './targets.css';

const FILTER_LABELS = { all: 'All', down: 'Down', up: 'Up' } as const;

/**
 * Scrape targets and their health, as Prometheus' Status → Targets page shows them: per job,
 * each endpoint's state, labels, last scrape, duration, samples and the error of the last scrape.
 */
export function TargetsView() {
  const [state, update] = useUrlState(parseTargetsState, targetsParams);
  const trpc = useTRPC();
  const list = useQuery(
    trpc.targets.list.queryOptions(undefined, { refetchInterval: 5000 }),
  );
  const data = list.data;
  const groups = useMemo(
    () => (data ? groupByJob(data.jobs, data.targets, state) : []),
    [data, state],
  );
  const down = data?.targets.filter((t) => t.health === 'down').length ?? 0;
  const nowMs = data ? Date.parse(data.at) : 0;
  return (
    <div className="targets-page">
      <PageHeader
        title="Targets"
        description="The Prometheus endpoints Meshlens scrapes (sidecars, gateways, apps) and whether the last scrape worked. Refreshed every 5 s."
      />
      <div className="targets-toolbar" role="group" aria-label="Filter targets">
        <div className="segmented">
          {HEALTH_FILTERS.map((h) => (
            <button
              key={h}
              type="button"
              className={`btn btn-small${state.health === h ? ' is-active' : ''}`}
              aria-pressed={state.health === h}
              onClick={() => update({ health: h })}
            >
              {FILTER_LABELS[h]}
              {h === 'down' && down > 0 ? ` (${down})` : ''}
            </button>
          ))}
        </div>
        <label className="field">
          <span>Search</span>
          <input
            type="search"
            placeholder="job, endpoint or label value"
            defaultValue={state.q}
            onChange={(e) => update({ q: e.target.value.trim() })}
          />
        </label>
      </div>
      {list.isError ? (
        <ErrorNotice
          title="Could not read the scrape targets"
          message={list.error.message}
        >
          <p>
            The page asks this Meshlens process for its scraper&apos;s state.
            Check that the process is running and that you are signed in; the
            page retries every 5 s.
          </p>
        </ErrorNotice>
      ) : null}
      {data === undefined && !list.isError ? (
        <Skeleton lines={6} label="Reading the scrape targets" />
      ) : null}
      {data && !data.scraping ? (
        <div className="panel empty-panel" role="status">
          <h2>This process does not scrape</h2>
          <p className="muted">
            The scraper runs with the collector role. Start Meshlens with{' '}
            <code>MESHLENS_ROLES</code> including <code>collector</code>, or
            read the collector process&apos;s <code>/metrics</code>: its{' '}
            <code>meshlens_scrape_up</code> and{' '}
            <code>meshlens_scrape_target_error</code> series give each
            target&apos;s health and the reason of its last failure.
          </p>
        </div>
      ) : null}
      {data?.discoveryErrors.map((d) => (
        <ErrorNotice
          key={d.job}
          title={`Target discovery failed for job ${d.job}`}
          message={d.error}
        >
          <p>
            The targets found before keep being scraped. Check the Kubernetes
            API address and the service account&apos;s permission to list pods.
          </p>
        </ErrorNotice>
      ))}
      {data && data.scraping && data.jobs.length === 0 ? (
        <div className="panel empty-panel" role="status">
          <h2>No scrape job is configured</h2>
          <p className="muted">
            Give Meshlens targets with <code>MESHLENS_SCRAPE_FILE_SD</code> (a
            Prometheus file_sd JSON or YAML file, watched for changes), a{' '}
            <code>scrape_configs</code> file, or Kubernetes pod discovery. Or
            point Prometheus&apos; <code>remote_write</code> at{' '}
            <code>/api/v1/write</code>. See docs/metrics.md.
          </p>
        </div>
      ) : null}
      {groups.map((g) => (
        <TargetsTable key={g.job} group={g} nowMs={nowMs} />
      ))}
    </div>
  );
}
