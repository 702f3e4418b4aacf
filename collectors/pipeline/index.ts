/**
 * The collector pipeline shared by every receiver:
 *   receiver -> decode -> normalize -> pipeline.sink(table).offer(rows) -> batch -> insert.
 * It knows nothing about protocols. See collectors/pipeline/README.md for the contract.
 */
import path from 'node:path';
import type { Config } from '~/server/config';
import type { Db } from '~/server/db/client';
import { metrics } from '~/server/telemetry/metrics';
import { Spool } from './spool';
import { startSpoolReplay } from './spool-replay';
import { TableSink } from './table-sink';
import { ClickHouseWriter, deadLetterRow, type DeadLetterRow } from './writer';

export { BackpressureError, ShuttingDownError } from './errors';
export { SpoolFullError } from './spool';
export type { TableSink } from './table-sink';

export interface Pipeline {
  /** The sink of one table (created on first use). */
  sink<Row>(table: string): TableSink<Row>;
  /** Stores a record a receiver could not use; resolves once it is durable. */
  deadLetter(
    source: string,
    reason: string,
    payload: string,
    remote?: string,
  ): Promise<void>;
  /** Writes everything queued (tests, and before answering a flush request). */
  flush(): Promise<void>;
  /** Refuses new rows, writes what is queued, stops the spool replayer. */
  close(): Promise<void>;
  spool: Spool;
  writer: ClickHouseWriter;
}

export interface PipelineOptions {
  db: Db;
  config: Config;
  /** How often to try replaying spooled batches, in ms. */
  replayIntervalMs?: number;
}

export function createPipeline({
  db,
  config,
  replayIntervalMs = 5000,
}: PipelineOptions): Pipeline {
  const spoolDir = config.env.MESHLENS_SPOOL_DIR
    ? path.resolve(config.env.MESHLENS_SPOOL_DIR)
    : path.join(config.dataDir, 'spool');
  const spool = new Spool(spoolDir, config.env.MESHLENS_SPOOL_MAX_BYTES);
  metrics().spoolBytes.set(spool.sizeBytes);
  const writer = new ClickHouseWriter({
    db,
    spool,
    maxAttempts: config.pipeline.insertMaxAttempts,
  });
  const sinks = new Map<string, TableSink<unknown>>();
  let closed = false;

  const sink = <Row>(table: string): TableSink<Row> => {
    let s = sinks.get(table);
    if (!s) {
      s = new TableSink<unknown>({
        table,
        writer,
        maxBatchRows: config.pipeline.batchMaxRows,
        maxWaitMs: config.pipeline.batchMaxWaitMs,
        queueMaxRows: config.pipeline.queueMaxRows,
        onQueueDepth: (rows) => metrics().queueRows.set({ table }, rows),
      });
      sinks.set(table, s);
      // A table first used after close() refuses too (ShuttingDownError), like the others.
      if (closed) void s.close();
    }
    return s;
  };

  const replayer = startSpoolReplay(spool, writer, replayIntervalMs);

  return {
    sink,
    spool,
    writer,
    deadLetter(source, reason, payload, remote = '') {
      metrics().deadLetters.inc({ source });
      return sink<DeadLetterRow>('dead_letters').offer([
        deadLetterRow(source, reason, payload, remote),
      ]);
    },
    async flush() {
      await Promise.all([...sinks.values()].map((s) => s.flush()));
    },
    async close() {
      closed = true;
      replayer.stop();
      // Dead letters last: closing other sinks may still produce some.
      const others = [...sinks.values()].filter(
        (s) => s.table !== 'dead_letters',
      );
      await Promise.all(others.map((s) => s.close()));
      await sink('dead_letters').close();
    },
  };
}
