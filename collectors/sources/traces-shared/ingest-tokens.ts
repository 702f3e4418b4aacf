/**
 * Ingest tokens managed in Settings (api_tokens rows of kind `ingest`, stored as SHA-256, see
 * docs/security.md): which token hashes open which receiver. Kept in memory and re-read every
 * 10 s, so checks stay synchronous on the hot path; a created or revoked token takes effect
 * within that. Once an ingest token covers a receiver, that receiver requires a token.
 */
import { createHash } from 'node:crypto';
import { getDb } from '~/server/db/client';

export type IngestReceiver = 'otlp' | 'zipkin' | 'remote_write' | 'access_log';

const REFRESH_MS = 10_000;

interface State {
  /** hash -> receivers it opens (empty = every receiver). */
  tokens: Map<string, string[]>;
  timer?: NodeJS.Timeout;
  loading?: Promise<void>;
}

const holder = globalThis as unknown as { __meshlensIngestTokens?: State };

function state(): State {
  holder.__meshlensIngestTokens ??= { tokens: new Map() };
  return holder.__meshlensIngestTokens;
}

/** Re-reads the ingest tokens now (also used by tests right after creating one). */
export async function refreshIngestTokens(): Promise<void> {
  const s = state();
  s.loading ??= (async () => {
    try {
      const db = await getDb();
      const rs = await db.client.query({
        query: `SELECT TokenHash, Receivers FROM (
                  SELECT TokenHash, Receivers, Kind, Revoked, ExpiresAt
                    FROM {db:Identifier}.api_tokens
                   ORDER BY Id, Version DESC
                   LIMIT 1 BY Id)
                 WHERE Kind = 'ingest' AND Revoked = 0 AND TokenHash != ''
                   AND (ExpiresAt IS NULL OR ExpiresAt > now64(3))`,
        query_params: { db: db.database },
        format: 'JSONEachRow',
      });
      const rows = await rs.json<{ TokenHash: string; Receivers: string[] }>();
      s.tokens = new Map(rows.map((r) => [r.TokenHash, r.Receivers]));
    } catch {
      // Tables not there yet (before migrations) or the store is down: keep what we had.
    } finally {
      s.loading = undefined;
    }
  })();
  return s.loading;
}

function ensureRefreshing(): void {
  const s = state();
  if (s.timer) return;
  void refreshIngestTokens();
  s.timer = setInterval(() => void refreshIngestTokens(), REFRESH_MS);
  s.timer.unref();
}

const covers = (receivers: string[], r: IngestReceiver) =>
  receivers.length === 0 || receivers.includes(r);

/** Whether any stored ingest token covers this receiver (then a token is required). */
export function receiverHasTokens(r: IngestReceiver): boolean {
  ensureRefreshing();
  for (const receivers of state().tokens.values())
    if (covers(receivers, r)) return true;
  return false;
}

/** Whether this presented secret is a stored ingest token for this receiver. */
export function acceptsIngestToken(r: IngestReceiver, secret: string): boolean {
  ensureRefreshing();
  const receivers = state().tokens.get(
    createHash('sha256').update(secret, 'utf8').digest('hex'),
  );
  return receivers !== undefined && covers(receivers, r);
}
