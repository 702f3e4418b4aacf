import Link from 'next/link';

/** No traffic in the window: what to do. */
export function MtlsEmpty({ filtered }: { filtered: boolean }) {
  return (
    <section className="empty-state" aria-labelledby="mtls-empty">
      <h2 id="mtls-empty">
        {filtered
          ? 'No traffic matches the namespace filter'
          : 'No mTLS data to show yet'}
      </h2>
      {filtered ? (
        <p>
          Nothing matches the namespace filter: clear it or widen the time
          range.
        </p>
      ) : (
        <p>
          mTLS coverage comes from what destination proxies report: Istio
          metrics (<code>connection_security_policy</code>) or inbound access
          logs. Send them (the <Link href="/#send-telemetry">Overview</Link>{' '}
          lists the endpoints), or simulate a mesh with{' '}
          <code>npm run demo</code>. Already sending? Widen the time range.
        </p>
      )}
    </section>
  );
}
