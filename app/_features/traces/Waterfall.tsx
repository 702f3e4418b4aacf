'use client';

import { useCallback, useMemo, type KeyboardEvent } from 'react';
import type { SkeletonSpan } from './skeleton';
import { TimeRuler } from './TimeRuler';
import { VirtualRows } from './VirtualRows';
import { WaterfallRow } from './WaterfallRow';
import type { PreparedTrace } from './prepare-trace';
import type { WaterfallRow as RowState } from './row-states';
import { clampToView, createViewedBoundsFunc } from './view-math';

type Span = SkeletonSpan;

export const ROW_HEIGHT = 24;

/** The span tree with a timeline: rows virtualised, bars in the zoomed view range. */
export function Waterfall({
  spans,
  prepared,
  rows,
  selected,
  showCritical,
  viewRange,
  onToggle,
  onSelect,
}: {
  spans: Span[];
  prepared: PreparedTrace;
  rows: RowState[];
  /** Selected span index, -1 for none. */
  selected: number;
  showCritical: boolean;
  viewRange: [number, number];
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string) => void;
}) {
  const view = useMemo(
    () => ({
      traceStartUs: prepared.traceStartUs,
      traceEndUs: prepared.traceEndUs,
      viewStart: viewRange[0],
      viewEnd: viewRange[1],
    }),
    [prepared, viewRange],
  );
  const bounds = useMemo(() => createViewedBoundsFunc(view), [view]);
  const selectedRow = useMemo(
    () => rows.findIndex((r) => r.span === selected),
    [rows, selected],
  );

  const renderRow = useCallback(
    (k: number) => {
      const row = rows[k]!;
      const i = row.span;
      const s = spans[i]!;
      const start = prepared.startUs[i]!;
      const bar = clampToView(bounds(start, start + s.durationUs));
      const skewShift = start - s.startUs;
      const critical = showCritical
        ? (prepared.critical.get(i) ?? []).flatMap((c) => {
            const b = clampToView(bounds(c.startUs, c.endUs));
            return b ? [b] : [];
          })
        : [];
      const events = s.events.flatMap((e) => {
        const at = bounds(e.timeUs + skewShift, e.timeUs + skewShift).start;
        return at >= 0 && at <= 1 ? [{ at, name: e.name }] : [];
      });
      return (
        <WaterfallRow
          key={s.spanId}
          span={{
            spanId: s.spanId,
            parentSpanId: s.parentSpanId,
            service: s.service,
            name: s.name,
            kind: s.kind,
            error: s.status.code === 'Error',
            durationUs: s.durationUs,
            missingParent: prepared.tree.missingParent[i] === 1,
          }}
          depth={row.depth}
          hasChildren={row.hasChildren}
          collapsed={row.collapsed}
          selected={i === selected}
          color={prepared.colorOf.get(s.service) ?? '#888'}
          bar={bar}
          critical={critical}
          events={events}
          onToggle={onToggle}
          onSelect={onSelect}
        />
      );
    },
    [rows, spans, prepared, bounds, showCritical, selected, onToggle, onSelect],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = rows[selectedRow];
    const move = (k: number) => {
      const r = rows[Math.min(rows.length - 1, Math.max(0, k))];
      if (r) onSelect(spans[r.span]!.spanId);
    };
    if (e.key === 'ArrowDown') move(selectedRow + 1);
    else if (e.key === 'ArrowUp') move(selectedRow - 1);
    else if (row && e.key === 'ArrowLeft' && row.hasChildren && !row.collapsed)
      onToggle(spans[row.span]!.spanId);
    else if (row && e.key === 'ArrowRight' && row.collapsed)
      onToggle(spans[row.span]!.spanId);
    else return;
    e.preventDefault();
  };

  return (
    <div className="waterfall">
      <div className="wf-head">
        <div className="wf-name wf-name-head">Service and operation</div>
        <TimeRuler view={view} />
      </div>
      <VirtualRows
        rowCount={rows.length}
        rowHeight={ROW_HEIGHT}
        height={`min(62vh, ${Math.max(rows.length, 3) * ROW_HEIGHT + 2}px)`}
        renderRow={renderRow}
        scrollToIndex={selectedRow}
        label="Span tree"
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
