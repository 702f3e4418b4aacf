/**
 * Small pieces the emitters share: a bounded FIFO that drops its oldest items when full, and a
 * failure reporter that counts every failure but logs at most once per interval (default 30 s),
 * with the number of failures since the last log line.
 */
import type { Logger } from 'pino';

/** FIFO with a capacity; pushing beyond it drops (and counts) the oldest items. */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  dropped = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends items; returns how many old items were dropped to make room. */
  push(items: readonly T[]): number {
    for (const item of items) this.items.push(item);
    return this.trim();
  }

  /** Puts items back at the front (a failed batch), then trims to capacity from the oldest end. */
  unshift(items: readonly T[]): number {
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
    return this.trim();
  }

  /** Removes and returns up to `n` items from the front. */
  take(n: number): T[] {
    const out = this.items.slice(this.head, this.head + n);
    this.head += out.length;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  clear(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    return n;
  }

  private trim(): number {
    const over = this.length - this.capacity;
    if (over <= 0) return 0;
    this.head += over;
    this.dropped += over;
    return over;
  }
}

/** Counts failures of one emitter and logs them at most once per `intervalMs`. */
export class FailureReporter {
  failures = 0;
  private sinceLog = 0;
  private lastLogMs = -Infinity;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  fail(err: unknown, detail: Record<string, unknown> = {}): void {
    this.failures++;
    this.sinceLog++;
    const t = this.now();
    if (t - this.lastLogMs < this.intervalMs) return;
    this.lastLogMs = t;
    const message =
      err instanceof Error
        ? err.cause instanceof Error
          ? `${err.message}: ${err.cause.message}`
          : err.message
        : String(err);
    this.log.warn(
      {
        ...detail,
        error: message,
        failures: this.sinceLog,
        failuresTotal: this.failures,
      },
      `${this.what} failing (keeps going)`,
    );
    this.sinceLog = 0;
  }
}
