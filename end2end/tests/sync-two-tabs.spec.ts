import { test, expect, type BrowserContext } from '@playwright/test';
import { apiAs, openQuestion, signIn, synced, syncNow, uniqueName, unlock, waitForApp } from './helpers';
import { contactWithOpenQuestion } from './journeys';

/** Watches the context's pushes: the device, every change number sent, and every one the server
 * applied (or turned into a conflict), from the push answers; a replay answered "duplicate"
 * applied nothing and is not counted. */
function watchPushes(context: BrowserContext) {
  const seen = { deviceId: '', sent: [] as number[], settled: [] as number[] };
  context.on('request', (request) => {
    if (request.url().includes('/api/sync/push')) {
      const body = JSON.parse(request.postData() ?? '{}');
      seen.deviceId = body.device_id;
      for (const change of body.changes ?? []) seen.sent.push(change.seq);
    }
  });
  context.on('response', async (response) => {
    if (response.url().includes('/api/sync/push') && response.ok()) {
      for (const result of (await response.json()).results ?? []) {
        if (result.outcome !== 'duplicate') seen.settled.push(result.seq);
      }
    }
  });
  return seen;
}

test('two tabs share one store: one syncs at a time, each shows the other\'s changes, nothing is applied twice or lost', async ({ context }) => {
  test.setTimeout(120_000);
  const pushes = watchPushes(context);
  const { sent, settled } = pushes;
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
  const pulled = await (await api.get(`/api/sync/pull?device_id=${pushes.deviceId}&cursor=0&limit=1`)).json();
  await api.dispose();
  expect(pulled.applied_through).toBe(queued);
});

test('two tabs each make 500 changes as fast as they can: every change reaches the server once, no edit is lost', async ({ context }) => {
  test.setTimeout(480_000);
  const pushes = watchPushes(context);
  const { settled } = pushes;
  const one = await context.newPage();
  const two = await context.newPage();
  await signIn(one, 'noor');
  const families = [uniqueName('Vos'), uniqueName('Wit')];
  for (const family of families) {
    await contactWithOpenQuestion(one, 'Noor', { givenName: 'Ria', familyName: family });
  }
  await two.goto('/');
  await waitForApp(two);
  await unlock(two);
  const tabs = [one, two];
  for (const [i, page] of tabs.entries()) {
    await page.bringToFront();
    await page.getByTestId('today-contacts').getByRole('link', { name: `Ria ${families[i]}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${families[i]}` })).toBeVisible();
  }
  await syncNow(one);

  // Each tab types into its own household's question, one change per input, and syncs now and
  // then while the other keeps typing: both tabs number and send from one outbox.
  const EDITS = 500;
  const finalText = (tab: number) => `tab${tab}-edit${EDITS}`;
  await Promise.all(
    tabs.map(async (page, tab) => {
      const field = (await openQuestion(page)).getByLabel('Volgende stap');
      for (let n = 1; n <= EDITS; n++) {
        await field.fill(`tab${tab}-edit${n}`);
        if (n % 25 === 12) await page.getByTestId('sync-now').click();
      }
    }),
  );
  for (const page of tabs) {
    await page.bringToFront();
    await syncNow(page);
  }
  await syncNow(one);

  // Every numbered change was applied once: 1..n, no number twice, none missing.
  const sorted = [...settled].sort((a, b) => a - b);
  console.log(`two tabs: ${2 * EDITS} edits became ${sorted.length} numbered changes, each applied once`);
  expect(settled.length).toBe(new Set(settled).size);
  expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => i + 1));
  const queued = await one.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kt/outbox/') || k.startsWith('kt/queue/')).length);
  expect(queued).toBe(0);

  // The server holds each tab's last word: read back the team's log as another client would.
  const api = await apiAs('noor');
  const latest = new Map<string, any>();
  let cursor = 0;
  for (;;) {
    const page = await (await api.get(`/api/sync/pull?device_id=${pushes.deviceId}&cursor=${cursor}`)).json();
    for (const entry of page.entries) {
      if (entry.kind === 'record' && entry.record_type === 'question') latest.set(entry.record_id, entry.fields);
    }
    expect(page.applied_through).toBe(sorted.length);
    if (!page.more) break;
    cursor = page.cursor;
  }
  await api.dispose();
  const steps = [...latest.values()].map((q) => q.next_step);
  for (const tab of [0, 1]) expect(steps).toContain(finalText(tab));
  for (const [tab, page] of tabs.entries()) {
    await page.bringToFront();
    await expect((await openQuestion(page)).getByLabel('Volgende stap')).toHaveValue(finalText(tab));
  }
});
