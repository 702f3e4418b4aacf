/**
 * GET /api/v1/traces?service=&operation=&tags=&minDurationMs=&maxDurationMs=&error=&requestId=
 *   &start=&end=&limit=&offset= — matching trace summaries, newest first (docs/api.md "Traces").
 * GET /api/v1/traces/{traceId} — the whole trace as OTLP JSON (`{ resourceSpans }`), 404 when
 *   no span of it is stored.
 */
import { z } from 'zod';
import { traceById } from '../../queries/traces';
import { searchTraces } from '../../queries/traces-search';
import { traceToOtlpJson, type OtlpJsonTrace } from '../../traces/otlp-json';
import { tagsSchema, traceIdSchema } from '../../traces/search-input';
import { createInnerContext } from '../trpc';
import { firstValues, timeParam, windowOf } from './params';

/** The thing asked for does not exist: answered with 404 and this message. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

const ms = z.coerce.number().nonnegative().max(86_400_000).optional();
const query = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  service: z.string().trim().max(512).optional(),
  caller: z.string().trim().max(512).optional(),
  operation: z.string().trim().max(512).optional(),
  minDurationMs: ms,
  maxDurationMs: ms,
  error: z.enum(['true', 'false', '1', '0']).optional(),
  requestId: z.string().trim().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export async function tracesSearchHandler(
  params: URLSearchParams,
): Promise<unknown> {
  const q = query.parse(firstValues(params));
  // Tags: repeated `tags=k=v` (a comma may be part of a value, so no comma splitting here).
  const tags = tagsSchema.parse([
    ...params.getAll('tags'),
    ...params.getAll('tag'),
  ]);
  const w = windowOf(q.start, q.end);
  const db = await createInnerContext().db();
  const result = await searchTraces(db, {
    startMs: w.fromMs,
    endMs: w.toMs,
    service: q.service || undefined,
    caller: q.caller || undefined,
    operation: q.operation || undefined,
    tags,
    minDurationMs: q.minDurationMs,
    maxDurationMs: q.maxDurationMs,
    errorsOnly: q.error === 'true' || q.error === '1',
    requestId: q.requestId || undefined,
    limit: q.limit,
    offset: q.offset,
  });
  return {
    window: {
      start: new Date(w.fromMs).toISOString(),
      end: new Date(w.toMs).toISOString(),
    },
    total: result.total,
    limit: result.limit,
    offset: result.offset,
    traces: result.traces.map((t) => ({
      traceId: t.traceId,
      start: new Date(t.startMs).toISOString(),
      durationMs: t.durationMs,
      spanCount: t.spanCount,
      errorCount: t.errorCount,
      rootService: t.root.service,
      rootName: t.root.name,
      rootComplete: t.root.complete,
      services: t.services,
    })),
  };
}

/** `/api/v1/traces/{traceId}`; `subpath` is what follows `traces/`. */
export async function traceByIdHandler(
  _params: URLSearchParams,
  subpath = '',
): Promise<OtlpJsonTrace> {
  const traceId = traceIdSchema.parse(decodeURIComponent(subpath));
  const trace = await traceById(await createInnerContext().db(), traceId);
  if (!trace) throw new NotFoundError(`no trace ${traceId} is stored`);
  return traceToOtlpJson(trace);
}
