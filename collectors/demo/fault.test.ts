import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DemoRunner } from './demo-runner';
import {
  faultFilePath,
  meshWithFault,
  readFaultFile,
  type DemoFault,
} from './fault';
import { main as faultCli } from './fault-cli';
import { watchFault } from './fault-watch';
import { generateMeshWindow, generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import { loadScenario } from './scenario';
import { TruthLedger } from './truth';
import { faultLines } from './truth-cli';
import { parseLedger } from './truth-file';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const mesh = meshOf(scenario);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const silent = pino({ level: 'silent' });
const fullAbort: DemoFault = {
  targets: ['bookinfo/ratings'],
  abort: { percent: 100, code: 503 },
};

const ratings = (t: ReturnType<TruthLedger['truth']>) =>
  t.services.find((s) => s.service.startsWith('ratings.'));

describe('meshWithFault', () => {
  it('puts the abort on every edge calling the target service and leaves the rest alone', () => {
    const faulty = meshWithFault(mesh, fullAbort);
    const changed = faulty.edges.filter((e, i) => e !== mesh.edges[i]);
    expect(changed.map((e) => e.id)).toEqual([
      'reviews-v2-ratings',
      'reviews-v3-ratings',
    ]);
    expect(changed.every((e) => e.spec.faults?.abort?.percent === 100)).toBe(
      true,
    );
    // The scenario object is untouched; pods are shared with the base mesh.
    expect(scenario.edges[4]?.faults?.abort?.percent).toBe(10);
    expect(faulty.proxiedPods).toBe(mesh.proxiedPods);
    expect(meshWithFault(mesh, null)).toBe(mesh);
  });

  it('makes every ratings call abort and keeps the arrivals of every root edge', () => {
    const base = generateWindow(scenario, T0, T0 + 30_000, 3);
    const hit = generateMeshWindow(
      meshWithFault(mesh, fullAbort),
      T0,
      T0 + 30_000,
      3,
    );
    const toRatings = hit.filter((r) => r.service.name === 'ratings');
    expect(toRatings.length).toBeGreaterThan(50);
    expect(
      toRatings.every(
        (r) => r.responseFlags === 'FI' && r.responseCode === 503,
      ),
    ).toBe(true);
    // A trace draws from one stream, so hops after an aborted call differ; arrivals do not.
    const roots = (rs: typeof base) =>
      rs.filter((r) => r.isRoot).map((r) => `${r.edgeId} ${r.startMs}`);
    expect(roots(hit)).toEqual(roots(base));
    expect(roots(hit).length).toBeGreaterThan(300);
  });

  it('refuses an unknown target, naming the edges and services there are', () => {
    expect(() =>
      meshWithFault(mesh, { ...fullAbort, targets: ['bookinfo/nope'] }),
    ).toThrow(
      /"bookinfo\/nope" is neither.*reviews-v2-ratings.*bookinfo\/ratings/,
    );
  });
});

describe('the fault switch in a running demo', () => {
  it('changes the traffic from the next generated second, and the truth records it', () => {
    let now = T0 + 1000;
    const file = join(
      mkdtempSync(join(tmpdir(), 'demo-fault-')),
      'truth.ndjson',
    );
    const ledger = new TruthLedger(
      { scenario: scenario.name, seed: 4, samplingPercent: 100 },
      { file },
    );
    ledger.open(T0);
    const runner = new DemoRunner(
      mesh,
      4,
      ledger,
      { logs: null, metrics: null, spans: null },
      silent,
      () => now,
    );
    runner.tick();
    now = T0 + 60_000;
    runner.tick();
    runner.setFault(fullAbort);
    now = T0 + 120_000;
    runner.tick();
    runner.setFault(null);
    now = T0 + 180_000;
    runner.tick();
    runner.stop();

    expect(ledger.faults).toEqual([
      { atMs: T0 + 60_000, fault: fullAbort },
      { atMs: T0 + 120_000, fault: null },
    ]);
    const before = ratings(ledger.truth(T0, T0 + 60_000));
    const during = ratings(ledger.truth(T0 + 60_000, T0 + 120_000));
    const after = ratings(ledger.truth(T0 + 120_000, T0 + 180_000));
    // The scenario's own fault: 10 % FI; the switch: every call.
    expect(before?.errorPercent).toBeGreaterThan(5);
    expect(before?.errorPercent).toBeLessThan(15);
    // Calls of traces that arrived just before the switch start inside the window.
    expect(during?.errorPercent).toBeGreaterThan(99);
    expect(during?.responseFlags.FI).toBe(during?.errors);
    expect(after?.errorPercent).toBeLessThan(15);
    // The file keeps the switches and the faulty minutes, for truth-cli after the fact.
    const read = parseLedger(readFileSync(file, 'utf8'));
    expect(read.faults).toEqual(ledger.faults);
    expect(read.truth(T0 + 60_000, T0 + 120_000)).toEqual(
      ledger.truth(T0 + 60_000, T0 + 120_000),
    );
  });

  it('is read from fault.json once per change; a bad file is reported and ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-fault-'));
    const file = faultFilePath(dir);
    const applied: (DemoFault | null)[] = [];
    const errors: string[] = [];
    const log = pino(
      { level: 'error' },
      { write: (line: string) => errors.push(line) },
    );
    const runner = {
      setFault: (f: DemoFault | null) => {
        meshWithFault(mesh, f);
        applied.push(f);
      },
      currentFault: () => applied.at(-1) ?? null,
    };
    const w = watchFault(file, runner, log, 60_000);
    w.stop();
    w.poll();
    expect(applied).toEqual([]);
    const run = (...args: string[]) =>
      faultCli(
        [...args, '--data-dir', dir],
        () => undefined,
        (s) => errors.push(s),
        {},
      );
    expect(run('on', 'reviews-v2-ratings', '--abort', '100')).toBe(0);
    w.poll();
    w.poll();
    expect(applied).toHaveLength(1);
    expect(applied[0]?.targets).toEqual(['reviews-v2-ratings']);
    expect(applied[0]?.abort).toEqual({ percent: 100, code: 503 });

    writeFileSync(file, '{"targets": []}');
    w.poll();
    w.poll();
    expect(applied).toHaveLength(1);
    expect(errors.filter((l) => l.includes('fault file ignored'))).toHaveLength(
      1,
    );
    writeFileSync(file, JSON.stringify({ ...fullAbort, targets: ['x/y'] }));
    w.poll();
    expect(applied).toHaveLength(1);

    expect(run('off')).toBe(0);
    w.poll();
    expect(applied).toEqual([applied[0], null]);
    expect(readFaultFile(file)).toBeNull();
  });
});

