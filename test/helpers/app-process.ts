/**
 * Runs the real Meshlens process for end-to-end tests: `node --import tsx server/main.ts` in the
 * repository root, on a fresh temporary data folder, every listener on a free loopback port.
 * The URLs come from main.ts's own log ("listener ready" lines), so tests use what it bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '~/server/build-web';

export { REPO_ROOT };

/** How long start-up may take before the test fails (first start may build the UI). */
const READY_TIMEOUT_MS = 90_000;
/** How long stop() waits after SIGINT before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;

export interface AppUrls {
  /** The web port: the dashboard and APIs, or only the ops endpoints without the web role. */
  web: string;
  /** The receivers: '' when the process runs without the collector role (MESHLENS_ROLES). */
  otlpHttp: string;
  otlpGrpc: string;
  zipkin: string;
}

export interface AppProcess {
  urls: AppUrls;
  /** Every "listener ready" line: listener name -> URL. */
  listeners: Record<string, string>;
  dataDir: string;
  /** The child's process id (reliability tests read its RSS and kill -9 it). */
  pid: number;
  /** Every stdout/stderr line so far (JSON log lines and anything else). */
  logs: string[];
  /** SIGINT, wait for exit (SIGKILL after 15 s); resolves to the exit code (null when killed). */
  stop(): Promise<number | null>;
}

const listenerKeys: Record<string, keyof AppUrls> = {
  web: 'web',
  'otlp-http': 'otlpHttp',
  'otlp-grpc': 'otlpGrpc',
  zipkin: 'zipkin',
};

interface LogLine {
  component?: string;
  msg?: string;
  listener?: string;
  url?: string;
}

function parseLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/** Environment for the child: ours minus test-runner variables, plus the test's settings. */
function childEnv(
  dataDir: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VITEST') || k.startsWith('MESHLENS_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    // vitest sets NODE_ENV=test; the process under test runs as in production.
    NODE_ENV: 'production',
    MESHLENS_DATA_DIR: dataDir,
    MESHLENS_HOST: '127.0.0.1',
    MESHLENS_WEB_PORT: '0',
    MESHLENS_OTLP_GRPC_PORT: '0',
    MESHLENS_OTLP_HTTP_PORT: '0',
    MESHLENS_ZIPKIN_PORT: '0',
    MESHLENS_LOG_LEVEL: 'info',
    MESHLENS_LOG_FORMAT: 'json',
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

/** The receivers' listeners are expected only when MESHLENS_ROLES (default all) has the collector. */
function expectedListeners(env: Record<string, string>): (keyof AppUrls)[] {
  const roles = (env.MESHLENS_ROLES ?? 'all').split(',').map((r) => r.trim());
  return roles.includes('all') || roles.includes('collector')
    ? Object.values(listenerKeys)
    : ['web'];
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts Meshlens and resolves once it logs "meshlens ready"; `env` overrides the defaults.
 * Pass MESHLENS_DATA_DIR to reuse a folder across restarts: only a folder made here is removed.
 */
export async function startApp(
  env: Record<string, string> = {},
  /** Extra arguments for server/main.ts, e.g. ['--demo']. */
  args: string[] = [],
): Promise<AppProcess> {
  const ownDir = env.MESHLENS_DATA_DIR === undefined;
  const dataDir =
    env.MESHLENS_DATA_DIR ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-e2e-'));
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', 'server/main.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: childEnv(dataDir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const logs: string[] = [];
  const urls: Partial<AppUrls> = {};
  const listeners: Record<string, string> = {};
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));

  const consume = (stream: NodeJS.ReadableStream) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        logs.push(line);
        const entry = parseLine(line);
        if (entry?.component !== 'main') continue;
        const key = entry.listener ? listenerKeys[entry.listener] : undefined;
        if (entry.msg === 'listener ready' && entry.listener && entry.url)
          listeners[entry.listener] = entry.url;
        if (entry.msg === 'listener ready' && key && entry.url)
          urls[key] = entry.url;
        if (entry.msg === 'meshlens ready') onReady();
      }
    });
  };
  consume(child.stdout);
  consume(child.stderr);

  let stopped: Promise<number | null> | undefined;
  const stop = (): Promise<number | null> => {
    stopped ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      }
      const code = await waitForExit(child);
      clearTimeout(timer);
      process.off('exit', killOnExit);
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    })();
    return stopped;
  };

  let timer: NodeJS.Timeout | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `Meshlens was not ready within ${READY_TIMEOUT_MS / 1000} s`,
          ),
        ),
      READY_TIMEOUT_MS,
    );
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `Meshlens exited during start-up (${signal ?? `exit ${code}`})`,
        ),
      ),
    );
  });
  try {
    await Promise.race([ready, failure]);
  } catch (err) {
    await stop();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${reason}. Its log:\n${logs.join('\n')}`);
  } finally {
    clearTimeout(timer);
  }
  const missing = expectedListeners(env).filter((k) => !urls[k]);
  if (missing.length > 0) {
    await stop();
    throw new Error(
      `Meshlens did not log a "listener ready" URL for ${missing.join(', ')}:\n${logs.join('\n')}`,
    );
  }
  const all: AppUrls = { web: '', otlpHttp: '', otlpGrpc: '', zipkin: '' };
  return {
    urls: { ...all, ...urls },
    listeners,
    dataDir,
    pid: child.pid!,
    logs,
    stop,
  };
}

/**
 * `npm run db:migrate` as a child (`server/main.ts --migrate-only`) with the same environment as
 * startApp; resolves to its exit code and log lines once it exits.
 */
export async function runMigrateOnly(
  env: Record<string, string> = {},
): Promise<{ code: number | null; logs: string[] }> {
  const dataDir =
    env.MESHLENS_DATA_DIR ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-migrate-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--migrate-only'],
    {
      cwd: REPO_ROOT,
      env: childEnv(dataDir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  // 'close' (not 'exit'): every line of its output has been read by then.
  const code = await new Promise<number | null>((resolve) =>
    child.once('close', (c) => resolve(c)),
  );
  if (env.MESHLENS_DATA_DIR === undefined)
    fs.rmSync(dataDir, { recursive: true, force: true });
  return { code, logs: out.split('\n').filter((l) => l.trim()) };
}
