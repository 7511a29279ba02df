import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, startOffline, uniqueBsn, unlock } from './helpers';
import { startContact } from './journeys';

// Issue 15 item 8, tried in the browser: what a worker tripped over when registering a resident,
// and a locked app that said "Nog niet gesynchroniseerd." right after a sync.
test('registering: a postcode alone is an address, unissued letters and a wrong phone are named, a BSN is registered once; locked, the status says so; the household shows BSN and address', async ({ page, context }) => {
  test.setTimeout(90_000);
  await startOffline(page, context);
  const bsn = uniqueBsn();
  // The postcode alone: street, number and place are optional, as the form says.
  await startContact(page, {
    channel: 'Balie',
    worker: 'Anne de Wit',
    register: { givenName: 'Els', familyName: 'Bakker', bsn, postcode: '3511ab' },
  });

  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByRole('group', { name: 'Kanaal' }).getByLabel('Balie').check();
  await page.getByLabel('Jouw naam').fill('Anne de Wit');
  if (!(await page.getByLabel('Voornaam').isVisible())) {
    await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  }
  await page.getByLabel('Voornaam').fill('Elsje');
  await page.getByLabel('Achternaam').fill('Bakker');
  await page.getByLabel('BSN').fill(bsn);
  await page.getByLabel('Postcode').fill('1234 SS');
  await page.getByRole('textbox', { name: /^Telefoon/ }).fill('abc');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(page.getByText('Postcodes met de letters SS bestaan niet')).toBeVisible();
  await expect(page.getByText(/Vul een telefoonnummer in met cijfers/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Telefoon/ })).toHaveValue('abc');
  await expectNoAxeViolations(page, 'the registration form with errors');

  await page.getByLabel('Postcode').fill('1234 AB');
  await page.getByRole('textbox', { name: /^Telefoon/ }).fill('06 12345678');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(page.getByText('Els Bakker staat met dit BSN al op dit apparaat')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();

  // Locked, nothing can be read to say about sync: the status says it is locked.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toContainText('Vergrendeld');
  await expect(page.getByTestId('sync-status')).not.toContainText('Nog niet gesynchroniseerd');
  await unlock(page);
  await expect(page.getByTestId('sync-status')).not.toContainText('Vergrendeld');

  // The household page shows who the member is: BSN and address, not just a name.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: 'Els Bakker' }).first().click();
  const member = page.getByTestId('member').filter({ hasText: 'Els Bakker' });
  await expect(member).toContainText(bsn);
  await expect(member).toContainText('3511 AB');
  await expectNoAxeViolations(page, 'the household page with the member facts');
  await page.screenshot({ path: '../docs/screenshots/huishouden-leden.png', fullPage: true });
});
