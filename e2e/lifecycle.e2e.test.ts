/**
 * The process as a user runs it: start on the embedded default, take data, Ctrl-C drains and
 * exits 0, and a second start on the same data folder reuses schema and data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-lifecycle-'));
let app: AppProcess | undefined;

beforeAll(async () => {
  await ensureWebBuild();
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function spanBody(name: string): string {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'lifecycle' } },
          ],
        },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name,
                kind: 2,
                startTimeUnixNano: String(endNs - 5_000_000n),
                endTimeUnixNano: String(endNs),
              },
            ],
          },
        ],
      },
    ],
  });
}

async function metric(
  web: string,
  pattern: RegExp,
): Promise<number | undefined> {
  const text = await (await fetch(`${web}/metrics`)).text();
  const line = text.split('\n').find((l) => pattern.test(l));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('start, ingest, stop, start again', () => {
  it('serves health, takes a span, and counts it in /metrics', async () => {
    app = await startApp({ MESHLENS_DATA_DIR: dataDir });
    expect(app.logs.join('\n')).toContain(`data folder ${dataDir}`);
    expect((await fetch(`${app.urls.web}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.urls.web}/readyz`);
    expect(ready.status).toBe(200);
    expect(
      ((await ready.json()) as { listeners: unknown[] }).listeners,
    ).toHaveLength(4);

    const res = await fetch(`${app.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spanBody('first-run'),
    });
    expect(res.status).toBe(200);
    expect(
      await metric(
        app.urls.web,
        /^meshlens_ingest_rows_total\{table="otel_traces",outcome="inserted"\}/,
      ),
    ).toBe(1);
    expect(
      await metric(app.urls.web, /^meshlens_table_rows\{table="otel_traces"\}/),
    ).toBe(1);
  });

  it('Ctrl-C drains and exits 0', async () => {
    const code = await app!.stop();
    expect(code).toBe(0);
    const logs = app!.logs.join('\n');
    expect(logs).toContain('stopping: draining queues');
    expect(logs).toContain('stopped cleanly');
    app = undefined;
  });

  it('a second start reuses the schema and the data', async () => {
    app = await startApp({ MESHLENS_DATA_DIR: dataDir });
    const logs = app.logs.join('\n');
    expect(logs).not.toContain('"msg":"migration applied"');
    expect(logs).toMatch(/"applied":0,"alreadyApplied":\d+/);
    expect(
      await metric(app.urls.web, /^meshlens_table_rows\{table="otel_traces"\}/),
    ).toBe(1);
  });
});
