/**
 * Applies the numbered SQL files in migrations/ in order, once each, recording a checksum.
 * An applied file that changed since is refused: migrations are append-only history.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client';
import { renderMigration, type RenderOptions } from './render-sql';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS {{global:meshlens_migrations}}{{on_cluster}} (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3) DEFAULT now64(3)
) ENGINE = {{global_engine:ReplacingMergeTree(applied_at)}}
ORDER BY version`;

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads migrations/ and returns its files in version order; refuses duplicate versions. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const out: MigrationFile[] = [];
  for (const file of files) {
    const m = FILE_PATTERN.exec(file);
    if (!m) {
      throw new MigrationError(
        `migrations/${file}: name must look like 0001_what_it_does.sql`,
      );
    }
    const version = Number(m[1]);
    const previous = out[out.length - 1];
    if (version === 0 || (previous && version === previous.version)) {
      throw new MigrationError(
        `migrations/${file}: version ${m[1]} is ${version === 0 ? 'not allowed (start at 0001)' : `also used by ${previous?.name}`}`,
      );
    }
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    out.push({ version, name: file, sql, checksum: checksum(sql) });
  }
  return out;
}

export function renderOptions(
  db: Db,
  ttlDays: Record<string, number>,
): RenderOptions {
  return { database: db.database, cluster: db.cluster, ttlDays };
}

async function appliedMigrations(db: Db): Promise<AppliedMigration[]> {
  const rs = await db.client.query({
    query: `SELECT version, argMax(name, applied_at) AS name, argMax(checksum, applied_at) AS checksum
            FROM {db:Identifier}.meshlens_migrations GROUP BY version ORDER BY version`,
    query_params: { db: db.database },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{
    version: number | string;
    name: string;
    checksum: string;
  }>();
  return rows.map((r) => ({
    version: Number(r.version),
    name: r.name,
    checksum: r.checksum,
  }));
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Creates the database and ledger if needed, checks every applied migration still matches its
 * file, then applies the rest in order. Re-running is a no-op.
 */
export async function migrate(
  db: Db,
  ttlDays: Record<string, number>,
  opts: { dir?: string; onApply?: (name: string) => void } = {},
): Promise<MigrateResult> {
  const render = renderOptions(db, ttlDays);
  const files = readMigrations(opts.dir);
  const onCluster = db.cluster ? ` ON CLUSTER \`${db.cluster}\`` : '';
  await db.client.command({
    query: `CREATE DATABASE IF NOT EXISTS \`${db.database}\`${onCluster}`,
  });
  for (const statement of renderMigration(LEDGER_DDL, render)) {
    await db.client.command({ query: statement });
  }
  const applied = await appliedMigrations(db);
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const done of applied) {
    const file = byVersion.get(done.version);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${done.name} applied, but migrations/ has no version ${done.version}. ` +
          'This data folder was written by a newer Meshlens: upgrade, or point MESHLENS_DATA_DIR elsewhere.',
      );
    }
    if (file.checksum !== done.checksum) {
      throw new MigrationError(
        `migrations/${file.name} was edited after it was applied ` +
          `(recorded checksum ${done.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
          'Applied migrations must not change: restore the file and put the change in a new numbered migration.',
      );
    }
  }
  const doneVersions = new Set(applied.map((a) => a.version));
  const result: MigrateResult = { applied: [], alreadyApplied: applied.length };
  for (const file of files) {
    if (doneVersions.has(file.version)) continue;
    for (const statement of renderMigration(file.sql, render)) {
      try {
        await db.client.command({ query: statement });
      } catch (err) {
        throw new MigrationError(
          `migrations/${file.name} failed: ${(err as Error).message}\nStatement:\n${statement}`,
          { cause: err },
        );
      }
    }
    await db.client.insert({
      table: `${db.database}.meshlens_migrations`,
      values: [
        { version: file.version, name: file.name, checksum: file.checksum },
      ],
      format: 'JSONEachRow',
    });
    result.applied.push(file.name);
    opts.onApply?.(file.name);
  }
  return result;
}
