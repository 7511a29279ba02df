import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openQuestion, signIn, synced, syncNow, uniqueName, unlock, waitForApp, waitForServiceWorker } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('two workers edit one household offline: other fields merge, the same field becomes one conflict', async ({ browser }) => {
  test.setTimeout(180_000);
  const anne = await browser.newContext();
  const bram = await browser.newContext();
  const a = await anne.newPage();
  const b = await bram.newPage();

  // Anne registers Sanne Visser and plans a conversation: an open question.
  await signIn(a, 'anne');
  const family = uniqueName('Visser');
  await contactWithOpenQuestion(a, 'Anne', { givenName: 'Sanne', familyName: family });
  await synced(a);

  // Bram's tablet pulls it.
  await signIn(b, 'bram');
  await synced(b);
  for (const page of [a, b]) {
    await page.getByTestId('today-contacts').getByRole('link', { name: `Sanne ${family}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  }

  // Offline, each changes another field.
  await waitForServiceWorker(a);
  await waitForServiceWorker(b);
  await anne.setOffline(true);
  await bram.setOffline(true);
  await (await openQuestion(a)).getByLabel('Volgende stap').fill('Anne belt maandag de huisarts');
  await (await openQuestion(b)).getByLabel('Eigenaar').fill('Bram');
  await expect(a.getByTestId('sync-status')).toContainText('Offline: 1 wijziging wacht op verzending');
  await anne.setOffline(false);
  await synced(a);
  await bram.setOffline(false);
  await synced(b);
  await syncNow(a);
  for (const page of [a, b]) {
    const item = await openQuestion(page);
    await expect(item.getByLabel('Volgende stap')).toHaveValue('Anne belt maandag de huisarts');
    await expect(item.getByLabel('Eigenaar')).toHaveValue('Bram');
  }

  // Offline again, both rewrite the resident's own words.
  await anne.setOffline(true);
  await bram.setOffline(true);
  await (await openQuestion(a)).getByLabel('Vraag in eigen woorden').fill('Sinds de val lukt schoonmaken niet meer.');
  await (await openQuestion(b)).getByLabel('Vraag in eigen woorden').fill('Ze wil hulp bij het huishouden en de tuin.');
  await anne.setOffline(false);
  await synced(a);
  await bram.setOffline(false);
  await synced(b);
  await syncNow(a);
  for (const page of [a, b]) {
    await expect(page.getByTestId('conflicts-link')).toHaveText('1 conflict om op te lossen');
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toHaveCount(1);
    await expect(conflict.getByTestId('server-value')).toHaveText('Sinds de val lukt schoonmaken niet meer.');
    await expect(conflict.getByTestId('device-value')).toHaveText('Ze wil hulp bij het huishouden en de tuin.');
  }
  // The other fields still merged, and the server's text stands until someone chooses.
  await expect((await openQuestion(b)).getByLabel('Vraag in eigen woorden')).toHaveValue('Sinds de val lukt schoonmaken niet meer.');
  await expectNoAxeViolations(b, 'a household with a conflict');
  await b.screenshot({ path: '../docs/screenshots/conflict.png', fullPage: true });

  // Bram merges both texts; Anne's tablet follows.
  const merged = 'Sinds de val lukt schoonmaken niet meer. Ze wil hulp bij het huishouden en de tuin.';
  await b.getByTestId('merged').fill(merged);
  await b.getByTestId('keep-merged').click();
  await expect(b.getByTestId('conflict')).toHaveCount(0);
  await syncNow(b);
  await syncNow(a);
  for (const page of [a, b]) {
    await expect(page.getByTestId('conflict')).toHaveCount(0);
    await expect(page.getByTestId('conflicts-link')).toHaveCount(0);
    await expect((await openQuestion(page)).getByLabel('Vraag in eigen woorden')).toHaveValue(merged);
  }

  // A reload while a push is under way: the server commits, the answer never arrives.
  let held = 0;
  await anne.route('**/api/sync/push', async (route) => {
    const response = await route.fetch();
    held += 1;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.fulfill({ response }).catch(() => {});
  });
  await (await openQuestion(a)).getByLabel('Volgende stap').fill('Na het herladen nog steeds hier');
  await a.getByTestId('sync-now').click();
  await expect.poll(() => held).toBe(1);
  await a.reload();
  await waitForApp(a);
  await unlock(a);
  await anne.unroute('**/api/sync/push');
  await syncNow(a);
  await expect((await openQuestion(a)).getByLabel('Volgende stap')).toHaveValue('Na het herladen nog steeds hier');
  await syncNow(b);
  await expect((await openQuestion(b)).getByLabel('Volgende stap')).toHaveValue('Na het herladen nog steeds hier');
  await expect(a.getByTestId('sync-status')).not.toContainText('wacht');

  await anne.close();
  await bram.close();
});
