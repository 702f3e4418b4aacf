/**
 * Issue #11, "roles as separate processes against a ClickHouse server": the migrate job, then
 * FOUR processes — MESHLENS_ROLES=collector, =web, and two =alerts replicas — all pointed with
 * CLICKHOUSE_URL at one ClickHouse HTTP endpoint. There is no ClickHouse server binary on this
 * machine, so the endpoint is test/helpers/clickhouse-http.ts: ClickHouse's HTTP interface over a
 * real chDB engine in this test process. Everything else is the real product over real protocols:
 *   - `npm run db:migrate` (server/main.ts --migrate-only) applies every migration once; the roles
 *     start with MESHLENS_MIGRATE_ON_START=false (as docker-compose.yml and the Kubernetes
 *     manifests run them) and send no DDL; a second migrate run applies nothing;
 *   - each process binds only its role's ports (read from /proc, not from its log): the web
 *     process opens no receivers, the collector and alerts processes serve only /metrics,
 *     /healthz and /readyz on the web port (no UI, no /api/v1, no tRPC);
 *   - access-log lines (HTTP push) and OTLP spans (OpenTelemetry JS exporter) sent to the
 *     collector are read back, with their exact counts and error ratios, through the web
 *     process's /api/v1/services, /api/v1/topology, /api/v1/requests and /api/v1/traces;
 *   - an error-rate rule created through the web process's API is evaluated by the alerts
 *     replica holding the lease (server/alerts/lease.ts), which sends one signed webhook; the
 *     other replica stands by, so the receiver gets exactly one notification; when the holder
 *     stops, the standby takes the lease over at once (a clean stop releases it), and when a
 *     holder is killed (kill -9), a replica started later takes it once it expires (3
 *     intervals); neither sends a second notification;
 *   - every process answers /healthz and /readyz, and stops cleanly (exit 0) on SIGINT.
 * Run alone: `npx vitest run e2e/scale-out.e2e.test.ts` (part of `npm test`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../server/db/migrate';
import { ensureWebBuild } from '../server/build-web';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../server/alerts/testing/webhook-receiver';
import {
  verifySignature,
  type WebhookPayload,
} from '../server/alerts/transports/webhook';
import {
  runMigrateOnly,
  startApp,
  type AppProcess,
} from '../test/helpers/app-process';
import {
  startClickHouseHttp,
  type ClickHouseHttp,
} from '../test/helpers/clickhouse-http';
import { trpc, waitFor, type ListedRule } from './support/alerts-api';
import { listeningPorts, portOf } from './support/listening-ports';
import {
  accessLogNdjson,
  CALLER,
  NS,
  sendProxySpans,
} from './support/scale-traffic';

const INTERVAL_S = 3;
const SECRET = 'scale-out-secret';
/** Known traffic: access-log lines to payments (half 503), proxy spans to backend (10 % 503). */
const LOG_LINES = 40;
const LOG_ERRORS = 20;
const SPANS = 30;
const SPAN_ERRORS = 3;
const THRESHOLD = 0.25;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-scale-out-'));
let store: ClickHouseHttp;
let hooks: WebhookReceiver;
const procs: Record<string, AppProcess | undefined> = {};
/** Figures printed at the end. */
const figures: Record<string, string | number> = {};
const startedMs = Date.now();
const since = (t0: number) => Number(((Date.now() - t0) / 1000).toFixed(1));

const env = () => ({
  CLICKHOUSE_URL: store.url,
  MESHLENS_MIGRATE_ON_START: 'false',
  MESHLENS_BATCH_MAX_WAIT_MS: '50',
  MESHLENS_ALERTS_INTERVAL_S: String(INTERVAL_S),
  MESHLENS_ALERT_ALLOWED_HOSTS: '127.0.0.1',
  MESHLENS_ALERT_WEBHOOK_SECRET: SECRET,
  MESHLENS_ALERT_RETRY_BASE_MS: '200',
});

beforeAll(async () => {
  await ensureWebBuild();
  store = await startClickHouseHttp(path.join(root, 'store'));
  hooks = await startWebhookReceiver();
}, 240_000);

afterAll(async () => {
  for (const p of Object.values(procs)) await p?.stop();
  await hooks?.close();
  await store?.close();
  fs.rmSync(root, { recursive: true, force: true });
  figures.totalSeconds = since(startedMs);
  process.stdout.write(`scale-out figures: ${JSON.stringify(figures)}\n`);
});

