import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, syncNow, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('the coordinator assigns a coordinator and hands a household over warmly; pick-up shows', async ({ page }) => {
  await signIn(page, 'anne');
  const family = uniqueName('Caseload');
  await contactWithOpenQuestion(page, 'anne', { givenName: 'Ilse', familyName: family });
  await synced(page);

  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  await page.getByLabel('Zoek op huishouden of regisseur').fill(family);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  const row = page.getByTestId('caseload-row').filter({ hasText: family });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('1 open vraag');
  await expect(row).toContainText('regisseur: nog niet toegewezen');

  await row.getByLabel('Regisseur').selectOption({ label: 'bram' });
  await row.getByRole('button', { name: 'Toewijzen' }).click();
  await expect(page.getByTestId('caseload-notice')).toHaveText('Regisseur toegewezen.');
  await expect(page.getByTestId('caseload-row').filter({ hasText: family })).toContainText('regisseur: bram');

  // To a partner without the resident's consent: refused in words, the note stays.
  const again = page.getByTestId('caseload-row').filter({ hasText: family });
  await again.getByText('Warm overdragen').click();
  await again.getByLabel('Aan').selectOption({ label: 'Schuldhulpverlening Lindeveen' });
  await again.getByLabel('Wat moet de volgende weten?').fill('Huurachterstand, wil hulp bij budget.');
  await again.getByRole('button', { name: 'Overdragen' }).click();
  await expect(page.getByRole('alert')).toContainText('geen geldige toestemming');
  await expect(again.getByLabel('Wat moet de volgende weten?')).toHaveValue('Huurachterstand, wil hulp bij budget.');

  await again.getByLabel('Wettelijke grondslag zonder toestemming (meestal leeg)').fill('Vroegsignalering schulden (Wgs art. 3)');
  await again.getByRole('button', { name: 'Overdragen' }).click();
  await expect(page.getByTestId('caseload-notice')).toHaveText('Overgedragen aan Schuldhulpverlening Lindeveen.');
  const status = page.getByTestId('caseload-row').filter({ hasText: family }).getByTestId('handover-status');
  await expect(status).toContainText('nog niet opgepakt');
  await page.screenshot({ path: '../docs/screenshots/caseload.png', fullPage: true });
  await expectNoAxeViolations(page, 'the caseload');

  await status.getByRole('button', { name: 'Opgepakt vastleggen' }).click();
  await expect(page.getByTestId('caseload-row').filter({ hasText: family }).getByTestId('handover-status')).toContainText(': opgepakt.');

  // The regisseur reaches the household record on the device, the plan and the report.
  await syncNow(page);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: `Ilse ${family}` }).click();
  await expect(page.getByTestId('case-manager')).toHaveText('Regisseur: bram (bram@e2e.example)');
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await expect(page.getByTestId('plan-case-manager')).toHaveText('Regisseur: bram (bram@e2e.example)');
  await page.getByRole('link', { name: `Huishouden ${family}` }).click();
  await page.getByRole('link', { name: 'Verslag voor de inwoner' }).click();
  await expect(page.getByTestId('report-case-manager')).toHaveText('Uw vaste contactpersoon (regisseur): bram (bram@e2e.example)');
});

test('a colleague finds a household handed over to them in my work, and picks it up', async ({ page, browser }) => {
  await signIn(page, 'anne');
  const family = uniqueName('Overdracht');
  await contactWithOpenQuestion(page, 'anne', { givenName: 'Mees', familyName: family });
  await synced(page);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  await page.getByLabel('Zoek op huishouden of regisseur').fill(family);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  const row = page.getByTestId('caseload-row').filter({ hasText: family });
  await row.getByText('Warm overdragen').click();
  await row.getByLabel('Aan').selectOption({ label: 'bram' });
  await row.getByLabel('Wat moet de volgende weten?').fill('Dochter belt elke dinsdag; graag voor de 1e langs.');
  await row.getByRole('button', { name: 'Overdragen' }).click();
  await expect(page.getByTestId('caseload-notice')).toHaveText('Overgedragen aan bram.');

  // Bram's device: the household arrives by sync, the handover shows under my work.
  const other = await browser.newContext();
  const tablet = await other.newPage();
  await signIn(tablet, 'bram');
  await synced(tablet);
  const handovers = tablet.getByTestId('my-work-handovers');
  const item = handovers.getByRole('listitem').filter({ hasText: family });
  await expect(item).toContainText('Van anne: Dochter belt elke dinsdag');
  await expectNoAxeViolations(tablet, 'my work with a handover');
  await item.getByRole('button', { name: 'Oppakken' }).click();
  await expect(tablet.getByText('Opgepakt. Je collega ziet dat de overdracht is aangekomen.')).toBeVisible();
  await expect(item).toHaveCount(0);
  await other.close();

  await page.getByRole('button', { name: 'Zoeken' }).click();
  await expect(page.getByTestId('caseload-row').filter({ hasText: family }).getByTestId('handover-status')).toContainText(': opgepakt.');
});
