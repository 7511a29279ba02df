import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, uniqueName, unlock } from './helpers';
import { contactWithOpenQuestion } from './journeys';

test('the coordinator sees a synced home visit in the figures, as SVG charts and as CSV', async ({ page }) => {
  await signIn(page, 'anne');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' }).click();
  await expect(page.getByTestId('figures-scope')).toContainText('Wijkteam');
  const before = Number(await page.getByTestId('stat-contacts').textContent());

  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Vandaag' }).click();
  await contactWithOpenQuestion(page, 'anne', { givenName: 'Rik', familyName: uniqueName('Cijfer') });
  await synced(page);

  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' }).click();
  await expect(page.getByTestId('stat-contacts')).toHaveText(String(before + 1));
  const weeks = page.getByTestId('figure-contacten-per-week');
  await expect(weeks.locator('svg[role="img"] rect').first()).toBeVisible();
  await expect(page.getByTestId('figure-vragen-per-leefgebied').locator('table')).toContainText('Lichamelijke gezondheid');
  await expect(page.getByTestId('figure-uitkomsten-vraagverkenning').locator('table')).toContainText('Afspraak voor gesprek');
  // The question's law, suggested from its first life domain (practical: the Wmo), and its
  // two life domains.
  await expect(page.getByTestId('figure-vragen-per-wet').locator('table')).toContainText('Wmo 2015');
  await expect(page.getByTestId('figure-vragen-samenstelling').locator('table')).toContainText('Over meer leefgebieden');

  // The CSV download holds the same count as the page.
  const href = await page.getByTestId('figure-contacten-per-dag').getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await (await page.request.get(href!)).text();
  const lines = csv.trim().split('\n');
  // Dutch Excel's own: a byte-order mark, `;` between cells, dates as dd-mm-jjjj.
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(lines[0].replace(/^\uFEFF/, '')).toBe('Dag;Kanaal;Contacten');
  expect(lines[1]).toMatch(/^\d\d-\d\d-\d{4};/);
  const total = lines.slice(1).reduce((sum, line) => sum + Number(line.split(';').pop()!.replace('.', '')), 0);
  expect(total).toBe(before + 1);
  expect(csv).toContain('Huisbezoek');

  // A period that ends before it starts is refused in words; the form keeps its dates.
  await page.getByLabel('Van', { exact: true }).fill('2026-12-31');
  await page.getByLabel('Tot en met').fill('2026-01-01');
  await page.getByRole('button', { name: 'Toon cijfers' }).click();
  await expect(page.getByRole('alert')).toContainText('De begindatum ligt na de einddatum.');
  await expect(page.getByLabel('Van', { exact: true })).toHaveValue('2026-12-31');
  await page.getByLabel('Van', { exact: true }).fill('2026-01-01');
  await page.getByLabel('Tot en met').fill('2026-12-31');
  await page.getByRole('button', { name: 'Toon cijfers' }).click();
  await expect(page.getByTestId('stat-contacts')).toBeVisible();
  await page.screenshot({ path: '../docs/screenshots/figures.png', fullPage: true });
  await expectNoAxeViolations(page, 'the figures page');
});

test('the front office is told that figures are for coordinators', async ({ page }) => {
  await signIn(page, 'noor');
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' })).toHaveCount(0);
  await page.goto('/cijfers');
  await unlock(page);
  await expect(page.getByRole('alert')).toContainText('Alleen een coördinator kan de cijfers inzien.');
});
