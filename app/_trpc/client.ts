/**
 * The typed tRPC hooks for client components. The app knows the API only by its type:
 * nothing from server/ is bundled into the browser.
 */
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '~/server/api/root';

export const { TRPCProvider, useTRPC, useTRPCClient } =
  createTRPCContext<AppRouter>();

/** Output types of every procedure, e.g. `RouterOutputs['status']['overview']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** Input types of every procedure. */
export type RouterInputs = inferRouterInputs<AppRouter>;
