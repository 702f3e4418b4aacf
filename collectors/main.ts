/**
 * The collector role: the three listeners (OTLP gRPC 4317, OTLP/HTTP 4318, Zipkin 9411) over one
 * shared pipeline, TLS when a certificate is configured (http/tls.ts). Started by server/main.ts, alone or beside the web and alerts roles.
 */
import type { Config } from '~/server/config';
import type { ListenerInfo } from '~/server/runtime';
import type { Pipeline } from './pipeline';
import { startGrpcListener } from './grpc/server';
import { startHttpListener } from './http/server';
import { receiverTls } from './http/tls';
import { receivers } from './sources';

export interface Collectors {
  listeners: ListenerInfo[];
  /** Stops accepting new requests (in-flight ones finish); the pipeline is drained by the caller. */
  close(): Promise<void>;
}

export async function startCollectors(
  config: Config,
  pipeline: Pipeline,
): Promise<Collectors> {
  const r = receivers({ config, pipeline });
  const tls = receiverTls(config.env);
  const describe = (
    routes: { method: string; path: string }[],
    planned: Record<string, string>,
  ) => [
    ...routes.map((x) => `${x.method} ${x.path}`),
    ...Object.keys(planned).map((p) => `POST ${p} (not yet)`),
  ];
  const grpcListener = await startGrpcListener({
    host: config.host,
    port: config.ports.otlpGrpc,
    services: r.grpc,
    maxReceiveBytes: config.pipeline.maxBodyBytes,
    tls,
  });
  const otlpHttp = await startHttpListener({
    name: 'otlp-http',
    host: config.host,
    port: config.ports.otlpHttp,
    routes: r.otlpHttp,
    planned: r.planned.otlpHttp,
    tls,
  });
  const zipkin = await startHttpListener({
    name: 'zipkin',
    host: config.host,
    port: config.ports.zipkin,
    routes: r.zipkin,
    planned: r.planned.zipkin,
    tls,
  });
  return {
    listeners: [
      {
        name: 'otlp-grpc',
        url: grpcListener.url,
        serves: r.grpc.length
          ? r.grpc.flatMap((s) =>
              Object.values(s.definition).map((m) => m.path),
            )
          : [
              'OTLP TraceService, LogsService, MetricsService; Envoy AccessLogService (not yet)',
            ],
      },
      {
        name: 'otlp-http',
        url: otlpHttp.url,
        serves: describe(r.otlpHttp, r.planned.otlpHttp),
      },
      {
        name: 'zipkin',
        url: zipkin.url,
        serves: describe(r.zipkin, r.planned.zipkin),
      },
    ],
    async close() {
      await Promise.all([
        grpcListener.close(),
        otlpHttp.close(),
        zipkin.close(),
      ]);
    },
  };
}
