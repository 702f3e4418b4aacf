/**
 * One POST of a delivery try: allow-listed host, a timeout through AbortSignal, redirects not
 * followed (a 3xx is a failure: following it could lead anywhere, including past the allow
 * list). Resolves with the HTTP status on 2xx; rejects with a DeliveryError otherwise.
 */
import { refusal, type HostAllowList } from './allow-list';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** Worth another try (timeouts, network errors, 408, 429, 5xx). */
    public readonly retryable: boolean,
    /** The receiver's status, 0 when there was no response. */
    public readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowList: HostAllowList;
}

export async function postOnce(o: PostOptions): Promise<number> {
  const refused = refusal(o.allowList, o.url);
  if (refused) throw new DeliveryError(refused, false, 0);
  let res: Response;
  try {
    res = await fetch(o.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'meshlens-alerts/1',
        ...o.headers,
      },
      body: o.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const cause = (e.cause as { code?: string } | undefined)?.code;
    throw new DeliveryError(
      timedOut
        ? `no answer within ${o.timeoutMs} ms`
        : `${e.message}${cause ? ` (${cause})` : ''}`,
      true,
      0,
      { cause: err },
    );
  }
  // Drain the body so the connection can be reused; keep a little for the log.
  const text = (await res.text().catch(() => '')).slice(0, 300);
  if (res.status >= 200 && res.status < 300) return res.status;
  if (res.status >= 300 && res.status < 400)
    throw new DeliveryError(
      `redirect (${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}) not followed: point the destination at the final URL`,
      false,
      res.status,
    );
  const retryable =
    res.status === 408 || res.status === 429 || res.status >= 500;
  throw new DeliveryError(
    `HTTP ${res.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`,
    retryable,
    res.status,
  );
}
