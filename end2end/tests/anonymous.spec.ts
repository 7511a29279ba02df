import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, syncNow, waitForServiceWorker } from './helpers';

// Issue 16 item 7, in part: a quick question by phone where no resident is registered is
// recorded offline, reaches the server at the next sync, and counts in the figures.
test('an anonymous phone contact recorded offline counts in the figures', async ({ browser }) => {
  test.setTimeout(180_000);
  const desk = await browser.newContext();
  const office = await browser.newContext();
  const noor = await desk.newPage();
  const anne = await office.newPage();

  await signIn(noor, 'noor');
  await synced(noor);
  await waitForServiceWorker(noor);
  await desk.setOffline(true);
  await noor.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await noor.getByRole('link', { name: 'Leg een snelle vraag zonder inwoner vast' }).click();
  await expect(noor.getByRole('heading', { level: 1, name: 'Snelle vraag zonder inwoner' })).toBeVisible();

  // Nothing chosen: every missing part is named, nothing is kept.
  await noor.getByRole('button', { name: 'Contact vastleggen' }).click();
  await expect(noor.getByText('Kies het kanaal van dit contact.')).toBeVisible();
  await expect(noor.getByText('Kies wat de inwoner heeft gekregen.')).toBeVisible();

  const form = noor.getByTestId('anonymous-contact');
  await form.getByRole('group', { name: 'Kanaal' }).getByLabel('Telefoon').check();
  await form.getByLabel('Waar ging de vraag over?').fill('Hulp bij het formulier voor huurtoeslag');
  await form.getByRole('group', { name: 'Leefgebied' }).getByRole('checkbox').first().check();
  await form.getByRole('group', { name: 'Wat heeft de inwoner gekregen?' }).getByLabel(/Praktische ondersteuning/).check();
  await expectNoAxeViolations(noor, 'the anonymous contact form');
  await form.getByRole('button', { name: 'Contact vastleggen' }).click();
  await expect(noor.getByTestId('anonymous-saved')).toHaveText('Vastgelegd: praktische ondersteuning (zoals hulp bij een formulier) via telefoon.');
  await expect(noor.getByTestId('anonymous-waiting')).toHaveText('1 contact wacht op de volgende synchronisatie.');
  // The form is empty again for the next call.
  await expect(form.getByLabel('Waar ging de vraag over?')).toHaveValue('');
  await noor.screenshot({ path: '../docs/screenshots/anoniem-contact.png', fullPage: true });

  // Back online: sent at the next sync.
  await desk.setOffline(false);
  await syncNow(noor);
  await expect(noor.getByTestId('anonymous-waiting')).toHaveText('Alles is verstuurd naar de server.');

  // The coordinator's figures count it.
  await signIn(anne, 'anne');
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' }).click();
  const table = anne.getByTestId('figure-contacten-zonder-inwoner');
  await expect(table.getByRole('row').filter({ hasText: 'Telefoon' })).toContainText('Praktische ondersteuning');
  await expect(anne.getByTestId('stat-anonymous')).not.toHaveText('0');
  await desk.close();
  await office.close();
});
