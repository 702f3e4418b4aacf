import { sparklinePath } from './prepare-series';

/** A tiny inline trend line (plain SVG: cheap enough for every row of a long table). */
export function Sparkline({
  values,
  label,
}: {
  values: number[];
  label: string;
}) {
  const w = 80;
  const h = 20;
  return (
    <svg
      className="sparkline"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={label}
    >
      <path
        d={sparklinePath(values, w, h)}
        fill="none"
        stroke="var(--accent)"
        strokeWidth="1.3"
      />
    </svg>
  );
}
