import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expectNoAxeViolations, reloadApp, startOffline, syncNow } from './helpers';
import { answerRest, answerStep1, answerStep2, startContact, type Answers } from './journeys';

test('offline: the report for the resident shows the conversation and the plan, no internal notes, and prints on A4', async ({ page, context }, testInfo) => {
  test.setTimeout(120_000);
  await startOffline(page, context);
  await startContact(page, { channel: 'Huisbezoek', worker: 'Anne de Wit', register: { givenName: 'Wim', familyName: 'Dekker' } });
  const answers: Answers = {
    ownWords: 'Ik red het niet meer met de post.', domains: ['Financiën'], more: false,
    signals: ['Zorgen over verwaarlozing of vereenzaming'],
    rightPlace: true, answeredHere: true, wantsNotification: false,
  };
  await answerStep1(page, answers);
  await answerStep2(page, answers);
  await page.getByRole('group', { name: /Is er meer/ }).getByLabel('Nee').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Zorgen over verwaarlozing of vereenzaming').check();
  await page.getByLabel('Toelichting bij de signalen').fill('INTERN: woning erg vervuild');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: /goede adres/ }).getByLabel('Ja').check();
  await page.getByRole('group', { name: /beantwoord/ }).getByLabel('Ja').check();
  await page.getByRole('group', { name: /melding/ }).getByLabel('Nee').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: 'Uitkomst van de vraagverkenning' }).getByLabel('Afspraak voor gesprek').check();
  // Met on a home visit: the appointment is ticked as a home visit too.
  await expect(page.getByRole('checkbox', { name: 'Huisbezoek' })).toBeChecked();
  await page.getByLabel('Waarom wijk je af van het voorstel?').fill('INTERN: eerst overzicht');
  // The appointment is for vraagverheldering: the conversation starts as that kind.
  await page.getByRole('group', { name: 'Soort gesprek' }).getByLabel('Vraagverheldering').check();
  await page.getByLabel('Tijd').fill('09:00');
  await page.getByLabel('Plaats van het gesprek').fill('Thuis');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();

  await page.getByRole('button', { name: 'Keukentafelgesprek' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vraagverheldering' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Soort gesprek' }).getByLabel('Vraagverheldering')).toBeChecked();
  await page.getByRole('button', { name: /^Financiën/ }).click();
  const finances = page.getByTestId('domain-finances');
  await expect(page.locator('.scan-header').getByRole('link', { name: 'Sociale kaart' })).toHaveAttribute('href', '/wegwijzer');
  await finances.getByLabel('Wat is de situatie?').fill('Stapel ongeopende post.');
  await finances.getByLabel('Mantelzorg en sociaal netwerk').fill('Nicht helpt eens per week.');
  // Every section of the template is on the screen, in the investigation's order.
  const sections = ['Behoeften, kenmerken en voorkeuren', 'Eigen kracht en gebruikelijke hulp', 'Mantelzorg en sociaal netwerk',
    'Ondersteuning van de mantelzorger', 'Algemene en voorliggende voorzieningen'];
  for (const title of sections) await expect(finances.getByLabel(title)).toBeVisible();
  await finances.getByLabel('Behoeften, kenmerken en voorkeuren').fill('Wil zelf de regie houden.');
  await finances.getByLabel('Ondersteuning van de mantelzorger').fill('De nicht is overbelast.');
  await expect(finances.getByLabel('Maatwerkvoorziening nodig')).toBeVisible();
  await finances.getByLabel(/Welk resultaat wil de inwoner bereiken/).fill('Overzicht over mijn geld.');
  await page.getByRole('link', { name: 'Huishouden Dekker' }).click();
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await page.getByLabel('Regisseur van het huishouden').fill('Anne de Wit');
  // The goal starts from the result the resident named in the conversation.
  await expect(page.getByTestId('from-conversation')).toContainText('Overzicht over mijn geld.');
  await expectNoAxeViolations(page, 'the plan with results from the conversation');
  await page.getByRole('button', { name: 'Overnemen als resultaat: Financiën' }).click();
  await expect(page.getByLabel(/Welk resultaat wil de inwoner bereiken/)).toHaveValue('Overzicht over mijn geld.');
  await expect(page.getByTestId('from-conversation')).toHaveCount(0);
  await page.getByRole('button', { name: 'Actie toevoegen' }).click();
  await page.getByLabel('Actie 1', { exact: true }).fill('Samen de post openen');
  await page.getByLabel('Wie helpt bij actie 1').selectOption({ label: 'Vrijwilliger' });
  // A partner of the social map, picked from its suggestions: the report says how to reach it.
  await page.getByLabel('Naam of organisatie bij actie 1').fill('Vrijwillige Hulpdienst De Schakel');

  await page.getByRole('link', { name: 'Huishouden Dekker' }).click();
  await page.getByRole('link', { name: 'Verslag voor de inwoner' }).click();
  const report = page.getByTestId('report');
  await expect(report).toContainText('Voor: Wim Dekker');
  await expect(report.getByTestId('report-conversation')).toContainText('Vraagverheldering op');
  await expect(report).toContainText('Stapel ongeopende post.');
  await expect(report).toContainText('Nicht helpt eens per week.');
  await expect(report).toContainText('Wil zelf de regie houden.');
  await expect(report.getByText('Steun voor wie voor u zorgt')).toBeVisible();
  await expect(report).toContainText('De nicht is overbelast.');
  await expect(report).toContainText('Overzicht over mijn geld.');
  await expect(report).toContainText('Vrijwillige Hulpdienst De Schakel (Vrijwilliger)');
  await expect(report).toContainText('Telefoon 0341 200 400');
  await expect(report).not.toContainText('INTERN');

  await page.getByLabel('Akkoord, met opmerkingen').check();
  await page.getByRole('textbox', { name: /^Opmerkingen/ }).fill('Liever op dinsdag.');
  await page.getByRole('textbox', { name: 'Naam', exact: true }).fill('Wim Dekker');
  await expectNoAxeViolations(page, 'the report');
  await reloadApp(page);
  await expect(page.getByLabel('Akkoord, met opmerkingen')).toBeChecked();
  await expect(page.getByRole('textbox', { name: /^Opmerkingen/ })).toHaveValue('Liever op dinsdag.');
  // The agreement is part of the conversation record, queued for sync like every change
  // (sealed in storage: the queue is counted, its words are unreadable there).
  const queued = await page.evaluate(() => Object.keys(localStorage).filter((k) => (k.startsWith('kt/outbox/') || k.startsWith('kt/queue/'))).map((k) => localStorage.getItem(k)!));
  expect(queued.length).toBeGreaterThan(0);
  expect(queued.every((value) => value.startsWith('kt2:'))).toBe(true);
  expect(queued.join()).not.toContain('Liever op dinsdag');

  // The PDF is made on the server from what was synced: not offline, then once synced.
  const pdfButton = page.getByRole('button', { name: 'Downloaden als pdf' });
  await expect(pdfButton).toBeDisabled();
  await expect(page.getByText('Downloaden als pdf kan weer als er verbinding is.')).toBeVisible();
  await context.setOffline(false);
  await syncNow(page);
  await expect(pdfButton).toBeEnabled();
  const downloading = page.waitForEvent('download');
  await pdfButton.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^verslag-en-plan-\d{2}-\d{2}-\d{4}\.pdf$/);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10_000);
  await expect(page.getByText('De pdf is gedownload.')).toBeVisible();
  await expectNoAxeViolations(page, 'the report after the PDF download');
  await page.getByTestId('report-pdf').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('verslag-pdf-knop.png') });

  // Print: no app frame, A4.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Afdrukken' })).toBeHidden();
  await expect(pdfButton).toBeHidden();
  const shot = testInfo.outputPath('verslag-print.png');
  await page.screenshot({ path: shot, fullPage: true });
  if (process.env.KEUKENTAFEL_DOCS_SCREENSHOTS) await page.screenshot({ path: process.env.KEUKENTAFEL_DOCS_SCREENSHOTS, fullPage: true });
});
