// Prints how long the household page takes to show a story of 300 entries, CPU slowed 4x,
// median of 5: from the tap on the household's link (on its plan page, a router navigation
// with the store open) until the timeline's first page (the newest 25 of its 300 entries, and
// the button for older ones) is painted. bench/browser-figures first
// puts a household with 300 contacts into the log of a team of its own ('verloop'), so the
// device holds that household only. Needs BASE_URL, TIMELINE_HOUSEHOLD, TIMELINE_EMAIL.
import { chromium } from '@playwright/test';
import { printProfile, profiling, startProfile } from './profile.mjs';
import { PIN, signIn } from './sign-in.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const household = process.env.TIMELINE_HOUSEHOLD;
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// The earlier tools used this half minute's second-factor codes: wait for fresh ones.
await new Promise((resolve) => setTimeout(resolve, 31_000));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const page = await (await browser.newContext()).newPage();
await signIn(page, base, 0, process.env.TIMELINE_EMAIL);
await page.getByRole('button', { name: 'Pincode instellen' }).click();
await page.getByTestId('sync-now').click();
await page.getByTestId('sync-status').filter({ hasText: 'Alles gesynchroniseerd' }).waitFor({ timeout: 300_000 });
// Opened once by its address (a reload: the store locks, the PIN opens it).
await page.goto(`${base}/huishouden/${household}`);
await page.getByLabel('Pincode', { exact: true }).fill(PIN);
await page.getByRole('button', { name: 'Ontgrendelen' }).click();
await page.getByRole('heading', { level: 1, name: 'Huishouden Verloop' }).waitFor();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
// PROFILE=1: the last run is recorded by Chromium's profiler (tools/profile.mjs).
const runs = [];
for (let i = 0; i < 5; i++) {
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ondersteuningsplan' }).waitFor();
  if (profiling && i === 4) await startProfile(cdp);
  runs.push(await page.evaluate(() => new Promise((resolve) => {
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent === 'Huishouden Verloop');
    const started = performance.now();
    const done = () => document.querySelectorAll('[data-testid="timeline-entry"]').length >= 25
      && document.querySelector('[data-testid="timeline-more-entries"]') !== null;
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - started));
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    link.click();
  })));
}
if (profiling) await printProfile(cdp, 'the last run');
runs.sort((a, b) => a - b);
console.log(`household page with 300 timeline entries (newest 25 drawn), CPU 4x slower: median ${runs[2].toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms; target 200 ms)`);
await browser.close();
