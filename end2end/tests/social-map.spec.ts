import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, startOffline } from './helpers';

test('offline, a worker looks up a partner on the social map by text, life domain and area', async ({ page, context }) => {
  await startOffline(page, context);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Sociale kaart' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sociale kaart' })).toBeVisible();
  const partners = page.getByTestId('partner');
  // The sample map's eight, and what other tests added to it on the server.
  await expect(partners.filter({ hasText: 'Welzijn Lindeveen' })).toHaveCount(1);
  const total = await partners.count();
  expect(total).toBeGreaterThanOrEqual(8);
  await expect(page.getByTestId('partners-found')).toHaveText(`${total} partners gevonden`);

  await page.getByLabel('Zoek op naam of dienst').fill('schuld');
  await expect(partners).toHaveCount(1);
  await expect(partners.first()).toContainText('Schuldhulpverlening Lindeveen');
  await expect(partners.first()).toContainText('0341 200 300');
  await expect(page.getByTestId('partners-found')).toHaveText('1 partner gevonden');

  await page.getByLabel('Zoek op naam of dienst').fill('');
  await page.getByLabel('Leefgebied').selectOption({ label: 'Gezin en opvoeding' });
  await expect(partners.filter({ hasText: 'Centrum voor Jeugd en Gezin Lindeveen' })).toHaveCount(1);
  await expect(partners.filter({ hasText: 'Schuldhulpverlening Lindeveen' })).toHaveCount(0);
  await expect(page.getByLabel('Werkgebied')).toHaveValue('');
  await expectNoAxeViolations(page, 'the social map for workers');
  await page.screenshot({ path: '../docs/screenshots/sociale-kaart.png', fullPage: true });
});
