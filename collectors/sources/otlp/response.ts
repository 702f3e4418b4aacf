/**
 * OTLP answers in the request's own encoding (OTLP spec, "OTLP/HTTP Response"):
 * ExportTraceServiceResponse on success (partial_success when spans were rejected) and
 * google.rpc.Status on failure.
 */
import type { IngestResult } from '../traces-shared/ingest';
import type { OtlpEncoding } from './decode';
import { ExportTraceServiceResponse, RetryInfo, RpcStatus } from './proto';

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** gRPC status codes, used in google.rpc.Status bodies. */
export const GRPC_CODE = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC code a google.rpc.Status body carries for an HTTP status. */
export function grpcCodeForHttp(status: number): number {
  if (status === 401) return GRPC_CODE.UNAUTHENTICATED;
  if (status === 429) return GRPC_CODE.RESOURCE_EXHAUSTED;
  if (status === 503) return GRPC_CODE.UNAVAILABLE;
  if (status >= 500) return GRPC_CODE.INTERNAL;
  return GRPC_CODE.INVALID_ARGUMENT;
}

/** The partial_success object, or undefined when every span was accepted. */
function partialSuccess(
  result: IngestResult,
): { rejectedSpans: number; errorMessage: string } | undefined {
  if (result.rejected === 0 && !result.message) return undefined;
  return { rejectedSpans: result.rejected, errorMessage: result.message };
}

/** ExportTraceServiceResponse bytes (protobuf) or text (JSON). */
export function exportResponseBody(
  result: IngestResult,
  encoding: OtlpEncoding,
): Uint8Array | string {
  const partial = partialSuccess(result);
  if (encoding === 'json') {
    return JSON.stringify(
      partial
        ? {
            partialSuccess: {
              rejectedSpans: String(partial.rejectedSpans),
              errorMessage: partial.errorMessage,
            },
          }
        : {},
    );
  }
  return ExportTraceServiceResponse.encode(
    ExportTraceServiceResponse.fromObject(
      partial ? { partialSuccess: partial } : {},
    ),
  ).finish();
}

/** google.rpc.Status bytes (protobuf) or text (JSON) for a failed request. */
export function statusBody(
  code: number,
  message: string,
  encoding: OtlpEncoding,
): Uint8Array | string {
  if (encoding === 'json') return JSON.stringify({ code, message });
  return RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish();
}

/** google.rpc.Status with a RetryInfo detail, for gRPC's `grpc-status-details-bin` trailer. */
export function retryStatusDetails(
  code: number,
  message: string,
  retryAfterSeconds: number,
): Buffer {
  const retryInfo = RetryInfo.encode(
    RetryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds } }),
  ).finish();
  const status = RpcStatus.fromObject({
    code,
    message,
    details: [
      { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo },
    ],
  });
  return Buffer.from(RpcStatus.encode(status).finish());
}
