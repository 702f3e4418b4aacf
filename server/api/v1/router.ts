/**
 * /api/v1: the stable JSON read API for widgets and scripts (docs/api.md). GET only; each name
 * maps to a handler that takes the query string and returns a JSON-able value. Bad parameters
 * answer 400 with a message, unknown names 404, storage failures as server/api/trpc.ts maps
 * them (missing schema 412, unavailable or overloaded 503, anything else 500). Access control
 * (server/auth/policy.ts V1_RULES): 401 without a credential, 403 for a role, an embed token or
 * a namespace outside the caller's scope; a scoped caller's answers hold only its namespaces.
 */
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import { ZodError } from 'zod';
import { getDb } from '../../db/client';
import {
  AccessDenied,
  allowedOf,
  checkAccess,
  v1Rule,
} from '../../auth/policy';
import { SYSTEM_PRINCIPAL, type Principal } from '../../auth/principal';
import { ScopeError } from '../../auth/scope';
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

/**
 * `subpath`: for a `<name>/*` entry, what follows `<name>/` (e.g. the id of traces/{traceId}).
 * `headers`: the request's (e.g. `cache-control: no-cache` asks for a fresh answer).
 */
export type ApiV1Handler = (
  params: URLSearchParams,
  subpath?: string,
  headers?: IncomingHttpHeaders,
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

/**
 * Answers `/api/v1/*`; returns false for any other path (the caller goes on). `principal` is
 * who the auth gate found (null: none); in-process callers that pass none act as the system.
 */
export async function handleApiV1(
  req: IncomingMessage,
  res: ServerResponse,
  principal: Principal | null = SYSTEM_PRINCIPAL,
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
  if (!principal) {
    error(res, 401, 'UNAUTHORIZED', 'send `Authorization: Bearer <token>`', {
      'www-authenticate': 'Bearer realm="meshlens"',
    });
    return true;
  }
  try {
    const rule = v1Rule(exact ? name : wildcard);
    checkAccess(principal, rule, `/api/v1/${exact ? name : wildcard}`);
    const allowed = allowedOf(principal);
    const scope = allowed && rule.scope !== true ? rule.scope : undefined;
    const params =
      allowed && scope?.input
        ? await scope.input(url.searchParams, allowed, () => getDb())
        : url.searchParams;
    const data = await handler(
      params,
      exact ? undefined : name.slice(slash + 1),
      req.headers,
    );
    send(
      res,
      200,
      allowed && scope?.output ? scope.output(data, allowed) : data,
    );
  } catch (err) {
    if (err instanceof AccessDenied)
      error(
        res,
        err.notFound ? 404 : 403,
        err.notFound ? 'NOT_FOUND' : 'FORBIDDEN',
        err.message,
      );
    else if (err instanceof ScopeError)
      error(res, 403, 'FORBIDDEN', err.message);
    else if (err instanceof ZodError)
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
