/**
 * Every receiver, by listener. A receiver adds its routes or gRPC services here; until it lands,
 * its path answers 501 with a message that says so (see `planned`).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Config } from '~/server/config';
import type { Pipeline } from '../pipeline';
import type { Route } from '../http/server';
import { otlpHttpTraceRoutes } from './otlp/receiver-http';
import {
  otlpGrpcPlaceholderServices,
  otlpGrpcTraceService,
} from './otlp/receiver-grpc';
import { zipkinRoutes } from './zipkin/receiver';
import { remoteWriteRoutes } from './prometheus-remote-write/receiver';
import {
  accessLogGrpcServices,
  accessLogHttpRoutes,
  notOtlpLogsService,
} from './envoy-access-log/register';

export interface ReceiverContext {
  config: Config;
  pipeline: Pipeline;
}

export interface GrpcService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface Receivers {
  /** Routes on the OTLP/HTTP port (4318). */
  otlpHttp: Route[];
  /** Routes on the Zipkin port (9411). */
  zipkin: Route[];
  /** Services on the gRPC port (4317). */
  grpc: GrpcService[];
  /** Paths not served yet, with the message a sender gets (HTTP 501). */
  planned: { otlpHttp: Record<string, string>; zipkin: Record<string, string> };
}

export function receivers(ctx: ReceiverContext): Receivers {
  return {
    otlpHttp: [
      ...otlpHttpTraceRoutes(ctx),
      ...remoteWriteRoutes(ctx),
      ...accessLogHttpRoutes(ctx),
    ],
    zipkin: [...zipkinRoutes(ctx)],
    grpc: [
      otlpGrpcTraceService(ctx),
      ...otlpGrpcPlaceholderServices().filter(notOtlpLogsService),
      ...accessLogGrpcServices(ctx),
    ],
    planned: {
      otlpHttp: {
        '/v1/metrics':
          'OTLP metrics are not accepted yet by this Meshlens build',
      },
      zipkin: {},
    },
  };
}
