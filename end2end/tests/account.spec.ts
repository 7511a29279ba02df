import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, waitForApp } from './helpers';
import { startContact } from './journeys';

test('sign in, sync waits for it, and signing out pushes first, warns offline and wipes the device', async ({ page, context }) => {
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  const response = await page.goto('/');
  expect(response!.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval' 'nonce-");
  expect(response!.headers()['x-frame-options']).toBe('DENY');
  await waitForApp(page);
  await expect(page.getByTestId('sync-status')).toContainText('Log in om te synchroniseren');

  // A wrong password: said in words, the address stays.
  await page.getByTestId('sign-in-link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen' })).toBeVisible();
  await page.getByLabel('E-mailadres').fill('anne@e2e.example');
  await page.getByLabel('Wachtwoord').fill('niet het goede wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anne@e2e.example');
  await expectNoAxeViolations(page, 'the sign-in page with an error');

  await signIn(page, 'anne');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Ingelogd als anne (Teamcoördinator, wijkteam)');

  // Offline, a contact is made; signing out now would lose it, and the app says so.
  await context.setOffline(true);
  await startContact(page, { channel: 'Balie', worker: 'anne', register: { givenName: 'Wim', familyName: 'Smit' } });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  await expect(page.getByTestId('sign-out-warning')).toContainText('nog niet op de server. Als je nu uitlogt');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kt/outbox/')).length)).toBeGreaterThan(0);

  // Online again: signing out pushes first, then wipes everything.
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen' })).toBeVisible();
  await waitForApp(page);
  const left = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/') || k.startsWith('kt/outbox/') || k === 'kt/meta/account'),
  );
  expect(left).toEqual([]);
  const raw = await page.evaluate(() => JSON.stringify(localStorage));
  expect(raw).not.toContain('Smit');
  expect(cspViolations).toEqual([]);
});
