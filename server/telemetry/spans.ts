/**
 * The one helper for our own spans. A no-op unless MESHLENS_SELF_TRACING started the SDK
 * (server/telemetry/tracing.ts). Span names stay low-cardinality; sizes and ids go in attributes.
 */
import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

const tracer = trace.getTracer('meshlens');

/** Runs `fn` inside a span named `name`; records an exception and error status when it throws. */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: (err as Error).message,
      });
      throw err;
    } finally {
      span.end();
    }
  });
}
