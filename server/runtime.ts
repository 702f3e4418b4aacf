/**
 * What this process is running right now: its listeners and roles. Filled by server/main.ts,
 * read by the status API and /readyz. Kept on globalThis so Next's bundles see the same object.
 */
import type { Role } from './config';

export type ListenerName = 'web' | 'otlp-grpc' | 'otlp-http' | 'zipkin';

export interface ListenerInfo {
  name: ListenerName;
  /** e.g. http://127.0.0.1:4318 or grpc://127.0.0.1:4317 */
  url: string;
  /** What it serves, for the UI's "how to send telemetry" panel. */
  serves: string[];
}

export interface RuntimeInfo {
  startedAt: Date;
  roles: Role[];
  listeners: ListenerInfo[];
  /** True once migrations ran and every listener is up; false again while draining. */
  ready: boolean;
  demo: { running: boolean; scenario?: string };
}

const holder = globalThis as unknown as { __meshlensRuntime?: RuntimeInfo };

export function runtime(): RuntimeInfo {
  holder.__meshlensRuntime ??= {
    startedAt: new Date(),
    roles: [],
    listeners: [],
    ready: false,
    demo: { running: false },
  };
  return holder.__meshlensRuntime;
}
