/**
 * Overload: measure what the collector stores per second when senders keep it saturated
 * (its capacity), then offer 3x that rate for a while over OTLP/HTTP and OTLP/gRPC at once. The
 * receivers must push back (HTTP 429/503, gRPC RESOURCE_EXHAUSTED), the process must stay up
 * with a bounded RSS, and every span it acknowledged must be stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startApp, type AppProcess } from '~/test/helpers/app-process';
import { recordFigures } from './helpers/figures';
import { GrpcSpanSender } from './helpers/grpc-span-sender';
import { curve, growthMiB, sampleRss } from './helpers/rss';
import { SERVICE, SpanSender } from './helpers/span-sender';
import {
  closeStore,
  compareAcked,
  openStore,
  storedSpanIds,
} from './helpers/stored';
import { sleep } from './helpers/wait';

const CAPACITY_PROBE_S = 15;
const OVERLOAD_S = 45;
const FACTOR = 3;
const SPANS_PER_REQUEST = 500;
/** Requests a sender keeps open at most (beyond that the client itself would be the limit). */
const MAX_IN_FLIGHT = 256;
const QUEUE_MAX_ROWS = 50_000;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-overload-'));
let app: AppProcess | undefined;

afterAll(async () => {
  await app?.stop();
  await closeStore();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Closed loop: `concurrency` requests always in flight, for `seconds`. */
async function saturate(
  sender: SpanSender,
  concurrency: number,
  seconds: number,
) {
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        if ((await sender.send(SPANS_PER_REQUEST)) !== 'acked') await sleep(50);
      }
    }),
  );
}

/** Open loop: fires requests at `spansPerS` whatever the answers, for `seconds`. */
async function offer(
  senders: SpanSender[],
  spansPerS: number,
  seconds: number,
) {
  const tickMs = 100;
  const perTick = Math.max(
    1,
    Math.round((spansPerS * tickMs) / 1000 / SPANS_PER_REQUEST),
  );
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set<Promise<unknown>>();
  const until = Date.now() + seconds * 1000;
  let i = 0;
  while (Date.now() < until) {
    const tickStart = Date.now();
    for (let k = 0; k < perTick; k++) {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      inFlight++;
      const p = senders[i++ % senders.length]!.send(SPANS_PER_REQUEST).finally(
        () => {
          inFlight--;
          pending.delete(p);
        },
      );
      pending.add(p);
    }
    await sleep(Math.max(0, tickMs - (Date.now() - tickStart)));
  }
  await Promise.all(pending);
  return { offeredRequests: i, skippedRequests: skipped, perTick };
}

it('pushes back at 3x capacity, stays up with bounded memory, and loses nothing it acknowledged', async () => {
  const dataDir = path.join(root, 'data');
  app = await startApp({
    MESHLENS_DATA_DIR: dataDir,
    MESHLENS_ROLES: 'collector',
    MESHLENS_QUEUE_MAX_ROWS: String(QUEUE_MAX_ROWS),
  });
  const rss = sampleRss(app.pid, 1000);

  // 1. Capacity: what it stores per second while so many requests wait that the queue stays
  //    full (enough in flight for large group-commit batches; refused requests retry in 50 ms).
  const probe = new SpanSender(`${app.urls.otlpHttp}/v1/traces`, 0);
  await saturate(probe, 64, CAPACITY_PROBE_S);
  const capacity = probe.counts.acked / CAPACITY_PROBE_S;
  expect(capacity).toBeGreaterThan(0);
  const rssAfterProbe = rss.samples.at(-1)!.mib;

  // 2. Overload: FACTOR x capacity, half over HTTP, half over gRPC.
  const http = new SpanSender(`${app.urls.otlpHttp}/v1/traces`, 100_000_000);
  const grpcSender = new GrpcSpanSender(
    app.urls.otlpGrpc.replace('grpc://', ''),
    200_000_000,
  );
  const overloadStart = rss.samples.length;
  const offered = await offer(
    [http, grpcSender],
    FACTOR * capacity,
    OVERLOAD_S,
  );
  grpcSender.close();
  const overloadRss = rss.samples.slice(overloadStart);

  // 3. Still up, then drained by a clean stop.
  const health = await fetch(`${app.urls.web}/healthz`);
  expect(health.status).toBe(200);
  rss.stop();
  expect(await app.stop()).toBe(0);
  app = undefined;

  const db = await openStore(dataDir);
  const stored = await storedSpanIds(db, SERVICE);
  const senders = [probe, http, grpcSender];
  const { missing, duplicated } = compareAcked(
    senders.flatMap((s) => s.ackedIds()),
    stored,
  );
  const overloadAcked = http.counts.acked + grpcSender.counts.acked;
  const refused = http.counts.refused + grpcSender.counts.refused;
  const maxMiB = Math.max(...overloadRss.map((x) => x.mib));

  recordFigures({
    scenario: 'overload',
    loadHeld: `${Math.round(overloadAcked / OVERLOAD_S)} spans/s stored while ${Math.round(FACTOR * capacity)} spans/s were offered (capacity ${Math.round(capacity)}/s) for ${OVERLOAD_S} s`,
    // Each refused request is a push-back the collector survived.
    faultsSurvived:
      http.counts.requests -
      (http.counts.statuses['200'] ?? 0) +
      grpcSender.counts.requests -
      (grpcSender.counts.statuses.OK ?? 0),
    inputsTried: 0,
    itemsLost: missing,
    details: {
      capacitySpansPerS: Math.round(capacity),
      probeStatuses: probe.counts.statuses,
      offeredSpansPerS: Math.round(FACTOR * capacity),
      overloadAckedSpans: overloadAcked,
      overloadRefusedSpans: refused,
      httpStatuses: http.counts.statuses,
      grpcStatuses: grpcSender.counts.statuses,
      failedSpans: http.counts.failed + grpcSender.counts.failed,
      clientSkippedRequests: offered.skippedRequests,
      spansStoredTwice: duplicated,
      rssMiB: {
        afterProbe: rssAfterProbe,
        maxDuringOverload: maxMiB,
        growthSecondHalf: growthMiB(overloadRss),
      },
      rssCurve: curve(rss.samples),
    },
  });
  // Pushed back over both protocols, in their own terms.
  expect(http.counts.statuses['429'] ?? 0).toBeGreaterThan(0);
  expect(grpcSender.counts.statuses.RESOURCE_EXHAUSTED ?? 0).toBeGreaterThan(0);
  // Nothing timed out or failed: refusals are quick and explicit.
  expect(http.counts.failed + grpcSender.counts.failed).toBe(0);
  expect(missing).toBe(0);
  // Bounded: the queue holds at most QUEUE_MAX_ROWS spans; memory levels off instead of growing.
  expect(growthMiB(overloadRss)).toBeLessThan(150);
  expect(maxMiB).toBeLessThan(rssAfterProbe + 600);
});
