import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, syncNow, uniqueName, waitForApp } from './helpers';
import { contactWithOpenQuestion, startContact } from './journeys';

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

test('a household opened offline reaches the audit log, where only the privacy officer reads it', async ({ browser }) => {
  const anne = await browser.newContext();
  const a = await anne.newPage();
  await signIn(a, 'anne');
  const family = uniqueName('Bakker');
  await contactWithOpenQuestion(a, 'anne', { givenName: 'Els', familyName: family });
  await synced(a);

  await anne.setOffline(true);
  await a.getByTestId('today-contacts').getByRole('link', { name: `Els ${family}` }).click();
  await expect(a.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  const household = a.url().split('/huishouden/')[1];
  await anne.setOffline(false);
  await syncNow(a);
  expect((await a.request.get(`/api/audit?household_id=${household}`)).status()).toBe(403);

  const pia = await browser.newContext();
  const p = await pia.newPage();
  await signIn(p, 'pia');
  const events = await (await p.request.get(`/api/audit?household_id=${household}`)).json();
  const offline = events.filter((e: any) => e.action === 'read' && e.detail === 'on the device' && e.account_name === 'anne');
  expect(offline.length, JSON.stringify(events)).toBe(1);
  expect(events.some((e: any) => e.action === 'create' && e.record_type === 'household')).toBe(true);

  // The same, on the privacy officer's screen.
  await p.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Auditlog' }).click();
  await p.getByLabel(/Huishouden \(id\)/).fill(household);
  await p.getByRole('button', { name: 'Zoeken' }).click();
  await expect(p.getByTestId('audit-table')).toContainText('Geopend op het apparaat');
  await expect(p.getByTestId('audit-table')).toContainText('anne');
  await expectNoAxeViolations(p, 'the audit log');
  await p.screenshot({ path: '../docs/screenshots/auditlog.png', fullPage: true });
  await anne.close();
  await pia.close();
});

test('the administrator makes accounts; a wrong one is refused in words', async ({ page }) => {
  await signIn(page, 'beheer');
  await expect(page.getByTestId('sync-status')).toContainText('geen gegevens van inwoners');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByTestId('accounts-table')).toContainText('anne');
  const email = `${uniqueName('kim').toLowerCase()}@e2e.example`;
  await page.getByLabel('Naam').fill('Kim de Vries');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Rol').selectOption({ label: 'Consulent' });
  await page.getByLabel(/^Eerste wachtwoord/).fill('kort');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(page.getByTestId('account-message')).toHaveText('Een wachtwoord heeft minstens 12 tekens.');
  await expect(page.getByLabel('Naam')).toHaveValue('Kim de Vries');
  await page.getByLabel(/^Eerste wachtwoord/).fill('een goed lang wachtwoord');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(page.getByTestId('account-message')).toHaveText('Account voor Kim de Vries aangemaakt.');
  await expect(page.getByTestId('accounts-table')).toContainText(email);
  await expectNoAxeViolations(page, 'the accounts screen');
  await page.screenshot({ path: '../docs/screenshots/accounts.png', fullPage: true });
});
