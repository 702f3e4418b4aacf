/**
 * The alert evaluator slot: runs every MESHLENS_ALERTS_INTERVAL_S against ClickHouse. Rules and
 * their evaluation arrive with the alerts issue; the loop, its timing and its shutdown are here.
 */
import { logger } from '../log';

const log = logger('alerts');

export type EvaluationStep = (now: Date) => Promise<void>;

export interface AlertEvaluator {
  /** Registers work to run on every tick (rule evaluation, delivery retries). */
  add(step: EvaluationStep): void;
  lastRun(): Date | undefined;
  stop(): Promise<void>;
}

export function startAlertEvaluator(intervalS: number): AlertEvaluator {
  const steps: EvaluationStep[] = [];
  let last: Date | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // a slow evaluation never overlaps the next
    const now = new Date();
    running = (async () => {
      for (const step of steps) {
        try {
          await step(now);
        } catch (err) {
          log.error({ err }, 'alert evaluation step failed');
        }
      }
      last = now;
    })().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(tick, intervalS * 1000);
  timer.unref();
  log.info({ intervalS }, 'alert evaluator started');
  return {
    add: (step) => steps.push(step),
    lastRun: () => last,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
