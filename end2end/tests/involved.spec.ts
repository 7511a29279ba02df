import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, startOffline, uniqueName } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('offline, the professionals involved are recorded with how to reach them and why we may share, shown on the record, the plan and the report', async ({ page, context }) => {
  await startOffline(page, context);
  const family = uniqueName('Visser');
  await contactWithOpenQuestion(page, 'Solo', { givenName: 'Gerrit', familyName: family });
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await page.getByTestId('today-contacts').getByRole('link', { name: `Gerrit ${family}` }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();

  const card = page.getByTestId('involved-card');
  await expect(card).toContainText('Nog niemand vastgelegd.');
  await card.getByText('Betrokkene toevoegen').first().click();
  const form = card.getByRole('form', { name: 'Betrokkene toevoegen' });
  // Nothing filled in: each problem beside its field.
  await form.getByRole('button', { name: 'Betrokkene toevoegen' }).click();
  await expect(form.getByText('Vul een naam of een organisatie in (of allebei).')).toBeVisible();
  await form.getByLabel('Naam (niet verplicht)').fill('Sanne Bakker');
  await form.getByLabel('Organisatie').fill('Schuldhulpverlening Lindeveen');
  await form.getByLabel('Rol').fill('schuldhulpverlener');
  await form.getByLabel('Mogen we gegevens met hen delen?').selectOption({ label: 'Wettelijke grondslag' });
  await form.getByRole('button', { name: 'Betrokkene toevoegen' }).click();
  await expect(form.getByText('Vul de wettelijke grondslag in.')).toBeVisible();
  // What was typed stays.
  await expect(form.getByLabel('Rol')).toHaveValue('schuldhulpverlener');
  await form.getByLabel('Wettelijke grondslag', { exact: true }).fill('Wet gemeentelijke schuldhulpverlening art. 8');
  await expectNoAxeViolations(page, 'adding someone involved');
  await form.getByRole('button', { name: 'Betrokkene toevoegen' }).click();
  const sanne = card.getByTestId('involved').filter({ hasText: 'Sanne Bakker (Schuldhulpverlening Lindeveen)' });
  await expect(sanne).toContainText('schuldhulpverlener');
  await expect(sanne).toContainText('Grondslag: Wet gemeentelijke schuldhulpverlening art. 8');
  // The social map's partner: its phone, as none was typed.
  await expect(sanne).toContainText(/schuldhulpverlener · \d/);
  await expect(sanne).toContainText(/Sinds \d\d-\d\d-\d{4}/);
  // Part of the household's story too.
  const story = page.getByTestId('timeline').getByTestId('timeline-entry');
  await expect(story.filter({ hasText: 'Betrokken: Sanne Bakker (Schuldhulpverlening Lindeveen)' })).toHaveCount(1);

  // A volunteer, with nothing shared; then their involvement ends.
  await card.getByLabel('Naam (niet verplicht)').fill('Kees de Maat');
  await card.getByLabel('Rol').fill('maatje');
  await card.getByLabel('Telefoon (niet verplicht)').fill('06 98765432');
  await card.getByRole('button', { name: 'Betrokkene toevoegen' }).last().click();
  const kees = card.getByTestId('involved').filter({ hasText: 'Kees de Maat' });
  await expect(kees).toContainText('Er worden geen gegevens gedeeld');
  await card.screenshot({ path: '../docs/screenshots/betrokkenen.png' });
  await kees.getByRole('button', { name: 'Betrokkenheid beëindigen van Kees de Maat' }).click();
  await expect(card.getByTestId('involved-ended')).toContainText('Kees de Maat');
  await expect(card.getByTestId('involved-ended')).toContainText(/beëindigd op \d\d-\d\d-\d{4}/);

  // The plan offers them as "who"; the report names those still involved.
  await page.getByRole('link', { name: 'Ondersteuningsplan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ondersteuningsplan' })).toBeVisible();
  await expect(page.locator('#sociale-kaart-partners option[value="Sanne Bakker (Schuldhulpverlening Lindeveen)"]')).toHaveCount(1);
  await expect(page.locator('#sociale-kaart-partners option[value="Kees de Maat"]')).toHaveCount(0);
  await page.getByRole('link', { name: `Huishouden ${family}` }).click();
  await page.getByRole('link', { name: 'Verslag voor de inwoner' }).click();
  const involved = page.getByTestId('report-involved');
  await expect(involved).toContainText('Sanne Bakker (Schuldhulpverlening Lindeveen): schuldhulpverlener');
  await expect(involved).not.toContainText('Kees de Maat');
});
