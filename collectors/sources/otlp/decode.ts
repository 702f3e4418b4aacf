/**
 * OTLP/HTTP and gRPC bodies -> wire objects. Two decoders with one output shape (wire.ts):
 * binary protobuf, and OTLP/JSON (hex ids, int64 as strings or numbers), read tolerantly: enum
 * names, base64 ids and Tempo's `batches` envelope are accepted too (shared/reference/traces.md §2).
 */
import { DecodeError } from '../traces-shared/decode-error';
import { ExportTraceServiceRequest } from './proto';
import type { OtlpExportRequest } from './wire';

export type OtlpEncoding = 'protobuf' | 'json';

/** The encoding a Content-Type asks for, or undefined (415). */
export function otlpEncodingOf(
  contentType: string | undefined,
): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf')
    return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Binary ExportTraceServiceRequest. Throws DecodeError when it is not one. */
export function decodeOtlpProtobuf(body: Uint8Array): OtlpExportRequest {
  try {
    return ExportTraceServiceRequest.decode(
      body,
    ) as unknown as OtlpExportRequest;
  } catch (err) {
    throw new DecodeError(
      `body is not an OTLP ExportTraceServiceRequest protobuf: ${(err as Error).message}`,
    );
  }
}

/** OTLP/JSON ExportTraceServiceRequest. Throws DecodeError for bad JSON or a wrong shape. */
export function decodeOtlpJson(body: Uint8Array): OtlpExportRequest {
  let parsed: unknown;
  try {
    // Invalid UTF-8 becomes U+FFFD here instead of failing the request.
    parsed = JSON.parse(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(
        'utf8',
      ),
    );
  } catch (err) {
    throw new DecodeError(`body is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DecodeError(
      'body is not an OTLP/JSON ExportTraceServiceRequest object',
    );
  }
  const obj = parsed as { resourceSpans?: unknown; batches?: unknown };
  const resourceSpans = obj.resourceSpans ?? obj.batches ?? [];
  if (!Array.isArray(resourceSpans))
    throw new DecodeError('resourceSpans is not an array');
  return { resourceSpans: resourceSpans as OtlpExportRequest['resourceSpans'] };
}

export function decodeOtlp(
  body: Uint8Array,
  encoding: OtlpEncoding,
): OtlpExportRequest {
  return encoding === 'protobuf'
    ? decodeOtlpProtobuf(body)
    : decodeOtlpJson(body);
}
