/**
 * The tRPC setup, read top to bottom: 1. context, 2. init (transformer, error shape),
 * 3. error mapping, 4. procedures. Rarely edited: add routers in `routers/` and list them in
 * `root.ts` instead.
 */
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { getDb, type Db } from '../db/client';
import { getConfig } from '../config';
import { QueryError, type QueryErrorKind } from '../queries/clickhouse';

/*
 * 1. CONTEXT
 * The database is opened lazily, on the first procedure that asks for it, and is the same
 * process-wide client the collectors write through (`getDb()` keeps it on globalThis).
 */
export interface Context {
  /** The ClickHouse handle; rejects with a QueryError when the engine cannot be opened. */
  db: () => Promise<Db>;
}

async function openDb(): Promise<Db> {
  try {
    return await getDb();
  } catch (err) {
    const config = getConfig();
    const where = config.clickhouseUrl
      ? `the ClickHouse server at ${new URL(config.clickhouseUrl).host}`
      : `the embedded ClickHouse in ${config.dataDir}`;
    const reason = err instanceof Error ? err.message : String(err);
    throw new QueryError(
      `opening ${where} failed: ${reason}`,
      'unavailable',
      undefined,
      undefined,
      { cause: err },
    );
  }
}

/** Context without any HTTP request: for tests (createCaller) and server-side callers. */
export function createInnerContext(overrides: Partial<Context> = {}): Context {
  return { db: overrides.db ?? openDb };
}

/** Context per HTTP request (the request is not needed yet; auth will read it). */
export function createTRPCContext(): Context {
  return createInnerContext();
}

/*
 * 2. INIT
 * superjson carries Dates and bigints; zod errors are flattened so forms can show them per
 * field; database failures say what kind they are, so the UI can say "retrying".
 */
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Stack traces only when explicitly developing; the default would also send them when
  // NODE_ENV is unset, as it is when server/main.ts loads this module.
  isDev: process.env.NODE_ENV === 'development',
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        dbError:
          cause instanceof QueryError
            ? {
                kind: cause.kind,
                retryable: cause.retryable,
                type: cause.type ?? null,
              }
            : null,
      },
    };
  },
});

/*
 * 3. ERROR MAPPING
 * The one place where storage failures become API errors. The message is the QueryError's,
 * which names the query, ClickHouse's error type and what to do about it.
 */
const codeByKind: Record<QueryErrorKind, TRPC_ERROR_CODE_KEY> = {
  'missing-schema': 'PRECONDITION_FAILED',
  unavailable: 'SERVICE_UNAVAILABLE',
  overloaded: 'SERVICE_UNAVAILABLE',
  access: 'INTERNAL_SERVER_ERROR',
  internal: 'INTERNAL_SERVER_ERROR',
};

/** Maps a QueryError to a TRPCError; anything else is returned unchanged. */
export function toTRPCError(err: unknown): unknown {
  if (err instanceof QueryError) {
    return new TRPCError({
      code: codeByKind[err.kind],
      message: err.message,
      cause: err,
    });
  }
  return err;
}

const mapDbErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof QueryError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

/*
 * 4. PROCEDURES AND ROUTERS
 * No auth yet: every procedure is public. An `authedProcedure` will be added here.
 */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapDbErrors);
