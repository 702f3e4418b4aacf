/**
 * One scrape: GET with the Prometheus Accept header and gzip, a hard timeout, a body cap, then the
 * exposition parser. Every failure becomes a ScrapeError with a short low-cardinality `kind`
 * (for metrics) and a reason (for the UI and logs).
 */
import {
  formatOfContentType,
  parseExposition,
  ExpositionError,
  SCRAPE_ACCEPT,
  type ExpositionFormat,
  type ParsedSample,
} from '../prometheus-shared/exposition';

export type ScrapeErrorKind =
  'timeout' | 'connect' | 'http_status' | 'too_large' | 'parse';

export class ScrapeError extends Error {
  override name = 'ScrapeError';
  constructor(
    public readonly kind: ScrapeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ScrapeResult<T> {
  result: T;
  bytes: number;
}

/** Reads an exposition body; throws ExpositionError (made a ScrapeError 'parse' here). */
export type ExpositionReader<T> = (text: string, format: ExpositionFormat) => T;

/** The default reader: the full parser. */
export const readAll: ExpositionReader<ParsedSample[]> = parseExposition;

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes)
      throw new ScrapeError(
        'too_large',
        `body over the limit of ${maxBytes} bytes`,
      );
    // a view, not a copy: concat below copies once
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/**
 * Scrapes `url` once. Rejects with ScrapeError; resolves with what `read` made of the body.
 * @param timeoutMs the whole scrape, connect to last byte
 * @param maxBytes decoded body cap
 */
export async function scrapeOnce<T = ParsedSample[]>(
  url: string,
  timeoutMs: number,
  maxBytes: number,
  signal?: AbortSignal,
  read: ExpositionReader<T> = readAll as unknown as ExpositionReader<T>,
): Promise<ScrapeResult<T>> {
  const ctrl = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout;
  let answered = false;
  /**
   * The timeout counts time this process could read the answer. When the timer fires late (the
   * event loop was busy, e.g. encoding an insert, or the process got no CPU), the answer may be
   * waiting unread, so the lost time is granted again; once the target has answered (headers in),
   * reading its body may take until twice the timeout. Never past twice the timeout: a target
   * that hangs fails within it.
   */
  const hardStop = started + 2 * timeoutMs;
  const expire = (due: number) => {
    const now = performance.now();
    const late = now - due;
    const extendTo = answered ? hardStop : Math.min(hardStop, now + late);
    if ((answered || late > 20) && extendTo - now > 1) {
      timer = setTimeout(() => expire(extendTo), extendTo - now);
      return;
    }
    ctrl.abort(
      new ScrapeError('timeout', `no complete answer within ${timeoutMs} ms`),
    );
  };
  timer = setTimeout(() => expire(started + timeoutMs), timeoutMs);
  const onAbort = () =>
    ctrl.abort(new ScrapeError('timeout', 'scraper stopped'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: {
          accept: SCRAPE_ACCEPT,
          'accept-encoding': 'gzip',
          'user-agent': 'Meshlens-scraper',
          'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000),
        },
        signal: ctrl.signal,
      });
    } catch (err) {
      if (ctrl.signal.aborted) throw ctrl.signal.reason as Error;
      const cause = (err as { cause?: { code?: string; message?: string } })
        .cause;
      throw new ScrapeError(
        'connect',
        `cannot connect: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
    answered = true;
    if (res.status !== 200) {
      void res.body?.cancel();
      throw new ScrapeError(
        'http_status',
        `server returned HTTP status ${res.status} ${res.statusText}`.trim(),
      );
    }
    let body: Buffer;
    try {
      body = await readCapped(res, maxBytes);
    } catch (err) {
      if (err instanceof ScrapeError) throw err;
      if (ctrl.signal.aborted) throw ctrl.signal.reason as Error;
      throw new ScrapeError(
        'connect',
        `reading the body failed: ${(err as Error).message}`,
      );
    }
    const format = formatOfContentType(
      res.headers.get('content-type') ?? undefined,
    );
    try {
      return {
        result: read(body.toString('utf8'), format),
        bytes: body.length,
      };
    } catch (err) {
      if (err instanceof ExpositionError)
        throw new ScrapeError(
          'parse',
          `invalid ${format === 'openmetrics' ? 'OpenMetrics' : 'text 0.0.4'} exposition: ${err.message}`,
        );
      throw err;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
