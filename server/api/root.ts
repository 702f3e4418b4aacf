/**
 * The API: every router, listed once. The app imports only the `AppRouter` type from here
 * (`import type`), and reaches the routers over HTTP at /api/trpc.
 */
import { alertsRouter } from './routers/alerts';
import { mtlsRouter } from './routers/mtls';
import { authRouter } from './routers/auth';
import { requestsRouter } from './routers/requests';
import { servicesRouter } from './routers/services';
import { statusRouter } from './routers/status';
import { targetsRouter } from './routers/targets';
import { topologyRouter } from './routers/topology';
import { tracesRouter } from './routers/traces';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  status: statusRouter,
  targets: targetsRouter,
  topology: topologyRouter,
  services: servicesRouter,
  alerts: alertsRouter,
  traces: tracesRouter,
  mtls: mtlsRouter,
  requests: requestsRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process, without HTTP: `createCaller(createInnerContext())`. */
export const createCaller = createCallerFactory(appRouter);
