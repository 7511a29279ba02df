import { expect, request, type BrowserContext, type Page } from '@playwright/test';
import { appendFileSync } from 'node:fs';
import { E2E_SECOND_FACTOR, freshCode } from './totp';

/** Waits until the app has hydrated (or mounted) and can take a tap. */
export async function waitForApp(page: Page) {
  await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
}

/** Waits until the service worker controls the page, so the shell is cached. */
export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active !== null && navigator.serviceWorker.controller !== null;
  });
}

export async function shellCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await caches.keys()).filter((key) => key.startsWith('keukentafel-shell-')),
  );
}

/** Taps the "Groot" text size and checks that the page reacted. */
export async function tapLargeText(page: Page) {
  const large = page.getByRole('button', { name: 'Groot' });
  await large.click();
  await expect(large).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
}

/** Runs axe-core in the page: WCAG 2.1 A and AA rules must find nothing. */
export async function expectNoAxeViolations(page: Page, what: string) {
  // Evaluated, not injected as a <script>: the app's Content-Security-Policy allows no
  // foreign script, and that is right.
  await page.evaluate(require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join('; ')})`);
  });
  expect(violations, `axe on ${what}`).toEqual([]);
}

/** Presses Tab until `target` has focus: keyboard only, no mouse, no script focus. */
export async function tabTo(page: Page, target: import('@playwright/test').Locator, maxTabs = 60) {
  for (let i = 0; i < maxTabs; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

/** Waits until the sync status line says everything is synced. */
export async function synced(page: Page) {
  await expect(page.getByTestId('sync-status')).toContainText('Alles gesynchroniseerd', { timeout: 20_000 });
}

/** Taps "Nu synchroniseren" and waits until that sync, not an earlier one, has completed. */
export async function syncNow(page: Page) {
  const status = page.getByTestId('sync-status');
  const before = await status.getAttribute('data-synced-at');
  await page.getByTestId('sync-now').click();
  if (before !== null) await expect(status).not.toHaveAttribute('data-synced-at', before, { timeout: 20_000 });
  await synced(page);
}

/** The household page's first open question, with its edit fields open. */
export async function openQuestion(page: Page) {
  const item = page.getByTestId('open-question').first();
  if (!(await item.locator('details').evaluate((d) => (d as HTMLDetailsElement).open))) {
    await item.getByText('Vraag bijwerken').click();
  }
  return item;
}

/** A family name no earlier run has used: synced tests share the server's database. */
export function uniqueName(base: string) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += letters[Math.floor(Math.random() * letters.length)];
  return residentData(`${base}-${suffix[0].toUpperCase()}${suffix.slice(1)}`);
}

/** Notes a test resident's name or BSN in `E2E_RESIDENT_DATA` (set by `scripts/test`), which
 * then checks that none of them reached the server's logs. */
function residentData(value: string) {
  const file = process.env.E2E_RESIDENT_DATA;
  if (file) appendFileSync(file, `${value}\n`);
  return value;
}

/** A BSN that passes the elfproef and no other test uses: the app refuses to register a second
 * resident with a BSN already on the device, and synced teams share their residents. */
export function uniqueBsn() {
  for (;;) {
    const digits = [1 + Math.floor(Math.random() * 9)];
    for (let i = 1; i < 8; i++) digits.push(Math.floor(Math.random() * 10));
    const sum = digits.reduce((total, d, i) => total + (9 - i) * d, 0);
    const last = sum % 11;
    if (last < 10) return residentData([...digits, last].join(''));
  }
}

/** The PIN the browser tests choose after a first sign-in on a device. */
export const PIN = '246813';

/** Signs in through the sign-in page (needs the network) as one of the accounts scripts/test
 * makes; on a new device chooses the PIN, on a locked one enters it. */
/** The browser tests' workers (made by scripts/test). */
export type Worker = 'anne' | 'bram' | 'noor' | 'pia' | 'beheer' | 'solo' | 'gert' | 'carla' | 'daan' | 'lies';

export async function signIn(page: Page, who: Worker) {
  await page.goto('/inloggen');
  await waitForApp(page);
  await page.getByLabel('E-mailadres').fill(`${who}@e2e.example`);
  await page.getByLabel('Wachtwoord').fill(process.env.E2E_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  // The password was right: the code from the authenticator app (scripts/test enrolled every
  // account with the same secret).
  await enterSecondFactor(page, who);
  const setup = page.getByRole('heading', { level: 1, name: 'Kies een pincode' });
  const today = page.getByRole('heading', { level: 1, name: 'Vandaag' });
  const locked = page.getByTestId('lock-screen');
  await expect(setup.or(today).or(locked)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel('Pincode', { exact: true }).fill(PIN);
    await page.getByLabel('Herhaal de pincode').fill(PIN);
    await page.getByRole('button', { name: 'Pincode instellen' }).click();
  }
  if (await locked.isVisible()) await unlock(page);
  await expect(today).toBeVisible();
}

/** Fills in the second-factor code once the sign-in page asks for it. */
export async function enterSecondFactor(page: Page, who: string) {
  const field = page.getByLabel('Code uit je authenticator-app');
  await expect(field).toBeVisible();
  await field.fill(await freshCode(who, E2E_SECOND_FACTOR));
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(field).toBeHidden();
}

/** Enters the PIN on the lock screen. */
export async function unlock(page: Page, pin = PIN) {
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByLabel('Pincode', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Ontgrendelen' }).click();
}

/** Opens `path` in a new page load: the app opens locked once a PIN is set, so the PIN is
 * entered when the lock screen shows. */
export async function openApp(page: Page, path = '/') {
  await page.goto(path);
  await unlockIfLocked(page);
}

/** Reloads, entering the PIN when the app opens locked. */
export async function reloadApp(page: Page) {
  await page.reload();
  await unlockIfLocked(page);
}

async function unlockIfLocked(page: Page) {
  await waitForApp(page);
  const locked = page.getByTestId('lock-screen');
  // The lock screen appears right after hydration (the store is read in an effect).
  await page.waitForTimeout(200);
  if (await locked.isVisible()) {
    await unlock(page);
    await expect(locked).toBeHidden();
  }
}

/** Signs in online (nothing about a resident is kept before a sign-in and a PIN) and waits
 * until the service worker holds the shell, then takes the device offline: the start of every
 * "works without a connection" test. `solo` is a coordinator in a team of its own, so the
 * tests that used to work on a bare device do not see each other's synced households. */
export async function startOffline(page: Page, context: BrowserContext, who: 'solo' | 'anne' = 'solo') {
  await signIn(page, who);
  await waitForServiceWorker(page);
  await context.setOffline(true);
}

/** A signed-in API client outside any browser (the unlock proof from the sign-in goes along
 * in its header), for checking what the server gives a role. */
export async function apiAs(who: Worker) {
  const api = await request.newContext({ baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000' });
  const response = await api.post('/api/session', {
    data: { email: `${who}@e2e.example`, password: process.env.E2E_PASSWORD ?? '', code: await freshCode(who, E2E_SECOND_FACTOR) },
  });
  expect(response.status()).toBe(200);
  const { unlock } = await response.json();
  const headers = { 'x-keukentafel-unlock': unlock };
  return {
    get: (url: string) => api.get(url, { headers }),
    post: (url: string, data?: unknown) => api.post(url, { headers, data }),
    dispose: () => api.dispose(),
  };
}

/** Waits until the app has made the writes it put off until after the next paint (an
 * autosave of what was just typed or tapped: `app/src/store/soon.rs`). The app asked for its
 * frame first, so its timeout runs before this one. */
async function afterAutosave(page: Page) {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0))));
}

/** Fills the origin's localStorage to the last byte, then gives back `freeBlocks` blocks of
 * 64 Ki characters (128 KiB as browsers count). What the app was about to store is stored
 * first: filling in between races the autosave, which these tests do not mean to test. */
export async function fillStorage(page: Page, freeBlocks = 0) {
  await afterAutosave(page);
  await page.evaluate((freeBlocks) => {
    const block = 'x'.repeat(64 * 1024);
    for (let i = 0; ; i++) {
      try {
        localStorage.setItem(`fill-${i}`, block);
      } catch {
        break;
      }
    }
    for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        localStorage.setItem(`fill-small-${size}`, 'x'.repeat(size));
      } catch {
        /* next smaller */
      }
    }
    for (let i = 0; i < freeBlocks; i++) localStorage.removeItem(`fill-${i}`);
  }, freeBlocks);
}

/** Removes what `fillStorage` wrote. */
export async function emptyFill(page: Page) {
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fill-')).forEach((k) => localStorage.removeItem(k)));
}
