/**
 * Wires the alerts role: the delivery queue (resuming unfinished deliveries) and the rule
 * evaluation step on the evaluator loop. Called from server/main.ts where the loop starts.
 */
import type { Config } from '../config';
import type { Db } from '../db/client';
import { logger } from '../log';
import { runtime } from '../runtime';
import { createDeliveryQueue, type DeliveryQueue } from './delivery';
import type { AlertEvaluator } from './evaluator';
import { createLease } from './lease';
import { createRuleEvaluation } from './rule-evaluation';
import type { Destination } from './rule-schema';
import { hostAllowList } from './transports/allow-list';

const log = logger('alerts');

export interface Alerting {
  delivery: DeliveryQueue;
  stop(): Promise<void>;
}

/** Alertmanager re-send interval: once a minute, or once a tick when ticks are slower. */
export const resendIntervalMs = (config: Config) =>
  Math.max(60_000, config.env.MESHLENS_ALERTS_INTERVAL_S * 1000);

/**
 * Base of links back to Meshlens: MESHLENS_ALERT_PUBLIC_URL, else the web listener as bound
 * (MESHLENS_WEB_PORT=0 picks the port at start), else host and configured port.
 */
export function publicUrlOf(config: Config): string {
  if (config.env.MESHLENS_ALERT_PUBLIC_URL)
    return config.env.MESHLENS_ALERT_PUBLIC_URL;
  const bound = runtime().listeners.find((l) => l.name === 'web')?.url;
  const url = bound ?? `http://${config.host}:${config.ports.web}`;
  return url.replace('://0.0.0.0:', '://127.0.0.1:');
}

export function globalDestinations(config: Config): Destination[] {
  const am = config.env.MESHLENS_ALERTMANAGER_URL;
  return am ? [{ type: 'alertmanager', url: am }] : [];
}

/** Starts deliveries and registers rule evaluation on `evaluator`. */
export async function startAlerting(
  evaluator: AlertEvaluator,
  db: Db,
  config: Config,
): Promise<Alerting> {
  const env = config.env;
  const delivery = createDeliveryQueue({
    db,
    maxAttempts: env.MESHLENS_ALERT_DELIVERY_ATTEMPTS,
    baseDelayMs: env.MESHLENS_ALERT_RETRY_BASE_MS,
    timeoutMs: env.MESHLENS_ALERT_DELIVERY_TIMEOUT_MS,
    allowList: hostAllowList(env.MESHLENS_ALERT_ALLOWED_HOSTS),
    secret: env.MESHLENS_ALERT_WEBHOOK_SECRET,
    resendIntervalMs: resendIntervalMs(config),
  });
  try {
    await delivery.recover();
  } catch (err) {
    // The log may be unreadable now (ClickHouse down): evaluation goes on, new deliveries too.
    log.error({ err }, 'could not resume unfinished alert deliveries');
  }
  const evaluate = createRuleEvaluation({
    db,
    delivery,
    globalDestinations: globalDestinations(config),
    publicUrl: () => publicUrlOf(config),
    resendIntervalMs: resendIntervalMs(config),
  });
  // Several alerts replicas may run: only the holder of the lease evaluates (lease.ts).
  const lease = createLease({
    db,
    name: 'alerts-evaluator',
    ttlMs: 3 * env.MESHLENS_ALERTS_INTERVAL_S * 1000,
  });
  evaluator.add(async (now) => {
    if (await lease.tick()) await evaluate(now);
  });
  return {
    delivery,
    stop: async () => {
      await delivery.stop();
      await lease.release();
    },
  };
}
