import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizeAccessLogLine } from './access-log-format';
import { startDemo, type DemoHandle, type EmitterStats } from './index';
import type { FileSdGroup } from './metrics-endpoint';
import { startOtlpReceiver, type OtlpReceiver } from './testdata/otlp-receiver';
import { main as truthCli } from './truth-cli';
import type { Truth } from './truth-types';

const log = pino({ level: 'silent' });

interface LogReceiver {
  url: string;
  lines: { pod: string; line: string }[];
  contentTypes: Set<string>;
  close(): Promise<void>;
}

async function startLogReceiver(): Promise<LogReceiver> {
  const lines: LogReceiver['lines'] = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      contentTypes.add(req.headers['content-type'] ?? '');
      // Fluent Bit-shaped NDJSON: { log, kubernetes: { pod_name, ... } }
      for (const record of body.split('\n')) {
        if (!record) continue;
        const r = JSON.parse(record) as {
          log: string;
          kubernetes: { pod_name: string; container_name: string };
        };
        expect(r.kubernetes.container_name).toBe('istio-proxy');
        lines.push({ pod: r.kubernetes.pod_name, line: r.log });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/envoy/logs`,
    lines,
    contentTypes,
    close: () =>
      new Promise<void>(
        (resolve) => (
          server.close(() => resolve()),
          server.closeAllConnections()
        ),
      ),
  };
}

describe('startDemo with receivers up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-run-'));
  let traces: OtlpReceiver;
  let logs: LogReceiver;
  let demo: DemoHandle;
  let stats: EmitterStats;
  let scrape = '';

  beforeAll(async () => {
    traces = await startOtlpReceiver();
    logs = await startLogReceiver();
    demo = await startDemo({
      dataDir,
      otlpHttpUrl: traces.url,
      logsPushUrl: logs.url,
      seed: 3,
      backfillMinutes: 1,
      tickMs: 200,
      logger: log,
    });
    await new Promise((r) => setTimeout(r, 1500));
    const productpage = demo.targets.find(
      (t) => t.pod.workload.name === 'productpage-v1',
    );
    scrape = await (await fetch(productpage?.url ?? '')).text();
    await demo.stop();
    await demo.stop(); // idempotent
    stats = demo.stats();
  });

  afterAll(async () => {
    await traces.close();
    await logs.close();
  });

  it('backfills, runs live, and emits everything it generated', () => {
    const g = stats.generation;
    expect(g.generatedFromMs).not.toBeNull();
    expect(
      (g.generatedUntilMs ?? 0) - (g.generatedFromMs ?? 0),
    ).toBeGreaterThanOrEqual(61_000);
    expect(g.pendingHops).toBe(0);
    expect(stats.spans).toMatchObject({
      exportFailures: 0,
      dropped: 0,
      queued: 0,
      exported: traces.spans.length,
    });
    expect(stats.logs).toMatchObject({
      pushFailures: 0,
      droppedLines: 0,
      queuedLines: 0,
      fileWriteErrors: 0,
    });
    expect(stats.logs?.pushedLines).toBe(logs.lines.length);
    expect(stats.logs?.linesWritten).toBe(logs.lines.length);
    expect(scrape).toContain('istio_requests_total{reporter="destination"');
    expect(stats.metrics?.scrapes).toBeGreaterThanOrEqual(1);
  });

  it('writes CRI log files per proxy and pushes the same Envoy lines', () => {
    const files = readdirSync(demo.logsDir);
    expect(
      files.every((f) => /^[a-z0-9-]+_[a-z0-9-]+_istio-proxy\.log$/.test(f)),
    ).toBe(true);
    expect(files.some((f) => f.startsWith('bookinfo_productpage-v1-'))).toBe(
      true,
    );
    expect(files.some((f) => f.startsWith('legacy_'))).toBe(false);
    const fileLines = files.flatMap((f) =>
      readFileSync(join(demo.logsDir, f), 'utf8').split('\n').filter(Boolean),
    );
    expect(fileLines).toHaveLength(stats.logs?.linesWritten ?? -1);
    const envoyLines = fileLines.map((l) => {
      const m =
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z stdout F (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      return m?.[2] ?? '';
    });
    expect(
      envoyLines.every((l) => tokenizeAccessLogLine(l).length === 22),
    ).toBe(true);
    expect(logs.lines.map((l) => l.line).sort()).toEqual(envoyLines.sort());
    expect([...logs.contentTypes]).toEqual(['application/x-ndjson']);
    const pods = new Set(demo.targets.map((t) => t.pod.name));
    expect(logs.lines.every((l) => pods.has(l.pod))).toBe(true);
  });

  it('sends one span per reporting sidecar of every request in the truth', () => {
    const g = stats.generation;
    const truth = demo.truth(
      g.generatedFromMs ?? 0,
      (g.generatedUntilMs ?? 0) + 60_000,
    );
    const tcp = truth.mesh.tcp.connections;
    // 100 % sampling: a span per source-reported and per destination-reported HTTP/gRPC hop.
    expect(traces.spans).toHaveLength(
      truth.mesh.sourceReported + truth.mesh.destinationReported - 2 * tcp,
    );
    expect(truth.tracing.sampledTraces).toBe(truth.tracing.traces);
    expect(new Set(traces.spans.map((s) => s.traceId)).size).toBe(
      truth.tracing.traces,
    );
  });

  it('writes the file_sd targets and a truth file the CLI reads back identically', () => {
    const groups = JSON.parse(
      readFileSync(demo.targetsFile, 'utf8'),
    ) as FileSdGroup[];
    expect(groups).toHaveLength(demo.targets.length);
    const g = stats.generation;
    const from = g.generatedFromMs ?? 0;
    const to = g.generatedUntilMs ?? 0;
    let out = '';
    const code = truthCli(
      [
        '--ledger',
        demo.truthFile,
        '--from',
        new Date(from).toISOString(),
        '--to',
        String(to),
        '--json',
      ],
      (s) => (out += s),
      () => {},
    );
    expect(code).toBe(0);
    const fromCli = JSON.parse(out) as Truth;
    expect(fromCli).toEqual(demo.truth(from, to));
    expect(fromCli.mesh.requests).toBeGreaterThan(1000);
  });

  it('closes its metrics servers on stop', async () => {
    await expect(fetch(demo.targets[0]?.url ?? '')).rejects.toThrow();
  });
});

describe('startDemo with no receivers', () => {
  it('keeps generating, counts failures and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-down-'));
    const gone = await startOtlpReceiver();
    await gone.close();
    const started = Date.now();
    const demo = await startDemo({
      dataDir,
      otlpHttpUrl: gone.url,
      logsPushUrl: gone.url.replace('/v1/traces', '/v1/envoy/logs'),
      backfillMinutes: 0.5,
      logger: log,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    await demo.stop();
    const stats = demo.stats();
    expect(stats.generation.requests).toBeGreaterThan(500);
    expect(stats.spans?.exportFailures).toBeGreaterThanOrEqual(1);
    expect(stats.spans?.exported).toBe(0);
    expect(stats.logs?.pushFailures).toBeGreaterThanOrEqual(1);
    expect(stats.logs?.linesWritten).toBeGreaterThan(1000);
    expect(readdirSync(join(dataDir, 'demo', 'logs')).length).toBeGreaterThan(
      5,
    );
  });
});
