/**
 * The truth ledger: every generated hop, kept per minute and key as columns (start offset,
 * durations, bytes, outcome, flags), so truth over any window — minute-aligned or not — is exact.
 * Finished minutes are appended to an NDJSON file (see truth-file.ts) that truth-cli.ts reads
 * after the fact; the in-memory copy keeps `retentionMinutes`.
 *
 * Counting rules (DESIGN.md "Getting the numbers right"): a hop is counted once, with the source
 * proxy's view when it has one and the destination sidecar's otherwise. Peers are named the way
 * Istio labels them: a caller without a sidecar is "unknown", and so is a destination no proxy
 * learnt (external hosts, fault aborts before routing).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DemoFault } from './fault';
import {
  F_DESTINATION,
  F_ERROR,
  F_ROOT,
  F_SAMPLED,
  F_SOURCE,
  GroupAccumulator,
  type Cell,
} from './truth-aggregate';
import {
  countedDurationMs,
  destinationReports,
  isError,
  mtlsState,
  sourceReports,
  type SimRequest,
} from './sim-request';
import { Grouping } from './truth-grouping';
import type {
  CellKey,
  EdgeTruth,
  NamespaceTruth,
  PeerKey,
  ServiceTruth,
  Truth,
} from './truth-types';

export interface LedgerMeta {
  scenario: string;
  seed: number;
  samplingPercent: number;
}

const MINUTE_MS = 60_000;

export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The ledger key of a hop (Istio-visible peers plus the simulated caller). */
export function cellKeyOf(r: SimRequest): CellKey {
  const src = r.sourcePod;
  const visible = src.proxied;
  return {
    protocol: r.protocol,
    sourceWorkload: visible ? src.workload.name : 'unknown',
    sourceNamespace: visible ? src.workload.namespace : 'unknown',
    sourceCluster: visible ? src.cluster : 'unknown',
    destinationWorkload: r.destWorkload?.name ?? 'unknown',
    destinationNamespace: r.destWorkload?.namespace ?? 'unknown',
    destinationCluster: r.destPod?.cluster ?? 'unknown',
    destinationService: r.service.host,
    destinationServiceNamespace: r.service.namespace,
    mtls: mtlsState(r),
    actualSource: src.workload.key,
  };
}

function keyString(k: CellKey): string {
  return Object.values(k).join('|');
}

export class TruthLedger {
  private readonly minutes = new Map<number, Map<string, Cell>>();
  private readonly outcomeIndex = new WeakMap<Cell, Map<string, number>>();
  private readonly written = new Set<number>();
  /** Root arrivals generated (or loaded) so far: [fromMs, untilMs). */
  readonly coverage: { fromMs: number | null; untilMs: number | null } = {
    fromMs: null,
    untilMs: null,
  };

  /** Fault switches (fault.ts) in order: from `atMs` on, traffic was generated with `fault`. */
  readonly faults: { atMs: number; fault: DemoFault | null }[] = [];

  constructor(
    readonly meta: LedgerMeta,
    private readonly opts: {
      file?: string | null;
      retentionMinutes?: number;
      onWriteError?: (err: unknown) => void;
    } = {},
  ) {}

  /** Starts the NDJSON file afresh with a meta line (a new run is a new truth). */
  open(startedAtMs: number): void {
    this.write(() => {
      if (!this.opts.file) return;
      mkdirSync(dirname(this.opts.file), { recursive: true });
      writeFileSync(
        this.opts.file,
        JSON.stringify({
          type: 'meta',
          version: 1,
          ...this.meta,
          startedAtMs,
        }) + '\n',
      );
    });
  }

  /**
   * Notes a fault switch (on, or off with null) from `atMs` on. The hops keep their true
   * outcomes either way; the note says why a window's figures changed.
   */
  noteFault(atMs: number, fault: DemoFault | null): void {
    this.faults.push({ atMs, fault });
    const file = this.opts.file;
    if (file)
      this.write(() =>
        appendFileSync(
          file,
          JSON.stringify({ type: 'fault', atMs, fault }) + '\n',
        ),
      );
  }

  /** Records generated hops. */
  record(reqs: readonly SimRequest[]): void {
    for (const r of reqs) {
      const minuteMs = minuteOf(r.startMs);
      const cell = this.cell(minuteMs, cellKeyOf(r));
      const outcome = `${r.responseCode}|${r.grpcStatus ?? ''}|${r.responseFlags}`;
      cell.t.push(r.startMs - minuteMs);
      cell.d.push(countedDurationMs(r));
      cell.sd.push(r.server ? r.server.durationMs : -1);
      cell.rb.push(r.requestBytes);
      cell.sb.push(r.responseBytes);
      cell.o.push(this.outcome(cell, outcome));
      cell.f.push(
        (r.sampled ? F_SAMPLED : 0) |
          (r.isRoot ? F_ROOT : 0) |
          (sourceReports(r) ? F_SOURCE : 0) |
          (destinationReports(r) ? F_DESTINATION : 0) |
          (isError(r) ? F_ERROR : 0),
      );
    }
  }

  /**
   * Marks root arrivals in [fromMs, toMs) as generated (windows must be contiguous). Minutes
   * that can no longer change are appended to the file, and old ones dropped from memory.
   */
  markGenerated(fromMs: number, toMs: number): void {
    this.coverage.fromMs = Math.min(this.coverage.fromMs ?? fromMs, fromMs);
    this.coverage.untilMs = Math.max(this.coverage.untilMs ?? toMs, toMs);
    const until = this.coverage.untilMs;
    const done = [...this.minutes.keys()]
      .filter((m) => m + MINUTE_MS <= until && !this.written.has(m))
      .sort((a, b) => a - b);
    this.persist(done);
    const keepFrom = until - (this.opts.retentionMinutes ?? 180) * MINUTE_MS;
    for (const m of this.minutes.keys()) {
      if (m + MINUTE_MS <= keepFrom && this.written.has(m))
        this.minutes.delete(m);
    }
  }

