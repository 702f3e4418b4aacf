/**
 * The only stage that talks to ClickHouse. Inserts a batch with retries (exponential backoff
 * with jitter) for faults that may pass; isolates rows ClickHouse refuses for good (by halving
 * the batch) and sends those to the dead letters; spools to disk when retries run out.
 */
import type { Db } from '~/server/db/client';
import { metrics } from '~/server/telemetry/metrics';
import { logger } from '~/server/log';
import { withSpan } from '~/server/telemetry/spans';
import { isPermanentInsertError } from './errors';
import { RowInserter } from './row-inserter';
import type { Spool } from './spool';

const log = logger('pipeline');

export interface RowWriter {
  /**
   * Writes rows durably. `parts`, when given, are the arrays (offers) `rows` was joined from,
   * in order, each passed to prepare() when it was queued.
   */
  write(
    table: string,
    rows: unknown[],
    parts?: readonly (readonly unknown[])[],
  ): Promise<void>;
  /** Optional: rows were just queued for `table` (a writer may start encoding them). */
  prepare?(table: string, rows: readonly unknown[]): void;
}

export interface DeadLetterRow {
  Timestamp: string;
  Source: string;
  Reason: string;
  Payload: string;
  PayloadBytes: number;
  Remote: string;
}

export const DEAD_LETTER_PAYLOAD_MAX = 64 * 1024;

export function deadLetterRow(
  source: string,
  reason: string,
  payload: string,
  remote = '',
): DeadLetterRow {
  const bytes = Buffer.byteLength(payload);
  return {
    Timestamp: new Date().toISOString(),
    Source: source,
    Reason: reason.slice(0, 4096),
    Payload:
      bytes > DEAD_LETTER_PAYLOAD_MAX
        ? payload.slice(0, DEAD_LETTER_PAYLOAD_MAX)
        : payload,
    PayloadBytes: bytes,
    Remote: remote,
  };
}

export interface ClickHouseWriterOptions {
  db: Db;
  maxAttempts: number;
  spool: Spool;
  /** First retry delay in ms; doubles per attempt, with up to 50% jitter. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((r) => setTimeout(r, ms));

export class ClickHouseWriter implements RowWriter {
  /** The insert path: a scratch file on the embedded engine, inline otherwise (row-inserter.ts). */
  private readonly inserter: RowInserter;

  constructor(private readonly opts: ClickHouseWriterOptions) {
    this.inserter = new RowInserter(opts.db);
  }

  prepare(table: string, rows: readonly unknown[]): void {
    this.inserter.prepare(table, rows);
  }

  async write(
    table: string,
    rows: unknown[],
    parts?: readonly (readonly unknown[])[],
  ): Promise<void> {
    try {
      await this.insertWithRetry(table, rows, parts);
    } catch (err) {
      if (isPermanentInsertError(err)) {
        await this.isolateBadRows(table, rows, err as Error);
        return;
      }
      log.warn(
        { table, rows: rows.length, err: (err as Error).message },
        'insert failed after retries; spooling to disk',
      );
      await this.opts.spool.write(table, rows);
      metrics().ingestRows.inc({ table, outcome: 'spooled' }, rows.length);
      metrics().spoolBytes.set(this.opts.spool.sizeBytes);
    }
  }

  /** Inserts without spooling; used by the spool replayer. Throws when the store still fails. */
  async insertWithRetry(
    table: string,
    rows: unknown[],
    parts?: readonly (readonly unknown[])[],
  ): Promise<void> {
    const { maxAttempts } = this.opts;
    const sleep = this.opts.sleep ?? defaultSleep;
    const base = this.opts.baseDelayMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      const stop = metrics().insertSeconds.startTimer({ table });
      try {
        await withSpan(
          'clickhouse.insert',
          { 'db.table': table, 'db.rows': rows.length, attempt },
          () => this.inserter.insert(table, rows, parts),
        );
        stop();
        metrics().ingestRows.inc({ table, outcome: 'inserted' }, rows.length);
        return;
      } catch (err) {
        stop();
        const permanent = isPermanentInsertError(err);
        metrics().insertErrors.inc({
          table,
          kind: permanent ? 'permanent' : 'retryable',
        });
        if (permanent || attempt >= maxAttempts) throw err;
        const delay = base * 2 ** (attempt - 1);
        await sleep(delay + Math.random() * delay * 0.5);
      }
    }
  }

  private async isolateBadRows(
    table: string,
    rows: unknown[],
    err: Error,
  ): Promise<void> {
    if (rows.length === 1) {
      const row = deadLetterRow(
        `insert:${table}`,
        err.message,
        JSON.stringify(rows[0]),
      );
      metrics().ingestRows.inc({ table, outcome: 'dead_letter' });
      metrics().deadLetters.inc({ source: `insert:${table}` });
      if (table === 'dead_letters') {
        log.error(
          { err: err.message },
          'a dead letter itself could not be stored',
        );
        return;
      }
      await this.write('dead_letters', [row]);
      return;
    }
    const mid = Math.ceil(rows.length / 2);
    await this.write(table, rows.slice(0, mid));
    await this.write(table, rows.slice(mid));
  }
}
