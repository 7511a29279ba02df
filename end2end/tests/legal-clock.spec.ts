import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, reloadApp, startOffline } from './helpers';
import { answerRest, answerStep1, answerStep2, confirm, startContact, type Answers } from './journeys';

const isoDaysAgo = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('a melding starts the legal clock, and the household page warns in time', async ({ page, context }) => {
  await startOffline(page, context);
  await startContact(page, { channel: 'Telefoon', worker: 'Anne', register: { givenName: 'Greet', familyName: 'Mulder' } });
  const melding: Answers = {
    ownWords: 'Ik wil een traplift.', domains: ['Lichamelijke gezondheid'], more: false,
    rightPlace: true, answeredHere: false, wantsNotification: true,
  };
  await answerStep1(page, melding);
  await answerStep2(page, melding);
  await answerRest(page, melding);
  // The melding came in 40 days ago (registered late): the six weeks are nearly up.
  await page.getByLabel('Datum van de melding').fill(isoDaysAgo(40));
  await confirm(page);

  await page.getByTestId('today-contacts').getByRole('link', { name: 'Greet Mulder' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Huishouden Mulder' })).toBeVisible();
  const clock = page.getByTestId('legal-clock');
  await expect(clock.getByRole('listitem').filter({ hasText: 'Onderzoek (gesprek) afgerond' })).toContainText(/Let op: nog \d dagen/);
  await expect(clock.getByRole('listitem').filter({ hasText: 'Persoonlijk plan' })).toContainText(/Verlopen: \d+ dagen te laat/);
  await expect(clock.getByRole('listitem').filter({ hasText: 'cliëntondersteuning' })).toBeVisible();

  // Recording a date takes the item off the list, and it stays recorded.
  await clock.getByText('Datums vastleggen').click();
  await clock.getByLabel('Gewezen op cliëntondersteuning op').fill(isoDaysAgo(39));
  await expect(clock.getByRole('listitem').filter({ hasText: 'cliëntondersteuning' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'the household page');
  await reloadApp(page);
  await expect(page.getByTestId('legal-clock').getByRole('listitem')).toHaveCount(2);
});
