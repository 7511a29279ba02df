import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, signIn, syncNow, uniqueName, unlock } from './helpers';
import { startContact } from './journeys';

const menu = (page: Page) => page.getByRole('navigation', { name: 'Hoofdmenu' });

async function exportCsv(page: Page): Promise<string> {
  const href = await page.getByRole('link', { name: 'Exporteren als CSV' }).getAttribute('href');
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  return response.text();
}

async function importCsv(page: Page, text: string) {
  await page.getByLabel('CSV-bestand').setInputFiles({ name: 'sociale-kaart.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Importeren' }).click();
}

const sortedLines = (csv: string) => csv.trim().split('\n').sort();

test('the social map goes out as CSV and back in, and the change reaches a worker device', async ({ page, browser }) => {
  await signIn(page, 'beheer');
  await menu(page).getByRole('link', { name: 'Sociale kaart' }).click();
  await expect(page.getByTestId('partners-table')).toContainText('Welzijn Lindeveen');

  // Round trip: export, add a partner in the "spreadsheet", import, export again.
  const exported = await exportCsv(page);
  expect(exported.split('\n')[0]).toBe('\uFEFFcode;naam;soort;diensten;leefgebieden;werkgebied;telefoon;e-mail;adres;openingstijden;actief');
  const name = uniqueName('Buurtkamer');
  const code = name.toLowerCase();
  const row = `${code};${name};Buurtkamer;Koffie, ontmoeting en een maatje;"social_network;daytime";Lindeveen-Noord;0341 300 100;;Kerkpad 2;ma-vr 10.00-16.00;ja`;
  const edited = exported.trimEnd() + '\n' + row + '\n';
  await importCsv(page, edited);
  await expect(page.getByTestId('csv-result')).toContainText('Import klaar: 1 toegevoegd, 0 gewijzigd,');
  await expect(page.getByTestId('partners-table')).toContainText(name);
  const again = await exportCsv(page);
  expect(sortedLines(again)).toEqual(sortedLines(edited));

  // A faulty file changes nothing and names its line.
  const faulty = again.replace('0341 300 100', '0341 300 199').trimEnd() + '\nfout;Fout;Soort;;tuinieren;;;;;;ja\n';
  await importCsv(page, faulty);
  const lastLine = faulty.trim().split('\n').length;
  await expect(page.getByTestId('csv-errors')).toContainText(`Regel ${lastLine}: Onbekend leefgebied: tuinieren.`);
  expect(await exportCsv(page)).toBe(again);

  // One partner in the form: a required field left empty is named, the rest is kept.
  await page.getByRole('button', { name: `${name} wijzigen` }).click();
  const form = page.getByTestId('partner-form');
  await form.getByLabel('Naam', { exact: true }).fill('');
  await form.getByLabel('Openingstijden').fill('ma-za 10.00-17.00');
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(form.getByText('Vul de naam in.')).toBeVisible();
  await expect(form.getByLabel('Openingstijden')).toHaveValue('ma-za 10.00-17.00');
  await form.getByLabel('Naam', { exact: true }).fill(name);
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByTestId('partner-message')).toContainText(`${name} is opgeslagen`);
  await expect(page.getByTestId('partners-table')).toContainText('ma-za 10.00-17.00');
  await page.screenshot({ path: '../docs/screenshots/social-map-admin.png', fullPage: true });
  await expectNoAxeViolations(page, 'the social map screen');

  // A worker's device gets the new partner with its next sync, and has it offline.
  const worker = await browser.newContext();
  const tablet = await worker.newPage();
  await signIn(tablet, 'anne');
  await syncNow(tablet);
  await worker.setOffline(true);
  await startContact(tablet, { channel: 'Balie', worker: 'Anne', register: { givenName: 'Kees', familyName: uniqueName('Kaart') } });
  await menu(tablet).getByRole('link', { name: 'Vandaag' }).click();
  await tablet.getByTestId('today-contacts').getByRole('link').first().click();
  const card = tablet.getByTestId('consent');
  await card.getByText('Toestemming vastleggen').first().click();
  await expect(card.getByLabel('Partner').locator('option', { hasText: name })).toHaveCount(1);
  await worker.close();
});

test('a new template version is published without a deploy; an older record keeps its version', async ({ page, browser }) => {
  // A quick scan made with the shipped version.
  await signIn(page, 'anne');
  await syncNow(page);
  await startContact(page, { channel: 'Balie', worker: 'Anne', register: { givenName: 'Oud', familyName: uniqueName('Versie') } });
  const oldScan = page.url();
  // The first step's introduction (the shipped one on a fresh server, else the last published).
  const intro = page.locator('#stap-kop + p.hint');
  const before = await intro.textContent();
  expect(before).toBeTruthy();
  await page.getByLabel('Wat is de vraag, in de woorden van de inwoner?').fill('Gemaakt met de oude versie.');

  // The administrator publishes a new version with another introduction.
  const office = await browser.newContext();
  const admin = await office.newPage();
  await signIn(admin, 'beheer');
  await menu(admin).getByRole('link', { name: 'Sjablonen' }).click();
  await expect(admin.getByTestId('templates-table')).toContainText('Meegeleverd met de app');
  await admin.getByRole('button', { name: 'Begin met de huidige versie' }).click();
  const json = admin.getByLabel('Sjabloon (JSON, voor gevorderden)');
  const current = JSON.parse(await json.inputValue());
  const texts = admin.getByTestId('template-texts');
  await expect(texts.getByLabel('Versie', { exact: true })).toHaveValue(current.version);
  // Publishing the same version again is refused in words, and the text stays.
  await admin.getByRole('button', { name: 'Publiceren' }).click();
  await expect(admin.getByText(`Versie ${current.version} bestaat al`)).toBeVisible();
  expect(JSON.parse(await json.inputValue()).version).toBe(current.version);
  // The wording is changed in the form; the JSON follows.
  const version = `2099.${Date.now()}`;
  const newIntro = `Versie ${version}: noteer letterlijk wat de inwoner vraagt.`;
  await texts.getByLabel('Versie', { exact: true }).fill(version);
  await texts.getByLabel(/^Stap 1 › Inleiding/).fill(newIntro);
  expect(JSON.parse(await json.inputValue()).steps[0].intro).toBe(newIntro);
  await admin.screenshot({ path: '../docs/screenshots/templates-admin.png', fullPage: true });
  await expectNoAxeViolations(admin, 'the templates screen with the text form');
  await admin.getByRole('button', { name: 'Publiceren' }).click();
  await expect(admin.getByTestId('template-message')).toContainText(`Vraagverkenning versie ${version} is gepubliceerd`);
  await expect(admin.getByTestId('templates-table')).toContainText(version);
  await office.close();

  // The worker's next sync brings the version: a new quick scan uses it ...
  await syncNow(page);
  await startContact(page, { channel: 'Telefoon', worker: 'Anne', register: { givenName: 'Nieuw', familyName: uniqueName('Versie') } });
  await expect(intro).toHaveText(newIntro);
  // ... and the older one still shows the version it was made with, with what was typed.
  await page.goto(oldScan);
  await unlock(page);
  await expect(page.getByLabel('Wat is de vraag, in de woorden van de inwoner?')).toHaveValue('Gemaakt met de oude versie.');
  await expect(intro).toHaveText(before!);
  await expect(page.locator('main').getByText(newIntro)).toHaveCount(0);
});
