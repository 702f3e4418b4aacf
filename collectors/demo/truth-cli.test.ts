import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWindow } from './generate';
import { DEFAULT_SCENARIO_PATH } from './index';
import { loadScenario } from './scenario';
import { TruthLedger } from './truth';
import { main, parseTime } from './truth-cli';

const scenario = loadScenario(DEFAULT_SCENARIO_PATH);
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('truth-cli', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'demo-cli-')), 'truth.ndjson');
  const ledger = new TruthLedger(
    { scenario: scenario.name, seed: 2, samplingPercent: 100 },
    { file },
  );
  ledger.open(T0);
  ledger.record(generateWindow(scenario, T0, T0 + 150_000, 2));
  ledger.markGenerated(T0, T0 + 150_000);
  ledger.flush();

  it('prints the truth of a window as JSON, equal to the ledger', () => {
    const from = T0 + 30_000;
    const to = T0 + 95_500;
    const r = run([
      '--ledger',
      file,
      '--from',
      new Date(from).toISOString(),
      '--to',
      String(to),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(ledger.truth(from, to));
  });

  it('prints readable tables, defaulting to the generated range', () => {
    const r = run(['--ledger', file]);
    expect(r.code).toBe(0);
    const truth = ledger.truth(T0, T0 + 150_000);
    expect(r.out).toContain(
      `Truth of scenario "bookinfo" (seed 2) from ${new Date(T0).toISOString()}`,
    );
    const line = r.out
      .split('\n')
      .find((l) => l.startsWith('bookinfo/reviews-v2 -> bookinfo/ratings-v1'));
    const edge = truth.edges.find(
      (e) =>
        e.source.workload === 'reviews-v2' &&
        e.destination.workload === 'ratings-v1',
    );
    expect(line?.split(/\s+/)[4]).toBe(String(edge?.requests));
    expect(r.out).toContain(
      'unknown [legacy/legacy-client] -> bookinfo/productpage-v1',
    );
    expect(r.out).toContain('tcp edge');
    expect(run(['--ledger', file, '--clusters']).out).toContain('@cluster-2');
  });

  it('explains bad arguments and missing files', () => {
    expect(run(['--from', 'yesterday']).code).toBe(2);
    expect(run(['--from', 'yesterday']).err).toContain(
      '--from: not an ISO date or epoch milliseconds',
    );
    expect(run(['--ledger', file, '--from', '2000', '--to', '1000']).code).toBe(
      2,
    );
    const missing = run(['--ledger', join(tmpdir(), 'no-such-truth.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no-such-truth.ndjson');
    expect(parseTime('1700000000000', '--from')).toBe(1700000000000);
    expect(parseTime('2025-06-01T10:00:00Z', '--from')).toBe(T0);
  });
});
