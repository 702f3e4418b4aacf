/** `mtls`: mTLS coverage of a window (figures, trend, lists, identities); docs/mtls.md. */
import { z } from 'zod';
import { mtlsCoverage } from '../../mtls/coverage';
import { resolveWindowArgs, windowSchema } from '../traffic-schemas';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const mtlsRouter = createTRPCRouter({
  /** Everything the mTLS view shows; `namespaces` keeps traffic with either end in them. */
  coverage: publicProcedure
    .input(
      z.object({
        window: windowSchema,
        namespaces: z.array(z.string().max(512)).max(500).default([]),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      return mtlsCoverage(db, {
        ...resolveWindowArgs(input.window),
        namespaces: input.namespaces,
      });
    }),
});
