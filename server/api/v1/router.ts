/**
 * /api/v1: the stable JSON read API for widgets and scripts (docs/api.md). GET only; each name
 * maps to a handler that takes the query string and returns a JSON-able value. Bad parameters
 * answer 400 with a message, unknown names 404, storage failures as server/api/trpc.ts maps
 * them (missing schema 412, unavailable or overloaded 503, anything else 500).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { logger } from '../../log';
import { QueryError, type QueryErrorKind } from '../../queries/clickhouse';
import { alertsHandler } from './alerts';
import { mtlsHandler } from './mtls';
import { describeZodError, ParamError } from './params';
import { requestsHandler } from './requests';
import { servicesHandler } from './services';
import { topologyHandler } from './topology';
import { NotFoundError, traceByIdHandler, tracesSearchHandler } from './traces';

export const API_V1_PREFIX = '/api/v1/';

/** `subpath`: for a `<name>/*` entry, what follows `<name>/` (e.g. the id of traces/{traceId}). */
export type ApiV1Handler = (
  params: URLSearchParams,
  subpath?: string,
) => Promise<unknown>;

/**
 * Every endpoint, by name (`/api/v1/<name>`). Add new ones here, each documented in
 * docs/api.md with an example response.
 */
export const apiV1Handlers: Record<string, ApiV1Handler> = {
  topology: topologyHandler,
  services: servicesHandler,
  traces: tracesSearchHandler,
  'traces/*': traceByIdHandler,
  alerts: alertsHandler,
  requests: requestsHandler,
  mtls: mtlsHandler,
};

const log = logger('api-v1');

const statusByKind: Record<QueryErrorKind, { status: number; code: string }> = {
  'missing-schema': { status: 412, code: 'PRECONDITION_FAILED' },
  unavailable: { status: 503, code: 'SERVICE_UNAVAILABLE' },
  overloaded: { status: 503, code: 'SERVICE_UNAVAILABLE' },
  access: { status: 500, code: 'INTERNAL_SERVER_ERROR' },
  internal: { status: 500, code: 'INTERNAL_SERVER_ERROR' },
};

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    ...extra,
  });
  res.end(JSON.stringify(body));
}

function error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  send(res, status, { error: { code, message } }, extra);
}

/** Answers `/api/v1/*`; returns false for any other path (the caller goes on). */
export async function handleApiV1(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(API_V1_PREFIX)) return false;
  const name = url.pathname.slice(API_V1_PREFIX.length).replace(/\/+$/, '');
  const slash = name.indexOf('/');
  const wildcard = slash > 0 ? `${name.slice(0, slash)}/*` : '';
  const exact = Object.hasOwn(apiV1Handlers, name);
  const handler = exact
    ? apiV1Handlers[name]
    : wildcard && Object.hasOwn(apiV1Handlers, wildcard)
      ? apiV1Handlers[wildcard]
      : undefined;
  if (!handler) {
    error(
      res,
      404,
      'NOT_FOUND',
      `no endpoint /api/v1/${name}; endpoints: ${Object.keys(apiV1Handlers).join(', ')}`,
    );
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    error(res, 405, 'METHOD_NOT_SUPPORTED', 'use GET', { allow: 'GET, HEAD' });
    return true;
  }
  try {
    send(
      res,
      200,
      await handler(
        url.searchParams,
        exact ? undefined : name.slice(slash + 1),
      ),
    );
  } catch (err) {
    if (err instanceof ZodError)
      error(res, 400, 'BAD_REQUEST', describeZodError(err));
    else if (err instanceof ParamError)
      error(res, 400, 'BAD_REQUEST', err.message);
    else if (err instanceof NotFoundError)
      error(res, 404, 'NOT_FOUND', err.message);
    else if (err instanceof QueryError) {
      const { status, code } = statusByKind[err.kind];
      if (status >= 500) log.error({ err, endpoint: name }, 'api error');
      error(
        res,
        status,
        code,
        err.message,
        err.retryable ? { 'retry-after': '5' } : {},
      );
    } else {
      log.error({ err, endpoint: name }, 'api error');
      error(
        res,
        500,
        'INTERNAL_SERVER_ERROR',
        'internal error in Meshlens; see its log',
      );
    }
  }
  return true;
}
