/**
 * `targets`: the health of every Prometheus scrape target of this process, as Prometheus'
 * /targets page shows it (state, last scrape, duration, samples, the error and its reason).
 */
import { scrapeTargetsSnapshot } from '../../telemetry/scrape-targets';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const targetsRouter = createTRPCRouter({
  /** Polled every few seconds by the Targets page. */
  list: publicProcedure.query(() => {
    const snap = scrapeTargetsSnapshot();
    return {
      ...snap,
      targets: snap.targets.map((t) => ({ ...t, labels: { ...t.labels } })),
      at: new Date().toISOString(),
    };
  }),
});
