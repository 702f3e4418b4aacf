/**
 * `alerts`: rules (CRUD, validation, "test this rule now"), their current alerts, history,
 * silences and the delivery log. Thin: validation in server/alerts, storage in
 * server/queries/alerts-*.ts.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getConfig } from '../../config';
import { evaluateRule } from '../../alerts/evaluate-rule';
import { fingerprintOf } from '../../alerts/fingerprint';
import { alertLabels } from '../../alerts/notification';
import { ruleSpecSchema, type AlertRule } from '../../alerts/rule-schema';
import { matcherSchema, silencedBy } from '../../alerts/silence-match';
import { hostAllowList } from '../../alerts/transports/allow-list';
import { checkRule, describeIssues } from '../../alerts/validate-rule';
import { listDeliveries } from '../../queries/alerts-deliveries';
import {
  deleteRule,
  listRules,
  ruleById,
  saveRule,
} from '../../queries/alerts-rules';
import { listSilences, saveSilence } from '../../queries/alerts-silences';
import { loadAlertStates, readHistory } from '../../queries/alerts-state';
import type { Db } from '../../db/client';
import { createTRPCRouter, publicProcedure } from '../trpc';

const allowList = () =>
  hostAllowList(getConfig().env.MESHLENS_ALERT_ALLOWED_HOSTS);
const id = z.object({ id: z.string().min(1).max(100) });

function validRule(raw: unknown) {
  const check = checkRule(raw, allowList());
  if (!check.ok)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: describeIssues(check.issues),
    });
  return check.rule;
}

async function existing(db: Db, ruleId: string): Promise<AlertRule> {
  const rule = await ruleById(db, ruleId);
  if (!rule)
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `no alert rule ${ruleId}`,
    });
  return rule;
}

/** Destination URLs name the host only: Slack webhook paths are secrets. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? '/…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}

const ORDER = { firing: 0, pending: 1, resolved: 2, inactive: 3 } as const;

export const alertsRouter = createTRPCRouter({
  /** Every rule with its alerts (one per label set), worst state first. */
  list: publicProcedure.query(async ({ ctx }) => {
    const db = await ctx.db();
    const nowMs = Date.now();
    const [rules, states, silences] = await Promise.all([
      listRules(db),
      loadAlertStates(db),
      listSilences(db, nowMs),
    ]);
    return rules.map((rule) => {
      const alerts = states
        .filter((s) => s.ruleId === rule.id)
        .map((s) => ({
          ...s,
          silencedBy: silencedBy(silences, s.labels, nowMs)?.id ?? null,
        }))
        .sort((a, b) => ORDER[a.state] - ORDER[b.state]);
      const state = alerts[0]?.state ?? 'inactive';
      return { ...rule, state, alerts };
    });
  }),

  byId: publicProcedure
    .input(id)
    .query(async ({ ctx, input }) => existing(await ctx.db(), input.id)),

  /** The problems of a rule as the form has it, each with its field path; nothing is saved. */
  validate: publicProcedure
    .input(z.object({ rule: z.unknown() }))
    .mutation(({ input }) => {
      const check = checkRule(input.rule, allowList());
      return { ok: check.ok, issues: check.ok ? [] : check.issues };
    }),

  add: publicProcedure
    .input(z.object({ rule: z.unknown() }))
    .mutation(async ({ ctx, input }) => {
      const rule = validRule(input.rule);
      return saveRule(await ctx.db(), rule);
    }),

  update: publicProcedure
    .input(id.extend({ rule: z.unknown() }))
    .mutation(async ({ ctx, input }) => {
      const rule = validRule(input.rule);
      const db = await ctx.db();
      await existing(db, input.id);
      return saveRule(db, rule, { id: input.id });
    }),

  setEnabled: publicProcedure
    .input(id.extend({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const rule = await existing(db, input.id);
      return saveRule(
        db,
        { name: rule.name, enabled: input.enabled, spec: rule.spec },
        { id: rule.id },
      );
    }),

  remove: publicProcedure.input(id).mutation(async ({ ctx, input }) => {
    const db = await ctx.db();
    await deleteRule(db, await existing(db, input.id));
    return { id: input.id };
  }),

  /** "Test this rule now": every series' value and condition at this instant; nothing is stored or sent. */
  test: publicProcedure
    .input(
      z.object({
        name: z.string().max(200).default('preview'),
        spec: ruleSpecSchema,
        at: z.number().int().positive().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const presentMs = Date.now();
      const nowMs = input.at ?? presentMs;
      const [series, silences] = await Promise.all([
        // a past instant: the stored data reaches the present, past the window's end
        evaluateRule(db, input.spec, nowMs, Math.max(nowMs, presentMs)),
        listSilences(db, nowMs),
      ]);
      const rule: AlertRule = {
        id: 'preview',
        name: input.name,
        enabled: true,
        spec: input.spec,
        version: 0,
        updatedAt: new Date(nowMs),
      };
      return {
        at: new Date(nowMs),
        series: series.map((s) => {
          const labels = alertLabels(rule, s.labels);
          return {
            ...s,
            labels,
            fingerprint: fingerprintOf('preview', s.labels),
            silencedBy: silencedBy(silences, labels, nowMs)?.id ?? null,
          };
        }),
      };
    }),

  history: publicProcedure
    .input(
      z.object({
        ruleId: z.string().max(100).optional(),
        lastMs: z
          .number()
          .int()
          .positive()
          .max(90 * 86_400_000)
          .default(86_400_000),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(async ({ ctx, input }) => {
      const nowMs = Date.now();
      return readHistory(await ctx.db(), {
        ruleId: input.ruleId,
        fromMs: nowMs - input.lastMs,
        toMs: nowMs + 60_000,
        limit: input.limit,
      });
    }),

  /** Active and upcoming silences, and those that ended in the last day. */
  silences: publicProcedure.query(async ({ ctx }) => {
    const list = await listSilences(await ctx.db(), Date.now() - 86_400_000);
    // "Now" after the read: a silence saved while this query waited is not "not started yet".
    const nowMs = Date.now();
    return list.map((s) => ({
      ...s,
      active: s.startsAt.getTime() <= nowMs && nowMs < s.endsAt.getTime(),
      upcoming: s.startsAt.getTime() > nowMs,
    }));
  }),

  addSilence: publicProcedure
    .input(
      z
        .object({
          matchers: z
            .array(matcherSchema)
            .min(1, 'a silence needs at least one matcher')
            .max(20),
          startsAt: z.number().int().positive().optional(),
          endsAt: z.number().int().positive(),
          comment: z.string().max(1000).default(''),
          createdBy: z.string().max(200).default('api'),
        })
        .refine((s) => s.endsAt > (s.startsAt ?? Date.now()), {
          message: 'endsAt must be in the future and after startsAt',
          path: ['endsAt'],
        }),
    )
    .mutation(async ({ ctx, input }) =>
      saveSilence(await ctx.db(), {
        ...input,
        startsAt: new Date(input.startsAt ?? Date.now()),
        endsAt: new Date(input.endsAt),
      }),
    ),

  expireSilence: publicProcedure.input(id).mutation(async ({ ctx, input }) => {
    const db = await ctx.db();
    const s = (await listSilences(db, 0)).find((x) => x.id === input.id);
    if (!s)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `no silence ${input.id}`,
      });
    const now = new Date();
    return saveSilence(db, {
      ...s,
      startsAt: s.startsAt < now ? s.startsAt : now,
      endsAt: now,
    });
  }),

  /** The delivery log: one row per try, newest first (destination URLs redacted). */
  deliveries: publicProcedure
    .input(
      z.object({
        notificationId: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await listDeliveries(await ctx.db(), {
        notificationId: input.notificationId,
        sinceMs: Date.now() - 30 * 86_400_000,
        limit: input.limit,
      });
      return rows.map((r) => {
        const [type = '', url = ''] = [
          r.destination.slice(0, r.destination.indexOf(' ')),
          r.destination.slice(r.destination.indexOf(' ') + 1),
        ];
        return { ...r, destination: `${type} ${redactUrl(url)}` };
      });
    }),
});
