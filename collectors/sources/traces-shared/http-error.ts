/** What a span receiver answers over HTTP when something fails, as an HttpError. */
import { HttpError } from '../../http/body';
import { DecodeError } from './decode-error';
import { pipelineRefusal } from './ingest';

/**
 * Undecodable body -> 400 (permanent); queue full -> 429, stopping or spool full -> 503, both
 * with Retry-After (retryable per the OTLP spec). Anything else is a bug: rethrown, so the
 * listener answers 500 and logs it.
 */
export function httpErrorOf(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DecodeError) return new HttpError(400, err.message);
  const refusal = pipelineRefusal(err);
  if (refusal) {
    return new HttpError(
      refusal.kind === 'backpressure' ? 429 : 503,
      refusal.message,
      {
        'retry-after': String(refusal.retryAfterSeconds),
      },
    );
  }
  throw err;
}
