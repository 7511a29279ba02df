// Prints browser figures: tap-to-next-paint through the quick scan with the CPU throttled 4x,
// the bytes one household with a contact and a completed quick scan takes in the device store,
// and how many such households fit in this browser's localStorage.
// Run through bench/browser-figures (it starts the server); needs BASE_URL.
import { chromium } from '@playwright/test';
import { PIN, signIn } from './sign-in.mjs';
import { printProfile, profiling, startProfile } from './profile.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);

// Event Timing: a click's duration runs from the input to the next paint.
await page.addInitScript(() => {
  window.__taps = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'click') {
        window.__taps.push(e.duration);
        // What was tapped, to tell a page change from an answer (TAPS=1 prints them).
        const t = e.target;
        const what = t ? (t.labels?.[0]?.textContent || t.textContent || t.tagName).trim().slice(0, 40) : '?';
        (window.__tapped = window.__tapped || []).push(`${e.duration.toFixed(0)} ms  ${what}`);
      }
      if (e.name === 'keydown') (window.__keys = window.__keys || []).push(e.duration);
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  // Every tap, also those under 16 ms that Event Timing leaves out, so that the p95 is over
  // all taps as the keystroke figure is over all keys. Counted by pointerdown: a tap on a label
  // also clicks its input, and is one tap.
  window.__clicks = 0;
  addEventListener('pointerdown', (e) => { if (e.isTrusted) window.__clicks += 1; }, { capture: true });
});

// PROFILE=1: recorded from before the page loads (a wasm function compiled before the profiler
// started has no name in it): both journeys, the first unthrottled.
if (profiling) await startProfile(cdp);
const ready = () => page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
const start = Date.now();
await page.goto(base + '/');
await ready();
const startup = await page.evaluate(() => performance.getEntriesByName('hydrated')[0].startTime);
// Residents' data is kept only by a signed-in worker with a PIN.
await signIn(page, base);
await page.getByRole('button', { name: 'Pincode instellen' }).click();
await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();

async function journey(n) {
  // In-app navigation, as a worker goes: a page load would lock the app.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nieuw contact' }).waitFor();
  await page.getByLabel('Huisbezoek').check();
  await page.getByLabel('Jouw naam').fill('Anne de Wit');
  if (!(await page.getByLabel('Voornaam').isVisible())) {
    await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  }
  await page.getByLabel('Voornaam').fill(`Fatma${n}`);
  await page.getByLabel('Achternaam').fill('Öztürk');
  await page.getByLabel('Geboortedatum').fill('1948-05-17');
  await page.getByLabel('Straat').fill('Lindelaan');
  await page.getByLabel('Huisnummer').fill('12');
  await page.getByLabel('Postcode').fill('3511AB');
  await page.getByLabel(/^Plaats \(woonplaats\)/).fill('Lindeveen');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await page.getByLabel('Wat is de vraag, in de woorden van de inwoner?').fill(
    'Sinds mijn heupoperatie kan ik de boodschappen niet meer zelf doen en de trap is lastig. ' +
    'Mijn dochter woont ver weg en kan maar eens per maand komen.');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Huishouden en praktisch functioneren').check();
  await page.getByLabel('Sociaal netwerk en meedoen').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: /Is er meer/ }).getByLabel('Ja').check();
  await page.getByLabel('Wat speelt er nog meer?').fill('Eenzaamheid sinds het overlijden van haar man.');
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByRole('group', { name: /goede adres/ }).getByLabel('Ja').check();
  await page.getByRole('group', { name: /beantwoord/ }).getByLabel('Nee').check();
  await page.getByRole('group', { name: /melding/ }).getByLabel('Nee').check();
  await page.getByRole('button', { name: 'Volgende' }).click();
  await page.getByLabel('Tijd').fill('10:30');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();
}

// One journey unthrottled to measure storage, then the same with the CPU throttled 4x.
await journey(1);
const sizeOf = (prefix) => page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))
  .reduce((sum, k) => sum + 2 * (k.length + localStorage.getItem(k).length), 0), prefix);
