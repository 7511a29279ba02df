import { test, expect } from '@playwright/test';
import { openApp, startOffline, uniqueName } from './helpers';
import { answerRest, answerStep1, answerStep2, startContact, type Answers } from './journeys';

// Issue 17 item 5: after one online visit, every route a worker uses offline opens by its deep
// link in a cold tab (nothing in memory, never visited there), renders, answers a tap, and no
// request for the app's files fails.
test('offline, every route a worker uses opens by its deep link in a cold tab', async ({ page, context }) => {
  test.setTimeout(150_000);
  await startOffline(page, context);

  // The records to open, made offline: a household, its quick scan and a conversation.
  const family = uniqueName('Route');
  await startContact(page, { channel: 'Huisbezoek', worker: 'solo', register: { givenName: 'Rie', familyName: family } });
  const scan = new URL(page.url()).pathname;
  expect(scan).toMatch(/^\/vraagverkenning\/[0-9a-f-]+$/);
  const answers: Answers = {
    ownWords: 'Ik kom de trap niet meer op.',
    domains: ['Huisvesting'],
    more: false, rightPlace: true, answeredHere: false, wantsNotification: false,
  };
  await answerStep1(page, answers);
  await answerStep2(page, answers);
  await answerRest(page, answers);
  await page.getByLabel('Tijd').fill('09:30');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await page.getByRole('button', { name: 'Keukentafelgesprek' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Keukentafelgesprek' })).toBeVisible();
  const conversation = new URL(page.url()).pathname;
  expect(conversation).toMatch(/^\/gesprek\/[0-9a-f-]+$/);
  await page.getByRole('button', { name: /^Huisvesting/ }).click();
  await page.getByTestId('domain-housing').getByLabel('Wat is de situatie?').fill('Woont op drie hoog zonder lift.');
  await page.getByRole('link', { name: `Huishouden ${family}` }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  const household = new URL(page.url()).pathname.split('/').pop();

  const routes: [string, string][] = [
    ['/', 'Vandaag'],
    ['/contact/nieuw', 'Nieuw contact'],
    ['/contact/anoniem', 'Snelle vraag zonder inwoner'],
    ['/signaal/nieuw', 'Signaal van buiten vastleggen'],
    [scan, 'Vraagverkenning'],
    [conversation, 'Keukentafelgesprek'],
    [`/huishouden/${household}`, `Huishouden ${family}`],
    [`/plan/${household}`, 'Ondersteuningsplan'],
    [`/verslag/${household}`, 'Verslag van ons gesprek en uw ondersteuningsplan'],
    ['/wegwijzer', 'Sociale kaart'],
    ['/werkvoorraad', 'Werkvoorraad van het team'],
    ['/agenda', 'Agenda'],
    ['/conflicten', 'Conflicten'],
    ['/niet-verwerkt', 'Niet verwerkt'],
    ['/over', 'Over deze app'],
  ];
  for (const [path, heading] of routes) {
    const cold = await context.newPage();
    const failed: string[] = [];
    const asked: string[] = [];
    // Offline the app does not ask what only the server knows (handovers waiting, resuming the
    // session): those wait for the connection.
    cold.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/api/handovers/waiting' || path === '/api/session/resume') asked.push(path);
    });
    // The app's own files and pages; API calls offline fail by nature and are retried online.
    cold.on('requestfailed', (request) => {
      if (!new URL(request.url()).pathname.startsWith('/api/')) {
        failed.push(`${request.url()}: ${request.failure()?.errorText}`);
      }
    });
    await openApp(cold, path);
    await expect(cold.getByRole('heading', { level: 1, name: heading }), path).toBeVisible();
    // It answers a tap: the main menu takes it to "Over deze app".
    await cold.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Over deze app' }).click();
    await expect(cold.getByRole('heading', { level: 1, name: 'Over deze app' }), path).toBeVisible();
    expect(failed, path).toEqual([]);
    expect(asked, path).toEqual([]);
    await cold.close();
  }
});
