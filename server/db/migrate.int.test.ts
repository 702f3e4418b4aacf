import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { migrate, MIGRATIONS_DIR, readMigrations } from './migrate';
import { renderMigration } from './render-sql';

let t: TempDb;

beforeAll(async () => {
  t = await tempDb({}, { migrate: false });
});
afterAll(async () => {
  await t.close();
});

function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-migrations-'));
  for (const f of fs.readdirSync(MIGRATIONS_DIR))
    fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  return dir;
}

describe('migrations on the embedded engine', () => {
  it('apply in order, record a checksum each, and create the tables of the design', async () => {
    const result = await migrate(t.db, t.config.ttlDays);
    const files = readMigrations();
    expect(result.applied).toEqual(files.map((f) => f.name));
    const ledger = await t.rows<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM {db:Identifier}.meshlens_migrations ORDER BY version',
    );
    expect(ledger.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    const tables = (
      await t.rows<{ name: string }>(
        'SELECT name FROM system.tables WHERE database = {db:String}',
      )
    ).map((r) => r.name);
    for (const name of [
      'otel_traces',
      'otel_traces_trace_id_ts',
      'otel_traces_trace_id_ts_mv',
      'mesh_requests',
      'metric_series',
      'metric_samples',
      'edge_rollups_1m',
      'edge_rollups_1m_from_requests_mv',
      'dead_letters',
      'alert_rules',
      'alert_state',
      'api_tokens',
      'webhook_deliveries',
    ]) {
      expect(tables).toContain(name);
    }
  });

  it('re-running is a no-op', async () => {
    const again = await migrate(t.db, t.config.ttlDays);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations().length);
  });

  it('refuses an applied migration that was edited, naming the file', async () => {
    const dir = copyMigrations();
    fs.appendFileSync(
      path.join(dir, '0002_mesh_requests.sql'),
      '\n-- an innocent edit\n',
    );
    await expect(migrate(t.db, t.config.ttlDays, { dir })).rejects.toThrow(
      /0002_mesh_requests\.sql was edited after it was applied/,
    );
  });

  it('applies a new migration added later, and only that one', async () => {
    const dir = copyMigrations();
    const version = String(
      Math.max(...readMigrations().map((m) => m.version)) + 1,
    ).padStart(4, '0');
    fs.writeFileSync(
      path.join(dir, `${version}_extra.sql`),
      'CREATE TABLE IF NOT EXISTS {{local:extra}}{{on_cluster}} (x UInt8) ENGINE = {{engine:MergeTree()}} ORDER BY x;\n',
    );
    const result = await migrate(t.db, t.config.ttlDays, { dir });
    expect(result.applied).toEqual([`${version}_extra.sql`]);
  });

  it('the TTLs from config are in the created tables', async () => {
    const [row] = await t.rows<{ q: string }>(
      "SELECT create_table_query AS q FROM system.tables WHERE database = {db:String} AND name = 'otel_traces'",
    );
    expect(row?.q).toContain(`toIntervalDay(${t.config.ttlDays.spans})`);
  });

  it('the access-log materialized view fills the edge rollups', async () => {
    const base = {
      Kind: 'http',
      Signal: 'file',
      SourceWorkload: 'productpage-v1',
      SourceNamespace: 'bookinfo',
      DestinationWorkload: 'reviews-v1',
      DestinationNamespace: 'bookinfo',
      DestinationService: 'reviews',
      Protocol: 'http',
      ResponseCode: 200,
      Mtls: 'yes',
    };
    await t.db.client.insert({
      table: `${t.db.database}.mesh_requests`,
      format: 'JSONEachRow',
      values: [
        {
          ...base,
          Timestamp: '2026-11-24 10:00:01.000',
          Reporter: 'outbound',
          DurationMs: 3,
        },
        {
          ...base,
          Timestamp: '2026-11-24 10:00:02.000',
          Reporter: 'inbound',
          DurationMs: 2,
        },
        {
          ...base,
          Timestamp: '2026-11-24 10:00:03.000',
          Reporter: 'outbound',
          DurationMs: 40,
          ResponseCode: 503,
          ResponseFlags: ['UO'],
        },
      ],
    });
    const rows = await t.rows<{
      Reporter: string;
      requests: number;
      errors: number;
      buckets: Record<string, number>;
    }>(
      `SELECT Reporter, sum(Requests) AS requests, sumIf(Requests, ResponseCode >= 500) AS errors,
              sumMap(DurationBuckets) AS buckets
       FROM {db:Identifier}.edge_rollups_1m GROUP BY Reporter ORDER BY Reporter`,
    );
    expect(rows).toEqual([
      {
        Reporter: 'destination',
        requests: 1,
        errors: 0,
        buckets: { '5000': 1 },
      },
      {
        Reporter: 'source',
        requests: 2,
        errors: 1,
        buckets: { '5000': 1, '50000': 1 },
      },
    ]);
  });
});

describe('cluster mode', () => {
  it('renders ON CLUSTER, Replicated*MergeTree and Distributed DDL that the engine parses', async () => {
    const opts = {
      database: 'meshlens',
      cluster: 'meshlens',
      ttlDays: t.config.ttlDays,
    };
    const statements = readMigrations().flatMap((f) =>
      renderMigration(f.sql, opts),
    );
    expect(statements.some((s) => s.includes('ReplicatedMergeTree('))).toBe(
      true,
    );
    expect(statements.some((s) => s.includes('ENGINE = Distributed('))).toBe(
      true,
    );
    // DDL runs on every node; a one-off copy (INSERT ... SELECT) goes through Distributed tables.
    expect(
      statements.every(
        (s) => s.includes('ON CLUSTER') || s.startsWith('INSERT'),
      ),
    ).toBe(true);
    for (const statement of statements) {
      const rs = await t.db.client.query({
        query: 'SELECT formatQuery({q:String}) AS f',
        query_params: { q: statement },
        format: 'JSONEachRow',
      });
      const [row] = await rs.json<{ f: string }>();
      expect(row?.f.length, statement.slice(0, 120)).toBeGreaterThan(10);
    }
  });

  it('formatQuery really rejects broken DDL (so the check above can fail)', async () => {
    await expect(
      t.db.client.query({
        query: 'SELECT formatQuery({q:String})',
        query_params: { q: 'CREATE TABLE x ON CLUSTER (' },
      }),
    ).rejects.toThrow(/Syntax error/i);
  });
});
