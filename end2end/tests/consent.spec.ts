import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, reloadApp, startOffline } from './helpers';
import { startContact } from './journeys';

test('offline: consent per partner and purpose is recorded and can be withdrawn', async ({ page, context }) => {
  await startOffline(page, context);
  await startContact(page, { channel: 'Balie', worker: 'Anne', register: { givenName: 'Ria', familyName: 'Bos' } });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: 'Ria Bos' }).click();
  const card = page.getByTestId('consent');
  await expect(card).toContainText('Nog geen toestemming vastgelegd.');

  await card.getByText('Toestemming vastleggen').first().click();
  await card.getByRole('button', { name: 'Toestemming vastleggen' }).click();
  await expect(card.getByText('Kies de partner.')).toBeVisible();
  await card.getByLabel('Partner').selectOption({ label: 'Steunpunt Mantelzorg Lindeveen' });
  await card.getByRole('textbox', { name: 'Doel' }).fill('overleg over respijtzorg');
  await card.getByLabel('Schriftelijk (getekend)').check();
  await card.getByRole('button', { name: 'Toestemming vastleggen' }).click();
  const item = card.getByRole('listitem').filter({ hasText: 'Steunpunt Mantelzorg Lindeveen' });
  await expect(item).toContainText('overleg over respijtzorg · Schriftelijk (getekend)');
  await expect(item).toContainText('Geldig');
  await expectNoAxeViolations(page, 'the household page with consent');

  await item.getByRole('button', { name: 'Intrekken' }).click();
  await expect(item).toContainText('Ingetrokken op');
  await reloadApp(page);
  await expect(page.getByTestId('consent').getByRole('listitem')).toContainText('Ingetrokken op');
});
