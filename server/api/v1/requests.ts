/**
 * `GET /api/v1/requests?start=&end=&requestId=&traceId=&service=&responseFlag=&limit=`: mesh
 * requests as JSON for widgets and scripts. start/end are ISO-8601 or Unix ms (default: the last
 * 15 minutes); the window is at most 7 days. Answers `{ requests: MeshRequest[] }`; errors as every
 * /api/v1 endpoint answers them (400 for a bad parameter, 503 when the store cannot answer).
 */
import { z } from 'zod';
import { getDb } from '../../db/client';
import { listMeshRequests, type RequestsFilter } from '../../queries/requests';
import { ParamError } from './params';
import type { ApiV1Handler } from './router';
const MAX_WINDOW_MS = 7 * 24 * 3600 * 1000;

const time = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${v}" is not an ISO-8601 time or Unix milliseconds`,
      });
      return z.NEVER;
    }
    return ms;
  });
const text = z.string().trim().max(256).optional();

const querySchema = z.object({
  start: time.optional(),
  end: time.optional(),
  requestId: text,
  traceId: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{16,32}$/, 'must be 16 or 32 hex characters')
    .optional(),
  service: text,
  responseFlag: z
    .string()
    .trim()
    .regex(/^[A-Z]{1,8}$/, 'must be a short Envoy flag such as UO')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Validates the query string into a filter; throws a message for the 400 answer. */
export function parseRequestsQuery(
  params: URLSearchParams,
  nowMs = Date.now(),
): RequestsFilter {
  const raw = Object.fromEntries(
    [...params.entries()].filter(([, v]) => v !== ''),
  );
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  const q = parsed.data;
  const endMs = q.end ?? nowMs;
  const startMs = q.start ?? endMs - 15 * 60 * 1000;
  if (startMs >= endMs) throw new Error('start: must be before end');
  if (endMs - startMs > MAX_WINDOW_MS)
    throw new Error('start: the window is longer than 7 days');
  return {
    startMs,
    endMs,
    requestId: q.requestId,
    traceId: q.traceId,
    service: q.service,
    responseFlag: q.responseFlag,
    limit: q.limit,
  };
}

/** `GET /api/v1/requests`: served through the /api/v1 router (server/api/v1/router.ts). */
export const requestsHandler: ApiV1Handler = async (params) => {
  let filter: RequestsFilter;
  try {
    filter = parseRequestsQuery(params);
  } catch (err) {
    throw new ParamError((err as Error).message);
  }
  return { requests: await listMeshRequests(await getDb(), filter) };
};
