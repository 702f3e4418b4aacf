/**
 * `GET /api/v1/requests?start=&end=&requestId=&traceId=&service=&responseFlag=&limit=`: mesh
 * requests as JSON for widgets and scripts. start/end are ISO-8601 or Unix ms (default: the last
 * 15 minutes); the window is at most 7 days. Answers `{ requests: MeshRequest[] }`, 400 with
 * `{ error }` for a bad parameter, 503 when the store cannot answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { QueryError } from '../../queries/clickhouse';
import { listMeshRequests, type RequestsFilter } from '../../queries/requests';

export const REQUESTS_PATH = '/api/v1/requests';
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

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** The HTTP handler; `db` defaults to the process's client. */
export async function handleRequestsApi(
  req: IncomingMessage,
  res: ServerResponse,
  db?: Db,
): Promise<void> {
  if (req.method !== 'GET') {
    send(res, 405, { error: `${req.method} is not allowed; use GET` });
    return;
  }
  let filter: RequestsFilter;
  try {
    filter = parseRequestsQuery(
      new URL(req.url ?? '/', 'http://x').searchParams,
    );
  } catch (err) {
    send(res, 400, { error: (err as Error).message });
    return;
  }
  try {
    const requests = await listMeshRequests(db ?? (await getDb()), filter);
    send(res, 200, { requests });
  } catch (err) {
    if (err instanceof QueryError) {
      send(res, err.retryable || err.kind === 'missing-schema' ? 503 : 500, {
        error: err.message,
      });
      return;
    }
    throw err;
  }
}
