/**
 * `npm run demo` (server/main.ts --demo): the simulated mesh feeds all three signals over the
 * real protocols, and the row counts grow while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import { startApp, type AppProcess } from '../test/helpers/app-process';

let app: AppProcess | undefined;

beforeAll(async () => {
  await ensureWebBuild();
});
afterAll(async () => {
  await app?.stop();
});

async function tableRows(web: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${web}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(
    /^meshlens_table_rows\{table="(\w+)"\} (\d+)/gm,
  )) {
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, 1000));
    last = await read();
  }
  return last;
}

describe('npm run demo', () => {
  it('fills spans, access-log requests, metric samples and edge rollups, and keeps growing', async () => {
    app = await startApp({}, ['--demo']);
    await waitFor(
      'the demo to start',
      () => Promise.resolve(app!.logs.join('\n')),
      (l) => l.includes('demo mesh running'),
    );
    const first = await waitFor(
      'rows from every signal',
      () => tableRows(app!.urls.web),
      (r) =>
        [
          'otel_traces',
          'mesh_requests',
          'metric_samples',
          'edge_rollups_1m',
        ].every((t) => (r[t] ?? 0) > 0),
    );
    const later = await waitFor(
      'the counts to grow',
      () => tableRows(app!.urls.web),
      (r) =>
        ['otel_traces', 'mesh_requests', 'metric_samples'].every(
          (t) => (r[t] ?? 0) > (first[t] ?? 0),
        ),
      60_000,
    );
    expect(later.dead_letters ?? 0).toBe(0);
    expect(app.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});
