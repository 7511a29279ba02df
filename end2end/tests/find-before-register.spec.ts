import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, signIn, synced, syncNow, uniqueBsn, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('registering a resident another team knows: found in the municipality, access asked, granted, and the household arrives', async ({ browser }) => {
  test.setTimeout(180_000);
  const wijk = await browser.newContext();
  const oost = await browser.newContext();
  const anne = await wijk.newPage();
  const s = await oost.newPage();

  // Anne's team (Wijkteam) knows Ayşe.
  await signIn(anne, 'anne');
  const family = uniqueName('Öztürk');
  const bsn = uniqueBsn();
  await contactWithOpenQuestion(anne, 'Anne', { givenName: 'Ayşe', familyName: family, bsn, birthDate: '1962-03-14' });
  await synced(anne);

  // Gert, a consultant in another team, starts registering her again: by name without accents and the
  // birth date, the municipality says she is known, and where.
  await signIn(s, 'gert');
  await s.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await s.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  await s.getByLabel('Voornaam').fill('Ayse');
  await s.getByLabel('Achternaam').fill(family.replace('Ö', 'O').replace('ü', 'u').toLowerCase());
  await s.getByLabel('Geboortedatum').fill('1962-03-14');
  const known = s.getByTestId('known-in-municipality');
  const match = known.getByTestId('known-match');
  await expect(match).toContainText('Bekend bij Wijkteam');
  await expect(match).toContainText('Nog geen regisseur.');
  // Nothing of the household beyond that.
  await expect(known).not.toContainText(family);
  await match.getByRole('button', { name: 'Toegang vragen' }).click();
  await expect(match.getByText('Schrijf kort waarom je toegang nodig hebt.')).toBeVisible();
  await match.getByLabel('Waarom heb je toegang nodig?').fill('Mevrouw staat bij ons aan de balie.');
  await expectNoAxeViolations(s, 'a resident known in another team');
  await s.screenshot({ path: '../docs/screenshots/bekend-in-de-gemeente.png', fullPage: true });
  await match.getByRole('button', { name: 'Toegang vragen' }).click();
  await expect(match.getByTestId('access-requested')).toContainText('de coördinator van Wijkteam beslist');

  // Anne, the coordinator of Wijkteam, grants it on the caseload page.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Caseload' }).click();
  const requests = anne.getByTestId('access-requests');
  const request = requests.getByTestId('access-request').filter({ hasText: 'Mevrouw staat bij ons aan de balie.' });
  await expect(request).toContainText('gert (Gebiedsteam Oost) vraagt toegang tot');
  await expectNoAxeViolations(anne, 'access requests on the caseload');
  await requests.screenshot({ path: '../docs/screenshots/toegangsverzoeken.png' });
  await request.getByRole('button', { name: 'Toegang geven aan gert' }).click();
  await expect(requests).toContainText('gert heeft toegang gekregen.');

  // At Gert's next sync the household is on her device; the lookup now opens it.
  await syncNow(s);
  await s.getByLabel('Achternaam').fill(family);
  await expect(match.getByRole('link', { name: 'Open het huishouden' })).toBeVisible();
  await expect(match).toContainText(`Ayşe ${family}`);
  await match.getByRole('link', { name: 'Open het huishouden' }).click();
  await expect(s.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  await expect(s.getByTestId('member')).toContainText(bsn);
  const household = s.url();

  // Anne takes the access back on the household page; at Gert's next sync it is gone from her
  // device.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await anne.getByTestId('today-contacts').getByRole('link', { name: `Ayşe ${family}` }).first().click();
  const guests = anne.getByTestId('guests');
  await expect(guests.getByTestId('guest')).toContainText('gert (Gebiedsteam Oost)');
  await expectNoAxeViolations(anne, 'guests on the household page');
  await guests.getByRole('button', { name: 'Toegang van gert intrekken' }).click();
  await expect(guests.getByRole('status')).toContainText('De toegang van gert is ingetrokken.');
  await expect(guests.getByTestId('guest')).toHaveCount(0);
  await s.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await syncNow(s);
  const id = new URL(household).pathname.split('/').pop();
  await expect.poll(() => s.evaluate((id) => localStorage.getItem(`kt/rec/household/${id}`) !== null, id), { timeout: 20_000 }).toBe(false);
  await openApp(s, new URL(household).pathname);
  await expect(s.getByText('Huishouden niet gevonden')).toBeVisible();
  await wijk.close();
  await oost.close();
});
