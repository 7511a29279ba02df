import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openQuestion, startOffline, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('offline: my work, a question without a next date, and the evaluation that closes the loop', async ({ page, context }) => {
  test.setTimeout(120_000);
  await startOffline(page, context);
  const family = uniqueName('Evers');
  await contactWithOpenQuestion(page, 'Anne', { givenName: 'Gerrit', familyName: family });

  // My work: today's appointment from the quick scan, at its time.
  const work = page.getByTestId('my-work');
  await expect(work.getByTestId('my-work-appointments')).toContainText(`Gerrit ${family}`);
  await expect(work.getByTestId('my-work-appointments')).toContainText('10:30');

  // An open question keeps an owner and a next date; without one it is named and listed.
  await page.getByTestId('today-contacts').getByRole('link', { name: `Gerrit ${family}` }).click();
  const question = await openQuestion(page);
  await question.getByLabel('Volgende datum').fill('');
  await expect(question.getByText('Een open vraag heeft een volgende datum.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(work.getByTestId('my-work-overdue')).toContainText('Geen volgende datum');
  await page.getByTestId('today-contacts').getByRole('link', { name: `Gerrit ${family}` }).click();
  await (await openQuestion(page)).getByLabel('Volgende datum').fill('2026-01-05');
  // The law it falls under, suggested at the quick scan, changed here; kept on the device.
  const law = (await openQuestion(page)).getByLabel('Wet of regeling');
  await expect(law.locator('option:checked')).toHaveText('Wmo 2015');
  await law.selectOption({ label: 'Participatiewet' });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: `Gerrit ${family}` }).click();
  await expect((await openQuestion(page)).getByLabel('Wet of regeling').locator('option:checked')).toHaveText('Participatiewet');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(work.getByTestId('my-work-overdue')).toContainText('Verlopen: 05-01-2026');
  await expectNoAxeViolations(page, 'the start screen with my work');

  // The plan: support delivered, then evaluated with the resident, per goal.
  await page.getByTestId('today-contacts').getByRole('link', { name: `Gerrit ${family}` }).click();
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await page.getByLabel('Regisseur van het huishouden').fill('Anne de Wit');
  await page.getByRole('button', { name: 'Resultaat toevoegen' }).click();
  const goal = page.getByTestId('goal-0');
  await goal.getByLabel(/Welk resultaat wil de inwoner bereiken/).fill('Zelf de boodschappen doen.');
  await goal.getByRole('button', { name: 'Actie toevoegen' }).click();
  await goal.getByLabel('Actie 1', { exact: true }).fill('Boodschappendienst van De Schakel');
  await expect(goal.getByText('Evalueren kan zodra de acties klaar zijn.')).toBeVisible();
  await goal.getByLabel('Stand van actie 1').selectOption({ label: 'Klaar' });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await work.getByTestId('my-work-evaluations').getByRole('link', { name: 'Evaluatie vastleggen' }).click();

  const evaluation = page.getByTestId('goal-0-evaluation');
  await evaluation.getByRole('button', { name: 'Evaluatie vastleggen' }).click();
  await expect(evaluation.getByText('Kies of het resultaat is bereikt.')).toBeVisible();
  await evaluation.getByLabel('Deels bereikt').check();
  await evaluation.getByLabel(/Hoe ziet de inwoner het/).fill('Boodschappen lukken, zwaar tillen nog niet.');
  await evaluation.getByRole('button', { name: 'Evaluatie vastleggen' }).click();
  await expect(evaluation.getByText('Het resultaat is niet helemaal bereikt: noteer wat er nu gebeurt.')).toBeVisible();
  await expect(evaluation.getByLabel(/Hoe ziet de inwoner het/)).toHaveValue('Boodschappen lukken, zwaar tillen nog niet.');
  await evaluation.getByLabel('Wat gebeurt er nu?').fill('Bezorgservice van de supermarkt erbij.');
  await evaluation.getByRole('button', { name: 'Evaluatie vastleggen' }).click();
  await expect(evaluation).toContainText('Deels bereikt');
  await expect(evaluation).toContainText('Bezorgservice van de supermarkt erbij.');

  // Every goal evaluated: the loop is closed, and the question leaves the lists.
  const loop = page.getByTestId('close-the-loop');
  await expect(loop).toContainText('Er staat nog 1 vraag open.');
  await expectNoAxeViolations(page, 'the plan with its evaluation');
  await page.screenshot({ path: '../docs/screenshots/evaluation.png', fullPage: true });
  await loop.getByRole('button', { name: 'Lus sluiten: open vragen afsluiten' }).click();
  await expect(loop).toContainText('De lus is rond');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await expect(work.getByTestId('my-work-overdue')).toHaveCount(0);
  await expect(work.getByTestId('my-work-evaluations')).toHaveCount(0);
  await expect(work.getByTestId('my-work-appointments')).toContainText(`Gerrit ${family}`);
  await page.screenshot({ path: '../docs/screenshots/my-work.png', fullPage: true });
});
