import { test, expect } from '@playwright/test';
import { expectNoAxeViolations, signIn, synced, syncNow, uniqueName, waitForServiceWorker } from './helpers';
import { answerRest, answerStep1, answerStep2, confirm, startContact, type Answers } from './journeys';

// Issue 16 item 3: the front office books the conversation with a named consultant. Her
// tablet gets the household at its next sync and shows the appointment in her work and her
// agenda, offline too; her colleague's does not, and sees only that she is busy then.
test('a conversation booked with a consultant reaches her work and agenda, not her colleague', async ({ browser }) => {
  test.setTimeout(240_000);
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [noor, carla, daan] = await Promise.all(contexts.map((c) => c.newPage()));
  const family = uniqueName('Afspraak');

  // Both consultants' tablets have synced once before.
  await signIn(carla, 'carla');
  await synced(carla);
  await signIn(daan, 'daan');
  await synced(daan);

  // The front office takes the call and books the kitchen-table conversation with Carla.
  await signIn(noor, 'noor');
  await synced(noor);
  await startContact(noor, { channel: 'Telefoon', worker: 'Noor', register: { givenName: 'Wim', familyName: family } });
  const question: Answers = {
    ownWords: 'Ik kom de trap niet meer op.',
    domains: ['Huishouden en praktisch functioneren', 'Lichamelijke gezondheid'],
    more: true,
    rightPlace: true,
    answeredHere: false,
    wantsNotification: false,
  };
  await answerStep1(noor, question);
  await answerStep2(noor, question);
  await answerRest(noor, question);
  await expect(noor.getByTestId('suggestion')).toContainText('Voorstel: Afspraak voor gesprek');
  const withWhom = noor.getByLabel('Met wie is de afspraak?');
  // The worker herself unless she chooses a colleague.
  await expect(withWhom.locator('option:checked')).toHaveText('noor (frontoffice)');
  await withWhom.selectOption({ label: 'carla (consulent)' });
  await expect(noor.getByTestId('busy')).toContainText(/Nog niets gepland op deze dag|Al bezet op deze dag/);
  await noor.getByLabel('Tijd').fill('14:30');
  const bookedOn = await noor.locator('#appointment_date').inputValue();
  await noor.getByLabel('Plaats van het gesprek').fill('Bij de inwoner thuis');
  await noor.getByLabel('Huisbezoek').check();
  await expectNoAxeViolations(noor, 'booking a conversation with a colleague');
  await confirm(noor);
  await synced(noor);
  // Not in the front office's own work: it is Carla's.
  await expect(noor.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
  await expect(noor.getByTestId('my-work-appointments').filter({ hasText: family })).toHaveCount(0);

  // Carla's tablet, after one sync, offline: the appointment in her work and in her agenda.
  await syncNow(carla);
  await waitForServiceWorker(carla);
  await contexts[1].setOffline(true);
  const today = carla.getByTestId('my-work-appointments');
  await expect(today).toContainText(`Wim ${family}`);
  await expect(today).toContainText('14:30');
  await carla.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Agenda' }).click();
  await expect(carla.getByRole('heading', { level: 1, name: 'Agenda' })).toBeVisible();
  const booked = carla.getByTestId('appointment').filter({ hasText: `Huishouden ${family}` });
  await expect(booked).toContainText('14:30');
  await expect(booked).toContainText('Bij de inwoner thuis');
  await expect(booked).toContainText('Huisbezoek');
  await expectNoAxeViolations(carla, 'the agenda');
  await carla.screenshot({ path: '../docs/screenshots/agenda.png', fullPage: true });
  // Next week holds nothing of it; the household itself opens offline.
  await carla.getByRole('button', { name: 'Volgende week' }).click();
  await expect(carla.getByTestId('appointment').filter({ hasText: family })).toHaveCount(0);
  await carla.getByRole('button', { name: 'Deze week' }).click();
  // The day view: the booked day holds it, the day after does not.
  await carla.getByRole('button', { name: 'Dag', exact: true }).click();
  await carla.getByLabel('Ga naar datum').fill(bookedOn);
  const [y, m, d] = bookedOn.split('-');
  await expect(carla.locator('.agenda-week')).toContainText(`${d}-${m}-${y}`);
  await expect(booked).toContainText('14:30');
  await carla.getByRole('button', { name: 'Volgende dag' }).click();
  await expect(carla.getByTestId('appointment').filter({ hasText: family })).toHaveCount(0);
  await carla.getByRole('button', { name: 'Vorige dag' }).click();
  await booked.getByRole('link', { name: `Huishouden ${family}` }).click();
  await expect(carla.getByRole('heading', { level: 1, name: `Huishouden ${family}` })).toBeVisible();

  // Daan's tablet did not receive the household; Carla's agenda shows him only that she is busy.
  await syncNow(daan);
  await expect(daan.locator('main')).not.toContainText(family);
  await daan.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Agenda' }).click();
  await daan.getByLabel('Agenda van').selectOption({ label: 'carla' });
  const slot = daan.getByTestId('busy-slot').filter({ hasText: '14:30' });
  await expect(slot).toContainText('bezet');
  await expect(daan.getByTestId('agenda')).not.toContainText(family);
  await expect(daan.getByTestId('agenda')).not.toContainText('Bij de inwoner thuis');
  await expectNoAxeViolations(daan, "a colleague's busy slots");
  for (const context of contexts) await context.close();
});
