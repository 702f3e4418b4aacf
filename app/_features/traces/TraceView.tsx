'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useMemo, useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Skeleton } from '../../_components/Skeleton';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { FlameGraph } from './FlameGraph';
import { Minimap } from './Minimap';
import { SkewNotice } from './SkewNotice';
import { SelectedSpan } from './SelectedSpan';
import type { SkeletonTrace } from './skeleton';
import { TraceHeader } from './TraceHeader';
import { TraceStats } from './TraceStats';
import { TraceTabs } from './TraceTabs';
import { Waterfall } from './Waterfall';
import { criticalSegments, prepareTrace } from './prepare-trace';
import { useDecodedTrace, useLater } from './use-staged';
import { collapseFromDepth, generateRowStates, revealSpan } from './row-states';
import { selfTimes, traceStatistics } from './trace-stats';
import { parseTracePageState, tracePageParams } from './trace-page-state';
import './traces.css';

type TraceData = SkeletonTrace;

const NO_SEGMENTS = new Map<number, never[]>();

const statsSpan = (s: TraceData['spans'][number]) => ({
  service: s.service,
  name: s.name,
  durationUs: s.durationUs,
  error: s.status.code === 'Error',
});

/** One trace: figures, minimap, waterfall (or statistics) and the selected span's detail. */
export function TraceView({ traceId }: { traceId: string }) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.traces.skeleton.queryOptions(
      { traceId },
      { retry: (n, err) => n < 2 && err.data?.code !== 'NOT_FOUND' },
    ),
  );
  const trace = useDecodedTrace(q.data?.encoded);
  if (q.isError) {
    const notFound = q.error.data?.code === 'NOT_FOUND';
    return (
      <div className="trace-page">
        <ErrorNotice
          title={notFound ? 'Trace not found' : 'Could not read the trace'}
          message={q.error.message}
        >
          <p>
            {notFound
              ? 'Spans are kept for the span retention (MESHLENS_TTL_SPANS_DAYS); a trace just sent may take a second to arrive. '
              : ''}
            <Link href="/traces">Search traces</Link>
          </p>
        </ErrorNotice>
      </div>
    );
  }
  if (!trace) return <Skeleton lines={12} label="Loading the trace" />;
  return <LoadedTrace trace={trace} />;
}

