import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, reloadApp, startOffline } from './helpers';
import { answerRest, answerStep1, answerStep2, startContact, type Answers } from './journeys';

test('offline: a kitchen-table conversation over three domains survives a reload and resumes in a new tab', async ({ page, context }) => {
  test.setTimeout(120_000);
  await startOffline(page, context);

  await startContact(page, { channel: 'Huisbezoek', worker: 'Anne de Wit', register: { givenName: 'Henk', familyName: 'Visser' } });
  const answers: Answers = {
    ownWords: 'Sinds mijn ontslag loopt alles mis.',
    domains: ['Financiën', 'Huisvesting', 'Sociaal netwerk en meedoen'],
    more: true, rightPlace: true, answeredHere: false, wantsNotification: false,
  };
  await answerStep1(page, answers);
  await answerStep2(page, answers);
  await answerRest(page, answers);
  await page.getByLabel('Tijd').fill('14:00');
  await page.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await page.getByRole('button', { name: 'Uitkomst bevestigen' }).click();
  await page.getByRole('button', { name: 'Keukentafelgesprek' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Keukentafelgesprek' })).toBeVisible();

  // The resident of the question takes part.
  await expect(page.getByRole('group', { name: 'Wie doet mee aan het gesprek?' }).getByLabel('Henk Visser')).toBeChecked();

  // The quick scan's domains come first.
  const domainButtons = page.getByRole('list').filter({ has: page.getByRole('button', { name: /Verslaving/ }) }).getByRole('button');
  await expect(domainButtons.nth(0)).toHaveText('Financiën (uit de vraagverkenning)');
  await expect(domainButtons.nth(1)).toHaveText('Huisvesting (uit de vraagverkenning)');
  await expect(domainButtons.nth(2)).toHaveText('Sociaal netwerk en meedoen (uit de vraagverkenning)');

  await page.getByRole('button', { name: /^Financiën/ }).click();
  const finances = page.getByTestId('domain-finances');
  await finances.getByLabel('Wat is de situatie?').fill('Huurachterstand van drie maanden.');
  await finances.getByLabel('Welk resultaat wil de inwoner bereiken? (in eigen woorden)').fill('Weer rustig slapen zonder brieven.');
  await finances.getByLabel('Eigen kracht en gebruikelijke hulp').fill('Houdt zelf een kasboek bij.');
  await finances.getByLabel('2 · Niet zelfredzaam').check();

  await page.getByRole('button', { name: /^Huisvesting/ }).click();
  const housing = page.getByTestId('domain-housing');
  await housing.getByLabel('Wat gaat goed?').fill('Fijne buren.');

  // A reload in the middle loses nothing.
  await reloadApp(page);
  await expect(page.getByTestId('domain-finances').getByLabel('Wat is de situatie?')).toHaveValue('Huurachterstand van drie maanden.');
  await expect(page.getByTestId('domain-finances').getByLabel('2 · Niet zelfredzaam')).toBeChecked();
  await expect(page.getByTestId('domain-housing').getByLabel('Wat gaat goed?')).toHaveValue('Fijne buren.');

  await page.getByRole('button', { name: /^Sociaal netwerk/ }).click();
  const network = page.getByTestId('domain-social_network');
  await network.getByLabel('Mantelzorg en sociaal netwerk').fill('Zoon komt elke zondag.');
  await network.getByLabel('Maatwerkvoorziening').check();
  await network.getByLabel('Waarom is een maatwerkvoorziening nodig?').fill('Dagbesteding; geen algemene voorziening met plek.');
  await network.getByLabel('3 · Beperkt zelfredzaam').check();
  await expectNoAxeViolations(page, 'the conversation');

  // Resumed on another day: a new tab opens the same conversation, not a new one.
  const later = await context.newPage();
  await openApp(later, '/');
  await later.getByRole('button', { name: 'Keukentafelgesprek' }).click();
  await expect(later.getByTestId('domain-social_network').getByLabel('Waarom is een maatwerkvoorziening nodig?'))
    .toHaveValue('Dagbesteding; geen algemene voorziening met plek.');
  await expect(later.getByTestId('domain-finances').getByLabel('Eigen kracht en gebruikelijke hulp')).toHaveValue('Houdt zelf een kasboek bij.');
  await expect(later.locator('[data-testid^="domain-"]')).toHaveCount(3);
});
