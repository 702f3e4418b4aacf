/**
 * Query-string parameters of /api/v1 endpoints: times as RFC 3339 or epoch milliseconds, lists
 * as repeated or comma-separated values. Parsed with zod; a bad value becomes a 400 naming it.
 */
import { z } from 'zod';
import { DEFAULT_WINDOW_MS } from '../traffic-schemas';
import type { WindowInput } from '../../queries/traffic-filter';

const MAX_WINDOW_MS = 31 * 24 * 3600_000;

/** RFC 3339 (`2025-01-01T10:00:00Z`) or epoch milliseconds (`1735725600000`). */
export const timeParam = z.string().transform((v, ctx) => {
  const ms = /^\d+$/.test(v)
    ? Number(v)
    : /^\d{4}-\d{2}-\d{2}T/.test(v)
      ? Date.parse(v)
      : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${v}" is neither RFC 3339 nor epoch milliseconds`,
    });
    return z.NEVER;
  }
  return ms;
});

/** Every value of a repeated or comma-separated parameter, without empties. */
export function listParam(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** The first value of each parameter, for zod objects (lists are read with listParam). */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

/** `start`/`end` (default: the last 15 minutes, ending now) -> a query window. */
export function windowOf(
  start: number | undefined,
  end: number | undefined,
  nowMs = Date.now(),
): WindowInput {
  const toMs = end ?? nowMs;
  const fromMs = start ?? toMs - DEFAULT_WINDOW_MS;
  if (!(toMs > fromMs)) throw new ParamError('`end` must be after `start`');
  if (toMs - fromMs > MAX_WINDOW_MS)
    throw new ParamError('the window may span at most 31 days');
  return { fromMs, toMs, nowMs };
}

/** A bad parameter: answered with 400 and this message. */
export class ParamError extends Error {
  override name = 'ParamError';
}

/** zod's issues as one line: `start: "x" is neither RFC 3339 nor epoch milliseconds`. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
    .join('; ');
}
