import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, reloadApp, signIn, startOffline, waitForApp } from './helpers';
import { answerRest, answerStep1, answerStep2, confirm, startContact, type Answers } from './journeys';

const simple: Answers = {
  ownWords: 'Ik kan de boodschappen niet meer zelf dragen.',
  domains: ['Huishouden en praktisch functioneren'],
  more: false,
  rightPlace: true,
  answeredHere: true,
  wantsNotification: false,
};

test('offline from the start: register a resident, run a quick scan to every outcome, and find it all again', async ({ page, context }) => {
  test.setTimeout(180_000);
  await startOffline(page, context);
  await reloadApp(page);
  await expect(page.getByTestId('connection')).toContainText('Offline');

  // 1. Handled: a new resident at the desk; the BSN is checked with the elfproef.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  await page.getByLabel('BSN').fill('123456789');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(page.getByText('Dit BSN klopt niet (de elfproef faalt)')).toBeVisible();
  await expect(page.getByText('Kies het kanaal van dit contact.')).toBeVisible();
  await expect(page.getByLabel('BSN')).toHaveValue('123456789'); // the form keeps what was typed
  await startContact(page, {
    channel: 'Balie',
    worker: 'Anne de Wit',
    place: 'Stadhuis',
    register: {
      givenName: 'Fatma', familyName: 'Öztürk', birthDate: '1948-05-17', bsn: '111222333',
      street: 'Lindelaan', houseNumber: '12', postcode: '3511ab', city: 'Lindeveen',
    },
  });
  await answerStep1(page, simple);
  await answerStep2(page, simple);
  await answerRest(page, simple);
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Afgehandeld');
  await confirm(page);
  await expect(page.getByTestId('today-contacts')).toContainText('Afgehandeld');

  // 2. Referred: the wrong place; a partner from the social map, found by name, offline.
  await startContact(page, { channel: 'Telefoon', worker: 'Anne de Wit', search: 'ozturk', pick: 'Fatma Öztürk' });
  const debts: Answers = { ...simple, ownWords: 'Ik heb schulden.', domains: ['Financiën'], rightPlace: false };
  await answerStep1(page, debts);
  await answerStep2(page, debts);
  await answerRest(page, debts);
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Doorverwezen');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await expect(page.getByText('Kies een partner van de sociale kaart.')).toBeVisible();
  await page.getByLabel('Zoek op naam').fill('schuld');
  await page.getByLabel(/Schuldhulpverlening Lindeveen/).check();
  await page.getByLabel(/Warme overdracht/).check();
  await confirm(page);

  // 3. Appointment, with a reload in the middle of the scan: it resumes where it was.
  await startContact(page, { channel: 'Wijkspreekuur', worker: 'Anne de Wit', search: '1948-05-17', pick: 'Fatma Öztürk' });
  const more: Answers = { ...simple, ownWords: 'Mijn man is overleden en ik red het niet.', domains: ['Sociaal netwerk en meedoen', 'Psychische gezondheid'], more: true };
  await answerStep1(page, more);
  await answerStep2(page, more);
  await reloadApp(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Is er meer aan de hand?' })).toBeVisible();
  await page.getByRole('button', { name: 'Vorige' }).click();
  await expect(page.getByLabel('Psychische gezondheid')).toBeChecked();
  await page.getByRole('button', { name: 'Vorige' }).click();
  await expect(page.getByLabel('Wat is de vraag, in de woorden van de inwoner?')).toHaveValue(more.ownWords);
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await answerRest(page, more);
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Afspraak voor gesprek');
  // The law the question falls under, suggested from its first life domain.
  await expect(page.getByLabel('Wet of regeling').locator('option:checked')).toHaveText('Wmo 2015');
  await page.getByLabel('Tijd').fill('10:30');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await page.getByLabel('Huisbezoek').check();
  await confirm(page);

  // 4. Melding Wmo, overridden to an appointment and back: an override needs a reason.
  await startContact(page, { channel: 'Huisbezoek', worker: 'Anne de Wit', search: 'lindelaan', pick: 'Fatma Öztürk' });
  const melding: Answers = { ...simple, ownWords: 'Ik wil een scootmobiel aanvragen.', domains: ['Lichamelijke gezondheid'], answeredHere: false, wantsNotification: true };
  await answerStep1(page, melding);
  await answerStep2(page, melding);
  await answerRest(page, melding);
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Melding Wmo');
  await page.getByRole('group', { name: 'Uitkomst van de vraagverkenning' }).getByLabel('Afgehandeld').check();
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await expect(page.getByText(/Noteer waarom/)).toBeVisible();
  await page.getByRole('group', { name: 'Uitkomst van de vraagverkenning' }).getByLabel(/Melding Wmo/).check();
  await confirm(page);

  // 5. Escalated: a safety signal; never closable without a follow-up owner.
  await startContact(page, { channel: 'E-mail', worker: 'Anne de Wit', search: '111222333', pick: 'Fatma Öztürk' });
  const crisis: Answers = { ...simple, ownWords: 'Mijn zoon bedreigt mij.', domains: ['Gezin en opvoeding'], signals: ['Huiselijk geweld of kindermishandeling'] };
  await answerStep1(page, crisis);
  await answerStep2(page, crisis);
  await answerRest(page, crisis);
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Opschalen');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await expect(page.getByText(/Opschalen kan niet zonder eigenaar/)).toBeVisible();
  await page.getByLabel('Wie pakt de opvolging op?').fill('Veilig Thuis-consulent Bram');
  await confirm(page);

  // A cold start, still offline: a new tab finds every contact, outcome and open question.
  const cold = await context.newPage();
  await openApp(cold, '/');
  const contacts = cold.getByTestId('today-contacts');
  for (const outcome of ['Afgehandeld', 'Doorverwezen', 'Afspraak voor gesprek', 'Melding Wmo', 'Opschalen']) {
    await expect(contacts).toContainText(outcome);
  }
  await expect(contacts.getByRole('listitem')).toHaveCount(5);
  const open = cold.getByTestId('open-questions');
  await expect(open.getByRole('listitem')).toHaveCount(4); // the handled question is closed
  await expect(open).toContainText('Eigenaar: Veilig Thuis-consulent Bram');
  await expect(open).toContainText('Nagaan of Schuldhulpverlening Lindeveen de vraag heeft opgepakt');
  await expect(open).toContainText('om 10:30');

  // The warm handover recorded the resident's spoken consent for that partner.
  await contacts.getByRole('link', { name: 'Fatma Öztürk' }).first().click();
  await expect(cold.getByTestId('consent').getByRole('listitem')).toContainText('Schuldhulpverlening Lindeveen');
  await expect(cold.getByTestId('consent').getByRole('listitem')).toContainText('warme overdracht · Mondeling');
});

test('an interrupted quick scan is resumed from today\'s contacts after a cold reload', async ({ page, context }) => {
  await startOffline(page, context);
  await startContact(page, { channel: 'Balie', worker: 'Anne', register: { givenName: 'Piet', familyName: 'Jansen' } });
  await answerStep1(page, simple);
  const cold = await context.newPage();
  await openApp(cold, '/');
  await cold.getByRole('link', { name: 'Vraagverkenning hervatten' }).click();
  await expect(cold.getByRole('heading', { level: 2, name: 'Leefgebieden' })).toBeVisible();
});

test('the quick-scan screens pass axe (WCAG 2.1 AA)', async ({ page }) => {
  await signIn(page, 'noor');
  await expectNoAxeViolations(page, 'Vandaag');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(page.getByText('Vul de voornaam in.')).toBeVisible();
  await expectNoAxeViolations(page, 'Nieuw contact with errors');
  await startContact(page, { channel: 'Balie', worker: 'Anne', register: { givenName: 'Kees', familyName: 'Bakker' } });
  await expectNoAxeViolations(page, 'quick-scan step');
  await answerStep1(page, simple);
  await expectNoAxeViolations(page, 'life domains step');
  await answerStep2(page, simple);
  await answerRest(page, { ...simple, rightPlace: false });
  await expectNoAxeViolations(page, 'outcome with the social map');
  await openApp(page, '/over');
  await expectNoAxeViolations(page, 'Over deze app');
});
