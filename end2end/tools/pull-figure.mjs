// Prints how long a fresh device takes to pull and apply the team's log (bench/browser-figures
// first puts 10,000 changes of 1,000 households into it): from hydration until the status line
// says everything is synced, fetch and localStorage writes included. Needs BASE_URL.
import { chromium } from '@playwright/test';
import { signIn } from './sign-in.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await (await browser.newContext()).newPage();
// Sign in and choose a PIN first: the pulled records are then stored encrypted, as in use.
// figures.mjs signed in as the same worker moments ago: the next step's code.
await signIn(page, base, 1);
const started = Date.now();
await page.getByRole('button', { name: 'Pincode instellen' }).click();
await page.getByTestId('sync-now').click();
await page.getByTestId('sync-status').filter({ hasText: 'Alles gesynchroniseerd' }).waitFor({ timeout: 300_000 });
const took = (Date.now() - started) / 1000;
const households = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/household/')).length);
console.log(`fresh device, just signed in, seals what it has and pulls and applies 10,000 changes (${households} households, encrypted in localStorage): ${took.toFixed(2)} s`);
await browser.close();
