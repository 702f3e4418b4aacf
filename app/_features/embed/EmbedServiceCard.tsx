'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../_trpc/client';
import { formatMs, formatPercent, formatRate } from '../charts/format';
import type { EmbedOptions } from './embed-options';

/** A service's RED figures (rate, errors, duration) as a small card that refreshes itself. */
export function EmbedServiceCard({ options }: { options: EmbedOptions }) {
  const trpc = useTRPC();
  const ok = options.namespace !== '' && options.service !== '';
  const detail = useQuery(
    trpc.services.byName.queryOptions(
      {
        window: { lastMs: options.lastMs },
        namespace: options.namespace,
        service: options.service,
      },
      {
        enabled: ok,
        refetchInterval: options.refreshMs,
        placeholderData: keepPreviousData,
      },
    ),
  );
  if (!ok)
    return (
      <p className="embed-note error" role="alert">
        Name the service: add <code>&amp;namespace=…&amp;service=…</code> to the
        widget URL.
      </p>
    );
  const t = detail.data?.inbound.totals;
  return (
    <section className="embed-card" aria-label="Service RED figures">
      <h1>
        {options.service} <small>{options.namespace}</small>
      </h1>
      {detail.isError ? (
        <p className="embed-note error" role="alert">
          Could not read the service: {detail.error.message}
        </p>
      ) : !t ? (
        <p className="embed-note">Loading…</p>
      ) : (
        <dl className="embed-red">
          <div>
            <dt>Requests/s</dt>
            <dd data-testid="embed-rate">{formatRate(t.requestsPerSecond)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd className={t.errorRatio > 0.05 ? 'bad' : ''}>
              {formatPercent(t.errorRatio)}
            </dd>
          </div>
          <div>
            <dt>p50</dt>
            <dd>{formatMs(t.latencyMs.p50)}</dd>
          </div>
          <div>
            <dt>p95</dt>
            <dd>{formatMs(t.latencyMs.p95)}</dd>
          </div>
          <div>
            <dt>p99</dt>
            <dd>{formatMs(t.latencyMs.p99)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