function LoadedTrace({ trace }: { trace: TraceData }) {
  const [state, update] = useUrlState(parseTracePageState, tracePageParams);
  const [adjustSkew, setAdjustSkew] = useState(true);
  const [showCritical, setShowCritical] = useState(true);
  const [viewRange, setViewRange] = useState<[number, number]>([0, 1]);
  // Large traces draw first and add the critical path in a later task, so no single task of
  // the main thread holds the tab for long (bench/traces-render.ts measures the longest).
  const big = trace.spans.length > 5_000;
  const base = useMemo(
    () => prepareTrace(trace.spans, { adjustSkew, criticalPath: !big }),
    [trace, adjustSkew, big],
  );
  const lateCritical = useLater(big ? base : undefined, criticalSegments);
  const prepared = useMemo(
    () => (big ? { ...base, critical: lateCritical ?? NO_SEGMENTS } : base),
    [base, big, lateCritical],
  );
  // Very large traces open collapsed below level 3, so the first paint stays small.
  const [collapsed, setCollapsed] = useState<Set<number>>(() =>
    big ? collapseFromDepth(base.tree, 3) : new Set(),
  );
  const indexOf = useMemo(
    () => new Map(trace.spans.map((s, i) => [s.spanId, i])),
    [trace],
  );
  const selected = indexOf.get(state.span) ?? -1;
  const rows = useMemo(
    () => generateRowStates(prepared.tree, collapsed),
    [prepared, collapsed],
  );
  // Self times serve the statistics and the span detail only: computed when one is shown.
  const needSelf = state.tab === 'stats' || selected >= 0;
  const self = useMemo(
    () =>
      needSelf
        ? selfTimes(base.tree, base.startUs, base.durationUs)
        : undefined,
    [base, needSelf],
  );
  const colors = useMemo(
    () => trace.spans.map((s) => prepared.colorOf.get(s.service) ?? '#888'),
    [trace, prepared],
  );

  const onToggle = useCallback(
    (spanId: string) => {
      const i = indexOf.get(spanId);
      if (i === undefined) return;
      setCollapsed((c) => {
        const next = new Set(c);
        if (!next.delete(i)) next.add(i);
        return next;
      });
    },
    [indexOf],
  );
  const onSelect = useCallback(
    (spanId: string) => {
      const i = indexOf.get(spanId);
      if (i !== undefined)
        setCollapsed((c) => (c.size ? revealSpan(prepared.tree, c, i) : c));
      update({ span: spanId });
    },
    [indexOf, prepared, update],
  );

  const span = selected >= 0 ? trace.spans[selected] : undefined;
  const parentIndex = selected >= 0 ? prepared.tree.parent[selected]! : -1;
  const orphans = prepared.tree.roots.length - 1;
  const traceUs = prepared.traceEndUs - prepared.traceStartUs;
  return (
    <div className="trace-page">
      <p className="back-link">
        <Link href="/traces">← Search traces</Link>
      </p>
      <TraceHeader trace={trace} prepared={prepared} />
      {trace.truncated ? (
        <div className="notice notice-warn" role="status">
          This trace has more than {trace.spans.length.toLocaleString()} spans;
          the earliest {trace.spans.length.toLocaleString()} are shown.
        </div>
      ) : null}
      <SkewNotice
        adjustments={prepared.adjustments}
        adjust={adjustSkew}
        onAdjust={setAdjustSkew}
      />
      {orphans > 0 ? (
        <p className="muted small">
          {orphans} span{orphans === 1 ? '' : 's'} whose parent was not received{' '}
          {orphans === 1 ? 'is' : 'are'} shown as extra roots.
        </p>
      ) : null}
      <TraceTabs tab={state.tab} onTab={(tab) => update({ tab })} />
      {state.tab === 'stats' ? (
        <section className="panel table-panel" aria-label="Trace statistics">
          <TraceStats
            rows={traceStatistics(
              trace.spans.map(statsSpan),
              self ?? [],
              traceUs,
            )}
            colorOf={prepared.colorOf}
          />
        </section>
      ) : (
        <section
          className="panel waterfall-panel"
          aria-label={state.tab === 'flame' ? 'Flame graph view' : 'Waterfall'}
        >
          <div className="wf-toolbar">
            <ul className="legend" aria-label="Services">
              {prepared.services.map((s) => (
                <li key={s.service}>
                  <span className="swatch" style={{ background: s.color }} />
                  {s.service} <span className="muted">({s.spans})</span>
                </li>
              ))}
            </ul>
            {state.tab === 'waterfall' ? (
              <>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={showCritical}
                    onChange={(e) => setShowCritical(e.target.checked)}
                  />{' '}
                  Critical path
                </label>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setCollapsed(new Set())}
                >
                  Expand all
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() =>
                    setCollapsed(collapseFromDepth(prepared.tree, 1))
                  }
                >
                  Collapse all
                </button>
              </>
            ) : null}
            {viewRange[0] > 0 || viewRange[1] < 1 ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setViewRange([0, 1])}
              >
                Reset zoom
              </button>
            ) : null}
          </div>
          <Minimap
            order={prepared.tree.order}
            startUs={prepared.startUs}
            durationUs={prepared.durationUs}
            colors={colors}
            traceStartUs={prepared.traceStartUs}
            traceEndUs={prepared.traceEndUs}
            viewRange={viewRange}
            onViewRange={setViewRange}
          />
          {state.tab === 'flame' ? (
            <FlameGraph
              spans={trace.spans}
              prepared={prepared}
              selected={selected}
              viewRange={viewRange}
              onSelect={onSelect}
              onViewRange={setViewRange}
            />
          ) : (
            <Waterfall
              spans={trace.spans}
              prepared={prepared}
              rows={rows}
              selected={selected}
              showCritical={showCritical}
              viewRange={viewRange}
              onToggle={onToggle}
              onSelect={onSelect}
            />
          )}
        </section>
      )}
      {span ? (
        <SelectedSpan
          key={span.spanId}
          traceId={trace.traceId}
          spanId={span.spanId}
          parentSpanId={
            parentIndex >= 0 ? trace.spans[parentIndex]!.spanId : ''
          }
          adjustedStartUs={prepared.startUs[selected]!}
          traceStartUs={prepared.traceStartUs}
          selfUs={self?.[selected] ?? 0}
          onSelect={onSelect}
        />
      ) : (
        <p className="muted small">
          Select a span to see its attributes, events, Istio fields and
          access-log lines. Arrow keys move through the tree.
        </p>
      )}
    </div>
  );
}
