import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { envoyLogsPushRoute } from './receiver';

const fixtures = path.resolve(
  import.meta.dirname,
  '../../../test/fixtures/access-logs',
);
const now = new Date(Date.now() - 60_000).toISOString();
/** Fixture lines with their start time moved to now (old rows fall out of the table's TTL). */
const textLines = fs
  .readFileSync(path.join(fixtures, 'istio-text-default-1.9plus.log'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.replace(/^\[[^\]]+\]/, `[${now}]`));

describe('POST /v1/envoy/logs', () => {
  let t: TempDb;
  let pipeline: Pipeline;
  let http: HttpListener;

  beforeAll(async () => {
    t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
    pipeline = createPipeline({ db: t.db, config: t.config });
    http = await startHttpListener({
      name: 'otlp-http',
      host: '127.0.0.1',
      port: 0,
      routes: [envoyLogsPushRoute(pipeline, 1024 * 1024)],
    });
  });
  afterAll(async () => {
    await http.close();
    await pipeline.close();
    await t.close();
  });

  const post = (body: string, type: string) =>
    fetch(`${http.url}/v1/envoy/logs`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });

  it('stores text lines (HTTP and TCP) and answers 204', async () => {
    const res = await post(`${textLines.join('\n')}\n`, 'text/plain');
    expect(res.status).toBe(204);
    const rows = await t.rows<{
      Kind: string;
      Reporter: string;
      RequestId: string;
      Signal: string;
      BytesSent: string;
    }>(
      `SELECT Kind, Reporter, RequestId, Signal, BytesSent FROM {db:Identifier}.mesh_requests WHERE Signal = 'http_push' ORDER BY Reporter, Kind`,
    );
    expect(rows.map((r) => `${r.Reporter}/${r.Kind}`)).toEqual([
      'gateway/tcp',
      'gateway/tcp',
      'inbound/http',
      'outbound/http',
    ]);
    expect(
      rows.filter(
        (r) => r.RequestId === '84961386-6d84-929d-98bd-c5aee93b5c88',
      ),
    ).toHaveLength(2);
    expect(Number(rows[0]!.BytesSent)).toBe(2504306);
  });

  it('stores NDJSON shipper records with Kubernetes metadata and Istio JSON entries', async () => {
    const entry = {
      start_time: now,
      method: 'POST',
      path: '/x',
      protocol: 'HTTP/2',
      response_code: 200,
      response_flags: '-',
      duration: 12,
      upstream_cluster: 'outbound|9080||ratings.bookinfo.svc.cluster.local',
      request_id: 'nd-1',
      grpc_status: '14',
    };
    const envelope = {
      log: `${textLines[0]!.replace('84961386-6d84-929d-98bd-c5aee93b5c88', 'nd-2')}\n`,
      kubernetes: {
        pod_name: 'productpage-v1-6b746f74dc-9stp2',
        namespace_name: 'bookinfo',
        container_name: 'istio-proxy',
        labels: { app: 'productpage', version: 'v1' },
      },
    };
    const res = await post(
      `${JSON.stringify(entry)}\n${JSON.stringify(envelope)}\n`,
      'application/x-ndjson',
    );
    expect(res.status).toBe(204);
    const rows = await t.rows<Record<string, string>>(
      `SELECT RequestId, SourceWorkload, SourceNamespace, SourceService, SourceVersion, GrpcStatus, DestinationService, Reporter FROM {db:Identifier}.mesh_requests WHERE RequestId IN ('nd-1', 'nd-2') ORDER BY RequestId`,
    );
    expect(rows[0]).toMatchObject({
      RequestId: 'nd-1',
      GrpcStatus: 'Unavailable',
      DestinationService: 'ratings',
    });
    expect(rows[1]).toMatchObject({
      RequestId: 'nd-2',
      SourceWorkload: 'productpage-v1',
      SourceNamespace: 'bookinfo',
      SourceService: 'productpage',
      SourceVersion: 'v1',
      Reporter: 'outbound',
    });
  });

  it('takes a JSON array (Fluent Bit format json), keeps bad lines as dead letters and still stores the rest', async () => {
    const good = {
      date: 1,
      log: textLines[2]!.replace(/151\.101\.195\.5/, '10.9.9.9'),
    };
    const bad = { date: 2, log: 'this is not an access log line' };
    const res = await post(JSON.stringify([good, bad]), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: 1 });
    const stored = await t.rows(
      `SELECT 1 FROM {db:Identifier}.mesh_requests WHERE UpstreamHost = '10.9.9.9:443'`,
    );
    expect(stored).toHaveLength(1);
    const dead = await t.rows<{
      Source: string;
      Payload: string;
      Reason: string;
    }>(`SELECT Source, Payload, Reason FROM {db:Identifier}.dead_letters`);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.Source).toBe('access_log:http_push');
    expect(dead[0]!.Payload).toContain('not an access log line');
    const metrics = await (
      await import('~/server/telemetry/metrics')
    )
      .metrics()
      .registry.metrics();
    expect(metrics).toMatch(
      /meshlens_access_log_lines_total\{input="http_push",outcome="dead_letter"\} 1/,
    );
  });

  it('refuses an unknown content type with 415', async () => {
    const res = await post('x', 'application/x-protobuf');
    expect(res.status).toBe(415);
  });
});
