/** `status`: what this Meshlens process is, where its data lives and how much it holds. */
import { runtime } from '../../runtime';
import { tableStats } from '../../queries/status';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const statusRouter = createTRPCRouter({
  /** Everything the overview screen needs in one round trip; polled every few seconds. */
  overview: publicProcedure.query(async ({ ctx }) => {
    const db = await ctx.db();
    const tables = await tableStats(db);
    const rt = runtime();
    return {
      db: { mode: db.mode, location: db.location, database: db.database },
      roles: [...rt.roles],
      listeners: rt.listeners.map((l) => ({ ...l, serves: [...l.serves] })),
      ready: rt.ready,
      demo: { ...rt.demo },
      startedAt: rt.startedAt,
      tables,
    };
  }),
});
