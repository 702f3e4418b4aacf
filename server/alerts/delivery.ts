/**
 * Delivery of notifications to their destinations, with a durable log: a 'pending' row before
 * the first try, then one row per try (ok | retry | dead_letter) in webhook_deliveries. Failed
 * tries that may succeed later are retried with exponential backoff and jitter; after the last
 * try, or on a failure no retry can fix (4xx, redirect, host not allowed), the delivery is
 * dead-lettered. A restart resumes unfinished deliveries from the log (`recover`). Receivers get
 * the same idempotency key on every try, so at-least-once delivery can be made exactly-once.
 */
import type { Db } from '../db/client';
import { logger } from '../log';
import {
  knownNotifications,
  logDeliveries,
  unfinishedDeliveries,
  type DeliveryRow,
  type DeliveryStatus,
} from '../queries/alerts-deliveries';
import type { Destination, DestinationType } from './rule-schema';
import type { HostAllowList } from './transports/allow-list';
import { DeliveryError, postOnce } from './transports/http-post';
import { transports, type AlertNotification } from './transports';

const log = logger('alerts-delivery');

export interface DeliveryOptions {
  db: Db;
  /** Tries per notification and destination, the first included. */
  maxAttempts: number;
  /** Backoff before the 2nd try; doubles each time, capped at maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs?: number;
  timeoutMs: number;
  allowList: HostAllowList;
  secret: string | undefined;
  /** Alertmanager: how often a firing alert is re-sent (sets its endsAt). */
  resendIntervalMs: number;
  /** For tests: a deterministic source of jitter in [0, 1). */
  random?: () => number;
}

export interface DeliveryQueue {
  /** Logs a pending row per destination (skipping ones already logged), then starts the tries. */
  enqueue(
    n: AlertNotification,
    destinations: readonly Destination[],
  ): Promise<void>;
  /** Resumes deliveries a previous process left unfinished; returns how many. */
  recover(): Promise<number>;
  /** Resolves when no try is running or scheduled (tests). */
  idle(): Promise<void>;
  /** Cancels scheduled retries (they resume from the log on the next start) and waits for tries in flight. */
  stop(): Promise<void>;
}

/** Delay before try `attempt + 1` after try `attempt` failed (ms): base * 2^(attempt-1), capped, times 0.5..1. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random() * 0.5));
}

export const destinationKey = (d: Destination) => `${d.type} ${d.url}`;

export function parseDestinationKey(key: string): Destination | null {
  const i = key.indexOf(' ');
  const type = key.slice(0, i) as DestinationType;
  if (i < 0 || !(type in transports)) return null;
  return { type, url: key.slice(i + 1) };
}

interface Job {
  notificationId: string;
  destination: Destination;
  body: string;
  /** The try about to be made, from 1. */
  attempt: number;
}

export function createDeliveryQueue(o: DeliveryOptions): DeliveryQueue {
  const random = o.random ?? Math.random;
  const maxDelayMs = o.maxDelayMs ?? 300_000;
  const inflight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const write = async (
    job: Job,
    status: DeliveryStatus,
    httpStatus: number,
    error: string,
  ) => {
    const row: DeliveryRow = {
      timestamp: new Date(),
      notificationId: job.notificationId,
      destination: destinationKey(job.destination),
      attempt: job.attempt,
      status,
      httpStatus,
      error,
      payload: job.body,
    };
    try {
      await logDeliveries(o.db, [row]);
    } catch (err) {
      log.error(
        { err, notificationId: job.notificationId },
        'could not write the delivery log',
      );
    }
  };

  const run = (job: Job) => {
    const p = attempt(job).finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const schedule = (job: Job, delayMs: number) => {
    if (stopped) return;
    if (delayMs <= 0) return run(job);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run(job);
    }, delayMs);
    timers.add(timer);
  };

  async function attempt(job: Job): Promise<void> {
    const transport = transports[job.destination.type];
    try {
      const status = await postOnce({
        url: transport.target(job.destination.url),
        body: job.body,
        headers: transport.headers({
          body: job.body,
          notificationId: job.notificationId,
          nowMs: Date.now(),
          secret: o.secret,
        }),
        timeoutMs: o.timeoutMs,
        allowList: o.allowList,
      });
      await write(job, 'ok', status, '');
    } catch (err) {
      const e =
        err instanceof DeliveryError
          ? err
          : new DeliveryError(String(err), true, 0);
      const last = !e.retryable || job.attempt >= o.maxAttempts;
      await write(job, last ? 'dead_letter' : 'retry', e.httpStatus, e.message);
      const where = {
        notificationId: job.notificationId,
        destination: job.destination.type,
        attempt: job.attempt,
      };
      if (last) {
        log.warn(
          { ...where, error: e.message },
          'alert delivery dead-lettered',
        );
        return;
      }
      schedule(
        { ...job, attempt: job.attempt + 1 },
        backoffMs(job.attempt, o.baseDelayMs, maxDelayMs, random),
      );
    }
  }

  return {
    async enqueue(n, destinations) {
      if (stopped || destinations.length === 0) return;
      const known = await knownNotifications(o.db, [n.id]);
      const jobs: Job[] = [];
      for (const d of destinations) {
        if (known.has(`${n.id}\n${destinationKey(d)}`)) continue;
        const body = transports[d.type].render(n, {
          resendIntervalMs: o.resendIntervalMs,
        });
        jobs.push({ notificationId: n.id, destination: d, body, attempt: 1 });
      }
      await logDeliveries(
        o.db,
        jobs.map((j) => ({
          timestamp: new Date(),
          notificationId: j.notificationId,
          destination: destinationKey(j.destination),
          attempt: 0,
          status: 'pending' as const,
          httpStatus: 0,
          error: '',
          payload: j.body,
        })),
      );
      for (const j of jobs) schedule(j, 0);
    },

    async recover() {
      const rows = await unfinishedDeliveries(o.db, Date.now() - 86_400_000);
      let n = 0;
      for (const r of rows) {
        const destination = parseDestinationKey(r.destination);
        if (!destination) continue;
        const due =
          r.timestamp.getTime() +
          (r.status === 'retry'
            ? backoffMs(r.attempt, o.baseDelayMs, maxDelayMs, random)
            : 0);
        schedule(
          {
            notificationId: r.notificationId,
            destination,
            body: r.payload,
            attempt: r.attempt + 1,
          },
          due - Date.now(),
        );
        n++;
      }
      if (n > 0)
        log.info({ deliveries: n }, 'resuming unfinished alert deliveries');
      return n;
    },

    async idle() {
      while (inflight.size > 0 || timers.size > 0) {
        await Promise.race([
          ...inflight,
          new Promise((r) => setTimeout(r, 20)),
        ]);
      }
    },

    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...inflight]);
    },
  };
}
