import { expect, type Page } from '@playwright/test';

/** Waits until the app has hydrated (or mounted) and can take a tap. */
export async function waitForApp(page: Page) {
  await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
}

/** Waits until the service worker controls the page, so the shell is cached. */
export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active !== null && navigator.serviceWorker.controller !== null;
  });
}

export async function shellCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await caches.keys()).filter((key) => key.startsWith('keukentafel-shell-')),
  );
}

/** Taps the "Groot" text size and checks that the page reacted. */
export async function tapLargeText(page: Page) {
  const large = page.getByRole('button', { name: 'Groot' });
  await large.click();
  await expect(large).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
}
