/**
 * Optional bearer-token auth per receiver: the configured token (MESHLENS_OTLP_TOKEN,
 * MESHLENS_ZIPKIN_TOKEN, MESHLENS_REMOTE_WRITE_TOKEN) and/or ingest tokens managed in Settings
 * (ingest-tokens.ts). With neither: anyone who can reach the port may send. The configured
 * token is compared in constant time over SHA-256 digests so neither it nor its length leaks
 * through timing; stored tokens are looked up by their SHA-256.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  acceptsIngestToken,
  receiverHasTokens,
  type IngestReceiver,
} from './ingest-tokens';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * A checker for `Authorization: Bearer <token>` (HTTP header or gRPC metadata). Without a
 * receiver name only the configured token counts (always true when none is configured).
 */
export function bearerChecker(
  token: string | undefined,
  receiver?: IngestReceiver,
): (authorization: string | undefined) => boolean {
  const expected = token ? digest(token) : undefined;
  return (authorization) => {
    const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    const presented = m?.[1];
    if (expected && presented && timingSafeEqual(digest(presented), expected))
      return true;
    if (receiver && presented && acceptsIngestToken(receiver, presented))
      return true;
    if (expected) return false;
    return !(receiver && receiverHasTokens(receiver));
  };
}