const recordBytes = await sizeOf('kt/rec/');
const outboxBytes = (await sizeOf('kt/outbox/')) + (await sizeOf('kt/queue/'));
const bytes = recordBytes + outboxBytes;
// FILLER_KEYS=n: n keys no store code reads (kt/zz/…), as many as a coordinator's device holds
// (a year of work for 1,000 households is about 19,000 records): what counting keys costs.
const filler = Number(process.env.FILLER_KEYS ?? 0);
if (filler > 0) {
  await page.evaluate((n) => { for (let i = 0; i < n; i++) localStorage.setItem(`kt/zz/${String(i).padStart(6, '0')}`, 'x'); }, filler);
  // A page load locks the app: unlock, as a worker would.
  await page.reload();
  await page.getByLabel('Pincode', { exact: true }).fill(PIN);
  await page.getByRole('button', { name: 'Ontgrendelen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();
}
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.evaluate(() => { window.__taps = []; window.__tapped = []; window.__clicks = 0; });
await journey(2);
if (profiling) await printProfile(cdp, 'two quick scans, the second at 4x');
const taps = await page.evaluate(() => window.__taps.slice());
const tapCount = await page.evaluate(() => window.__clicks);
const tapped = await page.evaluate(() => (window.__tapped || []).slice());

// A full conversation: every life domain of the template opened and written in (issue 17 item 4:
// keystrokes in a conversation as long as they get), typing into the last one, still at 4x.
await page.getByRole('button', { name: 'Keukentafelgesprek' }).first().click();
await page.getByRole('heading', { level: 1, name: 'Keukentafelgesprek' }).waitFor();
const paragraph = 'Mevrouw vertelt dat ze sinds de operatie niet meer zelf boodschappen kan doen. ';
const domainButtons = page.locator('.domain-list button');
const domains = await domainButtons.count();
let typed = 0;
for (let i = 0; i < domains; i++) {
  await domainButtons.nth(i).click();
  const card = page.locator('[data-testid^="domain-"]').nth(i);
  for (const label of ['Wat is de situatie?', 'Wat gaat goed?', 'Wat is het probleem?', 'Eigen kracht en gebruikelijke hulp']) {
    if (i === domains - 1 && label === 'Wat is de situatie?') {
      await card.getByLabel(label).click();
      await page.evaluate(() => (window.__keys = []));
      if (profiling) await startProfile(cdp);
      await page.keyboard.type(paragraph); // measured keystrokes
      if (profiling) await printProfile(cdp, `keystrokes in a conversation of ${domains} domains at 4x`);
      typed = paragraph.length;
    } else {
      await card.getByLabel(label).fill(paragraph.repeat(3));
    }
  }
  await card.getByLabel('3 · Beperkt zelfredzaam').check();
}
const keys = await page.evaluate(() => (window.__keys || []).slice());
await page.getByRole('link', { name: /^Huishouden / }).click();
await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
await page.getByLabel('Regisseur van het huishouden').fill('Anne de Wit');
for (let g = 0; g < 3; g++) {
  await page.getByRole('button', { name: 'Resultaat toevoegen' }).click();
  const goal = page.getByTestId(`goal-${g}`);
  await goal.getByLabel(/Welk resultaat wil de inwoner bereiken/).fill(paragraph);
  for (let a = 0; a < 3; a++) {
    await goal.getByRole('button', { name: 'Actie toevoegen' }).click();
    await goal.getByLabel(`Actie ${a + 1}`, { exact: true }).fill('Samen met de vrijwilliger boodschappen doen');
  }
}
const fullBytes = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kt/'))
  .reduce((sum, k) => sum + 2 * (k.length + localStorage.getItem(k).length), 0));
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
const quotaChars = await page.evaluate(() => {
  localStorage.clear();
  let total = 0;
  for (let size = 1 << 20; size >= 1; size = Math.floor(size / 2)) {
    for (;;) {
      try { localStorage.setItem(`q${total}`, 'x'.repeat(size)); total += size + `q${total}`.length; } catch { break; }
    }
  }
  localStorage.clear();
  return total;
});
await browser.close();

// Percentiles of the events Event Timing recorded (16 ms or more): `recorded(durations, p)` over
// those alone, `overAll(durations, count, p)` over all `count` events, where those it did not
// record (under 16 ms, no frame of their own) count as under 16 ms.
const recorded = (durations, p) => {
  const sorted = durations.slice().sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0) : '-';
};
const overAll = (durations, count, p) => {
  const sorted = durations.slice().sort((a, b) => a - b);
  const rank = Math.min(count - 1, Math.floor(p * count)) - (count - sorted.length);
  return rank < 0 ? '< 16' : sorted[rank].toFixed(0);
};
const quotaBytes = quotaChars * 2;
console.log(`start-up to 'hydrated' (unthrottled, first load): ${startup.toFixed(0)} ms`);
console.log(`tap to next paint through one quick scan, CPU 4x slower${filler ? `, ${filler} more keys in localStorage` : ''}: ${tapCount} taps, p50 ${overAll(taps, tapCount, 0.5)} ms, p95 ${overAll(taps, tapCount, 0.95)} ms, max ${recorded(taps, 1)} ms; ${taps.length} took >= 16 ms (p50 of those ${recorded(taps, 0.5)} ms, p95 ${recorded(taps, 0.95)} ms)`);
if (process.env.TAPS === '1') for (const line of tapped) console.log(`  tap: ${line}`);
console.log(`one household (resident, household, contact, completed quick scan, question): ${recordBytes} bytes of records + ${outboxBytes} bytes of outbox (UTF-16, as browsers count)`);
console.log(`localStorage quota of this browser: ${(quotaBytes / 1048576).toFixed(1)} MiB (${quotaChars} characters)`);
console.log(`households that fit: ${Math.floor(quotaBytes / bytes)} with every change still queued; ${Math.floor(quotaBytes / recordBytes)} once the outbox is synced`);
console.log(`keystroke to next paint in a conversation with all ${domains} life domains written in, CPU 4x slower${filler ? `, ${filler} more keys` : ''}: ${typed} keys typed, p50 ${overAll(keys, typed, 0.5)} ms, p95 ${overAll(keys, typed, 0.95)} ms; ${keys.length} took >= 16 ms (p50 of those ${recorded(keys, 0.5)} ms, max ${recorded(keys, 1)} ms)`);
console.log(`all device data after two households, one with a full conversation (${domains} domains) and a plan (3 goals, 9 actions): ${fullBytes} bytes; about ${Math.floor(quotaBytes / (fullBytes - bytes))} households like the second fit`);
console.log(`wall time: ${((Date.now() - start) / 1000).toFixed(1)} s`);
