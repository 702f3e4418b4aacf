/** `services`: every service with RED figures, and one service's inbound/outbound breakdowns. */
import { z } from 'zod';
import { serviceDetail, serviceList } from '../../queries/services';
import {
  filterSchema,
  resolveWindowArgs,
  windowSchema,
} from '../traffic-schemas';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const servicesRouter = createTRPCRouter({
  list: publicProcedure
    .input(z.object({ window: windowSchema, filter: filterSchema.default({}) }))
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      return serviceList(db, {
        ...resolveWindowArgs(input.window),
        ...input.filter,
      });
    }),

  byName: publicProcedure
    .input(
      z.object({
        window: windowSchema,
        namespace: z.string().max(512),
        service: z.string().min(1).max(512),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      return serviceDetail(db, {
        ...resolveWindowArgs(input.window),
        namespace: input.namespace,
        service: input.service,
      });
    }),
});
