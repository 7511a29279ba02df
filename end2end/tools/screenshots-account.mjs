// Screenshots of sign-in, PIN, lock and the account card: node tools/screenshots-account.mjs [outDir]
// Needs BASE_URL and an account anne@e2e.example with the password in E2E_PASSWORD (scripts/test makes it).
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const out = process.argv[2] ?? '../docs/screenshots';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await (await browser.newContext({ viewport: { width: 768, height: 1024 } })).newPage();
const ready = () => page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
await page.goto(base + '/inloggen');
await ready();
await page.getByLabel('E-mailadres').fill('anne@e2e.example');
await page.getByLabel('Wachtwoord').fill('fout');
await page.getByRole('button', { name: 'Inloggen' }).click();
await page.getByTestId('sign-in-error').waitFor();
await page.screenshot({ path: `${out}/inloggen.png`, fullPage: true });
await page.getByLabel('Wachtwoord').fill(process.env.E2E_PASSWORD ?? '');
await page.getByRole('button', { name: 'Inloggen' }).click();
await page.getByRole('heading', { name: 'Kies een pincode' }).waitFor();
await page.screenshot({ path: `${out}/pincode.png`, fullPage: true });
await page.getByLabel('Pincode', { exact: true }).fill('246813');
await page.getByLabel('Herhaal de pincode').fill('246813');
await page.getByRole('button', { name: 'Pincode instellen' }).click();
await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();
await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
await page.getByTestId('signed-in-as').waitFor();
await page.screenshot({ path: `${out}/over-ingelogd.png`, fullPage: true });
await page.getByTestId('lock-now').click();
await page.getByTestId('lock-screen').waitFor();
await page.getByLabel('Pincode', { exact: true }).fill('000000');
await page.getByRole('button', { name: 'Ontgrendelen' }).click();
await page.getByTestId('lock-error').waitFor();
await page.screenshot({ path: `${out}/vergrendeld.png`, fullPage: true });
await browser.close();
