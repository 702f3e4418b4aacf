/**
 * Drives generation in wall-clock time: each tick generates the whole seconds not generated yet
 * (so a late timer never skips traffic), records them in the truth ledger at once, and hands
 * each hop to the emitters when it has ended — Envoy writes access logs, counts metrics and
 * reports spans at the end of a request. Backfill generates past minutes one at a time and lets
 * the emitters drain between minutes while their receivers keep up.
 */
import type { Logger } from 'pino';
import { meshWithFault, type DemoFault } from './fault';
import { generateMeshWindow } from './generate';
import type { LogEmitter } from './log-emitter';
import type { Mesh } from './mesh';
import type { MetricsRegistry } from './metrics-registry';
import type { SimRequest } from './sim-request';
import type { SpanEmitter } from './span-emitter';
import type { TruthLedger } from './truth';

export interface Emitters {
  logs: LogEmitter | null;
  metrics: MetricsRegistry | null;
  spans: SpanEmitter | null;
}

export interface GenerationStats {
  /** HTTP/gRPC hops generated (a call through the egress gateway is two hops). */
  requests: number;
  tcpConnections: number;
  /** Root requests (one trace each). */
  traces: number;
  generatedFromMs: number | null;
  generatedUntilMs: number | null;
  /** Generated hops not finished yet (not emitted). */
  pendingHops: number;
}

/** Epoch ms when the last proxy on the hop finished with it. */
export function hopEndMs(r: SimRequest): number {
  const clientEnd = r.startMs + r.durationMs;
  return r.server
    ? Math.max(clientEnd, r.server.startMs + r.server.durationMs)
    : clientEnd;
}

export class DemoRunner {
  private pending: SimRequest[] = [];
  /** True while backfill() emits past traffic (see release()). */
  private backfilling = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly counts = { requests: 0, tcpConnections: 0, traces: 0 };
  private generatedFromMs: number | null = null;
  private generatedUntilMs: number | null = null;
  /** The mesh traffic is generated from: `mesh`, or `mesh` with the fault switched on. */
  private active: Mesh;
  private fault: DemoFault | null = null;

  constructor(
    private readonly mesh: Mesh,
    private readonly seed: number,
    private readonly ledger: TruthLedger,
    private readonly emitters: Emitters,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.active = mesh;
  }

  /**
   * Switches a fault on (or off with null) for every second generated from now on; the switch
   * is noted in the truth ledger at the first second it applies to. Throws on an unknown target
   * (nothing changes then).
   */
  setFault(fault: DemoFault | null): void {
    this.active = meshWithFault(this.mesh, fault);
    this.fault = fault;
    const atMs = this.generatedUntilMs ?? Math.floor(this.now() / 1000) * 1000;
    this.ledger.noteFault(atMs, fault);
  }

  currentFault(): DemoFault | null {
    return this.fault;
  }

  /** Generates root arrivals in [fromMs, toMs) and records them as truth. */
  generate(fromMs: number, toMs: number): void {
    if (toMs <= fromMs) return;
    const reqs = generateMeshWindow(this.active, fromMs, toMs, this.seed);
    this.ledger.record(reqs);
    this.ledger.markGenerated(fromMs, toMs);
    for (const r of reqs) {
      if (r.protocol === 'tcp') this.counts.tcpConnections++;
      else this.counts.requests++;
      if (r.isRoot) this.counts.traces++;
      this.pending.push(r);
    }
    this.generatedFromMs ??= fromMs;
    this.generatedUntilMs = toMs;
  }

  /** Emits every pending hop that ended at or before `nowMs`, in end order. */
  release(nowMs: number): number {
    const ready: SimRequest[] = [];
    const rest: SimRequest[] = [];
    for (const r of this.pending) (hopEndMs(r) <= nowMs ? ready : rest).push(r);
    this.pending = rest;
    if (ready.length === 0) return 0;
    ready.sort((a, b) => hopEndMs(a) - hopEndMs(b));
    const { logs, metrics, spans } = this.emitters;
    // A proxy's counters start when it starts: past traffic (backfill) reaches logs and spans,
    // which carry their own times, but never the counters, or the first scrapes would count the
    // whole backfill as one minute's increase.
    const counted = this.backfilling ? null : metrics;
    for (const [name, emit] of [
      ['logs', () => logs?.emit(ready)],
      ['metrics', () => counted?.observe(ready)],
      ['spans', () => spans?.emit(ready)],
    ] as const) {
      try {
        emit();
      } catch (err) {
        this.log.error(
          { err, emitter: name },
          'demo emitter failed on a batch (skipped)',
        );
      }
    }
    return ready.length;
  }

  /** Generates and emits `minutes` of past traffic ending at the current whole second. */
  async backfill(minutes: number): Promise<void> {
    const endMs = Math.floor(this.now() / 1000) * 1000;
    const startMs = endMs - Math.round(minutes * 60) * 1000;
    this.backfilling = true;
    try {
      for (let from = startMs; from < endMs; from += 60_000) {
        this.generate(from, Math.min(from + 60_000, endMs));
        this.release(this.now());
        await this.drain(Date.now() + 15_000);
      }
    } finally {
      this.backfilling = false;
    }
  }

  /** Lets the push emitters catch up, but never waits on a receiver that is failing. */
  async drain(deadlineMs: number): Promise<void> {
    const { logs, spans } = this.emitters;
    await Promise.all([
      logs?.healthy ? logs.drain(deadlineMs) : null,
      spans?.healthy ? spans.drain(deadlineMs) : null,
    ]);
  }

  /**
   * One live step: generate up to the current whole second, emit what has finished. After a
   * stall (suspended laptop, blocked loop) it catches up at most `maxCatchUpMs` per tick, so
   * the truth stays contiguous without one huge burst.
   */
  tick(maxCatchUpMs = 60_000): void {
    const now = this.now();
    const until = Math.floor(now / 1000) * 1000;
    const from = this.generatedUntilMs ?? until - 1000;
    this.generate(from, Math.min(until, from + maxCatchUpMs));
    this.release(now);
  }

  start(tickMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        this.log.error({ err }, 'demo tick failed');
      }
    }, tickMs);
    this.timer.unref();
  }

  /** Stops ticking and emits every generated hop, finished or not (so emitted totals equal the truth). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.release(Infinity);
  }

  stats(): GenerationStats {
    return {
      ...this.counts,
      generatedFromMs: this.generatedFromMs,
      generatedUntilMs: this.generatedUntilMs,
      pendingHops: this.pending.length,
    };
  }
}
