/**
 * Fuzz: every decoder (OTLP protobuf/JSON, Zipkin, remote_write, access-log text/JSON, Envoy ALS)
 * gets random and mutated inputs for a fixed time budget (RELIABILITY_FUZZ_S, default 60 s,
 * half in process, half over the wire against a running collector). No crash, no hang, and
 * every failure is a clean error: an Error with a message from a decoder, nothing thrown by a
 * normalizer, and over the wire only the answers the protocol defines (400/413/415/429/503,
 * INVALID_ARGUMENT...), never a 500, a reset or a timeout. The PRNG seed is in the figures.
 */
import { afterAll, expect, it } from 'vitest';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import { recordFigures } from './helpers/figures';
import { fuzzTargets } from './helpers/fuzz-targets';
import { WireFuzzer } from './helpers/fuzz-wire';
import { prng } from './helpers/mutate';

const BUDGET_S = Number(process.env.RELIABILITY_FUZZ_S ?? 60);
const SEED = Number(
  process.env.RELIABILITY_FUZZ_SEED ?? Date.now() % 1_000_000,
);
/** A single decode+normalize taking longer than this is a hang. */
const HANG_MS = 2000;

interface Tally {
  tried: number;
  rejected: number;
  unclean: string[];
  slowestMs: number;
}
const tally = (): Tally => ({
  tried: 0,
  rejected: 0,
  unclean: [],
  slowestMs: 0,
});
const inProcess: Record<string, Tally> = {};
const overWire: Record<string, Tally & { answers: Record<string, number> }> =
  {};
let app: AppProcess | undefined;

afterAll(async () => {
  await app?.stop();
  const all = [...Object.values(inProcess), ...Object.values(overWire)];
  const unclean = all.reduce((n, t) => n + t.unclean.length, 0);
  recordFigures({
    scenario: 'fuzz',
    loadHeld: `${fuzzTargets.length} decoders, ${BUDGET_S} s budget, seed ${SEED}`,
    faultsSurvived: all.reduce((n, t) => n + t.rejected, 0),
    inputsTried: all.reduce((n, t) => n + t.tried, 0),
    itemsLost: 0,
    details: {
      seed: SEED,
      uncleanFailures: unclean,
      inProcess: Object.fromEntries(
        Object.entries(inProcess).map(([k, t]) => [
          k,
          {
            tried: t.tried,
            rejected: t.rejected,
            slowestMs: t.slowestMs,
            unclean: t.unclean.slice(0, 3),
          },
        ]),
      ),
      overTheWire: Object.fromEntries(
        Object.entries(overWire).map(([k, t]) => [
          k,
          {
            tried: t.tried,
            answers: t.answers,
            slowestMs: t.slowestMs,
            unclean: t.unclean.slice(0, 3),
          },
        ]),
      ),
    },
  });
});

it('decoders and normalizers reject bad input with clean errors and never hang', () => {
  const perTargetMs = (BUDGET_S * 1000) / 2 / fuzzTargets.length;
  for (const target of fuzzTargets) {
    const t = (inProcess[target.name] = tally());
    const r = prng(SEED ^ t.tried ^ target.name.length);
    const until = Date.now() + perTargetMs;
    const known = [...(target.known ?? [])];
    while (Date.now() < until || known.length > 0) {
      const input = known.shift() ?? target.input(r);
      t.tried++;
      const started = performance.now();
      let decoded: unknown;
      let stage = 'decode';
      try {
        decoded = target.decode(input);
        stage = 'normalize';
        target.normalize(decoded);
      } catch (err) {
        if (
          stage === 'decode' &&
          err instanceof Error &&
          err.message.length > 0
        )
          t.rejected++;
        else if (t.unclean.length < 20)
          t.unclean.push(
            `${stage}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} <- ${input.toString('base64').slice(0, 200)}`,
          );
        else t.unclean.push('(more)');
      }
      t.slowestMs = Math.max(
        t.slowestMs,
        Math.round(performance.now() - started),
      );
    }
  }
  for (const [name, t] of Object.entries(inProcess)) {
    expect(t.tried, name).toBeGreaterThan(100);
    expect(t.unclean, name).toEqual([]);
    expect(t.slowestMs, name).toBeLessThan(HANG_MS);
  }
});

it('receivers answer every bad input in their protocol, never 500, reset or timeout, and stay up', async () => {
  app = await startApp({ MESHLENS_ROLES: 'collector' });
  const wire = new WireFuzzer(app.urls);
  const perTargetMs = (BUDGET_S * 1000) / 2 / fuzzTargets.length;
  for (const target of fuzzTargets) {
    const answers: Record<string, number> = {};
    const t = (overWire[target.name] = { ...tally(), answers });
    const r = prng(SEED + 7 + target.name.length);
    const until = Date.now() + perTargetMs;
    const known = [...(target.known ?? [])];
    // Four requests at a time, as a few senders would.
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        while (Date.now() < until || known.length > 0) {
          const input = known.shift() ?? target.input(r);
          t.tried++;
          const started = performance.now();
          const a = await wire.send(target.name, input, lane % 2 === 1);
          t.slowestMs = Math.max(
            t.slowestMs,
            Math.round(performance.now() - started),
          );
          t.answers[a.answer] = (t.answers[a.answer] ?? 0) + 1;
          if (a.answer !== '200' && a.answer !== '204' && a.answer !== 'OK')
            t.rejected++;
          if (!a.clean && t.unclean.length < 20)
            t.unclean.push(
              `${a.answer} <- ${input.toString('base64').slice(0, 200)}`,
            );
        }
      }),
    );
  }
  wire.close();
  const health = await fetch(`${app.urls.web}/healthz`);
  expect(health.status).toBe(200);
  const failures = app.logs.filter((l) => l.includes('"receiver failed"'));
  expect(await app.stop()).toBe(0);
  app = undefined;
  for (const [name, t] of Object.entries(overWire)) {
    expect(t.tried, name).toBeGreaterThan(4);
    expect(t.unclean, name).toEqual([]);
  }
  expect(failures).toEqual([]);
});
