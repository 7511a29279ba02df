import { test, expect } from '@playwright/test';
import { apiAs, openQuestion, signIn, synced, uniqueName, unlock, waitForApp } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('two tabs share one store: one syncs at a time, each shows the other\'s changes, nothing is applied twice or lost', async ({ context }) => {
  test.setTimeout(120_000);
  const sent: number[] = [];
  // Changes the server applied (or turned into conflicts), by number, from the push answers.
  const settled: number[] = [];
  let deviceId = '';
  context.on('request', (request) => {
    if (request.url().includes('/api/sync/push')) {
      const body = JSON.parse(request.postData() ?? '{}');
      deviceId = body.device_id;
      for (const change of body.changes ?? []) sent.push(change.seq);
    }
  });
  context.on('response', async (response) => {
    if (response.url().includes('/api/sync/push') && response.ok()) {
      for (const result of (await response.json()).results ?? []) {
        if (result.outcome !== 'duplicate') settled.push(result.seq);
      }
    }
  });
  const one = await context.newPage();
  const two = await context.newPage();
  await signIn(one, 'noor');
  await two.goto('/');
  await waitForApp(two);
  // The key lives in each tab's memory: the second tab unlocks with the PIN too.
  await unlock(two);

  // A contact made in one tab shows in the other without a reload. (The tab being worked in is
  // brought to the front: the browser throttles a background tab's timers.)
  const family = uniqueName('Kok');
  await one.bringToFront();
  await contactWithOpenQuestion(one, 'Noor', { givenName: 'Kees', familyName: family });
  await expect(two.getByTestId('today-contacts')).toContainText(`Kees ${family}`);
  for (const page of [one, two]) {
    await page.bringToFront();
    await page.getByTestId('today-contacts').getByRole('link', { name: `Kees ${family}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();
  }

  // Noor works at the front office: no conversation notes or plans are offered to her.
  await expect(one.getByRole('link', { name: 'Ondersteuningsplan' })).toHaveCount(0);
  await expect(one.getByRole('heading', { name: 'Gesprekken' })).toHaveCount(0);
  const householdUrl = one.url();
  await one.goto(householdUrl.replace('/huishouden/', '/plan/'));
  await unlock(one);
  await expect(one.getByTestId('no-access')).toHaveText('Met jouw rol kun je dit niet inzien.');
  await one.goto(householdUrl);
  await unlock(one);
  await expect(one.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();

  // An edit in one tab appears in the other's open form; then both edit and both sync at once.
  await one.bringToFront();
  await (await openQuestion(one)).getByLabel('Volgende stap').fill('Uit het eerste tabblad');
  await expect((await openQuestion(two)).getByLabel('Volgende stap')).toHaveValue('Uit het eerste tabblad');
  await two.bringToFront();
  await (await openQuestion(two)).getByLabel('Eigenaar').fill('Tweede tabblad');
  await expect((await openQuestion(one)).getByLabel('Eigenaar')).toHaveValue('Tweede tabblad');
  await Promise.all([one.getByTestId('sync-now').click(), two.getByTestId('sync-now').click()]);
  await synced(one);
  await synced(two);

  // Every queued change was applied exactly once, and the server settled them all. A tab sees
  // the other's storage a moment late, so it may send a change the other just pushed again:
  // the server answers that replay "duplicate" and applies nothing (docs/sync.md).
  // (The device's counter is sealed in storage: the pushes themselves tell how many there were.)
  const queued = Math.max(...sent);
  expect(settled.length, `sent: ${sent.join(',')}; applied: ${settled.join(',')}`).toBe(new Set(settled).size);
  expect([...settled].sort((a, b) => a - b)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));
  const outbox = await one.evaluate(() => Object.keys(localStorage).filter((k) => (k.startsWith('kt/outbox/') || k.startsWith('kt/queue/'))).length);
  expect(outbox).toBe(0);
  const api = await apiAs('noor');
  const pulled = await (await api.get(`/api/sync/pull?device_id=${deviceId}&cursor=0&limit=1`)).json();
  await api.dispose();
  expect(pulled.applied_through).toBe(queued);
});
