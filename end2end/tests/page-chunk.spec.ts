import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, signIn, unlock } from './helpers';

// Issue 17: each page beyond the first screen is a wasm chunk of its own, fetched when first
// opened; the service worker keeps them all for offline use. Before it does (a first visit
// that lost its connection, no service worker yet), such a page cannot be fetched. The failed
// load used to panic: the previous page stayed, with no word why. Now the app says what
// happened, keeps working, and opens the page once the connection is back.
test('offline before the app is cached, a page not yet on the device says so, the app keeps working, and the page opens once online', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, 'noor');
  const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
  await expect(menu.getByRole('link', { name: 'Over deze app' })).toBeVisible();

  await context.setOffline(true);
  await menu.getByRole('link', { name: 'Over deze app' }).click();
  const missing = page.getByTestId('page-not-on-device');
  await expect(missing).toContainText('Deze pagina staat nog niet op dit apparaat');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina is nog niet geladen');
  // Trying again without a connection says so instead of leaving for the browser's offline page.
  await missing.getByRole('button', { name: 'Opnieuw proberen' }).click();
  await expect(missing.getByRole('status')).toHaveText('Nog steeds geen verbinding. Probeer het opnieuw als er verbinding is.');
  await expectNoAxeViolations(page, 'a page not yet on the device');
  await page.screenshot({ path: '../docs/screenshots/pagina-nog-niet-geladen.png', fullPage: true });

  // The app still answers: the first screen's pages open and take a tap.
  await menu.getByRole('link', { name: 'Nieuw contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  await page.getByLabel('Balie').check();
  await expect(page.getByLabel('Balie')).toBeChecked();

  // Online again, the page is fetched and opens.
  await context.setOffline(false);
  await menu.getByRole('link', { name: 'Over deze app' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Over deze app' })).toBeVisible();
  await expect(page.getByTestId('app-version')).not.toBeEmpty();
  await context.close();
});

// The same on a page load: the server's page names a chunk that cannot be fetched (the
// connection dropped between the page and its code). Hydrating the server's page without its
// code would not match it; the app draws the page itself instead, and says so.
test('a page loaded without its chunk says so instead of a half-drawn page, and opens once the chunk can be fetched', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, 'noor');
  const chunk = /\/pkg\/[0-9a-f]+\/split_about_page\.wasm$/;
  await page.route(chunk, (route) => route.abort('internetdisconnected'));
  await openApp(page, '/over');
  const missing = page.getByTestId('page-not-on-device');
  await expect(missing).toContainText('Deze pagina staat nog niet op dit apparaat');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina is nog niet geladen');
  await expect(page.getByTestId('app-version')).toHaveCount(0);
  const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
  await menu.getByRole('link', { name: 'Nieuw contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  await page.getByLabel('Balie').check();
  await expect(page.getByLabel('Balie')).toBeChecked();

  // Back to the page: still no chunk, still said so; once it can be fetched, trying again opens it.
  await page.goBack();
  await expect(missing).toContainText('Deze pagina staat nog niet op dit apparaat');
  await page.unroute(chunk);
  await missing.getByRole('button', { name: 'Opnieuw proberen' }).click();
  // Trying again online reloads the page, and a page load locks the app.
  await unlock(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Over deze app' })).toBeVisible();
  await expect(page.getByTestId('app-version')).not.toBeEmpty();
  await context.close();
});
