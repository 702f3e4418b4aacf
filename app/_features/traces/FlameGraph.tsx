'use client';

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { SkeletonSpan } from './skeleton';
import { TimeRuler } from './TimeRuler';
import { flameLayout } from './flame-layout';
import type { PreparedTrace } from './prepare-trace';
import { formatDurationUs } from './view-math';

type Span = SkeletonSpan;

const ROW_PX = 20;
/** Blocks narrower than this many pixels are not drawn (nor their subtrees). */
const MIN_BLOCK_PX = 2;

/**
 * The trace as a flame graph: one row per depth, each span a block spanning its time in the
 * zoomed view, coloured by service. Click selects a span; double-click zooms to it.
 */
export function FlameGraph({
  spans,
  prepared,
  selected,
  viewRange,
  onSelect,
  onViewRange,
}: {
  spans: Span[];
  prepared: PreparedTrace;
  selected: number;
  viewRange: [number, number];
  onSelect: (spanId: string) => void;
  onViewRange: (r: [number, number]) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || 1000);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 1000));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const view = useMemo(
    () => ({
      traceStartUs: prepared.traceStartUs,
      traceEndUs: prepared.traceEndUs,
      viewStart: viewRange[0],
      viewEnd: viewRange[1],
    }),
    [prepared, viewRange],
  );
  const layout = useMemo(
    () =>
      flameLayout(prepared.tree, prepared.startUs, prepared.durationUs, view, {
        minWidth: MIN_BLOCK_PX / Math.max(width, 100),
      }),
    [prepared, view, width],
  );
  const traceUs = Math.max(prepared.traceEndUs - prepared.traceStartUs, 1e-9);
  const zoomTo = (i: number) => {
    const a = (prepared.startUs[i]! - prepared.traceStartUs) / traceUs;
    const b = a + prepared.durationUs[i]! / traceUs;
    onViewRange([Math.max(0, a), Math.min(1, Math.max(b, a + 0.001))]);
  };

  return (
    <div className="flame">
      <div className="wf-head flame-head">
        <TimeRuler view={view} />
      </div>
      <div
        ref={ref}
        className="flame-body"
        role="group"
        aria-label="Flame graph"
        style={{ height: layout.rows * ROW_PX + 2 }}
      >
        {layout.blocks.map((b) => {
          const s = spans[b.span]!;
          const px = b.width * width;
          const error = s.status.code === 'Error';
          return (
            <button
              key={s.spanId}
              type="button"
              className={`flame-block${b.span === selected ? ' is-selected' : ''}${error ? ' is-error' : ''}`}
              data-span-id={s.spanId}
              data-depth={b.depth}
              style={{
                left: `${b.left * 100}%`,
                width: `${b.width * 100}%`,
                top: b.depth * ROW_PX,
                background: prepared.colorOf.get(s.service) ?? '#888',
              }}
              title={`${s.service}: ${s.name} (${formatDurationUs(s.durationUs)})${error ? ' — error' : ''}`}
              onClick={() => onSelect(s.spanId)}
              onDoubleClick={() => zoomTo(b.span)}
            >
              {px > 48 ? (
                <span className="flame-label">
                  {s.service}: {s.name}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <p className="muted small flame-note">
        {layout.blocks.length.toLocaleString()} of{' '}
        {spans.length.toLocaleString()} spans drawn
        {layout.hidden > 0
          ? ` — ${layout.hidden.toLocaleString()} are narrower than ${MIN_BLOCK_PX} px at this zoom (or inside such a span); drag on the minimap or double-click a block to zoom in`
          : ''}
        {layout.capped ? '; the first 5,000 blocks are drawn' : ''}.
      </p>
    </div>
  );
}
