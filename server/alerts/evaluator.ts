/**
 * The alert evaluator loop: runs its steps every MESHLENS_ALERTS_INTERVAL_S, one tick at a time.
 * The steps are wired in server/alerts/start.ts: rule evaluation (rule-evaluation.ts); deliveries
 * run on their own timers (delivery.ts). The loop, its timing and its shutdown are here.
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

export interface EvaluatorOptions {
  /** The evaluation instant of each tick (tests drive a simulated clock); default: wall clock. */
  clock?: () => Date;
}

/** Starts the loop; `intervalS` may be fractional (tests). */
export function startAlertEvaluator(
  intervalS: number,
  opts: EvaluatorOptions = {},
): AlertEvaluator {
  const clock = opts.clock ?? (() => new Date());
  const steps: EvaluationStep[] = [];
  let last: Date | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // a slow evaluation never overlaps the next
    const now = clock();
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
