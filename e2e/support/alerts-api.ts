/**
 * For the alerts end-to-end tests: the tRPC API over plain HTTP (superjson's `{json}` envelope),
 * polling with a deadline, and the demo's fault switch (`npm run demo:fault`) as a child process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../test/helpers/app-process';

/** A tRPC call: POST for mutations, GET (input in the query) for queries. */
export async function trpc<T>(
  web: string,
  path: string,
  input?: unknown,
  method: 'GET' | 'POST' = 'POST',
): Promise<T> {
  const url = `${web}/api/trpc/${path}`;
  const res =
    method === 'POST'
      ? await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ json: input }),
        })
      : await fetch(
          input === undefined
            ? url
            : `${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
        );
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: unknown;
  };
  if (!body.result)
    throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/** Polls `read` until `ok`, failing with the last value after `ms`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
    last = await read();
  }
  return last;
}

/** `npm run demo:fault -- <args>` against the app's data folder. */
export async function demoFault(
  dataDir: string,
  ...args: string[]
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'collectors/demo/fault-cli.ts',
      ...args,
      '--data-dir',
      dataDir,
    ],
    { cwd: REPO_ROOT },
  );
  return stdout;
}

export interface Preview {
  at: string;
  series: { value: number | null; active: boolean; requests: number }[];
}
export interface ListedRule {
  id: string;
  name: string;
  state: string;
  alerts: { state: string; value: number | null; lastEvaluated: string }[];
}
export interface History {
  timestamp: string;
  from: string;
  to: string;
  value: number | null;
}
