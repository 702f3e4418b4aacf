import Link from 'next/link';

/** No service had traffic in the window: what to do. */
export function ServicesEmpty({ filtered }: { filtered: boolean }) {
  return (
    <section className="empty-state" aria-labelledby="services-empty">
      <h2 id="services-empty">No service received traffic in this window</h2>
      {filtered ? (
        <p>
          Nothing matches the namespace filter: clear it or widen the time
          range.
        </p>
      ) : (
        <p>
          Send telemetry from your mesh (the{' '}
          <Link href="/#send-telemetry">Overview</Link> lists the endpoints), or
          simulate a mesh with <code>npm run demo</code>. Already sending? Widen
          the time range.
        </p>
      )}
    </section>
  );
}
