/**
 * The Alerts page in a real browser against the real process: field-by-field validation
 * messages (the outbound allow list included), "test this rule now", saving a rule that then
 * shows in the list with its state, and adding a silence.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../server/build-web';
import {
  startApp,
  REPO_ROOT,
  type AppProcess,
} from '../test/helpers/app-process';
import { collectPageErrors, launchBrowser } from '../test/helpers/browser';

const SCREENSHOT = path.join(REPO_ROOT, 'test-results', 'alerts.png');

let app: AppProcess;
let browser: Browser;
let page: Page;
let pageErrors: { errors: string[] };

beforeAll(async () => {
  await ensureWebBuild();
  app = await startApp({
    MESHLENS_ALERT_ALLOWED_HOSTS: '127.0.0.1',
    MESHLENS_ALERTS_INTERVAL_S: '1',
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  pageErrors = collectPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const code = await app?.stop();
  expect(code).toBe(0);
});

const field = (label: string) =>
  page.locator('label.field', {
    has: page.locator(`span:text-is("${label}")`),
  });

describe('the alerts page', () => {
  it('validates a rule field by field, previews it, saves it and lists it', async () => {
    await page.goto(`${app.urls.web}/alerts`);
    await page.getByText('No alert rules yet').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();

    await field('Namespace').locator('input').fill('bookinfo');
    await field('Threshold').locator('input').fill('2');
    await page.getByRole('button', { name: 'Add a destination' }).click();
    await page.getByLabel('Destination URL').fill('http://10.1.2.3/hook');
    await page.getByRole('button', { name: 'Create rule' }).click();

    await field('Name').getByText('name is required').waitFor();
    await field('Service').getByText('service is required').waitFor();
    await field('Threshold')
      .getByText('threshold must be between 0 and 1 (0.05 = 5 %)')
      .waitFor();
    await page
      .getByText(
        'host 10.1.2.3 is not in MESHLENS_ALERT_ALLOWED_HOSTS (127.0.0.1)',
      )
      .waitFor();

    await field('Name').locator('input').fill('ratings errors');
    await field('Service').locator('input').fill('ratings');
    await field('Threshold').locator('input').fill('0.05');
    await page.getByLabel('Destination URL').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Test this rule now' }).click();
    // No traffic yet: one series (the service), no value, the condition does not hold.
    const preview = page.locator('table[aria-label="Rule preview"] tbody tr');
    await preview.first().waitFor();
    expect(await preview.count()).toBe(1);
    expect(await preview.textContent()).toContain('service=ratings');
    expect(await preview.locator('.state-badge').textContent()).toBe(
      'inactive',
    );
    await page.screenshot({
      path: SCREENSHOT.replace('.png', '-editor.png'),
      fullPage: true,
    });
    expect(await page.locator('.field-error').count()).toBe(0);

    await page.getByRole('button', { name: 'Create rule' }).click();
    const row = page.locator(
      'table[aria-label="Alert rules"] tr[data-rule="ratings errors"]',
    );
    await row.waitFor();
    expect(await row.locator('.state-badge').first().textContent()).toBe(
      'inactive',
    );
    expect(await row.textContent()).toContain('ratings.bookinfo');

    // Stored as the API reads it.
    const res = await fetch(`${app.urls.web}/api/trpc/alerts.list`);
    const body = (await res.json()) as {
      result: {
        data: { json: { name: string; spec: { threshold: number } }[] };
      };
    };
    expect(
      body.result.data.json.map((r) => [r.name, r.spec.threshold]),
    ).toEqual([['ratings errors', 0.05]]);
  });

  it('adds a silence that shows as active', async () => {
    await page.getByRole('tab', { name: 'Silences' }).click();
    await page
      .locator('textarea[name="matchers"]')
      .fill('service=ratings\nnamespace=~book.*');
    await page.getByRole('button', { name: 'Silence' }).click();
    const silence = page
      .locator('table[aria-label="Silences"] tbody tr')
      .first();
    await silence.getByText('service=ratings, namespace=~book.*').waitFor();
    expect(await silence.locator('.state-badge').textContent()).toBe('active');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors.errors).toEqual([]);
  });
});
