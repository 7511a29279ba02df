import { test, expect } from '@playwright/test';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellCaches, waitForApp, waitForServiceWorker } from './helpers';

const siteRoot = process.env.KEUKENTAFEL_SITE_ROOT ?? join(__dirname, '..', '..', 'target', 'site');
const stylesheet = join(siteRoot, 'pkg', 'keukentafel.css');

test('a new build is offered, and applied only when the worker agrees', async ({ page, context }) => {
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  const before = await shellCaches(page);
  expect(before).toHaveLength(1);
  // Stands for a form in progress: it must survive until the worker chooses to update.
  await page.evaluate(() => ((window as any).__workInProgress = 'half a sentence'));

  const original = readFileSync(stylesheet);
  try {
    // Deploy a new build: the server sees new assets, so /sw.js changes.
    appendFileSync(stylesheet, `\n/* deployed by the e2e test at ${Date.now()} */\n`);
    // Coming back online makes the app look for a new version.
    await context.setOffline(true);
    await context.setOffline(false);

    const notice = page.getByTestId('update-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Nieuwe versie beschikbaar');
    expect(await page.evaluate(() => (window as any).__workInProgress)).toBe('half a sentence');

    await Promise.all([
      page.waitForEvent('load'),
      notice.getByRole('button', { name: 'Nu bijwerken' }).click(),
    ]);
    await waitForApp(page);
    await expect(page.getByTestId('update-notice')).toHaveCount(0);
    const after = await shellCaches(page);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  } finally {
    writeFileSync(stylesheet, original);
  }
});
