'use client';

import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { scrollToRow, visibleRows } from './windowing';

/**
 * A scrolling list of fixed-height rows that mounts only the rows in view (plus overscan):
 * a 100,000-span waterfall keeps about 60 rows in the DOM. Scroll events are coalesced to one
 * render per animation frame.
 */
export function VirtualRows({
  rowCount,
  rowHeight,
  height,
  renderRow,
  scrollToIndex,
  label,
  onKeyDown,
}: {
  rowCount: number;
  rowHeight: number;
  /** CSS height of the viewport (e.g. '60vh'). */
  height: string;
  renderRow: (index: number) => ReactNode;
  /** Row to bring into view when it changes (e.g. the selected span). */
  scrollToIndex?: number | undefined;
  label: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const frame = useRef(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const next = scrollToRow({
      index: scrollToIndex,
      scrollTop: el.scrollTop,
      viewportHeight: el.clientHeight,
      rowHeight,
    });
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [scrollToIndex, rowHeight]);

  const w = visibleRows({
    scrollTop,
    viewportHeight: viewport,
    rowHeight,
    rowCount,
    overscan: 12,
  });
  const rows: ReactNode[] = [];
  for (let i = w.start; i < w.end; i++) rows.push(renderRow(i));
  return (
    <div
      ref={ref}
      className="vrows"
      style={{ height }}
      role="tree"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setScrollTop(top));
      }}
    >
      <div style={{ height: w.totalHeight, position: 'relative' }}>
        <div style={{ transform: `translateY(${w.offsetTop}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
