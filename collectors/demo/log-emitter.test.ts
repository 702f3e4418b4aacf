import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { accessLogEntries } from './access-log-entries';
import { formatIstioTextLine } from './access-log-format';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { LogEmitter, podLogPath } from './log-emitter';
import { loadScenario } from './scenario';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const log = pino({ level: 'silent' });

describe('LogEmitter files', () => {
  it('writes each line to its proxy file, in CRI format, and rotates past the size limit', () => {
    const logsDir = join(mkdtempSync(join(tmpdir(), 'demo-logs-')), 'logs');
    const emitter = new LogEmitter({
      logsDir,
      pushUrl: null,
      log,
      maxFileBytes: 20_000,
    });
    const hops = generateWindow(scenario, T0, T0 + 5_000, 6);
    emitter.emit(hops);
    const expected = hops.flatMap(accessLogEntries);
    expect(emitter.stats().linesWritten).toBe(expected.length);
    const one = expected.find((e) => e.pod.workload.name === 'details-v1');
    if (!one) throw new Error('no details line');
    const file = podLogPath(logsDir, one.pod);
    const content = readFileSync(file, 'utf8');
    expect(content).toContain(` stdout F ${formatIstioTextLine(one.entry)}\n`);
    expect(emitter.stats().queuedLines).toBe(0); // no push URL: nothing queued
    // The live runner writes about a second at a time; rotation happens before a write.
    for (let t = T0 + 5_000; t < T0 + 30_000; t += 1000) {
      emitter.emit(generateWindow(scenario, t, t + 1000, 6));
    }
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(readFileSync(file, 'utf8').length).toBeLessThanOrEqual(20_000);
    expect(
      readdirSync(logsDir).every((f) => /_istio-proxy\.log(\.1)?$/.test(f)),
    ).toBe(true);
  });
});
