import Link from 'next/link';

/** Shown over the (empty) graph: why there is nothing, and what to do. */
export function GraphEmpty({ filtered }: { filtered: boolean }) {
  return (
    <div className="graph-overlay graph-empty" role="status">
      <h2>No traffic in this window</h2>
      {filtered ? (
        <p>
          Nothing matches the namespace or protocol filter. Clear the filters or
          widen the time range.
        </p>
      ) : (
        <>
          <p>
            The graph is drawn from Istio metrics, Envoy access logs and spans.
            Send telemetry from your mesh (the{' '}
            <Link href="/#send-telemetry">Overview</Link> lists the endpoints),
            or simulate one:
          </p>
          <pre>
            <code>npm run demo</code>
          </pre>
          <p className="muted small">
            Already sending? Widen the time range: data older than the window is
            not shown.
          </p>
        </>
      )}
    </div>
  );
}
