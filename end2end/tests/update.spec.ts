import { test, expect } from '@playwright/test';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellCaches, signIn, unlock, waitForApp, waitForServiceWorker } from './helpers';

const siteRoot = process.env.KEUKENTAFEL_SITE_ROOT ?? join(__dirname, '..', '..', 'target', 'site');
const stylesheet = join(siteRoot, 'pkg', 'keukentafel.css');

test('a new build is offered once it is wholly precached, and applied only when the worker agrees; an open form survives it', async ({ page, context }) => {
  await signIn(page, 'solo');
  await waitForServiceWorker(page);
  const before = await shellCaches(page);
  expect(before).toHaveLength(1);
  // A form in progress: it must survive the update, which reloads the page.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  const place = page.getByRole('textbox', { name: /^Plaats \(niet verplicht\)/ });
  await place.fill('Wijkcentrum De Linde, halverwege het gesprek');
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
    // Offered only once the new build is in its own cache, every file of it: the app's wasm,
    // its split chunks, script and style and the route-agnostic shell.
    const precached = await page.evaluate(async (old) => {
      const fresh = (await caches.keys()).filter((key) => key.startsWith('keukentafel-shell-') && key !== old);
      if (fresh.length !== 1) return [];
      const cache = await caches.open(fresh[0]);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    }, before[0]);
    expect(precached).toContain('/shell');
    for (const file of ['keukentafel.wasm', 'keukentafel.js', 'keukentafel.css']) {
      expect(precached.some((path) => /^\/pkg\/[0-9a-f]+\//.test(path) && path.endsWith(`/${file}`)), file).toBe(true);
    }
    // Every page's chunk and the loader of the chunks, of the new version.
    expect(precached.filter((path) => path.endsWith('.wasm')).length).toBeGreaterThan(5);
    expect(precached.some((path) => path.includes('/__wasm_split'))).toBe(true);

    // So it applies with no network at all.
    await context.setOffline(true);
    await Promise.all([
      page.waitForEvent('load'),
      notice.getByRole('button', { name: 'Nu bijwerken' }).click(),
    ]);
    await waitForApp(page);
    // A reload locks the device's store: the PIN opens it, and the form has what was typed.
    await unlock(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: /^Plaats \(niet verplicht\)/ })).toHaveValue('Wijkcentrum De Linde, halverwege het gesprek');
    await expect(page.getByTestId('update-notice')).toHaveCount(0);
    const after = await shellCaches(page);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  } finally {
    writeFileSync(stylesheet, original);
    await context.setOffline(false);
  }
});
