'use client';

import { useEffect, useRef, useState } from 'react';
import { normalizeViewRange } from './view-math';

const HEIGHT = 48;

/**
 * The whole trace in miniature (one line per span, drawn on a canvas so 100,000 spans cost one
 * paint), with the zoomed part highlighted. Drag across it to zoom the waterfall to that range.
 */
export function Minimap({
  order,
  startUs,
  durationUs,
  colors,
  traceStartUs,
  traceEndUs,
  viewRange,
  onViewRange,
}: {
  /** Span indices in waterfall (pre-)order. */
  order: ArrayLike<number>;
  startUs: ArrayLike<number>;
  durationUs: ArrayLike<number>;
  colors: readonly string[];
  traceStartUs: number;
  traceEndUs: number;
  viewRange: [number, number];
  onViewRange: (r: [number, number]) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<[number, number] | null>(null);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const width = c.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = HEIGHT * dpr;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, HEIGHT);
    const n = order.length;
    const total = Math.max(traceEndUs - traceStartUs, 1e-9);
    const rowH = Math.max(HEIGHT / Math.max(n, 1), 0.25);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const x = ((startUs[i]! - traceStartUs) / total) * width;
      const w = Math.max((durationUs[i]! / total) * width, 1);
      ctx.fillStyle = colors[i] ?? '#888';
      ctx.fillRect(x, (k / Math.max(n, 1)) * HEIGHT, w, Math.max(rowH, 1));
    }
  }, [order, startUs, durationUs, colors, traceStartUs, traceEndUs]);

  const fraction = (clientX: number, el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - r.left) / r.width));
  };
  const shown = drag ? normalizeViewRange(drag[0], drag[1], 0) : viewRange;
  return (
    <div
      className="minimap"
      style={{ height: HEIGHT }}
      title="Drag to zoom the waterfall"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        const f = fraction(e.clientX, e.currentTarget);
        setDrag([f, f]);
      }}
      onPointerMove={(e) => {
        if (drag) setDrag([drag[0], fraction(e.clientX, e.currentTarget)]);
      }}
      onPointerUp={() => {
        if (drag && Math.abs(drag[1] - drag[0]) > 0.003)
          onViewRange(normalizeViewRange(drag[0], drag[1]));
        setDrag(null);
      }}
    >
      <canvas
        ref={canvas}
        style={{ width: '100%', height: HEIGHT }}
        aria-hidden="true"
      />
      {shown[0] > 0 ? (
        <div
          className="minimap-shade"
          style={{ left: 0, width: `${shown[0] * 100}%` }}
        />
      ) : null}
      {shown[1] < 1 ? (
        <div
          className="minimap-shade"
          style={{ left: `${shown[1] * 100}%`, right: 0 }}
        />
      ) : null}
      <div
        className="minimap-window"
        style={{
          left: `${shown[0] * 100}%`,
          width: `${(shown[1] - shown[0]) * 100}%`,
        }}
      />
    </div>
  );
}
