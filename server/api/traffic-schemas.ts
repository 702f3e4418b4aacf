/**
 * Input schemas shared by the traffic routers (topology, services) and /api/v1: a time window
 * (absolute or "the last N ms"), filters and graph nodes. Resolved to query inputs here, once.
 */
import { z } from 'zod';
import type { WindowInput } from '../queries/traffic-filter';
import { GRAPH_TYPES } from '../topology/types';

const MAX_WINDOW_MS = 31 * 24 * 3600_000;
export const DEFAULT_WINDOW_MS = 15 * 60_000;

/** Either `from`/`to` (epoch ms) or `lastMs` (a live window ending now; the default: 15 min). */
export const windowSchema = z
  .object({
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().positive().optional(),
    lastMs: z.number().int().min(60_000).max(MAX_WINDOW_MS).optional(),
  })
  .refine((w) => (w.from === undefined) === (w.to === undefined), {
    message: 'give both `from` and `to`, or neither',
  })
  .refine(
    (w) =>
      w.from === undefined ||
      w.to === undefined ||
      (w.to > w.from && w.to - w.from <= MAX_WINDOW_MS),
    {
      message: '`to` must be after `from`, at most 31 days later',
    },
  );

export type WindowArgs = z.infer<typeof windowSchema>;

/** The window in epoch ms; a relative window ends now. */
export function resolveWindowArgs(
  w: WindowArgs,
  nowMs = Date.now(),
): WindowInput {
  if (w.from !== undefined && w.to !== undefined)
    return { fromMs: w.from, toMs: w.to, nowMs };
  return {
    fromMs: nowMs - (w.lastMs ?? DEFAULT_WINDOW_MS),
    toMs: nowMs,
    nowMs,
  };
}

const name = z.string().max(512);

export const filterSchema = z.object({
  namespaces: z.array(name).max(500).optional(),
  protocols: z
    .array(z.enum(['http', 'grpc', 'tcp']))
    .max(3)
    .optional(),
  cluster: name.optional(),
});

export const graphTypeSchema = z
  .enum(GRAPH_TYPES as [string, ...string[]])
  .transform((v) => v as (typeof GRAPH_TYPES)[number]);

export const thresholdsSchema = z
  .object({
    degraded: z.number().min(0).max(1),
    failure: z.number().min(0).max(1),
  })
  .refine((t) => t.degraded <= t.failure, {
    message: 'degraded must not exceed failure',
  });

/** A graph node as the client holds it (what peer-match.ts needs). */
export const nodeRefSchema = z.object({
  kind: z.enum([
    'workload',
    'service',
    'app',
    'gateway',
    'external',
    'unknown',
  ]),
  namespace: name,
  workload: name,
  service: name,
  app: name,
  version: name,
});
