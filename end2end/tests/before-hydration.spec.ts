import { test, expect } from '@playwright/test';
import { waitForApp } from './helpers';

// Issue 17 item 6: a server-rendered control used before the app is interactive must keep its
// effect or the page must make plain it is not ready. Seen: the regisseur chosen in a caseload
// row before hydration was lost ("Kies eerst een regisseur."). The page stays inert until the
// app has started and says so; a tap made meanwhile lands once it has.
test('a tap before the app has started is not lost: the page is inert and says it is starting', async ({ page }) => {
  // A slow tablet on a weak connection: the app's code arrives seconds after the page.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/[0-9a-f]+\/keukentafel\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/over', { waitUntil: 'commit' });
  const large = page.getByRole('button', { name: 'Groot' });
  await expect(large).toBeVisible();
  expect(await page.evaluate(() => performance.getEntriesByName('hydrated').length)).toBe(0);
  await expect(page.getByRole('status').filter({ hasText: 'De app wordt gestart' })).toBeVisible();
  await expect(page.locator('.app-body')).toHaveAttribute('inert', '');
  await page.screenshot({ path: '../docs/screenshots/starting.png' });

  // Tapped now, before the app runs: it takes effect once the app has started.
  const tapped = large.click({ timeout: 60_000 });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => performance.getEntriesByName('hydrated').length)).toBe(0);
  release();
  await tapped;
  await expect(large).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  await waitForApp(page);
  await expect(page.getByRole('status').filter({ hasText: 'De app wordt gestart' })).toBeHidden();
  await page.getByRole('button', { name: 'Normaal' }).click();
});

// Issue 17 item 1: a page in a chunk of its own hydrates in steps, the frame first. The page
// stays inert until its own chunk has arrived, not only until the app's main code ran.
test('a page in a chunk of its own stays inert until that chunk has arrived', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/[0-9a-f]+\/split_about_page\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  // Seen: the frame hydrated first, its effects changed the storage state meanwhile, and the
  // page then did not match the server's HTML (a panic). The page's chunk now loads first.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const main = page.waitForResponse(/\/pkg\/[0-9a-f]+\/keukentafel\.wasm$/);
  await page.goto('/over', { waitUntil: 'commit' });
  await main;
  await page.waitForTimeout(1_000);
  await expect(page.getByRole('button', { name: 'Groot' })).toBeVisible();
  expect(await page.evaluate(() => performance.getEntriesByName('hydrated').length)).toBe(0);
  await expect(page.locator('.app-body')).toHaveAttribute('inert', '');
  await expect(page.getByRole('status').filter({ hasText: 'De app wordt gestart' })).toBeVisible();
  release();
  await waitForApp(page);
  await expect(page.locator('.app-body')).not.toHaveAttribute('inert');
  await page.getByRole('button', { name: 'Groot' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  await page.getByRole('button', { name: 'Normaal' }).click();
  expect(errors).toEqual([]);
});
