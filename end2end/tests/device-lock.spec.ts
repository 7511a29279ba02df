import { test, expect } from '@playwright/test';
import { signIn, uniqueBsn, uniqueName, unlock } from './helpers';
import { answerStep1, startContact } from './journeys';

test('the device data is encrypted, locks when idle, unlocks offline with the PIN, and wrong PINs need an online sign-in', async ({ page, context }) => {
  test.setTimeout(150_000);
  await signIn(page, 'noor');
  const family = uniqueName('Zonneveld');
  const secretWord = uniqueName('Achterstand');
  const words = `Ik schaam me voor de ${secretWord} bij de woningcorporatie.`;
  const bsn = uniqueBsn();
  await startContact(page, { channel: 'Balie', worker: 'noor', register: { givenName: 'Wilhelmina', familyName: family, bsn } });
  await answerStep1(page, { ownWords: words, domains: [], more: false, rightPlace: true, answeredHere: true, wantsNotification: false });

  // Nothing about the resident is readable in storage or in the caches without the key.
  const stored = await page.evaluate(async () => {
    let text = JSON.stringify(localStorage);
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) text += await (await cache.match(request))!.text();
    }
    return text;
  });
  // (Unique words: the app's own bundle, also in the cache, holds the questionnaire's wording.)
  for (const secret of [family, bsn, secretWord]) expect(stored).not.toContain(secret);
  // Sealed in the current format (compressed, then packed), not in the clear.
  const records = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/')).map((k) => localStorage.getItem(k)!));
  expect(records.length).toBeGreaterThan(0);
  expect(records.every((value) => value.startsWith('kt2:'))).toBe(true);

  // Locked by hand: no data on the screen.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByText(family)).toHaveCount(0);

  // Offline, the PIN unlocks; a wrong one is refused in words.
  await context.setOffline(true);
  await unlock(page, '000000');
  await expect(page.getByTestId('lock-error')).toHaveText('Deze pincode klopt niet. Je kunt het nog 4 keer proberen.');
  await unlock(page);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(page.getByTestId('today-contacts')).toContainText(`Wilhelmina ${family}`);

  // Five wrong PINs block the data until an online sign-in.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  for (let i = 0; i < 5; i++) {
    if (await page.getByTestId('lock-blocked').isVisible()) break;
    await unlock(page, '999999');
  }
  await expect(page.getByTestId('lock-blocked')).toContainText('tot je online opnieuw inlogt');
  await context.setOffline(false);
  await signIn(page, 'noor');
  await expect(page.getByTestId('today-contacts')).toContainText(`Wilhelmina ${family}`);

  // Idle for longer than the chosen time: the app locks itself. (The clock is faked only now:
  // the app's idle check runs on its real timer and reads the faked time.)
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByRole('button', { name: '2 minuten' }).click();
  await page.clock.install();
  await page.clock.fastForward('02:30');
  await expect(page.getByTestId('lock-screen')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(family)).toHaveCount(0);
});

test('locking offline before the app is cached for offline use shows the lock screen, not the browser offline page, and the PIN opens it', async ({ page, context }) => {
  // No service worker ever controls this page, as on a first sign-in that went offline before
  // the app was wholly cached. The lock used to reload into ERR_INTERNET_DISCONNECTED.
  await context.route('**/sw.js', (route) => route.abort());
  await signIn(page, 'noor');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await expect(page.getByTestId('lock-now')).toBeVisible();
  await context.setOffline(true);
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await unlock(page);
  await expect(page.getByTestId('lock-screen')).toBeHidden();
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
});
