import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, setConfig } from '../../config';
import { closeDb, getDb, type Db } from '../../db/client';
import { runtime } from '../../runtime';
import { createCaller } from '../root';
import { createInnerContext } from '../trpc';

// chDB binds one data folder per process; vitest runs each file in its own fork.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-status-'));
const database = `test_status_${process.pid}`;
let db: Db;

async function run(query: string): Promise<void> {
  await db.client.command({ query, query_params: { db: database } });
}

beforeAll(async () => {
  setConfig(
    parseConfig({ MESHLENS_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: database }),
  );
  db = await getDb();
  await run('CREATE DATABASE IF NOT EXISTS {db:Identifier}');
  await run(
    'CREATE TABLE {db:Identifier}.requests (ts DateTime, code UInt16) ENGINE = MergeTree ORDER BY ts',
  );
  await run(
    'CREATE TABLE {db:Identifier}.empty_spans (id String) ENGINE = MergeTree ORDER BY id',
  );
  await run(
    'CREATE TABLE {db:Identifier}.meshlens_migrations (version UInt32) ENGINE = MergeTree ORDER BY version',
  );
  await run('INSERT INTO {db:Identifier}.meshlens_migrations VALUES (1)');
  await run(
    'CREATE VIEW {db:Identifier}.errors_view AS SELECT * FROM {db:Identifier}.requests',
  );
  // A File table knows no row count, like a Distributed one: total_rows is NULL.
  await run(
    'CREATE TABLE {db:Identifier}.all_requests (code UInt16) ENGINE = File(JSONEachRow)',
  );
  await db.client.insert({
    table: `${database}.requests`,
    values: [
      { ts: '2025-01-01 00:00:00', code: 200 },
      { ts: '2025-01-01 00:00:01', code: 503 },
      { ts: '2025-01-01 00:00:02', code: 200 },
    ],
    format: 'JSONEachRow',
  });
}, 60_000);

afterAll(async () => {
  await run('DROP DATABASE IF EXISTS {db:Identifier}');
  await closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('status.overview', () => {
  it('counts rows per table, skips views and reports unknown counts as null', async () => {
    const overview = await createCaller(createInnerContext()).status.overview();
    expect(overview.tables.map((t) => t.name)).toEqual([
      'all_requests',
      'empty_spans',
      'meshlens_migrations',
      'requests',
    ]);
    const byName = new Map(overview.tables.map((t) => [t.name, t]));
    expect(byName.get('requests')?.rows).toBe(3);
    expect(byName.get('requests')?.bytes).toBeGreaterThan(0);
    expect(byName.get('empty_spans')?.rows).toBe(0);
    expect(byName.get('all_requests')?.rows).toBeNull();
  });

  it('tells telemetry tables from Meshlens bookkeeping tables', async () => {
    const overview = await createCaller(createInnerContext()).status.overview();
    const kinds = Object.fromEntries(
      overview.tables.map((t) => [t.name, t.kind]),
    );
    expect(kinds).toEqual({
      all_requests: 'telemetry',
      empty_spans: 'telemetry',
      meshlens_migrations: 'config',
      requests: 'telemetry',
    });
  });

  it('says where the data lives and what the process runs', async () => {
    const rt = runtime();
    rt.roles = ['collector', 'web'];
    rt.listeners = [
      {
        name: 'otlp-http',
        url: 'http://127.0.0.1:4318',
        serves: ['OTLP /v1/traces'],
      },
    ];
    rt.ready = true;
    const overview = await createCaller(createInnerContext()).status.overview();
    expect(overview.db).toEqual({
      mode: 'embedded',
      location: dataDir,
      database,
    });
    expect(overview.roles).toEqual(['collector', 'web']);
    expect(overview.listeners[0]?.url).toBe('http://127.0.0.1:4318');
    expect(overview.ready).toBe(true);
    expect(overview.startedAt).toBeInstanceOf(Date);
  });

  it('turns a missing database into PRECONDITION_FAILED naming the ClickHouse error', async () => {
    const failing = {
      ...db,
      client: {
        query: () =>
          Promise.reject(
            Object.assign(new Error('Database nope does not exist'), {
              code: '81',
              type: 'UNKNOWN_DATABASE',
            }),
          ),
      },
    } as unknown as Db;
    const caller = createCaller(
      createInnerContext({ db: () => Promise.resolve(failing) }),
    );
    const err = await caller.status.overview().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('PRECONDITION_FAILED');
    expect((err as TRPCError).message).toMatch(
      /UNKNOWN_DATABASE, code 81.*db:migrate/,
    );
  });

  it('turns an unreachable server into SERVICE_UNAVAILABLE', async () => {
    const failing = {
      ...db,
      client: {
        query: () =>
          Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED'), {
              code: 'ECONNREFUSED',
            }),
          ),
      },
    } as unknown as Db;
    const caller = createCaller(
      createInnerContext({ db: () => Promise.resolve(failing) }),
    );
    const err = await caller.status.overview().catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe('SERVICE_UNAVAILABLE');
    expect((err as TRPCError).message).toMatch(/could not be reached/);
  });
});
