import type { ReactNode } from 'react';

/** A titled, fixed-height chart box (fixed so data arriving never shifts the layout). */
export function ChartFrame({
  title,
  height = 150,
  empty,
  children,
}: {
  title: string;
  height?: number;
  empty?: string | null;
  children: ReactNode;
}) {
  return (
    <figure className="chart-frame">
      <figcaption>{title}</figcaption>
      <div className="chart-body" style={{ height }}>
        {empty ? <p className="chart-empty">{empty}</p> : children}
      </div>
    </figure>
  );
}
