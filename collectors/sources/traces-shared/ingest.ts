/**
 * The one way span receivers (OTLP/HTTP, OTLP/gRPC, Zipkin) hand spans to the pipeline: good rows
 * to otel_traces, rejected spans to the dead letters, and pipeline refusals turned into a
 * protocol-neutral answer each receiver maps to its own status codes.
 */
import {
  BackpressureError,
  ShuttingDownError,
  SpoolFullError,
  type Pipeline,
} from '../../pipeline';
import { metrics } from '~/server/telemetry/metrics';
import { SPANS_TABLE, type NormalizedSpans, type SpanRow } from './span-row';

/** Reasons shown to the sender in a partial-success message (the rest are in the dead letters). */
const MAX_REASONS_IN_MESSAGE = 3;

export interface IngestResult {
  accepted: number;
  rejected: number;
  /** For partial success: a few reasons, '' when nothing was rejected. */
  message: string;
}

/** True when the spans queue is already full: answer "retry later" before reading the body. */
export function spansQueueFull(
  pipeline: Pipeline,
  queueMaxRows: number,
): boolean {
  return pipeline.sink<SpanRow>(SPANS_TABLE).depth >= queueMaxRows;
}

/** Stores good rows and dead-letters rejected ones; resolves when both are durable. */
export async function ingestSpans(
  pipeline: Pipeline,
  source: string,
  spans: NormalizedSpans,
  remote: string,
): Promise<IngestResult> {
  const { rows, rejected } = spans;
  await Promise.all([
    pipeline.sink<SpanRow>(SPANS_TABLE).offer(rows),
    ...rejected.map((r) =>
      pipeline.deadLetter(source, r.reason, r.payload, remote),
    ),
  ]);
  if (rejected.length > 0)
    metrics().ingestRows.inc(
      { table: SPANS_TABLE, outcome: 'rejected' },
      rejected.length,
    );
  const reasons = [...new Set(rejected.map((r) => r.reason))];
  const more =
    reasons.length > MAX_REASONS_IN_MESSAGE
      ? ` (and ${reasons.length - MAX_REASONS_IN_MESSAGE} more reasons)`
      : '';
  return {
    accepted: rows.length,
    rejected: rejected.length,
    message: rejected.length
      ? `${rejected.length} span(s) rejected: ${reasons.slice(0, MAX_REASONS_IN_MESSAGE).join('; ')}${more}`
      : '',
  };
}

export interface Refusal {
  kind: 'backpressure' | 'unavailable';
  retryAfterSeconds: number;
  message: string;
}

/** Maps the pipeline's refusals (queue full, shutting down, spool full); undefined for other errors. */
export function pipelineRefusal(err: unknown): Refusal | undefined {
  if (err instanceof BackpressureError) {
    return {
      kind: 'backpressure',
      retryAfterSeconds: err.retryAfterSeconds,
      message: err.message,
    };
  }
  if (err instanceof ShuttingDownError || err instanceof SpoolFullError) {
    return { kind: 'unavailable', retryAfterSeconds: 5, message: err.message };
  }
  return undefined;
}

/** The remote address of a request, for dead letters. */
export function remoteOf(
  address: string | undefined,
  port: number | undefined,
): string {
  return address ? `${address}:${port ?? ''}` : '';
}
