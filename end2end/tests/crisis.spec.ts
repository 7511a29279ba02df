import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, reloadApp, signIn, synced, syncNow, uniqueName } from './helpers';
import { answerRest, answerStep1, answerStep2, confirm, startContact, type Answers } from './journeys';

// Issue 16 item 5: an escalation reaches a named colleague, on top of their "Mijn werk" until
// they take it up.
test('an escalation reaches the colleague it names, on top of their work until taken up', async ({ browser }) => {
  test.setTimeout(180_000);
  const office = await browser.newContext();
  const field = await browser.newContext();
  const anne = await office.newPage();
  const bram = await field.newPage();
  const family = uniqueName('Veilig');

  // Anne hears of violence at home and escalates to Bram, by his name in the team.
  await signIn(anne, 'anne');
  await startContact(anne, { channel: 'Telefoon', worker: 'Anne', register: { givenName: 'Sanne', familyName: family } });
  const crisis: Answers = {
    ownWords: 'Mijn partner bedreigt mij.',
    domains: ['Gezin en opvoeding'],
    more: false,
    rightPlace: true,
    answeredHere: false,
    wantsNotification: false,
    signals: ['Huiselijk geweld of kindermishandeling'],
  };
  await answerStep1(anne, crisis);
  await answerStep2(anne, crisis);
  await answerRest(anne, crisis);
  await expect(anne.getByTestId('suggestion')).toContainText('Voorstel: Opschalen');
  await anne.getByLabel('Wie pakt de opvolging op?').fill('bram');
  await confirm(anne);
  await synced(anne);
  // Not in Anne's own crises: it is Bram's.
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(anne.getByTestId('my-work')).toBeVisible();
  await expect(anne.getByTestId('my-crises')).toHaveCount(0);

  // Bram's tablet, at its next sync: on top of his work, marked as a crisis.
  await signIn(bram, 'bram');
  await synced(bram);
  const mine = bram.getByTestId('my-crises');
  await expect(mine).toContainText(`Huishouden ${family}`);
  await expect(mine).toContainText('Mijn partner bedreigt mij.');
  await expectNoAxeViolations(bram, 'an escalation in my work');
  await bram.getByTestId('my-work').screenshot({ path: '../docs/screenshots/opschaling.png' });
  await mine.getByRole('button', { name: `Opgepakt: Huishouden ${family}` }).click();
  await expect(mine).toHaveCount(0);
  await syncNow(bram);
  // Taken up stays taken up, after a reload too.
  await reloadApp(bram);
  await expect(bram.getByTestId('my-work')).toBeVisible();
  await expect(bram.getByTestId('my-crises')).toHaveCount(0);
  await office.close();
  await field.close();
});
