/**
 * `requests`: the access-log explorer (app/(dashboard)/logs). The same query as
 * `GET /api/v1/requests` (server/queries/requests.ts), with paging and the UI's filters.
 */
import { z } from 'zod';
import { listMeshRequests } from '../../queries/requests';
import { resolveWindowArgs, windowSchema } from '../traffic-schemas';
import { createTRPCRouter, publicProcedure } from '../trpc';

const text = z.string().trim().max(256);

export const CODE_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'none'] as const;

export const requestsFilterSchema = z.object({
  /** Source or destination namespace; forced to the caller's namespaces when scoped. */
  namespaces: z.array(z.string().max(512)).max(500).optional(),
  /** Service or workload name, optionally `name.namespace`. */
  service: text.optional(),
  codeClass: z.enum(CODE_CLASSES).optional(),
  responseFlag: z
    .string()
    .trim()
    .regex(/^[A-Z]{1,8}$/, 'must be a short Envoy flag such as UO')
    .optional(),
  requestId: text.optional(),
  traceId: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{16,32}$/, 'must be 16 or 32 hex characters')
    .optional(),
  /** Case-insensitive substring of the path or the authority. */
  q: text.optional(),
});

const codeClassNumber = (c: (typeof CODE_CLASSES)[number] | undefined) =>
  c === undefined ? undefined : c === 'none' ? 0 : Number(c[0]);

export const requestsRouter = createTRPCRouter({
  /** One page of access-log lines, newest first; `hasMore` when another page follows. */
  search: publicProcedure
    .input(
      z.object({
        window: windowSchema,
        filter: requestsFilterSchema.default({}),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).max(100_000).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const w = resolveWindowArgs(input.window);
      const f = input.filter;
      const rows = await listMeshRequests(db, {
        startMs: w.fromMs,
        endMs: w.toMs,
        requestId: f.requestId || undefined,
        traceId: f.traceId || undefined,
        service: f.service || undefined,
        responseFlag: f.responseFlag || undefined,
        namespaces: f.namespaces?.filter((n) => n !== ''),
        codeClass: codeClassNumber(f.codeClass),
        text: f.q || undefined,
        limit: input.limit + 1,
        offset: input.offset,
      });
      return {
        requests: rows.slice(0, input.limit),
        hasMore: rows.length > input.limit,
        offset: input.offset,
        limit: input.limit,
        window: { fromMs: w.fromMs, toMs: w.toMs },
      };
    }),
});
