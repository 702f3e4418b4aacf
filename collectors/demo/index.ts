/**
 * The demo mesh: simulates the scenario's traffic and emits it as real telemetry over loopback
 * (access-log files and pushes, /stats/prometheus endpoints, OTLP/HTTP spans), while keeping an
 * exact truth of what it generated. See README.md in this folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { logger as componentLogger } from '~/server/log';
import { DemoRunner, type GenerationStats } from './demo-runner';
import { FailureReporter } from './emitter-util';
import { faultFilePath } from './fault';
import { watchFault } from './fault-watch';
import { LogEmitter, type LogEmitterStats } from './log-emitter';
import { meshOf } from './mesh';
import {
  MetricsEndpoints,
  type MetricsEndpointStats,
  type MetricsTarget,
} from './metrics-endpoint';
import { MetricsRegistry } from './metrics-registry';
import { loadScenario, type Scenario } from './scenario';
import { SpanEmitter, type SpanEmitterStats } from './span-emitter';
import { TruthLedger } from './truth';
import type { Truth } from './truth-types';

export {
  loadScenario,
  parseScenario,
  ScenarioError,
  type Scenario,
} from './scenario';
export { generateWindow } from './generate';
export { readLedgerFile } from './truth-file';
export type { SimRequest } from './sim-request';
export type {
  Truth,
  GroupTruth,
  EdgeTruth,
  ServiceTruth,
  NamespaceTruth,
  Percentiles,
} from './truth-types';

/** The scenario used when none is given. */
export const DEFAULT_SCENARIO_PATH = fileURLToPath(
  new URL('./scenarios/bookinfo.json', import.meta.url),
);

export interface StartDemoOptions {
  /** Scenario JSON file (default: scenarios/bookinfo.json). */
  scenarioPath?: string;
  /** Output goes to `<dataDir>/demo/`: logs/, targets.json, truth.ndjson. */
  dataDir: string;
  /** OTLP/HTTP traces URL (default http://127.0.0.1:4318/v1/traces). */
  otlpHttpUrl?: string;
  /** Access-log push URL (default http://127.0.0.1:4318/v1/envoy/logs); null: files only. */
  logsPushUrl?: string | null;
  /** PRNG seed (default 1): the same seed and window give the same traffic. */
  seed?: number;
  /** Minutes of past traffic generated and emitted before live mode starts (default 0). */
  backfillMinutes?: number;
  /** Which signals to emit (all by default). The truth is kept either way. */
  emit?: { logs?: boolean; metrics?: boolean; spans?: boolean };
  logger?: Logger;
  /** Live generation interval, ms (default 1000). */
  tickMs?: number;
  /** Minutes of truth kept in memory for `truth()` (default 180; the file keeps everything). */
  truthRetentionMinutes?: number;
}

export interface EmitterStats {
  generation: GenerationStats;
  logs: LogEmitterStats | null;
  metrics: MetricsEndpointStats | null;
  spans: SpanEmitterStats | null;
}

export interface DemoHandle {
  /** Stops generating, emits what was generated, closes servers, timers and exporters. */
  stop(): Promise<void>;
  /** Exact truth over hops that started in [fromMs, toMs) (epoch ms). */
  truth(fromMs: number, toMs: number): Truth;
  /** Prometheus file_sd JSON listing the /stats/prometheus endpoints. */
  targetsFile: string;
  stats(): EmitterStats;
  /** NDJSON truth ledger (read it with truth-cli.ts). */
  truthFile: string;
  /** The fault switch file (fault.ts, `npm run demo:fault`); polled every second. */
  faultFile: string;
  logsDir: string;
  targets: MetricsTarget[];
  scenario: Scenario;
}

/** Starts the simulated mesh. Resolves once servers listen and any backfill has been emitted. */
export async function startDemo(opts: StartDemoOptions): Promise<DemoHandle> {
  const log = opts.logger ?? componentLogger('demo');
  const scenario = loadScenario(opts.scenarioPath ?? DEFAULT_SCENARIO_PATH);
  const mesh = meshOf(scenario);
  const seed = opts.seed ?? 1;
  const emit = { logs: true, metrics: true, spans: true, ...opts.emit };
  const demoDir = join(opts.dataDir, 'demo');
  const logsDir = join(demoDir, 'logs');
  const targetsFile = join(demoDir, 'targets.json');
  const truthFile = join(demoDir, 'truth.ndjson');
  mkdirSync(demoDir, { recursive: true });

  const ledgerFailures = new FailureReporter(log, `truth file ${truthFile}`);
  const ledger = new TruthLedger(
    {
      scenario: scenario.name,
      seed,
      samplingPercent: scenario.tracing.samplingPercent,
    },
    {
      file: truthFile,
      retentionMinutes: opts.truthRetentionMinutes,
      onWriteError: (err) => ledgerFailures.fail(err),
    },
  );
  ledger.open(Date.now());

  const registry = emit.metrics
    ? new MetricsRegistry(scenario.istioVersion)
    : null;
  const endpoints = registry
    ? new MetricsEndpoints(registry, mesh.proxiedPods)
    : null;
  const logs = emit.logs
    ? new LogEmitter({
        logsDir,
        pushUrl:
          opts.logsPushUrl === undefined
            ? 'http://127.0.0.1:4318/v1/envoy/logs'
            : opts.logsPushUrl,
        log,
      })
    : null;
  const spans = emit.spans
    ? new SpanEmitter({
        url: opts.otlpHttpUrl ?? 'http://127.0.0.1:4318/v1/traces',
        mesh,
        log,
      })
    : null;

  const targets = endpoints ? await endpoints.start() : [];
  if (endpoints) endpoints.writeTargetsFile(targetsFile);
  else writeFileSync(targetsFile, '[]\n');

  const runner = new DemoRunner(
    mesh,
    seed,
    ledger,
    { logs, metrics: registry, spans },
    log,
  );
  try {
    if (opts.backfillMinutes && opts.backfillMinutes > 0) {
      await runner.backfill(opts.backfillMinutes);
      log.info(
        { minutes: opts.backfillMinutes, ...runner.stats() },
        'demo backfill emitted',
      );
    }
  } catch (err) {
    await endpoints?.stop();
    await spans?.stop();
    throw err;
  }
  // The fault switch applies to live traffic only (a fault already on applies from now).
  const faultFile = faultFilePath(opts.dataDir);
  const faults = watchFault(faultFile, runner, log);
  faults.poll();
  runner.start(opts.tickMs);
  logs?.start();
  spans?.start();
  log.info(
    {
      scenario: scenario.name,
      seed,
      pods: mesh.proxiedPods.length,
      targetsFile,
      truthFile,
      faultFile,
    },
    'demo mesh started',
  );

  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= (async () => {
        faults.stop();
        runner.stop();
        await Promise.all([logs?.stop(), spans?.stop()]);
        await endpoints?.stop();
        ledger.flush();
        log.info(runner.stats(), 'demo mesh stopped');
      })()),
    truth: (fromMs, toMs) => ledger.truth(fromMs, toMs),
    targetsFile,
    truthFile,
    faultFile,
    logsDir,
    targets,
    scenario,
    stats: () => ({
      generation: runner.stats(),
      logs: logs?.stats() ?? null,
      metrics: endpoints?.stats() ?? null,
      spans: spans?.stats() ?? null,
    }),
  };
}
