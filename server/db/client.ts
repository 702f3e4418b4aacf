/**
 * The one place that knows whether ClickHouse is embedded (chDB in this process) or a server.
 * Everything else asks `getDb()` for an `@clickhouse/client` client and writes the same SQL.
 */
import fs from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { getConfig, type Config } from '../config';

export type DbMode = 'embedded' | 'server';

export interface Db {
  client: ClickHouseClient;
  mode: DbMode;
  /** Database holding our tables; every query names it through {db:Identifier}. */
  database: string;
  cluster: string | undefined;
  /** Where the data lives: the data folder (embedded) or the URL without credentials (server). */
  location: string;
}

/** Settings every session gets, so embedded and server answer in the same shapes. */
const commonSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
  date_time_input_format: 'best_effort',
} as const;

export async function createDb(config: Config): Promise<Db> {
  if (config.clickhouseUrl) {
    const url = new URL(config.clickhouseUrl);
    const client = createClient({
      url: `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`,
      username:
        config.env.CLICKHOUSE_USER ??
        (decodeURIComponent(url.username) || 'default'),
      password:
        config.env.CLICKHOUSE_PASSWORD ?? decodeURIComponent(url.password),
      clickhouse_settings: commonSettings,
      request_timeout: 60_000,
    });
    return {
      client,
      mode: 'server',
      database: config.database,
      cluster: config.cluster,
      location: `${url.protocol}//${url.host}`,
    };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  // chdb is a native module; load it lazily so server mode never needs it.
  const { createChdbConnection } = await import('chdb/connection');
  // chdb re-exports the Connection type from its own copy of @clickhouse/client-common; the two
  // declarations are the same interface, so the cast only bridges the duplicate type identity.
  const connection = createChdbConnection({
    path: config.dataDir,
  }) as unknown as NonNullable<
    Parameters<typeof createClient>[0]
  >['connection'];
  const client = createClient({
    connection,
    clickhouse_settings: commonSettings,
  });
  return {
    client,
    mode: 'embedded',
    database: config.database,
    cluster: undefined,
    location: config.dataDir,
  };
}

const holder = globalThis as unknown as { __meshlensDb?: Promise<Db> };

/**
 * The process-wide client. Kept on globalThis: chDB binds one data folder per process, and
 * Next.js may load this module more than once.
 */
export function getDb(config: Config = getConfig()): Promise<Db> {
  if (!holder.__meshlensDb) {
    const opening = createDb(config);
    holder.__meshlensDb = opening;
    // A failed open is not cached: the next caller tries again (e.g. a server that was down).
    opening.catch(() => {
      if (holder.__meshlensDb === opening) holder.__meshlensDb = undefined;
    });
  }
  return holder.__meshlensDb;
}

export async function closeDb(): Promise<void> {
  const pending = holder.__meshlensDb;
  holder.__meshlensDb = undefined;
  if (pending) await (await pending).client.close();
}