const collector = () => procs.collector!;
const web = () => procs.web!;
const alerts = () => [procs.alertsA!, procs.alertsB!];

const isDdl = (sql: string) =>
  /^\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE|EXCHANGE)\b/i.test(sql);
/** Statements the store got from `user` (each process has its own CLICKHOUSE_USER) matching `re`. */
const sentBy = (user: string, re: RegExp) =>
  store.statements.filter((st) => st.user === user && re.test(st.sql)).length;
const nameOf = (p: AppProcess) =>
  Object.entries(procs).find(([, q]) => q === p)![0];
const EVALUATION = /\balert_(state|rules)\b/;
const STATE_WRITE = /^INSERT INTO meshlens\.alert_state\b/;
const logged = (p: AppProcess, msg: string) =>
  p.logs.filter((l) => l.includes(`"msg":"${msg}`)).length;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200)
    throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function storedCount(sql: string): Promise<number> {
  const rs = await store.client.query({
    query: sql,
    query_params: { ns: NS },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ n: number | string }>();
  return Number(row?.n ?? 0);
}

/** When the rule's alert was last evaluated (alerts.list on the web process). */
async function lastEvaluated(ruleId: string): Promise<string | undefined> {
  const rules = await trpc<ListedRule[]>(
    web().urls.web,
    'alerts.list',
    undefined,
    'GET',
  );
  const alert = rules.find((r) => r.id === ruleId)?.alerts[0] as
    { lastEvaluated?: string } | undefined;
  return alert?.lastEvaluated;
}

/** The pid in the newest row of the alerts lease (Holder is host:pid:random). */
async function leaseHolderPid(): Promise<number> {
  const rs = await store.client.query({
    query: `SELECT argMax(Holder, (Version, Holder)) AS holder
              FROM meshlens.leases WHERE Name = 'alerts-evaluator'`,
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ holder: string }>();
  return Number(row?.holder.split(':').at(-2));
}

const killed = new Set<AppProcess>();
let ruleId = '';
let holderPid = 0;
let ddlAfterMigrate = 0;
let migrations = 0;

describe('roles as separate processes against one ClickHouse server', () => {
  it('migrates once with `npm run db:migrate` (server/main.ts --migrate-only)', async () => {
    const t0 = Date.now();
    const run = await runMigrateOnly({ CLICKHOUSE_URL: store.url });
    figures.migrateSeconds = since(t0);
    expect(run.code, run.logs.join('\n')).toBe(0);
    migrations = readMigrations().length;
    expect(
      run.logs.filter((l) => l.includes('migration applied')),
    ).toHaveLength(migrations);
    expect(
      await storedCount(
        'SELECT count() AS n FROM (SELECT DISTINCT version FROM meshlens.meshlens_migrations)',
      ),
    ).toBe(migrations);
    ddlAfterMigrate = store.statements.length;
    figures.migrations = migrations;
  }, 120_000);

  it('starts collector, web and two alerts replicas, each binding only its own ports', async () => {
    const t0 = Date.now();
    const start = async (name: string, roles: string) => {
      // Each process its own ClickHouse user, so the store can tell who sent what.
      procs[name] = await startApp({
        ...env(),
        MESHLENS_ROLES: roles,
        CLICKHOUSE_USER: name,
      });
    };
    const results = await Promise.allSettled([
      start('collector', 'collector'),
      start('web', 'web'),
      start('alertsA', 'alerts'),
      start('alertsB', 'alerts'),
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    figures.startSeconds = since(t0);

    // The listeners each logged, and what the kernel says each process listens on.
    expect(Object.keys(collector().listeners).sort()).toEqual([
      'otlp-grpc',
      'otlp-http',
      'web',
      'zipkin',
    ]);
    expect(listeningPorts(collector().pid)).toEqual(
      Object.values(collector().listeners)
        .map(portOf)
        .sort((a, b) => a - b),
    );
    for (const p of [web(), ...alerts()]) {
      expect(Object.keys(p.listeners)).toEqual(['web']);
      expect(listeningPorts(p.pid)).toEqual([portOf(p.urls.web)]);
    }

    for (const p of Object.values(procs)) {
      expect((await fetch(`${p!.urls.web}/healthz`)).status).toBe(200);
      expect((await fetch(`${p!.urls.web}/metrics`)).status).toBe(200);
      const ready = await getJson<{ status: string; store: string }>(
        `${p!.urls.web}/readyz`,
      );
      expect(ready).toMatchObject({ status: 'ready', store: 'ok' });
      // Nobody migrated, nobody sent DDL: the migrate job did it once.
      expect(logged(p!, 'migration applied')).toBe(0);
      expect(logged(p!, 'schema is up to date')).toBe(0);
    }
    expect(
      store.statements.slice(ddlAfterMigrate).filter((s) => isDdl(s.sql)),
    ).toEqual([]);

    // Only the alerts processes run the evaluator.
    expect(alerts().map((p) => logged(p, 'alert evaluator started'))).toEqual([
      1, 1,
    ]);
    expect(logged(collector(), 'alert evaluator started')).toBe(0);
    expect(logged(web(), 'alert evaluator started')).toBe(0);
  }, 240_000);

  it('serves no UI or API from the collector and no receivers from the web process', async () => {
    for (const p of [collector(), ...alerts()]) {
      for (const route of [
        '/',
        '/topology',
        `/api/v1/services?namespace=${NS}`,
        '/api/trpc/alerts.list',
      ]) {
        const res = await fetch(`${p.urls.web}${route}`);
        expect(res.status, route).toBe(404);
        expect(await res.text()).toContain('without the web role');
      }
    }
    // The web process answers the API, and nothing for a receiver path on its one port.
    expect(
      (await fetch(`${web().urls.web}/api/v1/services?namespace=${NS}`)).status,
    ).toBe(200);
    const push = await fetch(`${web().urls.web}/v1/envoy/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: accessLogNdjson(1, 0, Date.now()),
    });
    expect(push.status).toBeGreaterThanOrEqual(400);
    // What each process asked the store so far fits its role.
    expect(sentBy('collector', /\b(alert_\w+|leases|silences)\b/)).toBe(0);
    expect(
      sentBy(
        'web',
        /^INSERT INTO meshlens\.(mesh_requests|otel_traces|metric_samples|leases)\b/,
      ),
    ).toBe(0);
    expect(
      await storedCount('SELECT count() AS n FROM meshlens.mesh_requests'),
    ).toBe(0);
  }, 60_000);

  it('carries access-log lines and OTLP spans from the collector to the web API, counted exactly', async () => {
    const t0 = Date.now();
    const push = await fetch(`${collector().urls.otlpHttp}/v1/envoy/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: accessLogNdjson(LOG_LINES, LOG_ERRORS, Date.now()),
    });
    expect(push.status, await push.text()).toBe(204);
    await sendProxySpans(
      `${collector().urls.otlpHttp}/v1/traces`,
      SPANS,
      SPAN_ERRORS,
    );

    // Stored once each in the one store (checked on the engine, behind the HTTP interface)...
    expect(
      await waitFor(
        'the rows in the store',
        async () => [
          await storedCount(
            `SELECT count() AS n FROM meshlens.mesh_requests WHERE SourceNamespace = {ns:String}`,
          ),
          await storedCount(
            `SELECT count() AS n FROM meshlens.otel_traces WHERE ServiceName = 'frontend.scale'`,
          ),
        ],
        ([logs, spans]) => logs! >= LOG_LINES && spans! >= SPANS,
        60_000,
      ),
    ).toEqual([LOG_LINES, SPANS]);

    // ...and read back through the web process only.
    type Service = {
      namespace: string;
      service: string;
      requests: number;
      errorRatio: number;
    };
    const { services } = await waitFor(
      'both services in /api/v1/services',
      () =>
        getJson<{ services: Service[] }>(
          `${web().urls.web}/api/v1/services?namespace=${NS}`,
        ),
      (r) =>
        r.services.reduce((n, s) => n + s.requests, 0) >= LOG_LINES + SPANS,
      60_000,
    );
    figures.ingestToApiSeconds = since(t0);
    expect(services.map((s) => [s.service, s.requests, s.errorRatio])).toEqual([
      ['payments', LOG_LINES, LOG_ERRORS / LOG_LINES],
      ['backend', SPANS, SPAN_ERRORS / SPANS],
    ]);

    type Edge = {
      source: string;
      target: string;
      signal: string;
      requests: number;
      errorRatio: number;
    };
    const topology = await getJson<{ edges: Edge[] }>(
      `${web().urls.web}/api/v1/topology?namespace=${NS}`,
    );
    expect(
      topology.edges
        .map((e) => [e.source, e.target, e.signal, e.requests, e.errorRatio])
        .sort(),
    ).toEqual([
      [CALLER, `svc:${NS}/backend`, 'traces', SPANS, SPAN_ERRORS / SPANS],
      [CALLER, `svc:${NS}/payments`, 'logs', LOG_LINES, LOG_ERRORS / LOG_LINES],
    ]);

    const { requests } = await getJson<{
      requests: { requestId: string; responseCode: number }[];
    }>(`${web().urls.web}/api/v1/requests?service=payments.${NS}&limit=1000`);
    expect(requests).toHaveLength(LOG_LINES);
    expect(requests.filter((r) => r.responseCode === 503)).toHaveLength(
      LOG_ERRORS,
    );
    const traces = await getJson<{ total: number }>(
      `${web().urls.web}/api/v1/traces?service=frontend&limit=1`,
    );
    expect(traces.total).toBe(SPANS);
  }, 180_000);

  it('fires a rule created on the web process from the alerts replica holding the lease, once', async () => {
    const t0 = Date.now();
    ruleId = (
      await trpc<{ id: string }>(web().urls.web, 'alerts.add', {
        rule: {
          name: 'payments errors',
          enabled: true,
          spec: {
            kind: 'error_rate',
            scope: { type: 'service', namespace: NS, service: 'payments' },
            threshold: THRESHOLD,
            window: '5m',
            for: '0s',
            minRequests: 10,
            labels: { severity: 'page' },
            notify: [{ type: 'webhook', url: hooks.url }],
          },
        },
      })
    ).id;
    const firing = await waitFor(
      'the firing webhook',
      () => Promise.resolve(hooks.requests.find((r) => r.path === '/hook')),
      (r) => r !== undefined,
      90_000,
    );
    figures.ruleToWebhookSeconds = since(t0);
    expect(
      verifySignature(
        SECRET,
        firing!.headers['x-meshlens-signature'] as string,
        firing!.body,
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    const payload = JSON.parse(firing!.body) as WebhookPayload;
    expect(payload.status).toBe('firing');
    expect(payload.alert.labels).toMatchObject({
      alertname: 'payments errors',
      namespace: NS,
      service: 'payments',
    });
    expect(payload.alert.value).toBe(LOG_ERRORS / LOG_LINES);

    // Let the evaluator run three more intervals: still one notification, from one replica.
    const firedAt = Date.now();
    await waitFor(
      'three more evaluations of the rule',
      () => lastEvaluated(ruleId),
      (last) =>
        last !== undefined &&
        Date.parse(last) >= firedAt + 3 * INTERVAL_S * 1000,
      60_000,
    );
    expect(hooks.requests.map((r) => r.path)).toEqual(['/hook']);
    expect(hooks.accepted.size).toBe(1);

    holderPid = await leaseHolderPid();
    expect(alerts().map((p) => p.pid)).toContain(holderPid);
    const holder = alerts().find((p) => p.pid === holderPid)!;
    expect(
      logged(holder, 'alert evaluator lease taken'),
    ).toBeGreaterThanOrEqual(1);
    // Only the holder evaluated: the standby read no rule and wrote no state, only the lease.
    const standby = alerts().find((p) => p.pid !== holderPid)!;
    expect(sentBy(nameOf(holder), STATE_WRITE)).toBeGreaterThanOrEqual(3);
    expect(sentBy(nameOf(standby), EVALUATION)).toBe(0);
    expect(sentBy(nameOf(standby), /\bleases\b/)).toBeGreaterThanOrEqual(3);
    figures.leaseTakeovers = alerts().reduce(
      (n, p) => n + logged(p, 'alert evaluator lease taken'),
      0,
    );
  }, 180_000);

  it('hands the lease to the other replica when the holder stops, which evaluates on without notifying again', async () => {
    const holder = alerts().find((p) => p.pid === holderPid)!;
    const standby = alerts().find((p) => p.pid !== holderPid)!;
    const t0 = Date.now();
    // A clean stop releases the lease (lease.ts release()), so no wait for its expiry.
    expect(await holder.stop()).toBe(0);
    await waitFor(
      'the standby replica to take the lease',
      () => Promise.resolve(logged(standby, 'alert evaluator lease taken')),
      (n) => n >= 1,
      60_000,
    );
    figures.takeoverSeconds = since(t0);
    expect(await leaseHolderPid()).toBe(standby.pid);
    const tookAt = Date.now();
    await waitFor(
      'three evaluations by the new holder',
      () => lastEvaluated(ruleId),
      (last) =>
        last !== undefined &&
        Date.parse(last) >= tookAt + 3 * INTERVAL_S * 1000,
      60_000,
    );
    expect(sentBy(nameOf(standby), STATE_WRITE)).toBeGreaterThanOrEqual(3);
    // The alert was already firing: the new holder carries the state on, no second webhook.
    expect(hooks.requests.map((r) => r.path)).toEqual(['/hook']);
    holderPid = standby.pid;
  }, 120_000);

  it('lets a fresh replica take over once a killed (kill -9) holder lets the lease expire', async () => {
    const holder = alerts().find((p) => p.pid === holderPid)!;
    const fresh = await startApp({
      ...env(),
      MESHLENS_ROLES: 'alerts',
      CLICKHOUSE_USER: 'alertsC',
    });
    procs.alertsC = fresh;
    // The new replica ticks as a standby: lease reads, no evaluation.
    await waitFor(
      'the new replica to check the lease',
      () => Promise.resolve(sentBy('alertsC', /\bleases\b/)),
      (n) => n >= 2,
      60_000,
    );
    expect(sentBy('alertsC', EVALUATION)).toBe(0);

    const t0 = Date.now();
    process.kill(holder.pid, 'SIGKILL');
    expect(await holder.stop()).toBeNull();
    killed.add(holder);
    await waitFor(
      'the new replica to take the expired lease',
      () => Promise.resolve(logged(fresh, 'alert evaluator lease taken')),
      (n) => n >= 1,
      60_000,
    );
    // The claim of a dead holder lasts 3 intervals (9 s); the next tick after that claims it.
    figures.takeoverAfterKillSeconds = since(t0);
    expect(figures.takeoverAfterKillSeconds).toBeLessThan(30);
    expect(await leaseHolderPid()).toBe(fresh.pid);
    const tookAt = Date.now();
    await waitFor(
      'evaluations by the new holder',
      () => lastEvaluated(ruleId),
      (last) =>
        last !== undefined &&
        Date.parse(last) >= tookAt + 2 * INTERVAL_S * 1000,
      60_000,
    );
    expect(sentBy('alertsC', STATE_WRITE)).toBeGreaterThanOrEqual(2);
    expect(hooks.requests.map((r) => r.path)).toEqual(['/hook']);
  }, 180_000);

  it('applies nothing when `npm run db:migrate` runs again while the roles run', async () => {
    const run = await runMigrateOnly({ CLICKHOUSE_URL: store.url });
    expect(run.code, run.logs.join('\n')).toBe(0);
    expect(run.logs.filter((l) => l.includes('migration applied'))).toEqual([]);
    const upToDate = run.logs.find((l) => l.includes('schema is up to date'));
    expect(JSON.parse(upToDate!)).toMatchObject({
      applied: 0,
      alreadyApplied: migrations,
    });
  }, 120_000);

  it('stops every process cleanly', async () => {
    const t0 = Date.now();
    const alive = Object.values(procs).filter((p) => !killed.has(p!));
    const codes = await Promise.all(alive.map((p) => p!.stop()));
    figures.stopSeconds = since(t0);
    // collector, web, the alerts replica stopped for the hand-over, the one started last.
    expect(codes).toEqual([0, 0, 0, 0]);
    for (const p of alive) expect(logged(p!, 'stopped cleanly')).toBe(1);
    figures.storeRequests = store.requests.ok;
    // Over the whole run: the collector never touched alerting, the web never wrote telemetry.
    expect(sentBy('collector', /\b(alert_\w+|leases|silences)\b/)).toBe(0);
    expect(
      sentBy(
        'web',
        /^INSERT INTO meshlens\.(mesh_requests|otel_traces|metric_samples|leases)\b/,
      ),
    ).toBe(0);
  }, 60_000);
});
