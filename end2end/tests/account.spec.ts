import { test, expect } from '@playwright/test';
import { apiAs, expectNoAxeViolations, PIN, signIn, synced, syncNow, uniqueName, waitForApp, waitForServiceWorker } from './helpers';
import { contactWithOpenQuestion, startContact } from './journeys';
import { totpAt } from './totp';

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
  await expect(page.getByTestId('sign-in-error')).toContainText('Het e-mailadres of het wachtwoord klopt niet.');
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anne@e2e.example');
  await expectNoAxeViolations(page, 'the sign-in page with an error');

  await signIn(page, 'anne');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Ingelogd als anne (Teamcoördinator, wijkteam)');

  // Offline, a contact is made; signing out now would lose it, and the app says so.
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await startContact(page, { channel: 'Balie', worker: 'anne', register: { givenName: 'Wim', familyName: 'Smit' } });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  await expect(page.getByTestId('sign-out-warning')).toContainText('nog niet op de server. Als je nu uitlogt');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => (k.startsWith('kt/outbox/') || k.startsWith('kt/queue/'))).length)).toBeGreaterThan(0);

  // Online again: signing out pushes first, then wipes everything.
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen' })).toBeVisible();
  await waitForApp(page);
  const left = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/') || (k.startsWith('kt/outbox/') || k.startsWith('kt/queue/')) || k === 'kt/meta/account'),
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

  await waitForServiceWorker(a);
  await anne.setOffline(true);
  await a.getByTestId('today-contacts').getByRole('link', { name: `Els ${family}` }).click();
  await expect(a.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  const household = a.url().split('/huishouden/')[1];
  await anne.setOffline(false);
  await syncNow(a);
  const anneApi = await apiAs('anne');
  expect((await anneApi.get(`/api/audit?household_id=${household}`)).status()).toBe(403);
  // The browser's cookie alone opens nothing (no unlock proof in the request).
  expect((await a.request.get(`/api/audit?household_id=${household}`)).status()).toBe(401);
  await anneApi.dispose();

  const pia = await browser.newContext();
  const p = await pia.newPage();
  await signIn(p, 'pia');
  const piaApi = await apiAs('pia');
  const events = await (await piaApi.get(`/api/audit?household_id=${household}`)).json();
  await piaApi.dispose();
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

test('the administrator makes accounts with a one-time password, cannot elevate themselves, and disables a leaver whose tablet then wipes', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signIn(page, 'beheer');
  await expect(page.getByTestId('sync-status')).toContainText('geen gegevens van inwoners');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByTestId('accounts-table')).toContainText('anne');
  const email = `${uniqueName('kim').toLowerCase()}@e2e.example`;
  await page.getByLabel('Naam', { exact: true }).fill('Kim de Vries');
  await page.getByLabel('E-mailadres').fill('geen-adres');
  await page.getByLabel('Rol', { exact: true }).selectOption({ label: 'Consulent' });
  await page.locator('#account-team').fill('wijkteam');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  const message = page.getByTestId('account-message');
  await expect(message).toHaveText('Vul een geldig e-mailadres in.');
  await expect(page.getByLabel('Naam', { exact: true })).toHaveValue('Kim de Vries');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(message).toContainText('Account voor Kim de Vries aangemaakt. Eenmalig wachtwoord: ');
  const oneTime = (await message.textContent())!.match(/Eenmalig wachtwoord: (\S+)/)![1];
  await expect(page.getByTestId('accounts-table')).toContainText(email);
  await expectNoAxeViolations(page, 'the accounts screen');
  await page.screenshot({ path: '../docs/screenshots/accounts.png', fullPage: true });

  // Separation of duties: no role with residents' data for oneself.
  const own = page.getByTestId('account-row').filter({ hasText: 'beheer@e2e.example' });
  await own.getByText('Wijzigen').click();
  await own.getByLabel('Rol van beheer').selectOption({ label: 'Teamcoördinator' });
  await own.getByLabel('Team van beheer').fill('wijkteam');
  await own.getByRole('button', { name: 'Rol en team opslaan' }).click();
  await expect(message).toHaveText('Je eigen account wijzig je niet zelf: een andere beheerder doet dat.');
  await expect(page.getByTestId('account-row').filter({ hasText: 'beheer@e2e.example' })).toContainText('Beheerder');

  // Kim signs in with the one-time password: a password of her own first, then the PIN.
  const kimContext = await browser.newContext();
  const kim = await kimContext.newPage();
  await kim.goto('/inloggen');
  await waitForApp(kim);
  await kim.getByLabel('E-mailadres').fill(email);
  await kim.getByLabel('Wachtwoord').fill(oneTime);
  await kim.getByRole('button', { name: 'Inloggen' }).click();
  await expect(kim.getByRole('heading', { level: 1, name: 'Wachtwoord wijzigen' })).toBeVisible();
  await expectNoAxeViolations(kim, 'the change of password');
  await kim.getByLabel('Huidig wachtwoord').fill(oneTime);
  await kim.getByLabel('Nieuw wachtwoord').fill('Kims eigen lange wachtwoord');
  await kim.getByLabel('Herhaal het nieuwe wachtwoord').fill('Kims eigen lange wachtwoord');
  await kim.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  // Then the second factor: the QR code, or the key typed into the authenticator app.
  await expect(kim.getByRole('heading', { level: 1, name: 'Tweestapsverificatie instellen' })).toBeVisible();
  const secret = await kim.getByTestId('second-factor-secret').getAttribute('data-secret');
  await expect(kim.locator('.qr-code svg')).toBeVisible();
  await kim.getByLabel('Code uit de app').fill('000000');
  await kim.getByRole('button', { name: 'Koppelen' }).click();
  await expect(kim.getByTestId('second-factor-error')).toContainText('Deze code klopt niet');
  await kim.getByLabel('Code uit de app').fill(totpAt(secret!, Math.floor(Date.now() / 30_000)));
  await kim.getByRole('button', { name: 'Koppelen' }).click();
  await expect(kim.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await expectNoAxeViolations(kim, 'the recovery codes');
  await kim.screenshot({ path: '../docs/screenshots/second-factor.png', fullPage: true });
  await kim.getByRole('button', { name: 'Ik heb de codes bewaard' }).click();
  await expect(kim.getByRole('heading', { level: 1, name: 'Kies een pincode' })).toBeVisible();
  await kim.getByLabel('Pincode', { exact: true }).fill(PIN);
  await kim.getByLabel('Herhaal de pincode').fill(PIN);
  await kim.getByRole('button', { name: 'Pincode instellen' }).click();
  await expect(kim.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
  await synced(kim);

  // A leaver: disabled, and Kim's tablet is refused at its next request and wipes itself.
  const kimRow = page.getByTestId('account-row').filter({ hasText: email });
  await kimRow.getByText('Wijzigen').click();
  await kimRow.getByRole('button', { name: 'Uitschakelen' }).click();
  await expect(message).toContainText('Account van Kim de Vries uitgeschakeld');
  await expect(page.getByTestId('account-row').filter({ hasText: email })).toContainText('Uitgeschakeld');
  await kim.getByTestId('sync-now').click();
  await expect(kim.getByTestId('signed-out-notice')).toContainText('je account is uitgeschakeld', { timeout: 20_000 });
  const left = await kim.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/') || k === 'kt/meta/account' || k === 'kt/meta/keyring'),
  );
  expect(left).toEqual([]);
  await kim.getByLabel('E-mailadres').fill(email);
  await kim.getByLabel('Wachtwoord').fill('Kims eigen lange wachtwoord');
  await kim.getByRole('button', { name: 'Inloggen' }).click();
  await expect(kim.getByTestId('sign-in-error')).toContainText('Het e-mailadres of het wachtwoord klopt niet');
  await kimContext.close();
});
