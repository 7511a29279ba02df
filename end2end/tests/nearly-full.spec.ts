import { test, expect } from '@playwright/test';
import { apiAs, emptyFill, fillStorage, signIn, synced, syncNow, uniqueName } from './helpers';

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
