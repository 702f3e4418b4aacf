/** The structured logger (pino). One root logger; modules take a child with `component`. */
import pino, { type Logger } from 'pino';

const holder = globalThis as unknown as { __meshlensLog?: Logger };

function level(): string {
  if (process.env.MESHLENS_LOG_LEVEL) return process.env.MESHLENS_LOG_LEVEL;
  return process.env.VITEST ? 'silent' : 'info';
}

export function rootLogger(): Logger {
  holder.__meshlensLog ??= pino({
    level: level(),
    base: { app: 'meshlens' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(process.env.MESHLENS_LOG_FORMAT === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true } } }
      : {}),
  });
  return holder.__meshlensLog;
}

export function logger(component: string): Logger {
  return rootLogger().child({ component });
}
