import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, reloadApp, signIn, synced, syncNow, uniqueName, waitForServiceWorker } from './helpers';

// Issue 16 item 6: a signal from outside. The front office records a GP's signal and an
// anonymous neighbour's offline; at the next sync they land in the team's inbox. A consultant
// makes a question of the GP's (a new contact carrying the signal; once synced the inbox shows
// which household it became), tells the GP it was picked up, and closes the neighbour's with a
// reason. The coordinator's figures count signals per source.
test('a signal from outside becomes a question of a household, another is closed', async ({ browser }) => {
  test.setTimeout(240_000);
  const desk = await browser.newContext();
  const tablet = await browser.newContext();
  const office = await browser.newContext();
  const noor = await desk.newPage();
  const carla = await tablet.newPage();
  const anne = await office.newPage();
  const family = uniqueName('Vermeulen');
  const gpWords = `Mevrouw ${family} valt vaak en eet slecht. De dochter woont ver weg.`;

  await signIn(noor, 'noor');
  await synced(noor);
  await waitForServiceWorker(noor);
  await desk.setOffline(true);
  await noor.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Signalen' }).click();
  await noor.getByRole('link', { name: 'Signaal vastleggen' }).click();
  await expect(noor.getByRole('heading', { level: 1, name: 'Signaal van buiten vastleggen' })).toBeVisible();

  // Nothing filled in: every missing part is named.
  const form = noor.getByTestId('new-signal');
  await form.getByRole('button', { name: 'Signaal vastleggen' }).click();
  await expect(form.getByText('Kies wie het signaal gaf.')).toBeVisible();
  await expect(form.getByText('Schrijf op wat de melder zorgen baart.')).toBeVisible();

  await form.getByRole('group', { name: 'Wie geeft het signaal?' }).getByLabel('Huisarts').check();
  await form.getByLabel('Naam van de melder of organisatie').fill('Huisartsenpraktijk De Linde, dokter Bakker');
  await form.getByLabel('Telefoonnummer of e-mailadres').fill('0570 123 456');
  await form.getByRole('group', { name: 'Hoe kwam het binnen?' }).getByLabel('Telefoon').check();
  await form.getByLabel('De zorg, in de woorden van de melder').fill(gpWords);
  await form.getByLabel('Over wie gaat het? (als dat bekend is)').fill(`Mevrouw ${family}, Dorpsstraat 3`);
  await form.getByRole('group', { name: 'Grond om het op te pakken' }).getByLabel(/Zorg om veiligheid/).check();
  await expectNoAxeViolations(noor, 'the signal form');
  await form.getByRole('button', { name: 'Signaal vastleggen' }).click();
  await expect(noor.getByTestId('signal-saved')).toHaveText('Signaal van huisarts vastgelegd.');
  await expect(form.getByLabel('De zorg, in de woorden van de melder')).toHaveValue('');

  // An anonymous neighbour: no name, no way back.
  await form.getByRole('group', { name: 'Wie geeft het signaal?' }).getByLabel('Buurtbewoner').check();
  await form.getByLabel('De melder wil anoniem blijven').check();
  await expect(form.getByLabel('Naam van de melder of organisatie')).toBeHidden();
  await form.getByRole('group', { name: 'Hoe kwam het binnen?' }).getByLabel('Telefoon').check();
  await form.getByLabel('De zorg, in de woorden van de melder').fill(`Ziet de buurman van ${family} al weken niet buiten.`);
  await form.getByRole('group', { name: 'Grond om het op te pakken' }).getByLabel(/Nog niet bekend/).check();
  await noor.screenshot({ path: '../docs/screenshots/signaal-vastleggen.png', fullPage: true });
  await form.getByRole('button', { name: 'Signaal vastleggen' }).click();
  await expect(noor.getByTestId('signal-saved')).toHaveText('Signaal van buurtbewoner vastgelegd.');
  await expect(noor.getByTestId('signal-waiting')).toHaveText('2 signalen wachten op de volgende synchronisatie.');

  await desk.setOffline(false);
  await syncNow(noor);
  await expect(noor.getByTestId('signal-waiting')).toHaveText('Alle signalen zijn verstuurd naar de server.');

  // The consultant's inbox: both open, the GP's words as typed.
  await signIn(carla, 'carla');
  await carla.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Signalen' }).click();
  const open = carla.getByTestId('signals-open');
  const gp = open.getByTestId('signal').filter({ hasText: gpWords });
  await expect(gp).toContainText('Huisarts: Huisartsenpraktijk De Linde, dokter Bakker');
  await expect(gp).toContainText('Melder te bereiken via 0570 123 456.');
  const neighbour = open.getByTestId('signal').filter({ hasText: `Ziet de buurman van ${family}` });
  await expect(neighbour).toContainText('Buurtbewoner (anoniem)');
  await expect(neighbour.getByRole('button', { name: 'Melder laten weten' })).toHaveCount(0);
  await expectNoAxeViolations(carla, 'the signal inbox');
  await carla.screenshot({ path: '../docs/screenshots/signalen.png', fullPage: true });

  // Closed with a reason.
  await neighbour.getByRole('button', { name: 'Afsluiten' }).click();
  await neighbour.getByRole('group', { name: 'Waarom afsluiten?' }).getByLabel('Na navraag geen zorg').check();
  await neighbour.getByRole('button', { name: 'Signaal afsluiten' }).click();
  await expect(carla.getByText('Signaal afgesloten: na navraag geen zorg.')).toBeVisible();
  await expect(carla.getByTestId('signals-settled').getByTestId('signal').filter({ hasText: `Ziet de buurman van ${family}` }))
    .toContainText('Na navraag geen zorg');

  // The GP is told it was picked up.
  await gp.getByRole('button', { name: 'Melder laten weten' }).click();
  await expect(carla.getByText('Genoteerd dat de melder weet dat het signaal is opgepakt.')).toBeVisible();
  await expect(open.getByTestId('signal').filter({ hasText: gpWords })).toContainText('laten weten dat het is opgepakt');

  // A question of a new household, made from the GP's signal.
  await open.getByTestId('signal').filter({ hasText: gpWords }).getByRole('button', { name: 'Vraag van maken' }).click();
  await expect(carla.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  await expect(carla.getByTestId('from-signal')).toContainText(gpWords);
  // Not from this signal after all: it stays off the form, also when the page opens again with
  // the signal still in its address (it came back before).
  await carla.getByRole('button', { name: 'Niet vanuit dit signaal' }).click();
  await expect(carla.getByTestId('from-signal')).toHaveCount(0);
  await reloadApp(carla);
  await expect(carla.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  expect(carla.url()).toContain('signaal=');
  await expect(carla.getByTestId('from-signal')).toHaveCount(0);
  // Picked again from the inbox, it is on the form again.
  await carla.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Signalen' }).click();
  await open.getByTestId('signal').filter({ hasText: gpWords }).getByRole('button', { name: 'Vraag van maken' }).click();
  await expect(carla.getByTestId('from-signal')).toContainText(gpWords);
  await expect(carla.getByRole('group', { name: 'Kanaal' }).getByLabel('Telefoon')).toBeChecked();
  await carla.getByLabel('Jouw naam').fill('Carla');
  if (!(await carla.getByLabel('Voornaam').isVisible())) {
    await carla.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  }
  await carla.getByLabel('Voornaam').fill('Els');
  await carla.getByLabel('Achternaam').fill(family);
  await expectNoAxeViolations(carla, 'a new contact made from a signal');
  await carla.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  await expect(carla.getByRole('heading', { level: 1, name: 'Vraagverkenning' })).toBeVisible();
  await syncNow(carla);
  await carla.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Signalen' }).click();
  const became = carla.getByTestId('signals-settled').getByTestId('signal').filter({ hasText: gpWords });
  await expect(became).toContainText(`Werd een vraag van Huishouden ${family}`);
  await became.getByRole('link', { name: `Huishouden ${family}` }).click();
  await expect(carla.getByRole('heading', { level: 1 })).toContainText(family);

  // The coordinator's figures count them per source.
  await signIn(anne, 'anne');
  await anne.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Cijfers' }).click();
  const table = anne.getByTestId('figure-signalen-per-bron');
  await expect(table.getByRole('row').filter({ hasText: 'Huisarts' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Buurtbewoner' })).toBeVisible();
  await desk.close();
  await tablet.close();
  await office.close();
});
