// Takes screenshots of every screen for review: node tools/screenshots.mjs [outDir]
// Needs a running server at BASE_URL.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = process.argv[2] ?? '../docs/screenshots';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const shots = [
  { name: 'vandaag-portrait', path: '/', viewport: { width: 768, height: 1024 } },
  { name: 'over-portrait', path: '/over', viewport: { width: 768, height: 1024 } },
  { name: 'over-landscape-offline', path: '/over', viewport: { width: 1024, height: 768 }, offline: true },
  { name: 'niet-gevonden', path: '/bestaat-niet', viewport: { width: 768, height: 1024 } },
];
for (const shot of shots) {
  const context = await browser.newContext({ viewport: shot.viewport });
  const page = await context.newPage();
  await page.goto(base + shot.path);
  await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
  if (shot.offline) {
    await context.setOffline(true);
    await page.getByText('Offline').first().waitFor();
  }
  await page.screenshot({ path: `${out}/${shot.name}.png`, fullPage: true });
  await context.close();
}
// The quick-scan journey at tablet size.
{
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  const ready = () => page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
  await page.goto(base + '/contact/nieuw');
  await ready();
  await page.getByRole('group', { name: 'Kanaal' }).getByLabel('Huisbezoek').check();
  await page.getByLabel('Jouw naam').fill('Anne de Wit');
  await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  await page.getByLabel('Voornaam').fill('Fatma');
  await page.getByLabel('BSN').fill('123456789');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await page.screenshot({ path: `${out}/nieuw-contact-fouten.png`, fullPage: true });
  await page.getByLabel('Achternaam').fill('Öztürk');
  await page.getByLabel('BSN').fill('111222333');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await page.getByLabel('Wat is de vraag, in de woorden van de inwoner?').fill('Ik kan de boodschappen niet meer zelf dragen.');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Financiën').check();
  await page.getByLabel('Huisvesting').check();
  await page.screenshot({ path: `${out}/vraagverkenning-leefgebieden.png`, fullPage: true });
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: /Is er meer/ }).getByLabel('Nee').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: /goede adres/ }).getByLabel('Nee').check();
  await page.getByRole('group', { name: /beantwoord/ }).getByLabel('Nee').check();
  await page.getByRole('group', { name: /melding/ }).getByLabel('Nee').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.screenshot({ path: `${out}/vraagverkenning-uitkomst.png`, fullPage: true });
  await page.getByRole('group', { name: 'Uitkomst van de vraagverkenning' }).getByLabel('Afspraak voor gesprek').check();
  await page.getByLabel('Waarom wijk je af van het voorstel?').fill('Eerst samen overzicht maken.');
  await page.getByLabel('Tijd').fill('10:30');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();
  await page.screenshot({ path: `${out}/vandaag-met-contact.png`, fullPage: true });
  await page.getByRole('button', { name: 'Keukentafelgesprek' }).click();
  await page.getByRole('button', { name: /^Financiën/ }).click();
  await page.getByTestId('domain-finances').getByLabel('Wat is de situatie?').fill('Huurachterstand van drie maanden.');
  await page.getByTestId('domain-finances').getByLabel('Maatwerkvoorziening').check();
  await page.getByTestId('domain-finances').getByLabel('2 · Niet zelfredzaam').check();
  await page.screenshot({ path: `${out}/keukentafelgesprek.png`, fullPage: true });
  await context.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
