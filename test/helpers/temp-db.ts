/**
 * A real embedded ClickHouse for tests: one temp data folder per test process (chDB binds one
 * folder per process; vitest forks a process per file), migrations applied, a fresh database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, setConfig, type Config } from '~/server/config';
import { closeDb, getDb, type Db } from '~/server/db/client';
import { migrate } from '~/server/db/migrate';

export interface TempDb {
  db: Db;
  config: Config;
  dataDir: string;
  /** Runs a query with parameters and returns its rows. */
  rows<T = Record<string, unknown>>(
    query: string,
    params?: Record<string, unknown>,
  ): Promise<T[]>;
  close(): Promise<void>;
}

export async function tempDb(
  env: Record<string, string> = {},
  opts: { migrate?: boolean } = {},
): Promise<TempDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-test-'));
  const config = parseConfig({
    MESHLENS_DATA_DIR: dataDir,
    CLICKHOUSE_DATABASE: `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
    ...env,
  });
  setConfig(config);
  const db = await getDb(config);
  if (opts.migrate !== false) await migrate(db, config.ttlDays);
  return {
    db,
    config,
    dataDir,
    async rows<T>(query: string, params: Record<string, unknown> = {}) {
      const rs = await db.client.query({
        query,
        query_params: { db: db.database, ...params },
        format: 'JSONEachRow',
      });
      return rs.json<T>();
    },
    async close() {
      await closeDb();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
