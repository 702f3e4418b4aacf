/**
 * The alert rule model (stored as JSON in alert_rules.Spec) and its validation. Every figure a
 * rule watches is one the dashboard shows (server/topology/decorate-edge.ts), computed by the
 * same count-once queries, so an alert and the chart it links to agree. docs/alerts.md documents
 * every field; the error messages below are what the UI and the API show, so keep them plain.
 */
import { z } from 'zod';

/** "30s", "5m", "1h", "1d", or a combination like "1h30m" -> milliseconds. */
export function parseDurationMs(text: string): number | null {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return null;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((v) => Number(v ?? 0));
  return (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

/** A duration as text, bounded; parsed to ms by `durationMs` below. */
const duration = (what: string, minMs: number, maxMs: number) =>
  z.string().superRefine((v, ctx) => {
    const ms = parseDurationMs(v);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${what}: write a duration like 30s, 5m, 1h or 1h30m (got "${v}")`,
      });
    } else if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`,
      });
    }
  });

/** 90000 -> "1m30s". */
export function formatDuration(ms: number): string {
  let s = Math.round(ms / 1000);
  if (s === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

const DAY_MS = 86_400_000;
const name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(253, `${what} is too long`);

const peer = z.object({
  namespace: name('namespace'),
  service: name('service'),
});

export const scopeSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('mesh') }),
    z.object({ type: z.literal('namespace'), namespace: name('namespace') }),
    z.object({
      type: z.literal('service'),
      namespace: name('namespace'),
      service: name('service'),
    }),
    z.object({ type: z.literal('edge'), source: peer, destination: peer }),
  ],
  { error: 'scope.type must be one of mesh, namespace, service, edge' },
);
export type RuleScope = z.infer<typeof scopeSchema>;

export const RULE_KINDS = [
  'error_rate',
  'latency_percentile',
  'request_rate',
  'mtls_coverage_below',
  'new_plaintext_edge',
  'response_flag_rate',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const DESTINATION_TYPES = ['webhook', 'slack', 'alertmanager'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const destinationSchema = z.object({
  type: z.enum(DESTINATION_TYPES, {
    error: 'type must be webhook, slack or alertmanager',
  }),
  url: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a URL` });
        return;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        ctx.addIssue({ code: 'custom', message: 'use an http or https URL' });
    }),
});
export type Destination = z.infer<typeof destinationSchema>;

const labelName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'label names are letters, digits and _ (not starting with a digit)',
  );
const labels = z
  .record(labelName, z.string().max(1024))
  .refine((r) => Object.keys(r).length <= 32, 'at most 32 entries');

const common = {
  scope: scopeSchema,
  /** Per-series alerts inside a mesh/namespace scope: one alert per service or per edge. */
  groupBy: z.enum(['none', 'service', 'edge']).default('none'),
  /** Lookback of each evaluation; partial minutes weighted (rule-window.ts). */
  window: duration('window', 60_000, DAY_MS).default('5m'),
  /** How long the condition must hold before the alert fires (0s: at once). */
  for: duration('for', 0, DAY_MS).default('0s'),
  /** Below this many requests in the window, ratio rules do not fire (too little to judge). */
  minRequests: z.number().int().min(0).default(1),
  labels: labels.default({}),
  annotations: labels.default({}),
  notify: z
    .array(destinationSchema)
    .max(10, 'at most 10 destinations')
    .default([]),
};

const ratio = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} must be between 0 and 1 (0.05 = 5 %)`)
    .max(1, `${what} must be between 0 and 1 (0.05 = 5 %)`);

export const ruleSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('error_rate'),
      ...common,
      /** Fires when errors / requests > threshold. */
      threshold: ratio('threshold'),
    }),
    z.object({
      kind: z.literal('latency_percentile'),
      ...common,
      percentile: z
        .number({ error: 'percentile must be a number' })
        .gt(0, 'percentile must be above 0 and below 1 (0.99 = p99)')
        .lt(1, 'percentile must be above 0 and below 1 (0.99 = p99)')
        .default(0.99),
      /** Fires when the percentile in milliseconds > threshold. */
      threshold: z
        .number({ error: 'threshold must be a number of milliseconds' })
        .positive('threshold must be above 0 ms'),
    }),
    z.object({
      kind: z.literal('request_rate'),
      ...common,
      direction: z.enum(['drop', 'spike'], {
        error: 'direction must be drop or spike',
      }),
      /** The window just before `window` that the current rate is compared with. */
      baseline: duration('baseline', 60_000, 7 * DAY_MS).default('1h'),
      /** current / baseline rate: drop fires below it (0.5 = halved), spike above (2 = doubled). */
      threshold: z
        .number({ error: 'threshold must be a number' })
        .positive(
          'threshold must be a ratio above 0 (0.5 = halved, 2 = doubled)',
        ),
    }),
    z.object({
      kind: z.literal('mtls_coverage_below'),
      ...common,
      /** Fires when the mutual-TLS share (destination-reported, unknown excluded) < threshold. */
      threshold: ratio('threshold'),
    }),
    z.object({
      kind: z.literal('new_plaintext_edge'),
      ...common,
      /** An edge is new when it carried no plaintext traffic in this lookback before `window`. */
      baseline: duration('baseline', 60_000, 30 * DAY_MS).default('1d'),
      /** Fires when an edge carries at least this many plaintext requests/connections. */
      threshold: z.number().positive('threshold must be above 0').default(1),
    }),
    z.object({
      kind: z.literal('response_flag_rate'),
      ...common,
      flags: z
        .array(
          z
            .string()
            .regex(
              /^[A-Z]{2,4}$/,
              'flags are Envoy short names such as UO, UF, URX, NR',
            ),
        )
        .min(
          1,
          'name at least one response flag, e.g. UO (circuit breaker open)',
        )
        .max(20),
      /** Fires when requests with any of `flags` / requests > threshold. */
      threshold: ratio('threshold'),
    }),
  ],
  { error: `kind must be one of ${RULE_KINDS.join(', ')}` },
);
export type RuleSpec = z.infer<typeof ruleSpecSchema>;
/** What the API accepts (defaults not yet applied). */
export type RuleSpecInput = z.input<typeof ruleSpecSchema>;

