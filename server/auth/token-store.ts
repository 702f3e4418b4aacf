/**
 * Tokens in `api_tokens` (migrations 0006 + 0014): UI/API tokens, ingest tokens and embed
 * tokens. Only the SHA-256 of a secret is stored; the secret is shown once when created.
 * Rows are versioned (ReplacingMergeTree): revoking writes a newer version with Revoked = 1, and
 * every read takes the newest version explicitly, so results never wait for merges.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { queryRows, toQueryError } from '../queries/clickhouse';
import type { AuthRole } from './principal';

export const TOKEN_KINDS = ['ui', 'api', 'ingest', 'embed'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const RECEIVERS = [
  'otlp',
  'zipkin',
  'remote_write',
  'access_log',
] as const;
export type Receiver = (typeof RECEIVERS)[number];

export interface StoredToken {
  id: string;
  name: string;
  kind: TokenKind;
  role: AuthRole;
  /** Empty = every namespace. */
  namespaces: string[];
  receivers: string[];
  origins: string[];
  expiresAt: Date | null;
  revoked: boolean;
  createdAt: Date;
  createdBy: string;
}

interface TokenRow {
  Id: string;
  Name: string;
  Kind: string;
  Role: string;
  Namespaces: string[];
  Receivers: string[];
  Origins: string[];
  ExpiresAt: string | null;
  Revoked: number;
  CreatedAt: string;
  CreatedBy: string;
  Version: number;
}

/** `mlk_` + 32 random bytes: recognisable in logs and secret scanners. */
export function generateSecret(): string {
  return `mlk_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

let lastVersion = 0;
function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

const chTime = (d: Date): string =>
  d.toISOString().replace('T', ' ').replace('Z', '');

function fromCh(v: string | null): Date | null {
  if (v === null || v === '') return null;
  return new Date(/[zZ]$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}

function toToken(r: TokenRow): StoredToken {
  return {
    id: r.Id,
    name: r.Name,
    kind: r.Kind as TokenKind,
    role: r.Role as AuthRole,
    namespaces: r.Namespaces,
    receivers: r.Receivers,
    origins: r.Origins,
    expiresAt: fromCh(r.ExpiresAt),
    revoked: Number(r.Revoked) === 1,
    createdAt: fromCh(r.CreatedAt) ?? new Date(0),
    createdBy: r.CreatedBy,
  };
}

const COLUMNS = `Id, Name, Kind, Role, Namespaces, Receivers, Origins, ExpiresAt, Revoked,
  CreatedAt, CreatedBy, Version, TokenHash`;

async function insertToken(
  db: Db,
  t: StoredToken,
  tokenHash: string,
): Promise<void> {
  try {
    await db.client.insert({
      table: `${db.database}.api_tokens`,
      format: 'JSONEachRow',
      values: [
        {
          Id: t.id,
          Name: t.name,
          TokenHash: tokenHash,
          Kind: t.kind,
          Role: t.role,
          Namespaces: t.namespaces,
          Receivers: t.receivers,
          Origins: t.origins,
          ExpiresAt: t.expiresAt ? chTime(t.expiresAt) : null,
          Revoked: t.revoked ? 1 : 0,
          CreatedAt: chTime(t.createdAt),
          CreatedBy: t.createdBy,
          Version: nextVersion(),
        },
      ],
    });
  } catch (err) {
    throw toQueryError(err, 'writing api_tokens');
  }
  cache.clear();
}

export interface NewToken {
  name: string;
  kind: TokenKind;
  role: AuthRole;
  namespaces?: string[];
  receivers?: string[];
  origins?: string[];
  expiresAt?: Date | null;
  createdBy: string;
  /** A given secret (MESHLENS_AUTH_ADMIN_TOKEN); default: a new random one. */
  secret?: string;
  /** Embed tokens are JWTs signed elsewhere: stored by id only, without a secret. */
  withoutSecret?: boolean;
}

/** Stores a token; returns it and its secret (shown once, never stored). */
export async function createToken(
  db: Db,
  input: NewToken,
): Promise<{ token: StoredToken; secret: string | null }> {
  const secret = input.withoutSecret
    ? null
    : (input.secret ?? generateSecret());
  const token: StoredToken = {
    id: randomUUID(),
    name: input.name,
    kind: input.kind,
    role: input.role,
    namespaces: input.namespaces ?? [],
    receivers: input.receivers ?? [],
    origins: input.origins ?? [],
    expiresAt: input.expiresAt ?? null,
    revoked: false,
    createdAt: new Date(),
    createdBy: input.createdBy,
  };
  await insertToken(db, token, secret ? hashSecret(secret) : '');
  return { token, secret };
}

async function newestRows(
  db: Db,
  where: string,
  params: Record<string, unknown>,
): Promise<(TokenRow & { TokenHash: string })[]> {
  return queryRows<TokenRow & { TokenHash: string }>(db, {
    what: 'reading api_tokens',
    query: `SELECT ${COLUMNS} FROM {db:Identifier}.api_tokens
             WHERE Id IN (SELECT Id FROM {db:Identifier}.api_tokens WHERE ${where})
             ORDER BY Id, Version DESC
             LIMIT 1 BY Id`,
    params: { db: db.database, ...params },
  });
}

/** Every token (newest version of each), revoked ones included, newest first. */
export async function listTokens(
  db: Db,
  kind?: TokenKind,
): Promise<StoredToken[]> {
  const rows = await newestRows(
    db,
    kind ? 'Kind = {kind:String}' : '1 = 1',
    kind ? { kind } : {},
  );
  return rows
    .map(toToken)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Marks a token revoked (a newer version); false when there is no such token. */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const [row] = await newestRows(db, 'Id = {id:String}', { id });
  if (!row) return false;
  await insertToken(db, { ...toToken(row), revoked: true }, row.TokenHash);
  return true;
}

/** Lookups are cached briefly (a revoke in this process clears the cache at once). */
const CACHE_MS = 5000;
const cache = new Map<string, { at: number; token: StoredToken | null }>();

async function cached(
  key: string,
  load: () => Promise<StoredToken | null>,
): Promise<StoredToken | null> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.token;
  const token = await load();
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { at: Date.now(), token });
  return token;
}

/** Whether a stored token may be used now. */
export function usable(t: StoredToken | null, nowMs = Date.now()): boolean {
  return (
    t !== null &&
    !t.revoked &&
    (t.expiresAt === null || t.expiresAt.getTime() > nowMs)
  );
}

/** The live token whose secret this is, or null (unknown, revoked or expired). */
export async function findBySecret(
  db: Db,
  secret: string,
): Promise<StoredToken | null> {
  if (secret.length < 8 || secret.length > 512) return null;
  const hash = hashSecret(secret);
  const token = await cached(`h:${hash}`, async () => {
    const [row] = await newestRows(db, 'TokenHash = {hash:String}', { hash });
    // The newest version must still carry this hash (a revoke keeps it).
    return row && row.TokenHash === hash ? toToken(row) : null;
  });
  return usable(token) ? token : null;
}

/** The live token with this id, or null. */
export async function findById(
  db: Db,
  id: string,
): Promise<StoredToken | null> {
  const token = await cached(`i:${id}`, async () => {
    const [row] = await newestRows(db, 'Id = {id:String}', { id });
    return row ? toToken(row) : null;
  });
  return usable(token) ? token : null;
}

/** For tests: forget cached lookups. */
export function clearTokenCache(): void {
  cache.clear();
}
