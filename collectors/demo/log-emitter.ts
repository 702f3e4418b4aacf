/**
 * Access-log emitter. Each proxy's lines go
 *  (a) to `<logsDir>/<namespace>_<pod>_istio-proxy.log` in the CRI format the kubelet writes
 *      (`<RFC3339Nano> stdout F <line>`), rotated to `.1` past `maxFileBytes`; and
 *  (b) optionally to an HTTP push URL: POST application/x-ndjson, one record per line in the
 *      shape Fluent Bit's `http` output sends (`log` + the Kubernetes filter's pod metadata and
 *      labels), one request per pod.
 * Push failures (receiver missing, 404, refused) are counted and retried; the queue is bounded
 * and drops its oldest lines.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { accessLogEntries, type PodLogEntry } from './access-log-entries';
import { criLine, formatIstioTextLine } from './access-log-format';
import { BoundedQueue, FailureReporter } from './emitter-util';
import type { Pod } from './mesh';
import { hash32 } from './prng';
import type { SimRequest } from './sim-request';

export interface LogEmitterOptions {
  logsDir: string;
  /** null: no HTTP push. */
  pushUrl: string | null;
  log: Logger;
  maxFileBytes?: number;
  pushBatchLines?: number;
  maxQueuedLines?: number;
  pushTimeoutMs?: number;
}

export interface LogEmitterStats {
  linesWritten: number;
  fileWriteErrors: number;
  pushedLines: number;
  pushRequests: number;
  pushFailures: number;
  droppedLines: number;
  queuedLines: number;
}

interface Queued {
  pod: Pod;
  line: string;
}

/** Path of a pod's proxy log file. */
export function podLogPath(logsDir: string, pod: Pod): string {
  return join(logsDir, `${pod.namespace}_${pod.name}_istio-proxy.log`);
}

export class LogEmitter {
  private readonly files = new Map<string, number>();
  private readonly queue: BoundedQueue<Queued>;
  private readonly fileFailures: FailureReporter;
  private readonly pushFailures: FailureReporter;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;
  private lastPushOk = true;
  private s = { linesWritten: 0, pushedLines: 0, pushRequests: 0 };

  constructor(private readonly opts: LogEmitterOptions) {
    mkdirSync(opts.logsDir, { recursive: true });
    this.queue = new BoundedQueue(opts.maxQueuedLines ?? 100_000);
    this.fileFailures = new FailureReporter(opts.log, 'access-log file writes');
    this.pushFailures = new FailureReporter(
      opts.log,
      `access-log push to ${opts.pushUrl}`,
    );
  }

  /** Writes the lines of finished hops (call in end-time order). */
  emit(reqs: readonly SimRequest[]): void {
    const entries: PodLogEntry[] = [];
    for (const r of reqs) entries.push(...accessLogEntries(r));
    entries.sort((a, b) => a.endMs - b.endMs);
    const byFile = new Map<string, string[]>();
    const pushed: Queued[] = [];
    for (const e of entries) {
      const line = formatIstioTextLine(e.entry);
      const path = podLogPath(this.opts.logsDir, e.pod);
      const jitterNs = BigInt(hash32(line) % 1_000_000);
      const lines = byFile.get(path) ?? [];
      lines.push(criLine(BigInt(e.endMs) * 1_000_000n + jitterNs, line));
      byFile.set(path, lines);
      if (this.opts.pushUrl) pushed.push({ pod: e.pod, line });
    }
    for (const [path, lines] of byFile) this.append(path, lines);
    this.queue.push(pushed);
  }

