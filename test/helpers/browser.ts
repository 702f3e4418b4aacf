/**
 * Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core
 * (`apt-get install -y chromium`; playwright's own browser downloads are not used).
 */
import fs from 'node:fs';
import {
  chromium,
  type Browser,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium; fails with the install command when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * Records console errors and uncaught page errors from now on; read `errors` at the end of a
 * test and expect it to be empty.
 */
export function collectPageErrors(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error')
      errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err: Error) =>
    errors.push(`pageerror: ${err.message}`),
  );
  return { errors };
}
