import { test, expect } from '@playwright/test';
import { apiAs, emptyFill, expectNoAxeViolations, fillStorage, signIn, synced, syncNow, uniqueName } from './helpers';

// Issue 14 item 5: a nearly full device stops pulling before the last room is gone, says so,
// and keeps its place; with room again the pull goes on where it stopped.
test('a nearly full device stops pulling and says so; with room again it catches up', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'anne');
  await synced(page);
  // Fill the device's storage, then give back 256 KiB: less than the pull's 512 KiB reserve.
  await fillStorage(page, 2);
  // A colleague registers a household meanwhile.
  const family = uniqueName('Vol');
  const api = await apiAs('bram');
  const device = crypto.randomUUID();
  const home = crypto.randomUUID();
  const pushed = await api.post('/api/sync/push', {
    device_id: device,
    protocol_version: 1,
    changes: [{
      device_id: device, seq: 1, record_type: 'household', record_id: home, op: 'create',
      fields: { id: home, name: `Huishouden ${family}`, members: [] },
      base_version: 0, protocol_version: 1, schema_version: 1,
    }],
  });
  expect(pushed.status()).toBe(200);
  await api.dispose();

  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-status')).toContainText('Dit apparaat is bijna vol', { timeout: 20_000 });

  await emptyFill(page);
  await syncNow(page);
  await expect(page.getByTestId('sync-status')).not.toContainText('bijna vol');
});

// Issue 19 item 5: a device that will not hold what waits for it says so on the sync's first
// page, before it fills (the server counts what waits, the device what its first page took);
// once there is room, the words go. `lies` has a team of her own: 1,200 households would slow
// every other test that pulls its team.
test('a device that will not hold its team says so on the first page, before it fills', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'lies');
  await synced(page);
  // A colleague's device registers 1,200 households: more than a page of the log (500).
  const api = await apiAs('lies');
  const device = crypto.randomUUID();
  const words = 'zorgen over de schulden, de mantelzorg en de buren; ';
  for (let batch = 0; batch < 6; batch++) {
    const changes = Array.from({ length: 200 }, (_, i) => {
      const seq = batch * 200 + i + 1;
      const home = crypto.randomUUID();
      return {
        device_id: device, seq, record_type: 'household', record_id: home, op: 'create',
        fields: { id: home, name: `Huishouden ${seq}: ${words.repeat(8)}`, members: [] },
        base_version: 0, protocol_version: 1, schema_version: 1,
      };
    });
    const pushed = await api.post('/api/sync/push', { device_id: device, protocol_version: 1, changes });
    expect(pushed.status()).toBe(200);
  }
  await api.dispose();
  // Room for a little: 768 KiB free, 512 KiB of it the reserve for typing.
  await fillStorage(page, 6);
  await page.getByTestId('sync-now').click();
  const notice = page.getByTestId('short-of-room');
  await expect(notice).toContainText('Niet alles past op dit apparaat', { timeout: 30_000 });
  await expect(notice).toContainText(/ongeveer \d+,\d MB aan gegevens, er is ruimte voor \d+,\d MB/);
  // It pulls what fits and stops at the reserve.
  await expect(page.getByTestId('sync-status')).toContainText('Dit apparaat is bijna vol', { timeout: 30_000 });
  await expectNoAxeViolations(page, 'the sync status with a device short of room');
  await page.screenshot({ path: 'test-results/niet-alles-past.png' });

  await emptyFill(page);
  await syncNow(page);
  await expect(notice).toHaveCount(0);
});
