/** The access-log inputs served on the shared listeners, for collectors/sources/index.ts. */
import type { Route } from '../../http/server';
import type { GrpcService, ReceiverContext } from '../index';
import { envoyAlsService } from '../envoy-als/service';
import { otlpLogsGrpcService, otlpLogsHttpRoute } from '../otlp-logs/receiver';
import { envoyLogsPushRoute } from './receiver';

const LOGS_SERVICE_PREFIX =
  '/opentelemetry.proto.collector.logs.v1.LogsService/';

/** `POST /v1/envoy/logs` and `POST /v1/logs` on the OTLP/HTTP port. */
export function accessLogHttpRoutes(ctx: ReceiverContext): Route[] {
  const { config, pipeline } = ctx;
  const customFormat = config.env.MESHLENS_ACCESS_LOG_FORMAT;
  return [
    envoyLogsPushRoute(pipeline, config.pipeline.maxBodyBytes, customFormat),
    otlpLogsHttpRoute({
      pipeline,
      maxBodyBytes: config.pipeline.maxBodyBytes,
      token: config.env.MESHLENS_OTLP_TOKEN,
      customFormat,
    }),
  ];
}

/** Envoy ALS and OTLP LogsService on the gRPC port. */
export function accessLogGrpcServices(ctx: ReceiverContext): GrpcService[] {
  const { config, pipeline } = ctx;
  return [
    envoyAlsService(pipeline),
    otlpLogsGrpcService({
      pipeline,
      maxBodyBytes: config.pipeline.maxBodyBytes,
      token: config.env.MESHLENS_OTLP_TOKEN,
      customFormat: config.env.MESHLENS_ACCESS_LOG_FORMAT,
    }),
  ];
}

/** False for a placeholder of the LogsService (served here now). */
export function notOtlpLogsService(s: GrpcService): boolean {
  return !Object.values(s.definition).some((m) =>
    m.path.startsWith(LOGS_SERVICE_PREFIX),
  );
}