/** A rule as stored and evaluated. */
export interface AlertRule {
  id: string;
  name: string;
  enabled: boolean;
  spec: RuleSpec;
  version: number;
  updatedAt: Date;
}

export const ruleInputSchema = z.object({
  name: name('name').max(200, 'name is too long'),
  enabled: z.boolean().default(true),
  spec: ruleSpecSchema,
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

/** One problem with a rule, by dotted path (e.g. "spec.threshold"), for forms. */
export interface RuleIssue {
  path: string;
  message: string;
}

export function issuesOf(err: z.ZodError): RuleIssue[] {
  return err.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
}

/** Scope and grouping make sense together (checked after the shape is valid). */
export function crossFieldIssues(spec: RuleSpec): RuleIssue[] {
  const out: RuleIssue[] = [];
  if (
    spec.groupBy !== 'none' &&
    spec.scope.type !== 'mesh' &&
    spec.scope.type !== 'namespace'
  )
    out.push({
      path: 'spec.groupBy',
      message: `per-${spec.groupBy} alerts need a mesh or namespace scope (this rule is on one ${spec.scope.type})`,
    });
  if (
    spec.kind === 'request_rate' &&
    spec.direction === 'drop' &&
    spec.threshold >= 1
  )
    out.push({
      path: 'spec.threshold',
      message: 'a drop threshold is below 1 (0.5 = the rate halved)',
    });
  if (
    spec.kind === 'request_rate' &&
    spec.direction === 'spike' &&
    spec.threshold <= 1
  )
    out.push({
      path: 'spec.threshold',
      message: 'a spike threshold is above 1 (2 = the rate doubled)',
    });
  return out;
}

/** Window, for and baseline in ms. */
export function ruleTimings(spec: RuleSpec): {
  windowMs: number;
  forMs: number;
  baselineMs: number | null;
} {
  return {
    windowMs: parseDurationMs(spec.window) ?? 300_000,
    forMs: parseDurationMs(spec.for) ?? 0,
    baselineMs:
      'baseline' in spec ? (parseDurationMs(spec.baseline) ?? null) : null,
  };
}
