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
await browser.close();
console.log(`screenshots in ${out}`);
