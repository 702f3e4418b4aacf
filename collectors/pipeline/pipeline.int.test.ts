import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '~/server/config';
import { createDb } from '~/server/db/client';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { BackpressureError, createPipeline, ShuttingDownError } from '.';
import { Spool, SpoolFullError } from './spool';
import { TableSink } from './table-sink';
import { ClickHouseWriter } from './writer';

let t: TempDb;
beforeAll(async () => {
  t = await tempDb({
    MESHLENS_BATCH_MAX_WAIT_MS: '50',
    MESHLENS_BATCH_MAX_ROWS: '100',
  });
});
afterAll(async () => {
  await t.close();
});

const request = (i: number, extra: Record<string, unknown> = {}) => ({
  Timestamp: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, i)).toISOString(),
  Kind: 'http',
  Reporter: 'inbound',
  Signal: 'test',
  DestinationService: `svc-${i % 3}`,
  RequestId: `req-${i}`,
  ResponseCode: 200,
  ...extra,
});

async function count(table: string, where = '1'): Promise<number> {
  const [row] = await t.rows<{ n: number }>(
    `SELECT count() AS n FROM {db:Identifier}.${table} WHERE ${where}`,
  );
  return Number(row?.n);
}

describe('pipeline on the embedded engine', () => {
  it('acknowledges only after the rows are stored, batching many offers', async () => {
    const pipeline = createPipeline({ db: t.db, config: t.config });
    const offers = Array.from({ length: 25 }, (_, k) =>
      pipeline
        .sink('mesh_requests')
        .offer(Array.from({ length: 10 }, (_, j) => request(k * 10 + j))),
    );
    await offers[0];
    // the first acknowledgement means its batch is durable: its own rows must already be readable
    expect(await count('mesh_requests', "RequestId IN ('req-0','req-9')")).toBe(
      2,
    );
    await Promise.all(offers);
    expect(await count('mesh_requests', "Signal = 'test'")).toBe(250);
    await pipeline.close();
  });

  it('an idle sink writes at once, and rows arriving during the insert interval wait for the next batch', async () => {
    const config = parseConfig({
      MESHLENS_DATA_DIR: t.dataDir,
      CLICKHOUSE_DATABASE: t.db.database,
      MESHLENS_BATCH_MAX_WAIT_MS: '60000',
    });
    const pipeline = createPipeline({ db: t.db, config });
    const sink = pipeline.sink('mesh_requests');
    // would hang for 60 s (past the test timeout) if a lone sender waited for the batch interval
    await sink.offer([request(7000, { RequestId: 'lone-1' })]);
    expect(await count('mesh_requests', "RequestId = 'lone-1'")).toBe(1);
    let acknowledged = false;
    const second = sink
      .offer([request(7001, { RequestId: 'lone-2' })])
      .then(() => (acknowledged = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(acknowledged).toBe(false);
    expect(sink.depth).toBe(1);
    await pipeline.close(); // close writes what waits, without the interval
    await second;
    expect(await count('mesh_requests', "RequestId = 'lone-2'")).toBe(1);
  });

  it("applies the table's DEFAULT expressions to omitted fields, as an inline insert does", async () => {
    await t.db.client.command({
      query: `CREATE TABLE ${t.db.database}.with_default (a String, b String DEFAULT concat('from-', a)) ENGINE = MergeTree ORDER BY a`,
    });
    const pipeline = createPipeline({ db: t.db, config: t.config });
    await pipeline
      .sink('with_default')
      .offer([{ a: 'x' }, { a: 'y', b: 'given' }]);
    await pipeline.close();
    expect(
      await t.rows('SELECT a, b FROM {db:Identifier}.with_default ORDER BY a'),
    ).toEqual([
      { a: 'x', b: 'from-x' },
      { a: 'y', b: 'given' },
    ]);
  });

  it('pushes back with BackpressureError when the queue is full, and takes rows again once drained', async () => {
    const config = parseConfig({
      ...process.env,
      MESHLENS_DATA_DIR: t.dataDir,
      CLICKHOUSE_DATABASE: t.db.database,
      MESHLENS_QUEUE_MAX_ROWS: '10',
      MESHLENS_BATCH_MAX_WAIT_MS: '500',
      MESHLENS_BATCH_MAX_ROWS: '1000',
    });
    const pipeline = createPipeline({ db: t.db, config });
    const sink = pipeline.sink('mesh_requests');
    const first = sink.offer(
      Array.from({ length: 8 }, (_, i) => request(1000 + i)),
    );
    await expect(
      sink.offer(Array.from({ length: 5 }, (_, i) => request(2000 + i))),
    ).rejects.toBeInstanceOf(BackpressureError);
    await first;
    await sink.offer([request(3000)]);
    await pipeline.close();
    await expect(sink.offer([request(4000)])).rejects.toBeInstanceOf(
      ShuttingDownError,
    );
    // a table first used after close() refuses as well
    await expect(
      pipeline.sink('otel_logs').offer([{ Body: 'late' }]),
    ).rejects.toBeInstanceOf(ShuttingDownError);
    expect(
      await count('mesh_requests', "RequestId IN ('req-1000','req-3000')"),
    ).toBe(2);
    expect(await count('mesh_requests', "RequestId = 'req-2000'")).toBe(0);
  });

  it('sends a row ClickHouse refuses to the dead letters and stores the rest of its batch', async () => {
    const pipeline = createPipeline({ db: t.db, config: t.config });
    const rows = [
      request(5000),
      request(5001, { ResponseCode: 'not-a-number' }),
      request(5002),
    ];
    await pipeline.sink('mesh_requests').offer(rows);
    await pipeline.close();
    expect(
      await count('mesh_requests', "RequestId IN ('req-5000','req-5002')"),
    ).toBe(2);
    const dead = await t.rows<{
      Source: string;
      Reason: string;
      Payload: string;
    }>(
      "SELECT Source, Reason, Payload FROM {db:Identifier}.dead_letters WHERE Payload LIKE '%req-5001%'",
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]?.Source).toBe('insert:mesh_requests');
    expect(dead[0]?.Reason.length).toBeGreaterThan(10);
  });

  it('spools batches to disk while the store is down and replays them when it is back', async () => {
    // A "ClickHouse server" that answers every request with a 503, as an overloaded server does.
    const down = http.createServer((req, res) => {
      req.resume();
      res.writeHead(503, { 'x-clickhouse-exception-code': '202' });
      res.end(
        'Code: 202. DB::Exception: Too many simultaneous queries. (TOO_MANY_SIMULTANEOUS_QUERIES)',
      );
    });
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    const outage = await createDb(
      parseConfig({ CLICKHOUSE_URL: url, CLICKHOUSE_DATABASE: t.db.database }),
    );
    const spool = new Spool(path.join(t.dataDir, 'spool-test'), 10_000_000);
    const sleep = () => Promise.resolve();
    const failing = new ClickHouseWriter({
      db: outage,
      spool,
      maxAttempts: 3,
      sleep,
    });
    const sink = new TableSink({
      table: 'mesh_requests',
      writer: failing,
      maxBatchRows: 100,
      maxWaitMs: 10,
      queueMaxRows: 1000,
    });
    await sink.offer(
      Array.from({ length: 30 }, (_, i) =>
        request(6000 + i, { RequestId: `outage-${i}` }),
      ),
    );
    expect(spool.list()).toHaveLength(1);
    expect(
      await count('mesh_requests', "startsWith(RequestId, 'outage-')"),
    ).toBe(0);

    const healthy = new ClickHouseWriter({
      db: t.db,
      spool,
      maxAttempts: 3,
      sleep,
    });
    for (const entry of spool.list()) {
      const batch = await spool.read(entry);
      await healthy.insertWithRetry(batch.table, batch.rows);
      await spool.remove(entry.file);
    }
    expect(spool.list()).toHaveLength(0);
    expect(spool.sizeBytes).toBe(0);
    expect(
      await count('mesh_requests', "startsWith(RequestId, 'outage-')"),
    ).toBe(30);
    await outage.client.close();
    down.close();
  });

  it('refuses to spool past its cap instead of dropping data', async () => {
    const spool = new Spool(path.join(t.dataDir, 'spool-cap'), 100);
    await expect(
      spool.write('mesh_requests', [request(1), request(2)]),
    ).rejects.toBeInstanceOf(SpoolFullError);
    expect(fs.readdirSync(path.join(t.dataDir, 'spool-cap'))).toEqual([]);
  });
});
