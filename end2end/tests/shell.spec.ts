import { test, expect } from '@playwright/test';
import { shellCaches, tapLargeText, waitForApp, waitForServiceWorker } from './helpers';

test('the server reports itself and its database healthy', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: 'up', database: 'up' });
});

test('the page renders on the server and hydrates: a tap changes something', async ({ page }) => {
  await page.goto('/over');
  // Server-rendered: the heading is in the HTML before any wasm runs.
  await expect(page.getByRole('heading', { level: 1, name: 'Over deze app' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await waitForApp(page);
  await tapLargeText(page);
  // Client-side navigation keeps the setting. Signed out, Vandaag asks for a sign-in first.
  await page.getByRole('link', { name: 'Vandaag' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Log eerst in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
});

test('the manifest lets a tablet install the app', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.short_name).toBe('Keukentafel');
  expect(manifest.lang).toBe('nl');
  expect(manifest.display).toBe('standalone');
  const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    expect((await request.get(icon.src)).status(), icon.src).toBe(200);
  }
});

test('after one online visit the app opens and works with no network at all', async ({ page, context }) => {
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  expect(await shellCaches(page)).toHaveLength(1);

  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toContainText('Offline');

  // A reload with no network: the cached shell mounts the app at this URL.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Log eerst in' })).toBeVisible();
  await expect(page.getByTestId('connection')).toContainText('Offline');

  // A deep link to a route never visited.
  await page.goto('/over');
  await waitForApp(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Over deze app' })).toBeVisible();
  await tapLargeText(page);

  // A cold start: a new tab, nothing in memory, still offline.
  const cold = await context.newPage();
  await cold.goto('/over');
  await waitForApp(cold);
  await expect(cold.getByRole('heading', { level: 1, name: 'Over deze app' })).toBeVisible();
  // The setting tapped offline survived in the device's storage.
  await expect(cold.getByRole('button', { name: 'Groot' })).toHaveAttribute('aria-pressed', 'true');
  await cold.getByRole('link', { name: 'Vandaag' }).click();
  await expect(cold.getByRole('heading', { level: 1, name: 'Log eerst in' })).toBeVisible();
  await cold.getByRole('link', { name: 'Over deze app' }).click();
  await cold.getByRole('button', { name: 'Normaal' }).click();
  await expect(cold.locator('html')).toHaveAttribute('data-text-size', 'normal');
});

test("the app's files go out as compressed at build time, cached for a year under their version", async ({ page, request }) => {
  await page.goto('/over');
  const wasm = await page.locator('link[rel="preload"][as="fetch"][href$="/keukentafel.wasm"]').getAttribute('href');
  expect(wasm).toMatch(/^\/pkg\/[0-9a-f]+\/keukentafel\.wasm$/);
  // "Over deze app" is a chunk of its own: the page names it too, so it loads beside the app.
  const chunks = await page.locator('link[rel="preload"][as="fetch"]:not([href$="/keukentafel.wasm"])').count();
  expect(chunks).toBeGreaterThan(0);
  const response = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  expect(response.status()).toBe(200);
  // scripts/lib/compress-assets made the copy; a stale one (older than the file) is never served.
  expect(response.headers()['content-encoding']).toBe('br');
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});
