// Prints how long a fresh device takes to pull and apply the team's log (bench/browser-figures
// first puts 10,000 changes of 1,000 households into it): from hydration until the status line
// says everything is synced, fetch and localStorage writes included. Needs BASE_URL.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await (await browser.newContext()).newPage();
await page.goto(base + '/');
await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
const started = Date.now();
await page.getByTestId('sync-status').filter({ hasText: 'Alles gesynchroniseerd' }).waitFor({ timeout: 300_000 });
const took = (Date.now() - started) / 1000;
const state = await page.evaluate(() => ({
  cursor: JSON.parse(localStorage.getItem('kt/meta/sync')).cursor,
  households: Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/household/')).length,
}));
console.log(`fresh device pulls and applies the log up to position ${state.cursor} (10,000 changes, ${state.households} households in localStorage): ${took.toFixed(2)} s`);
await browser.close();
