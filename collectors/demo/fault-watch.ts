/**
 * Watches the demo's fault switch file (fault.ts) while the demo runs: polled every second
 * (plain reads work on every platform and file system, unlike fs.watch), applied to the runner
 * when its content changes. A bad file is reported once and ignored: the previous state stays.
 */
import type { Logger } from 'pino';
import type { DemoRunner } from './demo-runner';
import { readFaultFile, type DemoFault } from './fault';

export interface FaultWatch {
  /** Reads the file now and applies a change (also called by the timer). */
  poll(): void;
  stop(): void;
}

const describe = (f: DemoFault) => ({
  targets: f.targets,
  abort: f.abort ?? null,
  delay: f.delay ?? null,
});

export function watchFault(
  file: string,
  runner: Pick<DemoRunner, 'setFault' | 'currentFault'>,
  log: Logger,
  intervalMs = 1000,
): FaultWatch {
  /** JSON of the last state seen (applied or refused), so each change is handled once. */
  let last = JSON.stringify(null);
  const poll = () => {
    let fault: DemoFault | null;
    let seen: string;
    try {
      fault = readFaultFile(file);
      seen = JSON.stringify(fault);
    } catch (err) {
      seen = `error: ${(err as Error).message}`;
      if (seen !== last)
        log.error(
          { file, err: (err as Error).message },
          'demo fault file ignored (the previous fault state stays); fix it or run npm run demo:fault -- off',
        );
      last = seen;
      return;
    }
    if (seen === last) return;
    last = seen;
    try {
      runner.setFault(fault);
    } catch (err) {
      log.error(
        { file, err: (err as Error).message },
        'demo fault file ignored (the previous fault state stays)',
      );
      return;
    }
    if (fault) log.warn(describe(fault), 'demo fault switched on');
    else log.info({ file }, 'demo fault switched off');
  };
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return { poll, stop: () => clearInterval(timer) };
}
