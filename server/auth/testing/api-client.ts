/**
 * For tests: calls a running Meshlens web listener the way the app and scripts do: tRPC over
 * HTTP (superjson, GET for queries, POST for mutations) and /api/v1, with optional credentials.
 */
import superjson from 'superjson';

/** An answer slower than this is a failure (a hang), not a wait. */
const TIMEOUT_MS = 30_000;

export interface Answer {
  status: number;
  /** The parsed JSON body (the tRPC result's data when it succeeded). */
  body: unknown;
  /** The raw body text: tests search it for strings that must not leak. */
  text: string;
  headers: Headers;
}

export interface Credentials {
  bearer?: string;
  cookie?: string;
  origin?: string;
}

function headersFor(c: Credentials = {}): Record<string, string> {
  return {
    ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}),
    ...(c.cookie ? { cookie: c.cookie } : {}),
    ...(c.origin ? { origin: c.origin } : {}),
  };
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    const parsed = JSON.parse(text) as { result?: { data?: unknown } };
    body =
      parsed.result?.data !== undefined
        ? superjson.deserialize(parsed.result.data as never)
        : parsed;
  } catch {
    // not JSON (a page)
  }
  return { status: res.status, body, text, headers: res.headers };
}

export async function trpcQuery(
  base: string,
  path: string,
  input: unknown,
  c?: Credentials,
): Promise<Answer> {
  const qs =
    input === undefined
      ? ''
      : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  return answer(
    await fetch(`${base}/api/trpc/${path}${qs}`, {
      headers: headersFor(c),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );
}

export async function trpcMutation(
  base: string,
  path: string,
  input: unknown,
  c?: Credentials,
): Promise<Answer> {
  return answer(
    await fetch(`${base}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headersFor(c) },
      body: JSON.stringify(superjson.serialize(input)),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );
}

export async function get(
  base: string,
  pathAndQuery: string,
  c?: Credentials,
): Promise<Answer> {
  return answer(
    await fetch(`${base}${pathAndQuery}`, {
      headers: headersFor(c),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );
}
