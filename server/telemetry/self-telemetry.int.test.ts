/**
 * Our own telemetry, checked with real peers: the OpenTelemetry SDK exports Meshlens' spans over
 * OTLP when MESHLENS_SELF_TRACING is on, and Prometheus' promtool accepts our /metrics.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '~/test/helpers/app-process';

let app: AppProcess | undefined;
let collector: http.Server | undefined;
afterAll(async () => {
  await app?.stop();
  collector?.close();
});

const spanBody = JSON.stringify({
  resourceSpans: [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: 'probe' } }],
      },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              name: 'probe',
              kind: 2,
              startTimeUnixNano: String(BigInt(Date.now() - 5) * 1_000_000n),
              endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
            },
          ],
        },
      ],
    },
  ],
});

describe('self telemetry', () => {
  it('exports a clickhouse.insert span of our own over OTLP when self-tracing is on', async () => {
    const bodies: Buffer[] = [];
    collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' });
        res.end();
      });
    });
    await new Promise<void>((r) => collector!.listen(0, '127.0.0.1', r));
    const port = (collector.address() as AddressInfo).port;
    app = await startApp({
      MESHLENS_ROLES: 'collector',
      MESHLENS_SELF_TRACING: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spanBody,
    });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 30_000;
    // protobuf strings are raw UTF-8, so the span name and the table are visible in the body
    while (
      !bodies.some(
        (b) => b.includes('clickhouse.insert') && b.includes('otel_traces'),
      )
    ) {
      if (Date.now() > deadline)
        throw new Error(`no self span exported; got ${bodies.length} bodies`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('serves /metrics that promtool accepts, with the pipeline series', async () => {
    const text = await (await fetch(`${app!.urls.web}/metrics`)).text();
    for (const name of [
      'meshlens_ingest_rows_total',
      'meshlens_queue_rows',
      'meshlens_insert_duration_seconds_bucket',
      'meshlens_table_rows',
      'meshlens_receiver_requests_total',
    ]) {
      expect(text).toContain(name);
    }
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
    });
    expect(
      check.error,
      'promtool (Debian package prometheus) must be installed',
    ).toBeUndefined();
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
