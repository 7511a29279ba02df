import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, openApp, reloadApp, startOffline } from './helpers';
import { startContact } from './journeys';

test('offline: a support plan with every kind of helper, and light before heavy', async ({ page, context }) => {
  test.setTimeout(120_000);
  await startOffline(page, context);
  await startContact(page, { channel: 'Huisbezoek', worker: 'Anne', register: { givenName: 'Joke', familyName: 'Smits' } });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: 'Joke Smits' }).click();
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ondersteuningsplan' })).toBeVisible();
  await page.getByLabel('Regisseur van het huishouden').fill('Anne de Wit');

  // Goal 1: light help only, one action for each kind of helper short of a provision.
  await page.getByRole('button', { name: 'Resultaat toevoegen' }).click();
  const first = page.getByTestId('goal-0');
  await first.getByLabel('Leefgebied').selectOption({ label: 'Sociaal netwerk en meedoen' });
  await first.getByLabel(/Welk resultaat wil de inwoner bereiken/).fill('Weer onder de mensen komen.');
  const helpers = ['Inwoner zelf', 'Sociaal netwerk', 'Vrijwilliger', 'Algemene voorziening', 'Professional'];
  for (const [i, helper] of helpers.entries()) {
    await first.getByRole('button', { name: 'Actie toevoegen' }).click();
    await first.getByLabel(`Actie ${i + 1}`, { exact: true }).fill(`Stap ${i + 1}`);
    await first.getByLabel(`Wie helpt bij actie ${i + 1}`).selectOption({ label: helper });
  }
  await expect(first.locator('.field__error')).toHaveCount(0);

  // Goal 2: a custom provision needs own strength, network and community services considered.
  await page.getByRole('button', { name: 'Resultaat toevoegen' }).click();
  const second = page.getByTestId('goal-1');
  await second.getByLabel(/Welk resultaat wil de inwoner bereiken/).fill('Veilig de trap op.');
  await second.getByRole('button', { name: 'Actie toevoegen' }).click();
  await second.getByLabel('Actie 1', { exact: true }).fill('Traplift');
  // Not offered until own strength, network and community services were considered.
  const provision = second.getByLabel('Wie helpt bij actie 1').locator('option', { hasText: 'Maatwerkvoorziening' });
  await expect(provision).toBeDisabled();
  await second.getByLabel('Eigen kracht').fill('Kan de trap niet meer op.');
  await second.getByLabel('Sociaal netwerk').fill('Geen familie in de buurt.');
  await expect(provision).toBeDisabled();
  await second.getByLabel('Algemene voorzieningen').fill('Geen algemene voorziening voor trappen.');
  await expect(provision).toBeEnabled();
  await second.getByLabel('Wie helpt bij actie 1').selectOption({ index: 5 });
  await expect(second.locator('.field__error')).toHaveCount(0);
  // Emptying a consideration afterwards is caught by the shared rule, in words.
  await second.getByLabel('Sociaal netwerk').fill('');
  await expect(second.getByText(/kan pas als het sociaal netwerk is overwogen/)).toBeVisible();
  await second.getByLabel('Sociaal netwerk').fill('Geen familie in de buurt.');
  await expectNoAxeViolations(page, 'the support plan');

  await reloadApp(page);
  await expect(page.getByTestId('goal-0').getByLabel('Wie helpt bij actie 5')).toHaveValue('4');
  await expect(page.getByTestId('goal-1').getByLabel('Wie helpt bij actie 1')).toHaveValue('5');
  await expect(page.getByTestId('goal-1').getByLabel('Algemene voorzieningen')).toHaveValue('Geen algemene voorziening voor trappen.');
  await expect(page.getByLabel('Regisseur van het huishouden')).toHaveValue('Anne de Wit');
});
