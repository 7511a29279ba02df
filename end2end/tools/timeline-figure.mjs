// Prints how long the household page takes to show a story of 300 entries, CPU slowed 4x,
// median of 5: from the tap on the household's link (on its plan page, a router navigation
// with the store open) until the timeline's first page (the newest 25 of its 300 entries, and
// the button for older ones) is painted. bench/browser-figures first
// puts a household with 300 contacts into the log of a team of its own ('verloop'), so the
// device holds that household only. Needs BASE_URL, TIMELINE_HOUSEHOLD, TIMELINE_EMAIL.
import { chromium } from '@playwright/test';
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
// PROFILE=1: the last run is recorded by Chromium's profiler; the functions that took most of
// it (self time) are printed.
const profiling = process.env.PROFILE === '1';
const runs = [];
for (let i = 0; i < 5; i++) {
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ondersteuningsplan' }).waitFor();
  if (profiling && i === 4) {
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
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
if (profiling) {
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, k) => {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (gaps[k] ?? 0) / 1000);
  });
  console.log('profile of the last run, most self time:');
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
  // The browser's own work in the same run (style, layout, paint, garbage collection...).
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.data;
    if (chunk.eof) break;
  }
  const events = JSON.parse(text).traceEvents ?? JSON.parse(text);
  const main = new Map();
  for (const e of events) {
    if (e.ph === 'X' && e.dur) main.set(e.name, (main.get(e.name) ?? 0) + e.dur / 1000);
  }
  console.log('trace of the last run, total duration by event (nested events counted in each):');
  for (const [name, ms] of [...main.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
}
runs.sort((a, b) => a - b);
console.log(`household page with 300 timeline entries (newest 25 drawn), CPU 4x slower: median ${runs[2].toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms; target 200 ms)`);
await browser.close();
