import Link from 'next/link';
import { CodeBlock } from '../../_components/CodeBlock';

/** No span at all in the window: say how to get some. */
export function TracesEmpty() {
  return (
    <section className="empty-state" aria-labelledby="traces-empty-title">
      <h2 id="traces-empty-title">No traces to show yet</h2>
      <p>
        No traces in this window: widen the range, or run{' '}
        <code>npm run demo</code> to simulate a mesh. To send your own, point
        Istio&apos;s tracing provider at this Meshlens (OTLP on 4317/4318,
        Zipkin on 9411): the <Link href="/#send-telemetry">Overview</Link> has
        the configuration to copy.
      </p>
      <CodeBlock
        title="Simulated mesh (Bookinfo)"
        language="shell"
        code={'npm run demo\n'}
      />
    </section>
  );
}
