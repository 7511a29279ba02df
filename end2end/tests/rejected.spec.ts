import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openQuestion, signIn, synced, syncNow, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

// Issue 14: a change the server refuses comes back to the worker with its reason and its words
// ("Niet verwerkt"); the worker corrects and resends it, or throws it away on purpose.
test('a refused change comes back with its words: corrected and resent, or thrown away', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'anne');
  const family = uniqueName('Mulder');
  await contactWithOpenQuestion(page, 'Anne', { givenName: 'Ria', familyName: family });
  await synced(page);
  await page.getByTestId('today-contacts').getByRole('link', { name: `Ria ${family}` }).click();

  // A NUL character (pasted from a broken document): PostgreSQL cannot store it.
  await (await openQuestion(page)).getByLabel('Volgende stap').fill('Bel de huisarts\u0000 op maandag');
  await syncNow(page);
  const link = page.getByTestId('rejected-link');
  await expect(link).toHaveText('1 wijziging niet verwerkt');
  // The household page shows it too, and its story says so.
  await expect(page.getByTestId('rejected')).toHaveCount(1);
  const story = page.getByTestId('timeline');
  await story.getByLabel('Soort').selectOption({ label: 'Niet verwerkt' });
  await expect(story.getByTestId('timeline-entry')).toHaveCount(1);
  await expect(story.getByTestId('timeline-entry')).toContainText('Niet verwerkt: Vraag');
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Niet verwerkt' })).toBeVisible();
  const refused = page.getByTestId('rejected');
  await expect(refused.getByTestId('rejected-reason')).toContainText('niet kan opslaan');
  const words = refused.getByLabel('Volgende stap');
  await expect(words).toHaveValue(/Bel de huisarts/);
  await expectNoAxeViolations(page, 'niet verwerkt');
  await page.screenshot({ path: 'test-results/niet-verwerkt.png', fullPage: true });

  await words.fill('Bel de huisarts op maandag');
  await refused.getByRole('button', { name: 'Opnieuw versturen' }).click();
  await expect(page.getByText('Alles is verwerkt')).toBeVisible();
  await syncNow(page);
  await expect(link).toBeHidden();
  await page.goBack();
  await expect((await openQuestion(page)).getByLabel('Volgende stap')).toHaveValue('Bel de huisarts op maandag');

  // Refused again, and this time thrown away on purpose: the server records it, the list empties.
  await (await openQuestion(page)).getByLabel('Volgende stap').fill('Fout\u0000');
  await syncNow(page);
  await link.click();
  await page.getByTestId('rejected').getByRole('button', { name: 'Weggooien' }).click();
  await expect(page.getByText('Alles is verwerkt')).toBeVisible();
  await expect(link).toBeHidden();
});
