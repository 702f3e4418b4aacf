import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '~/collectors/pipeline';
import { startGrpcListener, type GrpcListener } from '~/collectors/grpc/server';
import { startHttpListener, type HttpListener } from '~/collectors/http/server';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { istioLine } from '../envoy-access-log/testdata/lines';
import { otlpLogsGrpcService, otlpLogsHttpRoute } from './receiver';

/** Sends records through a real OpenTelemetry SDK LoggerProvider and exporter. */
async function emit(
  exporter: LogRecordExporter,
  records: Array<{
    body: string;
    attributes?: Record<string, string>;
    severity?: SeverityNumber;
  }>,
  resource: Record<string, string>,
) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('envoy');
  for (const r of records)
    logger.emit({
      body: r.body,
      attributes: r.attributes,
      severityNumber: r.severity,
      timestamp: Date.now() - 30_000,
    });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('OTLP logs', () => {
  let t: TempDb;
  let pipeline: Pipeline;
  let grpcListener: GrpcListener;
  let http: HttpListener;

  beforeAll(async () => {
    t = await tempDb({ MESHLENS_BATCH_MAX_WAIT_MS: '20' });
    pipeline = createPipeline({ db: t.db, config: t.config });
    const opts = { pipeline, maxBodyBytes: 4 << 20 };
    grpcListener = await startGrpcListener({
      host: '127.0.0.1',
      port: 0,
      services: [otlpLogsGrpcService(opts)],
      maxReceiveBytes: 4 << 20,
    });
    http = await startHttpListener({
      name: 'otlp-http',
      host: '127.0.0.1',
      port: 0,
      routes: [otlpLogsHttpRoute(opts)],
    });
  });
  afterAll(async () => {
    await grpcListener.close();
    await http.close();
    await pipeline.close();
    await t.close();
  });

  it('maps envoyOtelAls records (text body) to mesh requests and stores other logs in otel_logs (gRPC)', async () => {
    const exporter = new GrpcLogExporter({
      url: `http://${grpcListener.url.replace('grpc://', '')}`,
    });
    await emit(
      exporter,
      [
        { body: istioLine(0).replace('a0000000', 'otel-grpc') },
        {
          body: 'user logged in',
          attributes: { 'user.id': '42' },
          severity: SeverityNumber.INFO,
        },
      ],
      {
        node_name:
          'router~10.1.0.5~istio-ingressgateway-7d9f8c-abcde.istio-system~istio-system.svc.cluster.local',
        'service.name': 'frontend',
      },
    );
    await pipeline.flush();
    const req = await t.rows<Record<string, string>>(
      `SELECT Signal, Reporter, SourceWorkload, SourceNamespace, DestinationService, RequestId FROM {db:Identifier}.mesh_requests WHERE Signal = 'otlp_logs'`,
    );
    expect(req).toHaveLength(1);
    expect(req[0]).toMatchObject({
      Reporter: 'gateway',
      SourceWorkload: 'istio-ingressgateway',
      SourceNamespace: 'istio-system',
      DestinationService: 'reviews',
    });
    expect(req[0]!.RequestId).toMatch(/^otel-grpc/);
    const logs = await t.rows<Record<string, unknown>>(
      `SELECT Body, ServiceName, SeverityNumber, LogAttributes['user.id'] AS uid, ScopeName, toUnixTimestamp(Timestamp) AS ts FROM {db:Identifier}.otel_logs`,
    );
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      Body: 'user logged in',
      ServiceName: 'frontend',
      SeverityNumber: 9,
      uid: '42',
      ScopeName: 'envoy',
    });
    expect(
      Math.abs(Number(logs[0]!.ts) - (Date.now() - 30_000) / 1000),
    ).toBeLessThan(5);
  });

  it('accepts OTLP/HTTP protobuf with structured (logFormat.labels) attributes', async () => {
    const exporter = new ProtoLogExporter({ url: `${http.url}/v1/logs` });
    const start = new Date(Date.now() - 30_000).toISOString();
    await emit(
      exporter,
      [
        {
          body: '',
          attributes: {
            start_time: start,
            method: 'GET',
            path: '/ratings/1',
            response_code: '429',
            response_flags: 'RL',
            duration: '8',
            upstream_cluster:
              'outbound|9080||ratings.bookinfo.svc.cluster.local',
            request_id: 'otel-http-1',
          },
        },
      ],
      {
        'k8s.pod.name': 'reviews-v3-7dbcdcbc56-m8dph',
        'k8s.namespace.name': 'bookinfo',
      },
    );
    await pipeline.flush();
    const rows = await t.rows<Record<string, unknown>>(
      `SELECT ResponseCode, ResponseFlags, DurationMs, DestinationService, SourceWorkload FROM {db:Identifier}.mesh_requests WHERE RequestId = 'otel-http-1'`,
    );
    expect(rows).toEqual([
      {
        ResponseCode: 429,
        ResponseFlags: ['RL'],
        DurationMs: 8,
        DestinationService: 'ratings',
        SourceWorkload: 'reviews-v3',
      },
    ]);
  });

  it('answers 400 to a body that is not an export request and 415 to a wrong content type', async () => {
    const bad = await fetch(`${http.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0x0a, 0xff, 0xff]),
    });
    expect(bad.status).toBe(400);
    const wrong = await fetch(`${http.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrong.status).toBe(415);
  });
});