  /** Writes every minute not written yet (e.g. at stop). */
  flush(): void {
    this.persist(
      [...this.minutes.keys()]
        .filter((m) => !this.written.has(m))
        .sort((a, b) => a - b),
    );
  }

  /** Adds a cell read back from a file (merging with an existing cell of the same key). */
  loadCell(minuteMs: number, cell: Cell): void {
    const into = this.cell(minuteMs, cell.key);
    for (let i = 0; i < cell.t.length; i++) {
      into.t.push(cell.t[i] ?? 0);
      into.d.push(cell.d[i] ?? 0);
      into.sd.push(cell.sd[i] ?? -1);
      into.rb.push(cell.rb[i] ?? 0);
      into.sb.push(cell.sb[i] ?? 0);
      into.o.push(this.outcome(into, cell.outcomes[cell.o[i] ?? 0] ?? '0||-'));
      into.f.push(cell.f[i] ?? 0);
    }
    this.written.add(minuteMs);
  }

  /** Exact truth over hops that started in [fromMs, toMs). */
  truth(fromMs: number, toMs: number): Truth {
    const windowSeconds = Math.max(0, (toMs - fromMs) / 1000);
    const mesh = new GroupAccumulator();
    const edges = new Grouping<EdgeTruth>();
    const clusterEdges = new Grouping<EdgeTruth>();
    const services = new Grouping<ServiceTruth>();
    const namespaces = new Grouping<NamespaceTruth>();
    let traces = 0;
    let sampledTraces = 0;
    for (const [minuteMs, cells] of this.minutes) {
      if (minuteMs + MINUTE_MS <= fromMs || minuteMs >= toMs) continue;
      for (const cell of cells.values()) {
        const k = cell.key;
        const src: PeerKey = {
          workload: k.sourceWorkload,
          namespace: k.sourceNamespace,
        };
        const dst = {
          workload: k.destinationWorkload,
          namespace: k.destinationNamespace,
          service: k.destinationService,
          serviceNamespace: k.destinationServiceNamespace,
        };
        const edge = (withCluster: boolean) => ({
          source: withCluster ? { ...src, cluster: k.sourceCluster } : src,
          destination: withCluster
            ? { ...dst, cluster: k.destinationCluster }
            : dst,
          protocol: k.protocol,
        });
        const groups = [
          mesh,
          edges.get(edge(false), k.actualSource),
          clusterEdges.get(edge(true), k.actualSource),
          services.get({
            service: k.destinationService,
            namespace: k.destinationServiceNamespace,
          }),
          namespaces.get({ namespace: k.destinationServiceNamespace }),
        ];
        for (let i = 0; i < cell.t.length; i++) {
          const t = minuteMs + (cell.t[i] ?? 0);
          if (t < fromMs || t >= toMs) continue;
          for (const g of groups) g.add(cell, i);
          const f = cell.f[i] ?? 0;
          if (f & F_ROOT) {
            traces++;
            if (f & F_SAMPLED) sampledTraces++;
          }
        }
      }
    }
    const meshTruth = mesh.finish(windowSeconds);
    return {
      fromMs,
      toMs,
      windowSeconds,
      scenario: this.meta.scenario,
      seed: this.meta.seed,
      coverage: { ...this.coverage },
      tracing: {
        samplingPercent: this.meta.samplingPercent,
        traces,
        sampledTraces,
        sampledRequests: meshTruth.sampledRequests,
      },
      mesh: meshTruth,
      edges: edges.finish(windowSeconds),
      clusterEdges: clusterEdges.finish(windowSeconds),
      services: services.finish(windowSeconds),
      namespaces: namespaces.finish(windowSeconds),
    };
  }

  private cell(minuteMs: number, key: CellKey): Cell {
    let cells = this.minutes.get(minuteMs);
    if (!cells) this.minutes.set(minuteMs, (cells = new Map<string, Cell>()));
    const ks = keyString(key);
    let cell = cells.get(ks);
    if (!cell) {
      cell = {
        key,
        outcomes: [],
        t: [],
        d: [],
        sd: [],
        rb: [],
        sb: [],
        o: [],
        f: [],
      };
      cells.set(ks, cell);
    }
    return cell;
  }

  private outcome(cell: Cell, outcome: string): number {
    let index = this.outcomeIndex.get(cell);
    if (!index)
      this.outcomeIndex.set(
        cell,
        (index = new Map(cell.outcomes.map((o, i) => [o, i]))),
      );
    let i = index.get(outcome);
    if (i === undefined) {
      i = cell.outcomes.push(outcome) - 1;
      index.set(outcome, i);
    }
    return i;
  }

  private persist(minutes: number[]): void {
    for (const m of minutes) this.written.add(m);
    const file = this.opts.file;
    if (!file || minutes.length === 0) return;
    const lines: string[] = [];
    for (const m of minutes) {
      for (const cell of this.minutes.get(m)?.values() ?? [])
        lines.push(JSON.stringify({ type: 'cell', minuteMs: m, ...cell }));
    }
    lines.push(JSON.stringify({ type: 'coverage', ...this.coverage }));
    this.write(() => appendFileSync(file, lines.join('\n') + '\n'));
  }

  private write(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.opts.onWriteError) this.opts.onWriteError(err);
      else throw err;
    }
  }
}
