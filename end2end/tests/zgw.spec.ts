import { test, expect, request } from '@playwright/test';
import { expectNoAxeViolations, openApp, signIn, syncNow, uniqueBsn, uniqueName } from './helpers';
import { answerRest, answerStep1, answerStep2, confirm, startContact, type Answers } from './journeys';

// The local ZGW test server scripts/test started for this run (scripts/lib/zgw.sh).
const zgwBase = process.env.ZGW_BASE ?? '';

async function zgw(path: string, data?: unknown) {
  const api = await request.newContext({ baseURL: zgwBase });
  const response = await api.post(path, { data: data ?? {} });
  expect(response.ok()).toBeTruthy();
  await api.dispose();
}

test('a melding becomes a zaak in the zaaksysteem; the administrator sees what waits and why', async ({ page, browser }) => {
  test.setTimeout(150_000);
  expect(zgwBase, 'scripts/test sets ZGW_BASE').not.toBe('');
  await signIn(page, 'anne');
  const familyName = uniqueName('Zaak');
  await startContact(page, {
    channel: 'Balie', worker: 'Anne',
    register: { givenName: 'Riet', familyName, bsn: uniqueBsn(), told: true },
  });
  const melding: Answers = {
    ownWords: 'Ik kan niet meer zelf douchen.', domains: ['Lichamelijke gezondheid'], more: false,
    rightPlace: true, answeredHere: false, wantsNotification: true,
  };
  await answerStep1(page, melding);
  await answerStep2(page, melding);
  await answerRest(page, melding);
  await confirm(page);
  await syncNow(page);

  // The synced melding became a zaak: the household record says which and when.
  await page.getByTestId('today-contacts').getByRole('link', { name: `Riet ${familyName}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${familyName}` })).toBeVisible();
  const household = page.url();
  const zaak = page.getByTestId('zaak');
  await expect(async () => {
    await openApp(page, household);
    await expect(zaak).toContainText(/^Zaak Z-\d{4}-\d{6}, bijgewerkt om \d{2}:\d{2}$/, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  const identificatie = (await zaak.textContent())!.match(/Z-\d{4}-\d{6}/)![0];
  await expectNoAxeViolations(page, 'the household page with its zaak');
  await page.getByTestId('zaken').screenshot({ path: '../docs/screenshots/zaak-op-huishouden.png' });

  // The zaaksysteem refuses statuses for a while: the next change waits, with why, in the queue.
  await zgw('/_test/fail', { operation: 'POST statussen', mode: 'before', status: 503, times: 1000 });
  const clock = page.getByTestId('legal-clock');
  await clock.getByText('Datums vastleggen').click();
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  await clock.getByLabel('Onderzoek afgerond op').fill(iso);
  await syncNow(page);

  const office = await browser.newContext();
  const admin = await office.newPage();
  await signIn(admin, 'beheer');
  await admin.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Zaaksysteem' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Zaaksysteem' })).toBeVisible();
  const item = admin.getByTestId('zgw-item').filter({ hasText: identificatie });
  await expect(async () => {
    await openApp(admin, '/zaaksysteem');
    await expect(item).toContainText('De Zaken API weigerde de status "Gesprek gevoerd" (503', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(item).toContainText(/1 poging mislukt; volgende poging om \d{2}:\d{2}/);
  // No resident data in the administrator's view: the zaak's number, never the name.
  await expect(admin.getByTestId('zgw-queue')).not.toContainText(familyName);
  await expectNoAxeViolations(admin, 'the ZGW queue');
  await admin.screenshot({ path: '../docs/screenshots/zaaksysteem-wachtrij.png', fullPage: true });

  // The cause is fixed; the administrator does not wait for the backoff.
  await zgw('/_test/heal');
  await item.getByRole('button', { name: `Zaak ${identificatie} nu opnieuw proberen` }).click();
  await expect(admin.getByRole('status').filter({ hasText: `Zaak ${identificatie} wordt nu opnieuw verstuurd.` })).toBeVisible();
  await expect(async () => {
    await openApp(admin, '/zaaksysteem');
    await expect(admin.getByTestId('zgw-queue')).toBeVisible({ timeout: 2_000 });
    await expect(item).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await office.close();
});
