import { expect, type Page } from '@playwright/test';

export type NewResident = {
  givenName: string;
  familyName: string;
  birthDate?: string;
  bsn?: string;
  street?: string;
  houseNumber?: string;
  postcode?: string;
  city?: string;
  /** The resident was told what is recorded and with whom it may be shared. */
  told?: boolean;
  /** An existing household to join ("Huishouden X"), with the relation to the main contact. */
  household?: string;
  relation?: string;
};

/** Starts a contact and lands on the first quick-scan step. */
export async function startContact(
  page: Page,
  opts: { channel: string; worker: string; place?: string; register?: NewResident; search?: string; pick?: string },
) {
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  await page.getByRole('group', { name: 'Kanaal' }).getByLabel(opts.channel).check();
  if (opts.place) await page.getByRole('textbox', { name: /^Plaats \(niet verplicht\)/ }).fill(opts.place);
  await page.getByLabel('Jouw naam').fill(opts.worker);
  if (opts.register) {
    const r = opts.register;
    // A draft from before may already have the registration form open.
    if (!(await page.getByLabel('Voornaam').isVisible())) {
      await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
    }
    await page.getByLabel('Voornaam').fill(r.givenName);
    await page.getByLabel('Achternaam').fill(r.familyName);
    if (r.birthDate) await page.getByLabel('Geboortedatum').fill(r.birthDate);
    if (r.bsn) await page.getByLabel('BSN').fill(r.bsn);
    if (r.street) await page.getByLabel('Straat').fill(r.street);
    if (r.houseNumber) await page.getByLabel('Huisnummer').fill(r.houseNumber);
    if (r.postcode) await page.getByLabel('Postcode').fill(r.postcode);
    if (r.city) await page.getByLabel(/^Plaats \(woonplaats\)/).fill(r.city);
    if (r.household) {
      await page.getByLabel('Huishouden', { exact: true }).selectOption({ label: r.household });
      await page.getByLabel('Relatie tot de aanvrager').selectOption({ label: r.relation ?? 'Partner' });
    }
  } else {
    await page.getByLabel(/Zoek op naam/).fill(opts.search!);
    await page.getByRole('button', { name: new RegExp(opts.pick!) }).click();
    await expect(page.getByTestId('chosen-resident')).toContainText(opts.pick!);
  }
  if (opts.register?.told) await page.getByLabel('Ik heb verteld wat we vastleggen en met wie we het mogen delen').check();
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vraagverkenning' })).toBeVisible();
}

export type Answers = {
  ownWords: string;
  domains: string[];
  more: boolean;
  signals?: string[];
  rightPlace: boolean;
  answeredHere: boolean;
  wantsNotification: boolean;
};

const yesNo = (value: boolean) => (value ? 'Ja' : 'Nee');

async function next(page: Page, expectedStep: string) {
  await page.getByRole('button', { name: 'Volgende' }).click();
  await expect(page.getByRole('heading', { level: 2, name: expectedStep })).toBeVisible();
}

export async function answerStep1(page: Page, a: Answers) {
  await page.getByLabel('Wat is de vraag, in de woorden van de inwoner?').fill(a.ownWords);
  await next(page, 'Leefgebieden');
}

export async function answerStep2(page: Page, a: Answers) {
  for (const domain of a.domains) await page.getByLabel(domain).check();
  await next(page, 'Is er meer aan de hand?');
}

export async function answerRest(page: Page, a: Answers) {
  await page.getByRole('group', { name: 'Is er meer aan de hand dan de gestelde vraag?' }).getByLabel(yesNo(a.more)).check();
  await next(page, 'Veiligheid');
  for (const signal of a.signals ?? []) await page.getByLabel(signal).check();
  await next(page, 'Juiste plek');
  await page.getByRole('group', { name: 'Is de inwoner bij de gemeente aan het goede adres?' }).getByLabel(yesNo(a.rightPlace)).check();
  await page.getByRole('group', { name: /Kan de vraag nu worden beantwoord/ }).getByLabel(yesNo(a.answeredHere)).check();
  await page.getByRole('group', { name: 'Wil de inwoner een melding Wmo doen?' }).getByLabel(yesNo(a.wantsNotification)).check();
  await next(page, 'Uitkomst');
}

export async function confirm(page: Page) {
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
}

/** A home visit whose quick scan plans a conversation: a household with one open question. */
export async function contactWithOpenQuestion(page: Page, worker: string, resident: NewResident) {
  const question: Answers = {
    ownWords: 'Ik red het huishouden niet meer sinds mijn val.',
    domains: ['Huishouden en praktisch functioneren', 'Lichamelijke gezondheid'],
    more: true,
    rightPlace: true,
    answeredHere: false,
    wantsNotification: false,
  };
  await startContact(page, { channel: 'Huisbezoek', worker, register: resident });
  await answerStep1(page, question);
  await answerStep2(page, question);
  await answerRest(page, question);
  await page.getByLabel('Tijd').fill('10:30');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await confirm(page);
}
