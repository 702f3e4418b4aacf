/**
 * One bounded queue and batcher per table. `offer()` resolves only when the rows are durable
 * (inserted, or in the disk spool) and rejects at once with BackpressureError when the queue is
 * full, so receivers push back instead of growing memory.
 */
import { BackpressureError, ShuttingDownError } from './errors';
import type { RowWriter } from './writer';

export interface TableSinkOptions {
  table: string;
  writer: RowWriter;
  /** Rows per insert. */
  maxBatchRows: number;
  /**
   * Shortest time between two inserts of this table, in ms, and so the longest a row waits for
   * its batch. An idle sink writes at once (group commit): a lone sender is not slowed down, and
   * under load rows gather into batches while the previous insert runs.
   */
  maxWaitMs: number;
  /** Rows held in memory before offer() refuses. */
  queueMaxRows: number;
  onQueueDepth?: (rows: number) => void;
}

interface Pending {
  rows: unknown[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class TableSink<Row> {
  private pending: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private lastWriteAt = 0;
  /** Set while flush()/close() empty the queue: write everything, without the insert interval. */
  private forced = false;

  constructor(private readonly opts: TableSinkOptions) {}

  get table(): string {
    return this.opts.table;
  }

  get depth(): number {
    return this.queuedRows;
  }

  /** Queues rows; resolves when they are durably written. */
  offer(rows: Row[]): Promise<void> {
    if (this.closed) return Promise.reject(new ShuttingDownError());
    if (rows.length === 0) return Promise.resolve();
    // A request larger than the whole queue is still taken when the queue is empty, or it could never be.
    if (
      this.queuedRows > 0 &&
      this.queuedRows + rows.length > this.opts.queueMaxRows
    ) {
      return Promise.reject(new BackpressureError(this.opts.table));
    }
    try {
      // the writer may start encoding now (an optimisation: a failure here changes nothing)
      this.opts.writer.prepare?.(this.opts.table, rows);
    } catch {
      // the batch's insert encodes these rows again
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      this.opts.onQueueDepth?.(this.queuedRows);
      const sinceLastWrite = Date.now() - this.lastWriteAt;
      if (this.queuedRows >= this.opts.maxBatchRows) this.kick();
      else if (!this.flushing && sinceLastWrite >= this.opts.maxWaitMs)
        this.kick();
      else
        this.timer ??= setTimeout(
          () => this.kick(),
          Math.max(0, this.opts.maxWaitMs - sinceLastWrite),
        );
    });
  }

  /** Writes everything queued now; resolves when the queue is empty. */
  async flush(): Promise<void> {
    this.forced = true;
    try {
      while (this.pending.length > 0 || this.flushing) {
        this.kick();
        await this.flushing;
      }
    } finally {
      this.forced = false;
    }
  }

  /** Refuses new rows, writes what is queued, and stops. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushing ??= this.drainQueue().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0 && !this.timer) {
        const wait = Math.max(
          0,
          this.opts.maxWaitMs - (Date.now() - this.lastWriteAt),
        );
        this.timer = setTimeout(() => this.kick(), wait);
      }
    });
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      if (batch.length > 0 && rows + next.rows.length > this.opts.maxBatchRows)
        break;
      batch.push(this.pending.shift()!);
      rows += next.rows.length;
    }
    return batch;
  }

  private async drainQueue(): Promise<void> {
    let first = true;
    // One batch now; more only while full batches wait (or a flush asks for everything).
    while (
      this.pending.length > 0 &&
      (first || this.forced || this.queuedRows >= this.opts.maxBatchRows)
    ) {
      first = false;
      this.lastWriteAt = Date.now();
      const batch = this.takeBatch();
      const rows = batch.flatMap((p) => p.rows);
      try {
        if (rows.length <= this.opts.maxBatchRows)
          await this.opts.writer.write(
            this.opts.table,
            rows,
            batch.map((p) => p.rows),
          );
        else
          for (let i = 0; i < rows.length; i += this.opts.maxBatchRows) {
            await this.opts.writer.write(
              this.opts.table,
              rows.slice(i, i + this.opts.maxBatchRows),
            );
          }
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      } finally {
        this.queuedRows -= rows.length;
        this.opts.onQueueDepth?.(this.queuedRows);
      }
    }
  }
}
