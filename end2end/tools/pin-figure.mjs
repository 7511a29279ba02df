// Prints what the PIN's key derivation costs in the browser (argon2id with the parameters of
// app/src/store/seal.rs `Kdf::CURRENT`, plus the device secret from IndexedDB): setting the PIN,
// and unlocking with the CPU at full speed and throttled 4x and 6x (a mid-range tablet is
// roughly 4 to 6 times slower than this machine). The same work is what one guess costs.
// Needs no account (the PIN page is open); run through bench/browser-figures.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
const ready = () => page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
const PIN = '246813';

await page.goto(base + '/pincode');
await ready();
await page.getByLabel('Pincode', { exact: true }).fill(PIN);
await page.getByLabel('Herhaal de pincode').fill(PIN);
let started = Date.now();
await page.getByRole('button', { name: 'Pincode instellen' }).click();
await page.getByRole('heading', { level: 1, name: 'Log eerst in' }).waitFor({ timeout: 60_000 });
const set = Date.now() - started;

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const unlocks = {};
for (const rate of [1, 4, 6]) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const times = [];
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await ready();
    await page.getByTestId('lock-screen').waitFor();
    await page.getByLabel('Pincode', { exact: true }).fill(PIN);
    started = Date.now();
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    await page.getByTestId('lock-screen').waitFor({ state: 'hidden', timeout: 120_000 });
    times.push(Date.now() - started);
  }
  unlocks[rate] = median(times);
}
console.log(`PIN key (argon2id 32 MiB, 3 passes, 1 lane, with the device secret): setting the PIN ${set} ms; ` +
  `unlock (one guess) median of 3: ${unlocks[1]} ms at full speed, ${unlocks[4]} ms with the CPU throttled 4x, ${unlocks[6]} ms at 6x`);
await browser.close();
