/**
 * `traces`: search (summaries), one trace by id (the waterfall's data), the same as OTLP JSON
 * (download), the services/operations for the search form, and the access-log lines of a request.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listMeshRequests } from '../../queries/requests';
import { traceSkeleton } from '../../queries/traces-skeleton';
import { spansOfTrace, traceById } from '../../queries/traces';
import { searchTraces, traceServices } from '../../queries/traces-search';
import { traceToOtlpJson } from '../../traces/otlp-json';
import { traceFiltersSchema, traceIdSchema } from '../../traces/search-input';
import { resolveWindowArgs, windowSchema } from '../traffic-schemas';
import { createTRPCRouter, publicProcedure } from '../trpc';

function notFound(traceId: string): TRPCError {
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `no trace ${traceId} is stored (it may be older than the span retention, or not received yet)`,
  });
}

export const tracesRouter = createTRPCRouter({
  /** One page of matching traces; with a request id, also that request's access-log lines. */
  search: publicProcedure
    .input(z.object({ window: windowSchema, filters: traceFiltersSchema }))
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const w = resolveWindowArgs(input.window);
      const result = await searchTraces(db, {
        ...input.filters,
        startMs: w.fromMs,
        endMs: w.toMs,
      });
      const accessLog = input.filters.requestId
        ? await listMeshRequests(db, {
            startMs: w.fromMs,
            endMs: w.toMs,
            requestId: input.filters.requestId,
            limit: 100,
          })
        : [];
      return {
        ...result,
        window: { fromMs: w.fromMs, toMs: w.toMs },
        accessLog,
      };
    }),

  byId: publicProcedure
    .input(z.object({ traceId: traceIdSchema }))
    .query(async ({ ctx, input }) => {
      const trace = await traceById(await ctx.db(), input.traceId);
      if (!trace) throw notFound(input.traceId);
      return trace;
    }),

  /** The trace page's compact trace (server/traces/skeleton.ts): tree and timing, no attributes. */
  skeleton: publicProcedure
    .input(z.object({ traceId: traceIdSchema }))
    .query(async ({ ctx, input }) => {
      const trace = await traceSkeleton(await ctx.db(), input.traceId);
      if (!trace) throw notFound(input.traceId);
      return trace;
    }),

  /** Some spans in full (the selected span and its parent), for the span detail. */
  spans: publicProcedure
    .input(
      z.object({
        traceId: traceIdSchema,
        spanIds: z
          .array(
            z.string().regex(/^[0-9a-fA-F]{16}$/, 'a span id is 16 hex digits'),
          )
          .min(1)
          .max(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const found = await spansOfTrace(
        await ctx.db(),
        input.traceId,
        input.spanIds.map((s) => s.toLowerCase()),
      );
      if (!found) throw notFound(input.traceId);
      return found;
    }),

  otlpJson: publicProcedure
    .input(z.object({ traceId: traceIdSchema }))
    .query(async ({ ctx, input }) => {
      const trace = await traceById(await ctx.db(), input.traceId);
      if (!trace) throw notFound(input.traceId);
      return traceToOtlpJson(trace);
    }),

  services: publicProcedure
    .input(z.object({ window: windowSchema }))
    .query(async ({ ctx, input }) => {
      const w = resolveWindowArgs(input.window);
      return traceServices(await ctx.db(), {
        startMs: w.fromMs,
        endMs: w.toMs,
      });
    }),

  /** Access-log lines of one request (and/or trace) around a span's time. */
  accessLog: publicProcedure
    .input(
      z
        .object({
          requestId: z.string().trim().max(256).optional(),
          traceId: traceIdSchema.optional(),
          aroundMs: z.number().int().nonnegative(),
        })
        .refine((v) => v.requestId || v.traceId, {
          message: 'give a requestId or a traceId',
        }),
    )
    .query(async ({ ctx, input }) =>
      listMeshRequests(await ctx.db(), {
        // Access logs are written when a request ends: allow for long requests and skew.
        startMs: input.aroundMs - 10 * 60_000,
        endMs: input.aroundMs + 10 * 60_000,
        requestId: input.requestId,
        traceId: input.requestId ? undefined : input.traceId,
        limit: 100,
      }),
    ),
});
