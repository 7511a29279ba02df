import { test, expect, type Page } from '@playwright/test';
import { signIn, synced, syncNow, uniqueName, waitForServiceWorker } from './helpers';
import { contactWithOpenQuestion } from './journeys';

/** The household's timeline as its entries' texts, in order. */
async function story(page: Page) {
  return page.getByTestId('timeline').getByTestId('timeline-entry').allInnerTexts();
}

test('a household built by two workers on two devices tells one story on both, and the front office sees its regisseur', async ({ browser }) => {
  test.setTimeout(180_000);
  const office = await browser.newContext();
  const desk = await browser.newContext();
  const anne = await office.newPage();
  const noor = await desk.newPage();
  await signIn(anne, 'anne');
  const family = uniqueName('Verhalen');
  await contactWithOpenQuestion(anne, 'Anne', { givenName: 'Truus', familyName: family });
  await synced(anne);
  // Anne, coordinator, chooses the regisseur.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  await anne.getByLabel('Zoek op huishouden of regisseur').fill(family);
  await anne.getByRole('button', { name: 'Zoeken' }).click();
  const row = anne.getByTestId('caseload-row').filter({ hasText: family });
  await row.getByLabel('Regisseur').selectOption({ label: 'bram' });
  await row.getByRole('button', { name: 'Toewijzen' }).click();
  await expect(anne.getByTestId('caseload-notice')).toHaveText('Regisseur toegewezen.');

  // Noor, front office, on her own tablet: the household with its regisseur; she adds to it
  // offline.
  await signIn(noor, 'noor');
  await synced(noor);
  await noor.getByTestId('today-contacts').getByRole('link', { name: `Truus ${family}` }).click();
  await expect(noor.getByTestId('case-manager')).toHaveText('Regisseur: bram (bram@e2e.example)');
  await waitForServiceWorker(noor);
  await desk.setOffline(true);
  const involved = noor.getByTestId('involved-card');
  await involved.getByText('Betrokkene toevoegen').first().click();
  await involved.getByLabel('Organisatie (niet verplicht)').fill('Thuiszorg De Linde');
  await involved.getByLabel('Rol').fill('wijkverpleging');
  await involved.getByRole('button', { name: 'Betrokkene toevoegen' }).last().click();
  await expect(involved.getByTestId('involved')).toContainText('Thuiszorg De Linde');
  const consent = noor.getByTestId('consent');
  await consent.getByText('Toestemming vastleggen').first().click();
  await consent.getByLabel('Partner').selectOption({ label: 'Schuldhulpverlening Lindeveen' });
  await consent.getByRole('button', { name: 'Toestemming vastleggen' }).click();
  await desk.setOffline(false);
  await syncNow(noor);

  // Anne's device after its next sync: the same story, entry for entry.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await syncNow(anne);
  await anne.getByTestId('today-contacts').getByRole('link', { name: `Truus ${family}` }).first().click();
  const entries = anne.getByTestId('timeline').getByTestId('timeline-entry');
  await expect(entries.filter({ hasText: 'Betrokken: Thuiszorg De Linde' })).toHaveCount(1);
  await expect(entries.filter({ hasText: 'Toestemming gegeven: Schuldhulpverlening Lindeveen' })).toHaveCount(1);
  await expect(entries.filter({ hasText: 'Contact: Huisbezoek' })).toHaveCount(1);
  // The front office sees no conversations or plans; here there are none, so the stories match.
  await syncNow(noor);
  expect(await story(noor)).toEqual(await story(anne));
  await office.close();
  await desk.close();
});
