'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../_trpc/client';
import { AccessLogTable } from './AccessLogTable';
import {
  accessLogLink,
  topologyEdgeLink,
  type IstioFields,
} from './istio-fields';

/**
 * What the mesh proxy recorded, decoded: upstream cluster, response flags in words, statuses,
 * the proxy; the access-log lines of the same request, and links to the logs and the edge.
 */
export function IstioSection({
  fields,
  parent,
  traceId,
  spanStartMs,
}: {
  fields: IstioFields;
  parent: IstioFields | undefined;
  traceId: string;
  spanStartMs: number;
}) {
  const trpc = useTRPC();
  const logs = useQuery(
    trpc.traces.accessLog.queryOptions(
      {
        requestId: fields.requestId || undefined,
        traceId,
        aroundMs: Math.round(spanStartMs),
      },
      { enabled: fields.fromProxy },
    ),
  );
  const window = {
    fromMs: spanStartMs - 5 * 60_000,
    toMs: spanStartMs + 5 * 60_000,
  };
  const edge = topologyEdgeLink(fields, parent, window);
  // Only the lines this proxy wrote about this hop: same upstream cluster when known.
  const lines = (logs.data ?? []).filter(
    (l) =>
      !fields.upstreamCluster ||
      l.upstreamCluster === fields.upstreamCluster ||
      l.upstreamCluster === '',
  );
  return (
    <section className="span-section" aria-label="Istio">
      <h3>Istio / Envoy</h3>
      <dl className="kv-grid">
        {fields.upstreamCluster ? (
          <>
            <dt>Upstream cluster</dt>
            <dd>
              <code>{fields.upstreamCluster}</code>
              <div className="muted small">
                {fields.direction || 'unknown direction'}
                {fields.port ? `, port ${fields.port}` : ''}
                {fields.subset ? `, subset ${fields.subset}` : ''}
                {fields.upstreamHost ? `, host ${fields.upstreamHost}` : ''}
              </div>
            </dd>
          </>
        ) : null}
        {fields.upstreamAddress ? (
          <>
            <dt>Upstream address</dt>
            <dd className="mono">{fields.upstreamAddress}</dd>
          </>
        ) : null}
        <dt>Response flags</dt>
        <dd>
          {fields.responseFlags.length === 0 ? (
            'none'
          ) : (
            <ul className="flag-list">
              {fields.responseFlags.map((f) => (
                <li key={f.short}>
                  <code>{f.short}</code> <strong>{f.long}</strong>: {f.meaning}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {fields.httpStatus ? (
          <>
            <dt>HTTP status</dt>
            <dd
              className={
                Number(fields.httpStatus) >= 500 || fields.httpStatus === '0'
                  ? 'tone-bad'
                  : ''
              }
            >
              {fields.httpStatus}
            </dd>
          </>
        ) : null}
        {fields.grpcStatus ? (
          <>
            <dt>gRPC status</dt>
            <dd>{fields.grpcStatus}</dd>
          </>
        ) : null}
        {fields.pod ? (
          <>
            <dt>Proxy</dt>
            <dd>
              {fields.proxyType} in pod <code>{fields.pod}</code>
            </dd>
          </>
        ) : null}
        {fields.requestId ? (
          <>
            <dt>Request id</dt>
            <dd className="mono">{fields.requestId}</dd>
          </>
        ) : null}
      </dl>
      <p className="span-links">
        <Link href={accessLogLink(fields.requestId, traceId, window)}>
          Access-log lines of this {fields.requestId ? 'request' : 'trace'}
        </Link>
        {edge ? (
          <>
            {' · '}
            <Link href={edge}>This edge in the topology</Link>
          </>
        ) : null}
      </p>
      {logs.isError ? (
        <p className="tone-bad small">
          Could not read the access logs: {logs.error.message}
        </p>
      ) : null}
      {lines.length > 0 ? <AccessLogTable lines={lines} /> : null}
      {logs.data && lines.length === 0 ? (
        <p className="empty-inline">
          No access-log line for this request was received (access logs may be
          off, or sampled differently).
        </p>
      ) : null}
    </section>
  );
}
