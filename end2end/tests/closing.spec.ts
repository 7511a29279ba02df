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
