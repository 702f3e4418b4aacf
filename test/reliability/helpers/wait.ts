/** Polling helpers for the reliability scenarios. */

export const sleep = (ms: number) =>
  new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 200 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Waits until `value()` stops changing for `quietMs` (e.g. a counter once ingest caught up). */
export async function waitSettled(
  value: () => Promise<number>,
  quietMs: number,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const until = Date.now() + timeoutMs;
  let last = await value();
  let since = Date.now();
  while (Date.now() < until) {
    await sleep(500);
    const v = await value().catch(() => last);
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return v;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
