/**
 * Input schemas of the trace search, shared by the tRPC router and `GET /api/v1/traces`:
 * one place that turns what a user typed into a `TraceSearch`.
 */
import { z } from 'zod';
import {
  MAX_TAG_FILTERS,
  parseTag,
  type TagFilter,
} from '../queries/traces-search';

/** 16 or 32 hex characters (64-bit Zipkin ids or 128-bit ids). */
export const traceIdSchema = z
  .string()
  .trim()
  .regex(
    /^([0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/,
    'must be 16 or 32 hex characters',
  );

/** `key=value` strings -> tag filters; a string without `=` is an error naming it. */
export const tagsSchema = z
  .array(z.string().max(1024))
  .max(MAX_TAG_FILTERS)
  .transform((list, ctx): TagFilter[] => {
    const out: TagFilter[] = [];
    for (const text of list) {
      if (text.trim() === '') continue;
      const tag = parseTag(text);
      if (!tag) {
        ctx.addIssue({
          code: 'custom',
          message: `"${text}" is not key=value`,
        });
        return z.NEVER;
      }
      out.push(tag);
    }
    return out;
  });

const text = z.string().trim().max(512).optional();
const durationMs = z.number().nonnegative().max(86_400_000).optional();

/** The search filters (the window is given separately). */
export const traceFiltersSchema = z.object({
  service: text,
  caller: text,
  operation: text,
  tags: tagsSchema.default([]),
  minDurationMs: durationMs,
  maxDurationMs: durationMs,
  errorsOnly: z.boolean().default(false),
  requestId: text,
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).max(100_000).default(0),
});

export type TraceFilters = z.infer<typeof traceFiltersSchema>;
