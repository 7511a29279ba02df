// Start-up figures (issue 17 items 3 and 4): the bytes on the wire until the app has started in
// a fresh profile (online, first visit), then, with the CPU slowed 4x, an offline cold start to
// performance.mark('hydrated') and a page in a chunk of its own opened offline from the menu
// (each the median of 5 cold tabs). No worker is signed in: it measures the app's code, not a
// store full of households. Run through bench/browser-figures (it starts the server).
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const hydrated = (page) => page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (bytes) => (bytes / 1024).toFixed(1);

// A fresh profile: everything it downloads (as sent, compressed) until the app has started.
{
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const files = new Map();
  cdp.on('Network.responseReceived', (e) => files.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(base + '/');
  await hydrated(page);
  console.log(`wire until hydrated, fresh profile: ${kib(bytes)} KiB in ${files.size} responses`);
  await context.close();
}

const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
const first = await context.newPage();
await first.goto(base + '/');
await hydrated(first);
await first.waitForFunction(async () => {
  const registration = await navigator.serviceWorker.ready;
  return registration.active !== null && navigator.serviceWorker.controller !== null;
});
// The service worker has precached every file of the version (chunks included) by now.
await first.waitForTimeout(1_000);
await context.setOffline(true);
const starts = [];
const lazies = [];
for (let i = 0; i < 5; i++) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(base + '/');
  await hydrated(page);
  starts.push(await page.evaluate(() => performance.getEntriesByName('hydrated')[0].startTime));
  lazies.push(await page.evaluate(async () => {
    const started = performance.now();
    document.querySelector('nav a[href="/over"]').click();
    const heading = () => [...document.querySelectorAll('h1')].some((h) => h.textContent === 'Over deze app');
    while (!heading()) await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - started;
  }));
  await page.close();
}
const round = (xs) => xs.map((x) => Math.round(x)).join(', ');
console.log(`offline cold start to hydrated, CPU 4x: median ${Math.round(median(starts))} ms (${round(starts)})`);
console.log(`a page in its own chunk opened offline, CPU 4x: median ${Math.round(median(lazies))} ms (${round(lazies)})`);
await browser.close();
