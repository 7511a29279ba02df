import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, signIn, startOffline, synced, syncNow, uniqueBsn, uniqueName } from './helpers';
import { contactWithOpenQuestion, startContact } from './journeys';

/** The edit form of the member named `name`, opened. */
async function editMember(page: Page, name: string) {
  await page.getByRole('button', { name: `Gegevens wijzigen van ${name}` }).click();
  const form = page.getByRole('form', { name: `Gegevens van ${name}` });
  await expect(form).toBeVisible();
  return form;
}

test('a resident moves and gets a new phone number, corrected offline on two tablets: both corrections are kept', async ({ browser }) => {
  test.setTimeout(180_000);
  const anne = await browser.newContext();
  const bram = await browser.newContext();
  const a = await anne.newPage();
  const b = await bram.newPage();
  await signIn(a, 'anne');
  const family = uniqueName('Mulder');
  const name = `Joke ${family}`;
  await contactWithOpenQuestion(a, 'Anne', { givenName: 'Joke', familyName: family, bsn: uniqueBsn(), birthDate: '1951-03-09' });
  await synced(a);
  await signIn(b, 'bram');
  await synced(b);
  for (const page of [a, b]) {
    await page.getByTestId('today-contacts').getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  }

  await anne.setOffline(true);
  await bram.setOffline(true);
  // Anne: the resident moved.
  const moved = await editMember(a, name);
  await expect(moved.getByLabel('Geboortedatum')).toHaveValue('1951-03-09');
  await moved.getByLabel('Straat').fill('Lindelaan');
  await moved.getByLabel('Huisnummer').fill('12');
  await moved.getByLabel('Postcode').fill('3511ss');
  await moved.getByRole('button', { name: 'Opslaan' }).click();
  // Checked as at registration, beside the field; what was typed stays.
  await expect(moved.getByText('SA, SD en SS worden nooit uitgegeven')).toBeVisible();
  await expect(moved.getByLabel('Straat')).toHaveValue('Lindelaan');
  await moved.getByLabel('Postcode').fill('3511 ab');
  await expectNoAxeViolations(a, 'correcting a resident');
  await a.screenshot({ path: '../docs/screenshots/inwoner-wijzigen.png', fullPage: true });
  await moved.getByRole('button', { name: 'Opslaan' }).click();
  await expect(a.getByTestId('member-saved')).toContainText('Gegevens bewaard op dit apparaat om');
  await expect(a.getByTestId('member')).toContainText('Lindelaan 12, 3511 AB');

  // Bram: a new phone number, from the same version.
  const phone = await editMember(b, name);
  await phone.getByLabel('Telefoon').fill('abc');
  await phone.getByRole('button', { name: 'Opslaan' }).click();
  await expect(phone.getByText('Vul een telefoonnummer in met cijfers')).toBeVisible();
  await phone.getByLabel('Telefoon').fill('06 12345678');
  await phone.getByRole('button', { name: 'Opslaan' }).click();
  await expect(b.getByTestId('member')).toContainText('06 12345678');

  // Both land: the address and the phone are separate fields, so they merge.
  await anne.setOffline(false);
  await synced(a);
  await bram.setOffline(false);
  await synced(b);
  await syncNow(a);
  for (const page of [a, b]) {
    const member = page.getByTestId('member');
    await expect(member).toContainText('Lindelaan 12, 3511 AB');
    await expect(member).toContainText('06 12345678');
    await expect(member).toContainText('09-03-1951');
    await expect(page.getByTestId('conflict')).toHaveCount(0);
  }
  await anne.close();
  await bram.close();
});

test('offline, the household page tells the whole story by kind and by member, and each member gives their own consent', async ({ page, context }) => {
  await startOffline(page, context);
  const family = uniqueName('Kramer');
  await contactWithOpenQuestion(page, 'Solo', { givenName: 'Ans', familyName: family, told: true });
  // Her partner calls a week later: registered into the same household.
  await startContact(page, { channel: 'Telefoon', worker: 'Solo', register: { givenName: 'Piet', familyName: family, household: `Huishouden ${family}`, relation: 'Partner' } });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: `Ans ${family}` }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();

  // Ans was told what is recorded at her first contact; Piet not yet.
  const ans = page.getByTestId('member').filter({ hasText: `Ans ${family}` });
  await expect(ans.getByTestId('told')).toHaveText(/^Verteld wat we vastleggen en met wie we het delen: \d\d-\d\d-\d{4}\.$/);
  const pietItem = page.getByTestId('member').filter({ hasText: `Piet ${family}` });
  await expect(pietItem.getByTestId('told')).toHaveText('Nog niet verteld wat we vastleggen en met wie we het delen.');
  const story = page.getByTestId('timeline');
  const entries = story.getByTestId('timeline-entry');
  await expect(entries.filter({ hasText: 'Contact: Huisbezoek' })).toContainText('verteld wat we vastleggen');
  await expect(entries.filter({ hasText: 'Contact: Telefoon' })).toHaveCount(1);
  await expect(entries.filter({ hasText: 'Vraagverkenning: Afspraak voor gesprek' })).toHaveCount(1);
  await expect(entries.filter({ hasText: 'Vraag (open)' })).toContainText('Ik red het huishouden niet meer sinds mijn val.');

  // Consent from Piet, for his own data.
  const consent = page.getByTestId('consent');
  await consent.getByText('Toestemming vastleggen').first().click();
  await consent.getByLabel('Van wie').selectOption({ label: `Piet ${family}` });
  await consent.getByLabel('Partner').selectOption({ label: 'Schuldhulpverlening Lindeveen' });
  await consent.getByRole('button', { name: 'Toestemming vastleggen' }).click();
  await expect(consent.getByRole('listitem').filter({ hasText: 'Schuldhulpverlening Lindeveen' })).toContainText(`Van Piet ${family}`);
  await expect(entries.filter({ hasText: 'Toestemming gegeven: Schuldhulpverlening Lindeveen' })).toHaveCount(1);

  await story.getByLabel('Soort').selectOption({ label: 'Contacten' });
  await expect(entries).toHaveCount(2);
  await story.getByLabel('Soort').selectOption({ label: 'Alles' });
  await story.getByLabel('Over').selectOption({ label: `Piet ${family}` });
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('Toestemming gegeven');
  await expect(entries.nth(1)).toContainText('Contact: Telefoon');
  await story.getByLabel('Over').selectOption({ label: 'Het hele huishouden' });
  await expectNoAxeViolations(page, 'the household record with its timeline');
  await story.screenshot({ path: '../docs/screenshots/huishouden-verloop.png' });

  // Piet died: a date is needed; then he is listed as a former member, and his details stay.
  const piet = await editMember(page, `Piet ${family}`);
  await expect(piet.getByLabel('Relatie tot de aanvrager')).toHaveValue('partner');
  await piet.getByLabel('Overleden').check();
  await piet.getByRole('button', { name: 'Opslaan' }).click();
  await expect(piet.getByText('Vul de datum van overlijden in.')).toBeVisible();
  await piet.getByLabel('Niet meer in het huishouden sinds').fill('2026-11-01');
  await expectNoAxeViolations(page, 'a member leaving the household');
  await piet.getByRole('button', { name: 'Opslaan' }).click();
  const former = page.getByTestId('former-members');
  await expect(former).toContainText(`Piet ${family}`);
  await expect(former.getByTestId('departure')).toHaveText('Overleden op 01-11-2026');
  // The main contact cannot leave while others stay; here she is the only one left, so she could.
  await expect(page.getByTestId('member').filter({ hasText: `Ans ${family}` })).toBeVisible();
});
