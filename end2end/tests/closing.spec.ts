import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('the coordinator closes a household from its page and reopens it; the page says which it is', async ({ page }) => {
  await signIn(page, 'anne');
  const family = uniqueName('Sluiter');
  await contactWithOpenQuestion(page, 'Anne', { givenName: 'Joop', familyName: family });
  await synced(page);
  await page.getByTestId('today-contacts').getByRole('link', { name: `Joop ${family}` }).click();
  const card = page.getByTestId('closure');
  await card.getByRole('button', { name: 'Huishouden afsluiten' }).click();
  await expect(card.getByRole('alert')).toHaveText('Kies de grondslag van de ondersteuning.');
  await card.getByLabel('Grondslag van de ondersteuning').selectOption({ label: 'Geen ondersteuning nodig of gewenst' });
  await expectNoAxeViolations(page, 'closing a household');
  await card.getByRole('button', { name: 'Huishouden afsluiten' }).click();
  // The closure comes back in the household record at the sync that follows.
  await expect(page.getByTestId('closed')).toContainText(/^Afgesloten op \d\d-\d\d-\d{4}\./, { timeout: 20_000 });
  await card.getByRole('button', { name: 'Huishouden heropenen' }).click();
  await expect(page.getByTestId('closed')).toHaveCount(0, { timeout: 20_000 });
  await expect(card.getByRole('button', { name: 'Huishouden afsluiten' })).toBeVisible();
});

test('the coordinator moves a household to another team of the municipality, with a reason', async ({ page }) => {
  await signIn(page, 'anne');
  const family = uniqueName('Verhuizer');
  await contactWithOpenQuestion(page, 'Anne', { givenName: 'Kees', familyName: family });
  await synced(page);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  await page.getByLabel('Zoek op huishouden of regisseur').fill(family);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  const row = page.getByTestId('caseload-row').filter({ hasText: family });
  await row.getByText('Naar een ander team').click();
  await row.getByLabel('Team', { exact: true }).selectOption({ label: 'Gebiedsteam Oost' });
  await row.getByRole('button', { name: 'Verplaatsen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Kies het team en schrijf waarom.');
  await row.getByLabel('Waarom').fill('Verhuisd naar Oost');
  await expectNoAxeViolations(page, 'moving a household to another team');
  await row.getByRole('button', { name: 'Verplaatsen' }).click();
  await expect(page.getByTestId('caseload-notice')).toHaveText(`Huishouden ${family} is naar het andere team gegaan.`);
  await expect(page.getByTestId('caseload-row').filter({ hasText: family })).toHaveCount(0);
});
