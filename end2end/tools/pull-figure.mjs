// Prints how long a fresh device takes to pull and apply the team's log (bench/browser-figures
// first puts 10,000 changes of 1,000 households into it): from hydration until the status line
// says everything is synced, fetch and localStorage writes included, with what the app's own
// timing says the fetching and the applying took. Then the same on a second fresh device with
// the CPU four times slower, printing the longest task the main thread ran meanwhile (the
// device must stay responsive: no frame longer than 100 ms). Needs BASE_URL. PROFILE=1: where
// the first device's sync spent its time (profiled from before the page loads, so wasm
// functions keep what names the build left them).
import { chromium } from '@playwright/test';
import { signIn } from './sign-in.mjs';
import { printProfile, profiling, startProfile } from './profile.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });

/** Signs in on a fresh device, sets the PIN, pulls everything; returns the seconds from the
 * PIN to synced, the app's step timings, and the long tasks after the PIN was set. */
async function freshDevice(ahead, throttle) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Long tasks (over 50 ms) of the main thread, kept from the page's start.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  const profile = profiling && throttle === 1;
  if (profile) await startProfile(cdp);
  await signIn(page, base, ahead);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const started = Date.now();
  await page.getByRole('button', { name: 'Pincode instellen' }).click();
  // The PIN's key is derived first (a long task of its own); the pull's tasks count after it.
  await page.getByRole('button', { name: 'Pincode instellen' }).waitFor({ state: 'detached' });
  const pinSet = await page.evaluate(() => performance.now());
  // Only this sync's pages count (setting the PIN may have synced already).
  await page.evaluate(() => performance.clearMeasures());
  await page.getByTestId('sync-now').click();
  await page.getByTestId('sync-status').filter({ hasText: 'Alles gesynchroniseerd' }).waitFor({ timeout: 300_000 });
  const took = (Date.now() - started) / 1000;
  if (profile) await printProfile(cdp, `signing in, the PIN and the pull of ${changes} changes`);
  const figures = await page.evaluate((pinSet) => ({
    households: Object.keys(localStorage).filter((k) => k.startsWith('kt/rec/household/')).length,
    steps: Object.fromEntries(['fetch', 'apply'].map((step) => {
      const entries = performance.getEntriesByName(`kt-pull-${step}`);
      return [step, [entries.length, entries.reduce((sum, e) => sum + e.duration, 0) / 1000]];
    })),
    longest: Math.max(0, ...window.__longTasks.filter(([start]) => start > pinSet).map(([, d]) => d)),
    // The longest task while the pull ran: from the first page's fetch to the last part applied.
    whilePulling: (() => {
      const steps = ['fetch', 'apply'].flatMap((step) => performance.getEntriesByName(`kt-pull-${step}`));
      if (steps.length === 0) return 0;
      const from = Math.min(...steps.map((m) => m.startTime));
      const to = Math.max(...steps.map((m) => m.startTime + m.duration));
      return Math.max(0, ...window.__longTasks.filter(([start, d]) => start < to && start + d > from).map(([, d]) => d));
    })(),
    // What the app was timing during the longest task: a pull step, or neither (the screen).
    during: (() => {
      const after = window.__longTasks.filter(([start]) => start > pinSet);
      if (after.length === 0) return 'none';
      const [start, duration] = after.reduce((a, b) => (b[1] > a[1] ? b : a));
      const steps = ['fetch', 'apply'].flatMap((step) => performance.getEntriesByName(`kt-pull-${step}`)
        .filter((m) => m.startTime < start + duration && m.startTime + m.duration > start)
        .map((m) => `${step} ${Math.round(m.duration)} ms`));
      return steps.length ? steps.join(', ') : 'no pull step (rendering, parsing or the store outside apply)';
    })(),
  }), pinSet);
  await context.close();
  return { took, ...figures };
}

// CHANGES: how many entries the log holds for the device; LABEL: what the run is (after
// compaction, the log holds each household's latest state only).
const changes = Number(process.env.CHANGES ?? 10000);
const label = process.env.LABEL ?? '';
// A sign-in code is accepted once: an earlier run may have used this time step's.
await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
const fast = await freshDevice(1, 1);
console.log(`fresh device${label}, just signed in, seals what it has and pulls and applies ${changes.toLocaleString('en')} changes (${fast.households} households, encrypted in localStorage): ${fast.took.toFixed(2)} s`);
const [parts, apply] = fast.steps.apply;
console.log(`  of which fetching ${fast.steps.fetch[1].toFixed(2)} s (${fast.steps.fetch[0]} pages), applying into the store ${apply.toFixed(2)} s in ${parts} parts (${Math.round(changes / apply)} changes/s)`);
// A sign-in code is accepted once: the second device waits for the next time step.
await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
const slow = await freshDevice(1, 4);
console.log(`the same with the CPU 4x slower: ${slow.took.toFixed(2)} s, applying ${slow.steps.apply[1].toFixed(2)} s; longest main-thread task after the PIN was set: ${Math.round(slow.longest)} ms (target: no frame over 100 ms), during: ${slow.during}; longest while pages were fetched and applied: ${Math.round(slow.whilePulling)} ms`);
await browser.close();
