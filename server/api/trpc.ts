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
import {
  AccessDenied,
  allowedOf,
  checkAccess,
  checkEmbedService,
  trpcRule,
} from '../auth/policy';
import { SYSTEM_PRINCIPAL, type Principal } from '../auth/principal';
import { ScopeError } from '../auth/scope';

/*
 * 1. CONTEXT
 * The database is opened lazily, on the first procedure that asks for it, and is the same
 * process-wide client the collectors write through (`getDb()` keeps it on globalThis).
 */
export interface Context {
  /** The ClickHouse handle; rejects with a QueryError when the engine cannot be opened. */
  db: () => Promise<Db>;
  /** Who is calling (server/auth); null when the request carried no valid credential. */
  principal: Principal | null;
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

/**
 * Context without any HTTP request: for tests (createCaller) and server-side callers. Without
 * a principal it acts as the system (every right); pass one to test a role or a scope.
 */
export function createInnerContext(overrides: Partial<Context> = {}): Context {
  return {
    db: overrides.db ?? openDb,
    principal:
      overrides.principal === undefined
        ? SYSTEM_PRINCIPAL
        : overrides.principal,
  };
}

/** Context per HTTP request: the principal the web server's auth gate found for it. */
export function createTRPCContext(principal: Principal | null): Context {
  return createInnerContext({ principal });
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
 * 4. ACCESS CONTROL
 * Every procedure passes here (server/auth/policy.ts has the table): a credential is needed,
 * the caller's role must reach the procedure's, embed tokens reach only their widgets' reads,
 * and a namespace-scoped caller gets its namespace filter forced on the way in and everything
 * of other namespaces removed on the way out.
 */
const denied = (err: unknown): unknown => {
  if (err instanceof AccessDenied)
    return new TRPCError({
      code: err.notFound ? 'NOT_FOUND' : 'FORBIDDEN',
      message: err.message,
    });
  if (err instanceof ScopeError)
    return new TRPCError({ code: 'FORBIDDEN', message: err.message });
  return err;
};

const authorize = t.middleware(
  async ({ ctx, path, type, getRawInput, next }) => {
    const principal = ctx.principal;
    if (!principal)
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'sign in first: no valid session or bearer token',
      });
    const rule = trpcRule(path, type);
    try {
      checkAccess(principal, rule, path);
      if (principal.kind === 'embed' && path === 'services.byName') {
        const raw = (await getRawInput()) as
          { namespace?: unknown; service?: unknown } | undefined;
        const text = (v: unknown) => (typeof v === 'string' ? v : '');
        checkEmbedService(principal, text(raw?.namespace), text(raw?.service));
      }
      const allowed = allowedOf(principal);
      if (!allowed || rule.scope === true || !rule.scope) return await next();
      const scope = rule.scope;
      const raw = scope.input
        ? await scope.input(await getRawInput(), allowed, ctx.db)
        : await getRawInput();
      const result = await next({ getRawInput: () => Promise.resolve(raw) });
      if (!result.ok || !scope.output) return result;
      return { ...result, data: scope.output(result.data, allowed) };
    } catch (err) {
      throw denied(err);
    }
  },
);

/*
 * 5. PROCEDURES AND ROUTERS
 */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Every procedure: authenticated, role-checked and namespace-scoped (part 4). */
export const publicProcedure = t.procedure.use(authorize).use(mapDbErrors);
