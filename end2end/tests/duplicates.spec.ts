import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, syncNow, uniqueBsn, uniqueName, waitForServiceWorker } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('a resident registered again offline is flagged at the next sync and merged by the coordinator, keeping both stories', async ({ browser }) => {
  test.setTimeout(240_000);
  const office = await browser.newContext();
  const field = await browser.newContext();
  const anne = await office.newPage();
  const bram = await field.newPage();
  const family = uniqueName('Dubbel');
  const bsn = uniqueBsn();

  // Bram's tablet went out before Ayşe was known anywhere.
  await signIn(bram, 'bram');
  await waitForServiceWorker(bram);
  await field.setOffline(true);

  // At the office, Anne registers Ayşe.
  await signIn(anne, 'anne');
  await contactWithOpenQuestion(anne, 'Anne', { givenName: 'Ayşe', familyName: family, bsn, birthDate: '1962-03-14' });
  await synced(anne);

  // On a home visit, offline, Bram registers her again: nobody could ask the municipality.
  await contactWithOpenQuestion(bram, 'Bram', { givenName: 'Ayse', familyName: family, bsn, birthDate: '1962-03-14' });
  await field.setOffline(false);
  await syncNow(bram);

  // Anne, coordinator, finds it on the caseload page and merges.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  const card = anne.getByTestId('duplicates');
  const flag = card.getByTestId('duplicate').filter({ hasText: `Ayse ${family}` });
  await expect(flag).toContainText(`is al bekend in Huishouden ${family}`);
  await expectNoAxeViolations(anne, 'possible duplicates on the caseload');
  await card.screenshot({ path: '../docs/screenshots/dubbele-registratie.png' });
  await flag.getByRole('button', { name: `Ayse ${family} samenvoegen met de eerdere registratie` }).click();
  await expect(card.getByRole('status')).toContainText(`De registraties van Ayse ${family} zijn samengevoegd.`);
  await expect(flag).toHaveCount(0);

  // Both devices, after their next sync: one household with both visits, Ayşe once.
  for (const page of [anne, bram]) {
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
    await syncNow(page);
    await page.getByTestId('today-contacts').getByRole('link', { name: `Ayse ${family}` }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
    const entries = page.getByTestId('timeline').getByTestId('timeline-entry');
    await expect(entries.filter({ hasText: 'Contact: Huisbezoek' })).toHaveCount(2);
    await expect(page.getByTestId('member')).toHaveCount(1);
    await expect(page.getByTestId('member')).toContainText(`Ayşe ${family}`);
  }
  await office.close();
  await field.close();
});
