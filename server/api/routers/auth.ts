/**
 * `auth`: who am I, and (admin) the tokens: UI/API and ingest tokens (secret shown once, stored
 * hashed, revocable) and signed embed tokens. Who may call each is in server/auth/policy.ts.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getConfig } from '../../config';
import {
  createEmbedToken,
  EMBED_WIDGETS,
  MAX_EMBED_DAYS,
} from '../../auth/embed-token';
import type { Principal } from '../../auth/principal';
import { authStrategy } from '../../auth/strategy';
import {
  createToken,
  listTokens,
  RECEIVERS,
  revokeToken,
  type StoredToken,
} from '../../auth/token-store';
import { createTRPCRouter, publicProcedure } from '../trpc';

const namespaceName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'must be a Kubernetes namespace name',
  );
const origin = z
  .string()
  .trim()
  .max(300)
  .refine(
    (o) => o === '*' || /^https?:\/\/[a-zA-Z0-9.-]+(:\d{1,5})?$/.test(o),
    'must be an origin such as https://wiki.example.com (scheme, host, optional port) or *',
  );

/** A new token's namespaces must lie inside the creator's own scope. */
function scopedFor(me: Principal, asked: string[]): string[] | null {
  if (me.namespaces === null) return asked.length > 0 ? asked : null;
  if (asked.length === 0) return me.namespaces;
  const outside = asked.filter((n) => !me.namespaces?.includes(n));
  if (outside.length > 0)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `namespace ${outside.join(', ')} is outside your own scope`,
    });
  return asked;
}

const view = (t: StoredToken) => ({
  id: t.id,
  name: t.name,
  kind: t.kind,
  role: t.role,
  namespaces: t.namespaces,
  receivers: t.receivers,
  origins: t.origins,
  expiresAt: t.expiresAt,
  revoked: t.revoked,
  expired: t.expiresAt !== null && t.expiresAt.getTime() <= Date.now(),
  createdAt: t.createdAt,
  createdBy: t.createdBy,
});

function me(ctx: { principal: Principal | null }): Principal {
  if (!ctx.principal)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return ctx.principal;
}

export const authRouter = createTRPCRouter({
  /** The caller, and how this installation authenticates (the UI warns when it does not). */
  me: publicProcedure.query(({ ctx }) => {
    const p = me(ctx);
    const strategy = authStrategy(getConfig());
    return {
      name: p.name,
      kind: p.kind,
      role: p.role,
      namespaces: p.namespaces,
      strategy,
      canLogout: p.via === 'cookie',
    };
  }),

  tokens: publicProcedure.query(async ({ ctx }) =>
    (await listTokens(await ctx.db()))
      .filter((t) => t.kind !== 'embed')
      .map(view),
  ),

  createToken: publicProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        kind: z.enum(['ui', 'api', 'ingest']),
        role: z.enum(['viewer', 'editor', 'admin']).default('viewer'),
        namespaces: z.array(namespaceName).max(100).default([]),
        receivers: z.array(z.enum(RECEIVERS)).max(4).default([]),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const p = me(ctx);
      const namespaces = scopedFor(p, input.namespaces);
      const { token, secret } = await createToken(await ctx.db(), {
        name: input.name,
        kind: input.kind,
        role: input.kind === 'ingest' ? 'viewer' : input.role,
        namespaces: namespaces ?? [],
        receivers: input.kind === 'ingest' ? input.receivers : [],
        expiresAt: input.expiresInDays
          ? new Date(Date.now() + input.expiresInDays * 86_400_000)
          : null,
        createdBy: p.name,
      });
      return { token: view(token), secret };
    }),

  revokeToken: publicProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(async ({ ctx, input }) => {
      if (!(await revokeToken(await ctx.db(), input.id)))
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `no token ${input.id}`,
        });
      return { id: input.id, revoked: true };
    }),

  embeds: publicProcedure.query(async ({ ctx }) =>
    (await listTokens(await ctx.db(), 'embed')).map(view),
  ),

  createEmbed: publicProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        widgets: z.array(z.enum(EMBED_WIDGETS)).min(1).max(2),
        namespaces: z.array(namespaceName).max(100).default([]),
        services: z
          .array(
            z
              .string()
              .trim()
              .regex(
                /^[a-z0-9][-a-z0-9.]*\/[^\s/]{1,253}$/,
                'must be namespace/service',
              ),
          )
          .max(50)
          .default([]),
        origins: z
          .array(origin)
          .min(1, 'name at least one origin that may frame the widget')
          .max(20),
        expiresInHours: z
          .number()
          .int()
          .min(1)
          .max(MAX_EMBED_DAYS * 24),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const p = me(ctx);
      const created = await createEmbedToken(await ctx.db(), {
        name: input.name,
        widgets: input.widgets,
        namespaces: scopedFor(p, input.namespaces),
        services: input.services,
        origins: input.origins,
        expiresInHours: input.expiresInHours,
        createdBy: p.name,
      });
      return created;
    }),
});