  /** Starts pushing every `intervalMs`. */
  start(intervalMs = 1000): void {
    if (!this.opts.pushUrl || this.timer) return;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** One push round (up to one batch); resolves false if a request failed. Never rejects. */
  flush(): Promise<boolean> {
    this.flushing ??= this.pushBatch().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Pushes until the queue is empty, a push fails, or `deadlineMs` (epoch) passes. */
  async drain(deadlineMs = Infinity): Promise<void> {
    while (this.queue.length > 0 && Date.now() < deadlineMs) {
      if (!(await this.flush())) return;
    }
  }

  /** False after a failed push, until one succeeds again. */
  get healthy(): boolean {
    return this.opts.pushUrl !== null && this.lastPushOk;
  }

  /** Stops the timer and pushes what is queued (briefly, only if the receiver was answering). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushing) await this.flushing;
    if (this.lastPushOk) await this.drain(Date.now() + 3000);
  }

  stats(): LogEmitterStats {
    return {
      linesWritten: this.s.linesWritten,
      fileWriteErrors: this.fileFailures.failures,
      pushedLines: this.s.pushedLines,
      pushRequests: this.s.pushRequests,
      pushFailures: this.pushFailures.failures,
      droppedLines: this.queue.dropped,
      queuedLines: this.queue.length,
    };
  }

  private append(path: string, lines: string[]): void {
    const text = lines.join('\n') + '\n';
    const bytes = Buffer.byteLength(text);
    try {
      let size =
        this.files.get(path) ?? (existsSync(path) ? statSync(path).size : 0);
      if (
        size > 0 &&
        size + bytes > (this.opts.maxFileBytes ?? 10 * 1024 * 1024)
      ) {
        renameSync(path, `${path}.1`);
        size = 0;
      }
      appendFileSync(path, text);
      this.files.set(path, size + bytes);
      this.s.linesWritten += lines.length;
    } catch (err) {
      this.fileFailures.fail(err, { path });
    }
  }

  private async pushBatch(): Promise<boolean> {
    const url = this.opts.pushUrl;
    if (!url || this.queue.length === 0) return true;
    const batch = this.queue.take(this.opts.pushBatchLines ?? 2000);
    const byPod = new Map<Pod, string[]>();
    for (const q of batch) {
      const lines = byPod.get(q.pod);
      if (lines) lines.push(q.line);
      else byPod.set(q.pod, [q.line]);
    }
    // One POST per pod (each names its pod in headers), all pods at once: a real fleet of
    // log shippers pushes in parallel too.
    const groups = [...byPod];
    const results = await Promise.allSettled(
      groups.map(([pod, lines]) => this.post(url, pod, lines)),
    );
    const failed: { pod: Pod; line: string }[] = [];
    results.forEach((r, i) => {
      const [pod, lines] = groups[i]!;
      if (r.status === 'fulfilled') this.s.pushedLines += lines.length;
      else {
        this.pushFailures.fail(r.reason, { url });
        failed.push(...lines.map((line) => ({ pod, line })));
      }
    });
    this.lastPushOk = failed.length === 0;
    if (failed.length > 0) {
      this.queue.unshift(failed);
      return false;
    }
    return true;
  }

  private async post(url: string, pod: Pod, lines: string[]): Promise<void> {
    this.s.pushRequests++;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.map((line) => shipperRecord(pod, line)).join('\n') + '\n',
      signal: AbortSignal.timeout(this.opts.pushTimeoutMs ?? 5000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  }
}

/**
 * One NDJSON record as Fluent Bit's `http` output sends a container log line, with the
 * Kubernetes filter's pod metadata: the receiver takes the proxy's identity from it.
 */
function shipperRecord(pod: Pod, line: string): string {
  const w = pod.workload;
  const labels: Record<string, string> = {
    app: w.app,
    'service.istio.io/canonical-name': w.canonicalService,
    'service.istio.io/canonical-revision': w.canonicalRevision,
  };
  if (w.version !== 'unknown') labels.version = w.version;
  if (w.kind === 'gateway') {
    labels.istio = w.name.includes('egress')
      ? 'egressgateway'
      : 'ingressgateway';
  }
  return JSON.stringify({
    log: line,
    stream: 'stdout',
    kubernetes: {
      pod_name: pod.name,
      namespace_name: pod.namespace,
      container_name: 'istio-proxy',
      labels,
    },
  });
}
