import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DemoRunner, hopEndMs } from './demo-runner';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import { MetricsRegistry } from './metrics-registry';
import { loadScenario } from './scenario';
import type { SimRequest } from './sim-request';
import { TruthLedger } from './truth';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const log = pino({ level: 'silent' });
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

/** A runner on a fake clock whose metrics registry records what it was given. */
function setup() {
  let now = T0;
  const emitted: SimRequest[] = [];
  const metrics = new MetricsRegistry(scenario.istioVersion);
  const observe = metrics.observe.bind(metrics);
  metrics.observe = (reqs) => {
    emitted.push(...reqs);
    observe(reqs);
  };
  const ledger = new TruthLedger({
    scenario: scenario.name,
    seed: 5,
    samplingPercent: 100,
  });
  const runner = new DemoRunner(
    meshOf(scenario),
    5,
    ledger,
    { logs: null, metrics, spans: null },
    log,
    () => now,
  );
  return { runner, ledger, emitted, setNow: (t: number) => (now = t) };
}

describe('DemoRunner', () => {
  it('emits a hop only once it has ended, and everything on stop', () => {
    const { runner, emitted, setNow } = setup();
    setNow(T0 + 1000);
    runner.tick();
    setNow(T0 + 2500);
    runner.tick();
    expect(emitted.length).toBeGreaterThan(0);
    expect(emitted.every((r) => hopEndMs(r) <= T0 + 2500)).toBe(true);
    const pending = runner.stats().pendingHops;
    expect(pending).toBeGreaterThan(0);
    runner.stop();
    expect(runner.stats().pendingHops).toBe(0);
    expect(emitted).toHaveLength(
      runner.stats().requests + runner.stats().tcpConnections,
    );
  });

  it('catches up after a stall a minute per tick, with no gap in the truth', () => {
    const { runner, ledger, setNow } = setup();
    setNow(T0 + 1000);
    runner.tick();
    setNow(T0 + 1000 + 5 * 60_000);
    runner.tick();
    expect(runner.stats().generatedUntilMs).toBe(T0 + 61_000);
    for (let i = 0; i < 5; i++) runner.tick();
    expect(runner.stats().generatedUntilMs).toBe(T0 + 1000 + 5 * 60_000);
    expect(ledger.coverage).toEqual({ fromMs: T0, untilMs: T0 + 301_000 });
    const direct = generateWindow(scenario, T0, T0 + 301_000, 5);
    const truth = ledger.truth(T0, T0 + 400_000);
    expect(truth.mesh.requests).toBe(
      direct.filter((r) => r.protocol !== 'tcp').length,
    );
    expect(truth.mesh.tcp.connections).toBe(
      direct.filter((r) => r.protocol === 'tcp').length,
    );
  });
});
