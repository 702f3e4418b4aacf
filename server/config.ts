/**
 * The single typed configuration module. Every environment variable Meshlens reads is declared
 * here, coerced and defaulted by zod, parsed once, and refused with a readable list when wrong.
 * Defaults need nothing set: embedded ClickHouse in ./data, listeners on loopback.
 * Keep `.env.example` in step with this schema (a unit test checks it).
 */
import path from 'node:path';
import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

const port = (def: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(65535).default(def),
  );
const positiveInt = (def: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(max).default(def),
  );
const bool = (def: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

export const ROLES = ['collector', 'web', 'alerts'] as const;
export type Role = (typeof ROLES)[number];

/** Environment variables, with what each means. */
export const envSchema = z.object({
  /** Folder of the embedded engine's data (ignored when CLICKHOUSE_URL is set). */
  MESHLENS_DATA_DIR: z.preprocess(
    emptyAsUndefined,
    z.string().default('./data'),
  ),
  /** A ClickHouse server (http(s)://host:8123). Unset: the embedded chDB engine. */
  CLICKHOUSE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  CLICKHOUSE_USER: optionalString,
  CLICKHOUSE_PASSWORD: optionalString,
  /** Database that holds Meshlens tables (created if missing). */
  CLICKHOUSE_DATABASE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .default('meshlens'),
  ),
  /** Cluster name from the server's remote_servers: renders ON CLUSTER / Replicated / Distributed DDL. */
  CLICKHOUSE_CLUSTER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a plain identifier')
      .optional(),
  ),
  /** Roles this process runs: comma list of collector,web,alerts, or "all". */
  MESHLENS_ROLES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('all')
      .transform((s, ctx) => {
        const parts = s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
        if (parts.length === 1 && parts[0] === 'all') return [...ROLES];
        const bad = parts.filter(
          (p) => !(ROLES as readonly string[]).includes(p),
        );
        if (bad.length > 0 || parts.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown role(s) "${bad.join(',')}"; use "all" or a comma list of ${ROLES.join(', ')}`,
          });
          return z.NEVER;
        }
        return parts as Role[];
      }),
  ),
  /** Address every listener binds. Loopback by default; 0.0.0.0 to accept traffic from a mesh. */
  MESHLENS_HOST: z.preprocess(
    emptyAsUndefined,
    z.string().min(1).default('127.0.0.1'),
  ),
  MESHLENS_WEB_PORT: port(3000),
  MESHLENS_OTLP_GRPC_PORT: port(4317),
  MESHLENS_OTLP_HTTP_PORT: port(4318),
  MESHLENS_ZIPKIN_PORT: port(9411),
  /** Run migrations at start-up (else only `npm run db:migrate` does). */
  MESHLENS_MIGRATE_ON_START: bool(true),
  MESHLENS_LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  ),
  /** json: one JSON object per line (default); pretty: for a terminal. */
  MESHLENS_LOG_FORMAT: z.preprocess(
    emptyAsUndefined,
    z.enum(['json', 'pretty']).default('json'),
  ),
  /** Collector pipeline: rows per insert, longest wait before a partial batch is written. */
  MESHLENS_BATCH_MAX_ROWS: positiveInt(50_000, 1_000_000),
  MESHLENS_BATCH_MAX_WAIT_MS: positiveInt(200, 60_000),
  /** Rows held in memory per table before receivers push back (429 / RESOURCE_EXHAUSTED). */
  MESHLENS_QUEUE_MAX_ROWS: positiveInt(200_000, 10_000_000),
  /** Insert attempts before a batch goes to the disk spool. */
  MESHLENS_INSERT_MAX_ATTEMPTS: positiveInt(5, 100),
  /** Largest request body a receiver accepts, after decompression. */
  MESHLENS_MAX_BODY_BYTES: positiveInt(16 * 1024 * 1024, 1024 * 1024 * 1024),
  /** Where batches wait when ClickHouse is unreachable (default <data dir>/spool), and its cap. */
  MESHLENS_SPOOL_DIR: optionalString,
  MESHLENS_SPOOL_MAX_BYTES: positiveInt(1024 * 1024 * 1024),
  /** Retention (days) per table family, applied as ClickHouse TTLs. */
  MESHLENS_TTL_SPANS_DAYS: positiveInt(7, 3650),
  MESHLENS_TTL_REQUESTS_DAYS: positiveInt(7, 3650),
  MESHLENS_TTL_METRICS_DAYS: positiveInt(15, 3650),
  MESHLENS_TTL_ROLLUPS_DAYS: positiveInt(30, 3650),
  MESHLENS_TTL_DEAD_LETTERS_DAYS: positiveInt(7, 3650),
  /** Alert evaluator interval. */
  MESHLENS_ALERTS_INTERVAL_S: positiveInt(30, 3600),
  /** Trace Meshlens itself with @opentelemetry/sdk-node (exports to OTEL_EXPORTER_OTLP_ENDPOINT). */
  MESHLENS_SELF_TRACING: bool(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z.url().optional(),
  ),
  /** Demo mesh: scenario file (default collectors/demo/scenarios/bookinfo.json). */
  MESHLENS_DEMO_SCENARIO: optionalString,
  /** Bearer token OTLP senders must present (HTTP `Authorization`, gRPC metadata). Unset: no auth. */
  MESHLENS_OTLP_TOKEN: optionalString,
  /** Bearer token Zipkin senders must present on /api/v2/spans. Unset: no auth. */
  MESHLENS_ZIPKIN_TOKEN: optionalString,
  /** Bearer token Prometheus remote_write senders must present on /api/v1/write. Unset: no auth. */
  MESHLENS_REMOTE_WRITE_TOKEN: optionalString,
  /** Scraper: YAML file of jobs (Prometheus scrape_configs shape: static, file_sd, kubernetes_sd). */
  MESHLENS_SCRAPE_CONFIG: optionalString,
  /** Scraper: comma list of Prometheus file_sd files (JSON/YAML), watched, scraped as job "file_sd". */
  MESHLENS_SCRAPE_FILE_SD: optionalString,
  /** Scraper defaults for jobs that set none: interval and timeout in seconds. */
  MESHLENS_SCRAPE_INTERVAL_S: positiveInt(15, 3600),
  MESHLENS_SCRAPE_TIMEOUT_S: positiveInt(10, 3600),
  /** Kubernetes pod discovery: auto (on when the in-cluster service account exists), true, false. */
  MESHLENS_SCRAPE_KUBERNETES: z.preprocess(
    emptyAsUndefined,
    z.enum(['auto', 'true', 'false']).default('auto'),
  ),
  /** Series whose last counter value is kept in memory per source (LRU) for increases. */
  MESHLENS_METRICS_MAX_SERIES: positiveInt(1_000_000, 100_000_000),
  /** Envoy access-log files to tail: comma list of paths or globs (star, question mark, double star for any depth). */
  MESHLENS_ACCESS_LOG_FILES: optionalString,
  /** Custom Envoy access-log format (meshConfig.accessLogFormat); Istio's defaults are always recognised too. */
  MESHLENS_ACCESS_LOG_FORMAT: optionalString,
  /** Alert deliveries may only go to these hosts: comma list of names/IPs, `*.domain`, optional `:port`. Unset: any host. */
  MESHLENS_ALERT_ALLOWED_HOSTS: optionalString,
  /** HMAC-SHA256 key of the webhook signature header (X-Meshlens-Signature). Unset: webhooks go unsigned. */
  MESHLENS_ALERT_WEBHOOK_SECRET: optionalString,
  /** Every alert also goes to this Alertmanager (base URL, e.g. http://alertmanager:9093). */
  MESHLENS_ALERTMANAGER_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** Tries per notification and destination (the first included) before it is dead-lettered. */
  MESHLENS_ALERT_DELIVERY_ATTEMPTS: positiveInt(5, 50),
  /** Wait before the second try; doubles each try (capped at 5 min), with jitter. */
  MESHLENS_ALERT_RETRY_BASE_MS: positiveInt(2000, 600_000),
  /** Time a receiver has to answer one try. */
  MESHLENS_ALERT_DELIVERY_TIMEOUT_MS: positiveInt(10_000, 300_000),
  /** Who may use the web UI and APIs (docs/security.md): auto = none on loopback, token elsewhere. */
  MESHLENS_AUTH: z.preprocess(
    emptyAsUndefined,
    z.enum(['auto', 'none', 'token', 'header', 'oidc']).default('auto'),
  ),
  /** A fixed admin token (at least 24 characters) instead of the one generated at first start. */
  MESHLENS_AUTH_ADMIN_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(24, 'must be at least 24 characters').optional(),
  ),
  /** Hours a login session lasts. */
  MESHLENS_AUTH_SESSION_HOURS: positiveInt(12, 24 * 30),
  /** header strategy: comma list of proxy addresses or CIDRs whose user header is trusted. */
  MESHLENS_AUTH_TRUSTED_PROXIES: optionalString,
  /** header strategy: the header naming the user, and the one listing their groups. */
  MESHLENS_AUTH_PROXY_USER_HEADER: z.preprocess(
    emptyAsUndefined,
    z.string().default('x-forwarded-user'),
  ),
  MESHLENS_AUTH_PROXY_GROUPS_HEADER: z.preprocess(
    emptyAsUndefined,
    z.string().default('x-forwarded-groups'),
  ),
  /** Groups -> role: `admin=ops,editor=sre|dev` (header and OIDC); others get MESHLENS_AUTH_DEFAULT_ROLE. */
  MESHLENS_AUTH_ROLE_GROUPS: optionalString,
  MESHLENS_AUTH_DEFAULT_ROLE: z.preprocess(
    emptyAsUndefined,
    z.enum(['none', 'viewer', 'editor', 'admin']).default('viewer'),
  ),
  /** Groups -> namespaces: `team-a=shop|payments,team-b=bookinfo`; a user in no listed group sees all. */
  MESHLENS_AUTH_NAMESPACE_GROUPS: optionalString,
  /** OpenID Connect: issuer URL (discovery), client id and secret, scopes, groups claim. */
  MESHLENS_OIDC_ISSUER: z.preprocess(emptyAsUndefined, z.url().optional()),
  MESHLENS_OIDC_CLIENT_ID: optionalString,
  MESHLENS_OIDC_CLIENT_SECRET: optionalString,
  MESHLENS_OIDC_SCOPES: z.preprocess(
    emptyAsUndefined,
    z.string().default('openid profile email groups'),
  ),
  MESHLENS_OIDC_GROUPS_CLAIM: z.preprocess(
    emptyAsUndefined,
    z.string().default('groups'),
  ),
  /** Public base URL of the UI (OIDC redirect URI, embed snippets). Unset: from the request's Host. */
  MESHLENS_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** PEM certificate and key: the web listener and the receivers serve TLS when both are given. */
  MESHLENS_TLS_CERT_FILE: optionalString,
  MESHLENS_TLS_KEY_FILE: optionalString,
  /** `off`: the receivers (4317, 4318, 9411) stay plaintext while the web listener uses TLS. */
  MESHLENS_TLS_RECEIVERS: z.preprocess(
    emptyAsUndefined,
    z.enum(['on', 'off']).default('on'),
  ),
  /** Base of links in notifications (generatorURL). Unset: http://<MESHLENS_HOST>:<MESHLENS_WEB_PORT>. */
  MESHLENS_ALERT_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
});

export type Env = z.infer<typeof envSchema>;
export type EnvSource = Record<string, string | undefined>;

export interface Config {
  env: Env;
  roles: Role[];
  dataDir: string;
  database: string;
  cluster: string | undefined;
  clickhouseUrl: string | undefined;
  host: string;
  ports: { web: number; otlpGrpc: number; otlpHttp: number; zipkin: number };
  ttlDays: {
    spans: number;
    requests: number;
    metrics: number;
    rollups: number;
    deadLetters: number;
  };
  pipeline: {
    batchMaxRows: number;
    batchMaxWaitMs: number;
    queueMaxRows: number;
    insertMaxAttempts: number;
    maxBodyBytes: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(public readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'See .env.example for every variable and its default.',
    );
  }
}

/** Variables with our prefix that the schema does not know: almost always a typo. */
function unknownVariables(source: EnvSource): string[] {
  const known = new Set(Object.keys(envSchema.shape));
  return Object.keys(source)
    .filter((k) => k.startsWith('MESHLENS_') && !known.has(k))
    .map(
      (k) => `${k}: unknown variable (known ones are listed in .env.example)`,
    );
}

/** Whether an address only accepts local connections. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Auth settings that only make sense together (docs/security.md). */
function authProblems(env: Env): string[] {
  const out: string[] = [];
  if (env.MESHLENS_AUTH === 'none' && !isLoopbackHost(env.MESHLENS_HOST))
    out.push(
      `MESHLENS_AUTH: "none" is only allowed when MESHLENS_HOST is a loopback address (got host "${env.MESHLENS_HOST}"); use token, header or oidc`,
    );
  if (env.MESHLENS_AUTH === 'header' && !env.MESHLENS_AUTH_TRUSTED_PROXIES)
    out.push(
      'MESHLENS_AUTH_TRUSTED_PROXIES: required with MESHLENS_AUTH=header (the addresses of your auth proxy)',
    );
  if (
    env.MESHLENS_AUTH === 'oidc' &&
    (!env.MESHLENS_OIDC_ISSUER || !env.MESHLENS_OIDC_CLIENT_ID)
  )
    out.push(
      'MESHLENS_OIDC_ISSUER, MESHLENS_OIDC_CLIENT_ID: both required with MESHLENS_AUTH=oidc',
    );
  if (
    Boolean(env.MESHLENS_TLS_CERT_FILE) !== Boolean(env.MESHLENS_TLS_KEY_FILE)
  )
    out.push(
      'MESHLENS_TLS_CERT_FILE, MESHLENS_TLS_KEY_FILE: give both (or neither)',
    );
  return out;
}

/** Parses an environment into a Config; throws ConfigError naming every bad variable. */
export function parseConfig(source: EnvSource = process.env): Config {
  const problems = unknownVariables(source);
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      const value = source[name];
      problems.push(
        `${name}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`,
      );
    }
  }
  if (parsed.success) problems.push(...authProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    env,
    roles: env.MESHLENS_ROLES,
    dataDir: path.resolve(env.MESHLENS_DATA_DIR),
    database: env.CLICKHOUSE_DATABASE,
    cluster: env.CLICKHOUSE_CLUSTER,
    clickhouseUrl: env.CLICKHOUSE_URL,
    host: env.MESHLENS_HOST,
    ports: {
      web: env.MESHLENS_WEB_PORT,
      otlpGrpc: env.MESHLENS_OTLP_GRPC_PORT,
      otlpHttp: env.MESHLENS_OTLP_HTTP_PORT,
      zipkin: env.MESHLENS_ZIPKIN_PORT,
    },
    ttlDays: {
      spans: env.MESHLENS_TTL_SPANS_DAYS,
      requests: env.MESHLENS_TTL_REQUESTS_DAYS,
      metrics: env.MESHLENS_TTL_METRICS_DAYS,
      rollups: env.MESHLENS_TTL_ROLLUPS_DAYS,
      deadLetters: env.MESHLENS_TTL_DEAD_LETTERS_DAYS,
    },
    pipeline: {
      batchMaxRows: env.MESHLENS_BATCH_MAX_ROWS,
      batchMaxWaitMs: env.MESHLENS_BATCH_MAX_WAIT_MS,
      queueMaxRows: env.MESHLENS_QUEUE_MAX_ROWS,
      insertMaxAttempts: env.MESHLENS_INSERT_MAX_ATTEMPTS,
      maxBodyBytes: env.MESHLENS_MAX_BODY_BYTES,
    },
  };
}

const holder = globalThis as unknown as { __meshlensConfig?: Config };

/** The process's config, parsed on first use (kept on globalThis so Next's bundles share it). */
export function getConfig(): Config {
  holder.__meshlensConfig ??= parseConfig();
  return holder.__meshlensConfig;
}

/** For tests and the entry point: install a config explicitly. */
export function setConfig(config: Config): void {
  holder.__meshlensConfig = config;
}
