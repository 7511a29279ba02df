import { test, expect } from '@playwright/test';
import { signIn, syncNow } from './helpers';

// Issue 17: a sync's code (push, pull, merging) is a wasm chunk of its own, fetched when the
// first sync starts; the service worker keeps it for offline use. When it cannot be fetched (an
// online first visit whose connection drops; here no service worker and the file refused), the
// sync fails in words as it would without a connection, what waits stays queued, and the next
// sync fetches the code and sends it.
test('a sync whose code cannot be fetched keeps its queue and sends it once the code arrives', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  let refuse = true;
  const asked: string[] = [];
  await page.route(/\/pkg\/[0-9a-f]+\/split_sync_engine\.wasm$/, async (route) => {
    asked.push(refuse ? 'refused' : 'sent');
    if (refuse) await route.abort('internetdisconnected');
    else await route.continue();
  });

  await signIn(page, 'noor');
  const status = page.getByTestId('sync-status');
  await expect(status).toContainText('Geen verbinding met de server.', { timeout: 20_000 });
  expect(asked[0]).toBe('refused');

  // Work goes on meanwhile: a quick question by phone waits for the next sync.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByRole('link', { name: 'Leg een snelle vraag zonder inwoner vast' }).click();
  const form = page.getByTestId('anonymous-contact');
  await form.getByRole('group', { name: 'Kanaal' }).getByLabel('Telefoon').check();
  await form.getByLabel('Waar ging de vraag over?').fill('Vraag over de chunk die niet kwam');
  await form.getByRole('group', { name: 'Leefgebied' }).getByRole('checkbox').first().check();
  await form.getByRole('group', { name: 'Wat heeft de inwoner gekregen?' }).getByLabel(/Praktische ondersteuning/).check();
  await form.getByRole('button', { name: 'Contact vastleggen' }).click();
  await expect(page.getByTestId('anonymous-waiting')).toHaveText('1 contact wacht op de volgende synchronisatie.');

  // The code can be fetched again: the next sync loads it and sends what waited.
  refuse = false;
  await syncNow(page);
  await expect(page.getByTestId('anonymous-waiting')).toHaveText('Alles is verstuurd naar de server.');
  expect(asked).toContain('sent');
  await context.close();
});
