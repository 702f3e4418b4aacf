'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import type { RouterOutputs } from '../../_trpc/client';
import { AttributeTable } from './AttributeTable';
import { IstioSection } from './IstioSection';
import { istioFields } from './istio-fields';
import { formatDurationUs } from './view-math';

type Span = RouterOutputs['traces']['spans']['spans'][number];

/** Everything about one span: timing, kind, status, Istio fields, attributes, resource, events, links. */
export function SpanDetail({
  traceId,
  resources,
  span,
  parent,
  adjustedStartUs,
  traceStartUs,
  selfUs,
  onSelect,
}: {
  traceId: string;
  resources: Record<string, string>[];
  span: Span;
  parent: Span | undefined;
  adjustedStartUs: number;
  traceStartUs: number;
  selfUs: number;
  onSelect: (spanId: string) => void;
}) {
  const resource = resources[span.resource] ?? {};
  const fields = useMemo(
    () => istioFields(span.attributes, resource),
    [span, resource],
  );
  const parentFields = useMemo(
    () =>
      parent
        ? istioFields(parent.attributes, resources[parent.resource] ?? {})
        : undefined,
    [parent, resources],
  );
  const shift = adjustedStartUs - span.startUs;
  const error = span.status.code === 'Error';
  return (
    <section className="panel span-detail" aria-label="Span detail">
      <header className="panel-header">
        <h2>
          <span className="muted">{span.service}</span> {span.name}
        </h2>
        <div className="panel-actions">
          <span className="badge">{span.kind}</span>
          <span className={error ? 'badge badge-bad' : 'badge'}>
            {span.status.code === 'Unset' ? 'status unset' : span.status.code}
          </span>
        </div>
      </header>
      <div className="panel-body span-body">
        <dl className="kv-grid">
          <dt>Start</dt>
          <dd>
            {formatDurationUs(adjustedStartUs - traceStartUs)} after the trace
            start
            <span className="muted small">
              {' '}
              · {new Date(span.startUs / 1000).toISOString()}
            </span>
            {shift !== 0 ? (
              <div className="small tone-warn">
                Shown {formatDurationUs(Math.abs(shift))}{' '}
                {shift > 0 ? 'later' : 'earlier'} than recorded: clock-skew
                adjustment (it did not fit inside its parent from another
                service).
              </div>
            ) : null}
          </dd>
          <dt>Duration</dt>
          <dd>
            {formatDurationUs(span.durationUs)}{' '}
            <span className="muted">(self {formatDurationUs(selfUs)})</span>
          </dd>
          {span.status.message ? (
            <>
              <dt>Status message</dt>
              <dd className={error ? 'tone-bad' : ''}>{span.status.message}</dd>
            </>
          ) : null}
          <dt>Span id</dt>
          <dd className="mono">{span.spanId}</dd>
          <dt>Parent</dt>
          <dd>
            {parent ? (
              <button
                type="button"
                className="link-button mono"
                onClick={() => onSelect(parent.spanId)}
              >
                {parent.spanId}
              </button>
            ) : span.parentSpanId ? (
              <span className="mono">{span.parentSpanId} (not received)</span>
            ) : (
              'none (root span)'
            )}
          </dd>
          {span.scope.name ? (
            <>
              <dt>Scope</dt>
              <dd>
                {span.scope.name} {span.scope.version}
              </dd>
            </>
          ) : null}
        </dl>
        {fields.fromProxy || fields.upstreamCluster ? (
          <IstioSection
            fields={fields}
            parent={parentFields}
            traceId={traceId}
            spanStartMs={span.startUs / 1000}
          />
        ) : null}
        <section className="span-section">
          <h3>Attributes ({Object.keys(span.attributes).length})</h3>
          <AttributeTable
            attributes={span.attributes}
            label="Span attributes"
          />
        </section>
        {span.events.length > 0 ? (
          <section className="span-section">
            <h3>Events ({span.events.length})</h3>
            <ol className="event-list">
              {span.events.map((e, i) => (
                <li key={i}>
                  <span className="mono small">
                    +{formatDurationUs(e.timeUs - span.startUs)}
                  </span>{' '}
                  <strong>{e.name}</strong>
                  {Object.keys(e.attributes).length > 0 ? (
                    <AttributeTable
                      attributes={e.attributes}
                      label={`Event ${e.name}`}
                    />
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {span.links.length > 0 ? (
          <section className="span-section">
            <h3>Links ({span.links.length})</h3>
            <ul className="link-list">
              {span.links.map((l, i) => (
                <li key={i}>
                  <Link
                    href={`/traces/${l.traceId}?span=${l.spanId}`}
                    className="mono"
                  >
                    {l.traceId === traceId ? 'this trace' : l.traceId} /{' '}
                    {l.spanId}
                  </Link>
                  {Object.keys(l.attributes).length > 0 ? (
                    <AttributeTable
                      attributes={l.attributes}
                      label="Link attributes"
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section className="span-section">
          <h3>Resource ({Object.keys(resource).length})</h3>
          <AttributeTable attributes={resource} label="Resource attributes" />
        </section>
      </div>
    </section>
  );
}
