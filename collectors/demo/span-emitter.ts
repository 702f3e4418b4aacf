/**
 * Span emitter: queues the spans of finished hops and exports them over OTLP/HTTP protobuf
 * (`@opentelemetry/exporter-trace-otlp-proto`) every second, in batches. The queue holds span
 * jobs (not built spans) and is bounded: when the receiver is down, failed batches go back to
 * the front and the oldest spans are dropped and counted. Spans are built only at export time.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { BoundedQueue, FailureReporter } from './emitter-util';
import type { Mesh } from './mesh';
import type { SimRequest } from './sim-request';
import { SpanBuilder, spanJobs, type SpanJob } from './span-builder';

export interface SpanEmitterOptions {
  /** OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces */
  url: string;
  mesh: Mesh;
  log: Logger;
  maxQueuedSpans?: number;
  batchSize?: number;
  /** Batches sent per flush when the receiver keeps accepting (drains a backfill quickly). */
  maxBatchesPerFlush?: number;
  /** Per export, retries included, ms. */
  timeoutMs?: number;
}

export interface SpanEmitterStats {
  queued: number;
  exported: number;
  dropped: number;
  exportRequests: number;
  exportFailures: number;
}

export class SpanEmitter {
  private readonly exporter: OTLPTraceExporter;
  private readonly builder: SpanBuilder;
  private readonly queue: BoundedQueue<SpanJob>;
  private readonly failures: FailureReporter;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;
  private lastExportOk = true;
  private exported = 0;
  private exportRequests = 0;

  constructor(private readonly opts: SpanEmitterOptions) {
    this.exporter = new OTLPTraceExporter({
      url: opts.url,
      timeoutMillis: opts.timeoutMs ?? 4000,
      concurrencyLimit: 2,
    });
    this.builder = new SpanBuilder(opts.mesh);
    this.queue = new BoundedQueue(opts.maxQueuedSpans ?? 50_000);
    this.failures = new FailureReporter(
      opts.log,
      `OTLP span export to ${opts.url}`,
    );
  }

  /** Queues the spans of finished hops. */
  emit(reqs: readonly SimRequest[]): void {
    const jobs: SpanJob[] = [];
    for (const r of reqs) jobs.push(...spanJobs(r));
    this.queue.push(jobs);
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Exports queued batches until empty, a failure, or maxBatchesPerFlush. False if one failed. */
  flush(): Promise<boolean> {
    this.flushing ??= this.exportSome().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Exports until the queue is empty, an export fails, or `deadlineMs` (epoch) passes. */
  async drain(deadlineMs = Infinity): Promise<void> {
    while (this.queue.length > 0 && Date.now() < deadlineMs) {
      if (!(await this.flush())) return;
    }
  }

  /** False after a failed export, until one succeeds again. */
  get healthy(): boolean {
    return this.lastExportOk;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushing) await this.flushing;
    if (this.lastExportOk) await this.drain(Date.now() + 5000);
    this.queue.dropped += this.queue.clear();
    await this.exporter.shutdown().catch(() => undefined);
  }

  stats(): SpanEmitterStats {
    return {
      queued: this.queue.length,
      exported: this.exported,
      dropped: this.queue.dropped,
      exportRequests: this.exportRequests,
      exportFailures: this.failures.failures,
    };
  }

  private async exportSome(): Promise<boolean> {
    const max = this.opts.maxBatchesPerFlush ?? 20;
    for (let n = 0; n < max && this.queue.length > 0; n++) {
      const jobs = this.queue.take(this.opts.batchSize ?? 1000);
      let spans: ReadableSpan[];
      try {
        spans = jobs.map((j) => this.builder.build(j));
      } catch (err) {
        // A bug, not the receiver: drop the batch rather than retry it forever.
        this.failures.fail(err, { spans: jobs.length });
        this.queue.dropped += jobs.length;
        continue;
      }
      const result = await this.export(spans);
      if (result.code !== ExportResultCode.SUCCESS) {
        this.lastExportOk = false;
        this.failures.fail(result.error ?? new Error('export failed'), {
          url: this.opts.url,
          spans: jobs.length,
        });
        this.queue.unshift(jobs);
        return false;
      }
      this.lastExportOk = true;
      this.exported += jobs.length;
    }
    return true;
  }

  private export(spans: ReadableSpan[]): Promise<ExportResult> {
    this.exportRequests++;
    return new Promise((resolve) => this.exporter.export(spans, resolve));
  }
}
