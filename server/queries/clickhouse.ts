/**
 * Query execution for the read side, wrapped once: every read goes through `queryRows`, and
 * every failure leaves here as a `QueryError` that says what went wrong in operator terms.
 * Mapping those to API error codes happens in one place, `server/api/trpc.ts`.
 */
import type { Db } from '../db/client';

/** What kind of failure, decided from ClickHouse's error code/type or the network error. */
export type QueryErrorKind =
  /** The schema is not there (migrations not run, wrong database). */
  | 'missing-schema'
  /** The engine could not be reached or opened (server down, data folder locked). */
  | 'unavailable'
  /** The query ran out of time or memory, or the server is overloaded: worth retrying. */
  | 'overloaded'
  /** ClickHouse refused our credentials or permissions: a configuration problem. */
  | 'access'
  /** Anything else (bad SQL is a bug in Meshlens). */
  | 'internal';

export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    public readonly kind: QueryErrorKind,
    /** ClickHouse's numeric code as a string (e.g. "60"), when the engine answered. */
    public readonly code: string | undefined,
    /** ClickHouse's error type (e.g. "UNKNOWN_TABLE"), when the engine answered. */
    public readonly type: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the same query may succeed later without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'overloaded';
  }
}

const kindByType: Record<string, QueryErrorKind> = {
  UNKNOWN_TABLE: 'missing-schema',
  UNKNOWN_DATABASE: 'missing-schema',
  UNKNOWN_IDENTIFIER: 'missing-schema',
  TIMEOUT_EXCEEDED: 'overloaded',
  SOCKET_TIMEOUT: 'overloaded',
  MEMORY_LIMIT_EXCEEDED: 'overloaded',
  TOO_MANY_SIMULTANEOUS_QUERIES: 'overloaded',
  TOO_MANY_PARTS: 'overloaded',
  AUTHENTICATION_FAILED: 'access',
  REQUIRED_PASSWORD: 'access',
  ACCESS_DENIED: 'access',
  READONLY: 'access',
};

const hints: Record<QueryErrorKind, string> = {
  'missing-schema':
    'the Meshlens tables are missing: run the migrations (`npm run db:migrate`) or check CLICKHOUSE_DATABASE',
  unavailable:
    'ClickHouse could not be reached; check CLICKHOUSE_URL or the data folder',
  overloaded:
    'ClickHouse is overloaded or the query ran too long; it is retried',
  access:
    'ClickHouse refused Meshlens; check CLICKHOUSE_USER / CLICKHOUSE_PASSWORD and grants',
  internal: 'this is a bug in Meshlens; please report it with the server log',
};

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

function field(err: unknown, key: string): string | undefined {
  if (typeof err !== 'object' || err === null || !(key in err))
    return undefined;
  const value = (err as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Turns whatever the client threw into a QueryError. ClickHouse errors are recognised by their
 * `code`/`type` fields rather than `instanceof`, because chdb and @clickhouse/client may each
 * carry their own copy of the error class.
 */
export function toQueryError(err: unknown, what: string): QueryError {
  if (err instanceof QueryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const type = field(err, 'type');
  const code = field(err, 'code');
  let kind: QueryErrorKind;
  if (type !== undefined && /^\d+$/.test(code ?? '')) {
    kind = kindByType[type] ?? 'internal';
  } else if (
    (code && networkCodes.has(code)) ||
    /is closed|ECONNREFUSED/i.test(message)
  ) {
    kind = 'unavailable';
  } else if (/timeout|timed out/i.test(message)) {
    kind = 'overloaded';
  } else {
    kind = 'internal';
  }
  const label = type
    ? ` (${type}${code ? `, code ${code}` : ''})`
    : code
      ? ` (${code})`
      : '';
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return new QueryError(
    `${what} failed${label}: ${firstLine} — ${hints[kind]}`,
    kind,
    type ? code : undefined,
    type,
    { cause: err },
  );
}

export interface RowsQuery {
  /** Short description for error messages, e.g. "reading table sizes". */
  what: string;
  /** SQL with `{name:Type}` placeholders only; values go in `params`. */
  query: string;
  params?: Record<string, unknown>;
}

/** Runs a read query and returns its rows (JSONEachRow), or throws a QueryError. */
export async function queryRows<Row>(db: Db, q: RowsQuery): Promise<Row[]> {
  try {
    const result = await db.client.query({
      query: q.query,
      query_params: q.params,
      format: 'JSONEachRow',
    });
    return await result.json<Row>();
  } catch (err) {
    throw toQueryError(err, q.what);
  }
}
