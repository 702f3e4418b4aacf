/** Zipkin v2 JSON bodies (`ListOfSpans`) -> wire spans. */
import { DecodeError } from '../traces-shared/decode-error';
import type { ZipkinSpan } from './wire';

/**
 * Content types we refuse (415): Zipkin's protobuf and thrift encodings. Anything else is read
 * as JSON, as Zipkin's own server does for senders that omit or mislabel the type.
 */
export function zipkinUnsupportedContentType(
  contentType: string | undefined,
): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (
    type === 'application/x-protobuf' ||
    type === 'application/protobuf' ||
    type === 'application/x-thrift'
  );
}

/** A JSON array of spans. Throws DecodeError for bad JSON or another shape. */
export function decodeZipkinJson(body: Uint8Array): ZipkinSpan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(
        'utf8',
      ),
    );
  } catch (err) {
    throw new DecodeError(`body is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed))
    throw new DecodeError('body is not a JSON array of Zipkin v2 spans');
  return parsed as ZipkinSpan[];
}
