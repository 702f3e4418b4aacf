/**
 * OTLP/gRPC on the gRPC port (4317): TraceService/Export stores spans; LogsService and
 * MetricsService answer UNIMPLEMENTED with a message saying so until their receivers land.
 * Messages are taken as raw bytes and decoded here, so a garbage request gets INVALID_ARGUMENT
 * (not grpc-js's INTERNAL). gzip/deflate request compression is handled by grpc-js.
 */
import * as grpc from '@grpc/grpc-js';
import { BackpressureError } from '../../pipeline';
import type { GrpcService, ReceiverContext } from '../index';
import { bearerChecker } from '../traces-shared/auth';
import { DecodeError } from '../traces-shared/decode-error';
import {
  ingestSpans,
  pipelineRefusal,
  spansQueueFull,
  type Refusal,
} from '../traces-shared/ingest';
import { SPANS_TABLE } from '../traces-shared/span-row';
import { decodeOtlpTracesProtobuf } from './fast-decode';
import { TRACE_SERVICE_NAME } from './proto';
import { exportResponseBody, retryStatusDetails } from './response';
import { OTLP_TRACES_SOURCE } from './receiver-http';

type RawCall = grpc.ServerUnaryCall<Buffer, Uint8Array>;
type RawCallback = grpc.sendUnaryData<Uint8Array>;

const identity = (b: Buffer): Buffer => b;

/** A unary Export method that takes and returns raw protobuf bytes. */
function rawExport(service: string): grpc.ServiceDefinition {
  return {
    Export: {
      path: `/${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: (v: Uint8Array) =>
        Buffer.from(v.buffer, v.byteOffset, v.byteLength),
      responseDeserialize: identity,
    },
  };
}

function grpcError(
  code: grpc.status,
  details: string,
  metadata?: grpc.Metadata,
): Partial<grpc.StatusObject> {
  return { code, details, ...(metadata ? { metadata } : {}) };
}

/** RESOURCE_EXHAUSTED is retried by OTLP clients only with RetryInfo, so attach it. */
function refusalError(err: unknown): Partial<grpc.StatusObject> | undefined {
  const refusal = pipelineRefusal(err);
  if (!refusal) return undefined;
  return refusalStatus(refusal);
}

function refusalStatus(refusal: Refusal): Partial<grpc.StatusObject> {
  const code =
    refusal.kind === 'backpressure'
      ? grpc.status.RESOURCE_EXHAUSTED
      : grpc.status.UNAVAILABLE;
  const md = new grpc.Metadata();
  md.set(
    'grpc-status-details-bin',
    retryStatusDetails(code, refusal.message, refusal.retryAfterSeconds),
  );
  return grpcError(code, refusal.message, md);
}

export function otlpGrpcTraceService(ctx: ReceiverContext): GrpcService {
  const { pipeline, config } = ctx;
  const authorized = bearerChecker(config.env.MESHLENS_OTLP_TOKEN, 'otlp');

  async function exportTraces(call: RawCall): Promise<Uint8Array> {
    const spans = decodeOtlpTracesProtobuf(call.request);
    const result = await ingestSpans(
      pipeline,
      OTLP_TRACES_SOURCE,
      spans,
      call.getPeer(),
    );
    return exportResponseBody(result, 'protobuf') as Uint8Array;
  }

  const implementation: grpc.UntypedServiceImplementation = {
    Export: (call: RawCall, callback: RawCallback) => {
      const auth = call.metadata.get('authorization')[0];
      if (!authorized(typeof auth === 'string' ? auth : undefined)) {
        callback(
          grpcError(
            grpc.status.UNAUTHENTICATED,
            'missing or wrong bearer token in the authorization metadata',
          ),
        );
        return;
      }
      if (spansQueueFull(pipeline, config.pipeline.queueMaxRows)) {
        callback(
          refusalStatus({
            kind: 'backpressure',
            retryAfterSeconds: 5,
            message: new BackpressureError(SPANS_TABLE).message,
          }),
        );
        return;
      }
      exportTraces(call).then(
        (body) => callback(null, body),
        (err: unknown) => {
          if (err instanceof DecodeError)
            callback(grpcError(grpc.status.INVALID_ARGUMENT, err.message));
          else
            callback(
              refusalError(err) ??
                grpcError(grpc.status.INTERNAL, (err as Error).message),
            );
        },
      );
    },
  };
  return { definition: rawExport(TRACE_SERVICE_NAME), implementation };
}

/** LogsService and MetricsService: UNIMPLEMENTED with a clear message (remove when they land). */
export function otlpGrpcPlaceholderServices(): GrpcService[] {
  const placeholder = (service: string, signal: string): GrpcService => ({
    definition: rawExport(service),
    implementation: {
      Export: (_call: RawCall, callback: RawCallback) =>
        callback(
          grpcError(
            grpc.status.UNIMPLEMENTED,
            `OTLP ${signal} are not accepted yet by this Meshlens build; only traces (TraceService/Export) are`,
          ),
        ),
    },
  });
  return [
    placeholder('opentelemetry.proto.collector.logs.v1.LogsService', 'logs'),
    placeholder(
      'opentelemetry.proto.collector.metrics.v1.MetricsService',
      'metrics',
    ),
  ];
}