describe('npm run demo:fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-fault-cli-'));
  const run = (...args: string[]) => {
    let out = '';
    let err = '';
    const code = faultCli(
      args,
      (s) => (out += s),
      (s) => (err += s),
      { MESHLENS_DATA_DIR: dir },
    );
    return { code, out, err };
  };

  it('turns the default fault on and off, and says so', () => {
    const on = run('on');
    expect(on.code).toBe(0);
    expect(on.out).toContain(
      'fault on: abort 50 % with 503 on bookinfo/ratings',
    );
    expect(on.err).toContain('no demo has run with data folder');
    const stored = JSON.parse(
      readFileSync(faultFilePath(dir), 'utf8'),
    ) as DemoFault;
    expect(stored.targets).toEqual(['bookinfo/ratings']);
    expect(run('status').out).toContain('fault on: abort 50 %');
    expect(run('off').code).toBe(0);
    expect(run('status').out).toContain('no fault');
  });

  it('refuses bad input with a clear message and writes nothing', () => {
    const bad = run('on', 'bookinfo/nope');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('"bookinfo/nope" is neither');
    expect(run('on', '--abort', '120').err).toContain('abort.percent: Too big');
    expect(run('on', '--delay', '5').err).toContain(
      '--delay and --delay-ms go together',
    );
    expect(run('flip').code).toBe(2);
    expect(readFaultFile(faultFilePath(dir))).toBeNull();
  });
});

describe('truth-cli', () => {
  it('lists the fault switches that shaped a window', () => {
    const faults = [
      { atMs: T0 + 60_000, fault: fullAbort },
      { atMs: T0 + 120_000, fault: null },
    ];
    expect(faultLines(faults, T0, T0 + 30_000)).toBe('');
    expect(faultLines(faults, T0 + 90_000, T0 + 180_000)).toBe(
      '\nDemo faults (npm run demo:fault):\n' +
        `  ${new Date(T0 + 60_000).toISOString()}  on: abort 100 % with 503 on bookinfo/ratings\n` +
        `  ${new Date(T0 + 120_000).toISOString()}  off\n`,
    );
  });
});
