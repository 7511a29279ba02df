import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openQuestion, signIn, synced, syncNow, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test("my work is mine, the tray is the team's: a question handed to the team is picked up by a colleague", async ({ browser }) => {
  test.setTimeout(180_000);
  const one = await browser.newContext();
  const two = await browser.newContext();
  const anne = await one.newPage();
  const bram = await two.newPage();
  await signIn(anne, 'anne');
  const family = uniqueName('Brouwer');
  await contactWithOpenQuestion(anne, 'Anne', { givenName: 'Henk', familyName: family });
  const work = anne.getByTestId('my-work');

  // Anne's question, past its date: in her work.
  await anne.getByTestId('today-contacts').getByRole('link', { name: `Henk ${family}` }).click();
  await (await openQuestion(anne)).getByLabel('Volgende datum').fill('2026-01-05');
  const nav = (page: typeof anne) => page.getByRole('navigation', { name: 'Hoofdmenu' });
  await nav(anne).getByRole('link', { name: 'Vandaag' }).click();
  await expect(work.getByTestId('my-work-overdue')).toContainText(`Huishouden ${family}`);

  // Handed to the team: out of her work, into the tray.
  await anne.getByTestId('today-contacts').getByRole('link', { name: `Henk ${family}` }).click();
  await (await openQuestion(anne)).getByLabel('Uit het team').selectOption({ label: 'Wijkteam (werkvoorraad)' });
  await expect(anne.getByTestId('open-question').first()).toContainText('Eigenaar: Wijkteam');
  await nav(anne).getByRole('link', { name: 'Vandaag' }).click();
  await expect(work).not.toContainText(`Huishouden ${family}`);
  await nav(anne).getByRole('link', { name: 'Werkvoorraad' }).click();
  const item = anne.getByTestId('tray-item').filter({ hasText: `Huishouden ${family}` });
  await expect(item).toContainText('Verlopen: 05-01-2026');
  await synced(anne);

  // Bram, of the same team, picks it up on his tablet: it becomes his.
  await signIn(bram, 'bram');
  await synced(bram);
  await nav(bram).getByRole('link', { name: 'Werkvoorraad' }).click();
  const his = bram.getByTestId('tray-item').filter({ hasText: `Huishouden ${family}` });
  await expectNoAxeViolations(bram, 'the team tray');
  await bram.screenshot({ path: '../docs/screenshots/werkvoorraad.png', fullPage: true });
  await his.getByRole('button', { name: `Oppakken: Huishouden ${family}` }).click();
  await expect(his).toHaveCount(0);
  await nav(bram).getByRole('link', { name: 'Vandaag' }).click();
  await expect(bram.getByTestId('my-work').getByTestId('my-work-overdue')).toContainText(`Huishouden ${family}`);
  await expect(bram.getByTestId('my-work').getByTestId('my-work-overdue')).toContainText('Eigenaar: bram');
  await bram.getByTestId('my-work').screenshot({ path: '../docs/screenshots/mijn-werk.png' });
  await syncNow(bram);

  // Anne's tablet learns it at its next sync: not in her tray or work; bram carries one more.
  await nav(anne).getByRole('link', { name: 'Vandaag' }).click();
  await syncNow(anne);
  await expect(work).not.toContainText(`Huishouden ${family}`);
  await nav(anne).getByRole('link', { name: 'Werkvoorraad' }).click();
  await expect(anne.getByTestId('tray-item').filter({ hasText: `Huishouden ${family}` })).toHaveCount(0);
  await expect(anne.getByTestId('tray-load').getByRole('listitem').filter({ hasText: 'bram' })).toContainText(/[1-9]\d* open vra(ag|gen)/);
  await one.close();
  await two.close();
});
